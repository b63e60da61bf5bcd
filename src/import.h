/* `ledgerc import`: filled-in forms (forms.h) back into reports. */
#ifndef LG_IMPORT_H
#define LG_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diag.h"
#include "model.h"

typedef struct lg_import_opts {
    const char *input_dir; /* holds plan.xml; reports go to its reports/YYYY-MM/ */
    bool force;            /* replace an existing report, keeping it as <unit-id>.xml.bak-N */
    int year, month;       /* when set (month != 0), only forms of this month are accepted */
    FILE *log;             /* where each report written is listed, or NULL */
} lg_import_opts;

/** Reads the N filled-in forms FILES and writes each as the report
 * INPUT_DIR/reports/PERIOD/<unit-id>.xml of its unit and month, in the
 * contract's format. Every form is read and checked first: the workbook
 * itself (xlsx_read.h), that it is a form of this plan (its unit, its month
 * in the plan's year, its tasks, and locked cells as the plan has them),
 * and every filled-in cell (是否 must be 是 or 否; an empty cell to fill in is
 * a warning, a row left empty is left out of the report). Each report is
 * then loaded with lg_report_load before it is put in place. An existing
 * report that differs is replaced only with FORCE, and kept as a backup.
 *
 * Returns true when every report was written or was already there as made.
 * Every problem goes to D, naming the form, sheet and cell; on any error no
 * file is changed. */
bool lg_import(const lg_import_opts *o, const char *const *files, size_t n, lg_diags *d);

/** Reads the filled-in form at PATH against plan P and returns the text of
 * its report (XML), setting *UNIT, *YEAR and *MONTH; NULL after adding the
 * errors to D. Writes nothing. O may be NULL (any month of the plan's year).
 * The caller frees. */
char *lg_import_form(const lg_plan *p, const char *path, const lg_import_opts *o,
                     const lg_unit **unit, int *year, int *month, lg_diags *d);

#endif
