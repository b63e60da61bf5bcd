/* ledgerc: compiles a month's implementation ledgers. See cli.c. */
#include <fontconfig/fontconfig.h>
#include <stdio.h>

#include "cli.h"
#include "lang.h"
#include "xmlload.h"

int main(int argc, char **argv)
{
    lg_lang_init();
    lg_xml_init();
    FcInit();
    return lg_cli_main(argc, argv, stdout, stderr);
}
