/* libxlsxwriter's temporary files (xlsx_tmpfile.c): in the output's folder,
 * which has room for the output anyway (/tmp may be in memory), and never
 * with a name there, so that a killed run cannot leave one behind. The
 * module defines lxw_tmpfile, which takes the place of the library's. */
#ifndef LG_XLSX_TMPFILE_H
#define LG_XLSX_TMPFILE_H

#include <stdio.h>

/** The folder of PATH ("." for a bare name, "/" for one in the root), for a
 * workbook's tmpdir option. Free it with free(). Calling it also links this
 * module, and with it the lxw_tmpfile below, into the program. */
char *lg_xlsx_tmpdir(const char *path);

/** libxlsxwriter's own function, replaced: a temporary file in TMPDIR that
 * never has a name (O_TMPFILE), or glibc's tmpfile() where TMPDIR's file
 * system cannot make one. */
FILE *lxw_tmpfile(char *tmpdir);

#endif
