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

/* What became of a form. */
typedef enum {
    LG_IMPORT_IMPORTED,  /* a new report */
    LG_IMPORT_REPLACED,  /* a report that was there, with --force (kept as .bak-N) */
    LG_IMPORT_UNCHANGED, /* the report there says the same */
    LG_IMPORT_REFUSED,   /* nothing written; the reasons are in the diagnostics */
} lg_import_result;

/* One form's line of the closing table. */
typedef struct lg_import_row {
    char *unit;   /* the unit's name, "" when not known */
    char *form;   /* the form's file as given */
    lg_import_result result;
    char *reason; /* the first error and how many more, or the warnings' count */
} lg_import_row;

typedef struct lg_import_rows {
    lg_import_row *v;
    size_t n;
} lg_import_rows;

/** Frees the rows' strings and array, and empties ROWS. */
void lg_import_rows_free(lg_import_rows *rows);

/** The result's word for the table (in the user's language). */
const char *lg_import_result_name(lg_import_result r);

/** Reads the filled-in forms that the N ARGS name (a file, or a folder: every
 * .xlsx in it, other files named in a warning) and writes each as the report
 * INPUT_DIR/reports/PERIOD/<unit-id>.xml of its unit and month, in the
 * contract's format. Each form is judged on its own, and refused with all
 * its reasons or imported whatever the others are: the workbook itself
 * (xlsx_read.h), that it is a form of this plan (its unit, its month in the
 * plan's year, its tasks, and locked cells as the plan has them), every
 * filled-in cell (是否 must be 是 or 否; an empty cell to fill in is a warning,
 * a row left empty is left out of the report, a form left empty is refused).
 * A form of a month older than the newest month with reports is refused
 * unless the options name its month; two forms of one unit and month are
 * both refused. An existing report that differs is replaced only with FORCE
 * and the month named by the options, and kept as a backup.
 *
 * Each report is written alone and atomically, in a month folder locked
 * against other runs (outfile.h), after lg_report_load has read it. The
 * first lock held by another run (an error of kind "locked") or failed
 * write (kind "write") stops the run; the forms not yet written are then
 * refused.
 *
 * Returns true when every form was imported or was already there as made.
 * Every problem goes to D, form by form, naming the form, sheet and cell;
 * with ROWS, one row per form is appended there (lg_import_rows_free). */
bool lg_import(const lg_import_opts *o, const char *const *args, size_t n,
               lg_import_rows *rows, lg_diags *d);

/** Reads the filled-in form at PATH against plan P and returns the text of
 * its report (XML), setting *UNIT, *YEAR and *MONTH; NULL after adding the
 * errors to D (*UNIT is then the form's unit when it was read, else NULL). Writes nothing. O may be NULL (any month of the plan's year).
 * The caller frees. */
char *lg_import_form(const lg_plan *p, const char *path, const lg_import_opts *o,
                     const lg_unit **unit, int *year, int *month, lg_diags *d);

#endif
