/* libFuzzer target: a filled-in form, an XLSX workbook, through
 * lg_import_form (import.h) against tests/data/good/plan.xml: the whole read
 * of `ledgerc import` (the zip archive and its limits, the workbook's XML
 * parts, the form's checks), writing nothing. Mutated bytes inside a
 * compressed part mostly fail its CRC: fuzz_form_sheet reaches the XML of a
 * sheet. See fuzz_common.h. */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "import.h"
#include "load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lg_fuzz_init();
    static lg_plan *p;
    lg_diags d = {0};
    if (!p && !(p = lg_plan_load(LG_TEST_DATA "/good/plan.xml", &d)))
        __builtin_trap(); /* the seed plan must load */
    const char *path = lg_fuzz_path("form.xlsx");
    lg_fuzz_write(path, data, size);
    const lg_unit *unit = NULL;
    int year = 0, month = 0;
    free(lg_import_form(p, path, NULL, &unit, &year, &month, &d));
    lg_diags_free(&d);
    return 0;
}
