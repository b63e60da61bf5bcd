/* Monthly fill-in forms: `ledgerc forms` writes one XLSX form per unit for a
 * month, which the unit fills in and sends back; `ledgerc import` (import.h)
 * reads filled forms back into reports.
 *
 * What a form carries for import, on its hidden, protected sheet "ledgerc"
 * (written by the XLSX renderer from the form view's lg_form, see table.h):
 *
 *   A                 B
 *   ledgerc-form      1                  the form's version: what import understands
 *   unit              kjj                the unit's id
 *   period            2022-11            the month being reported
 *   columns           task due ...       the field of each column, left to right
 *   unit-name         市科技局            for messages
 *   sheet             市科技局            the name of the sheet to fill in
 *   rows              11                 then one row per task:
 *   139               5      5           the task number, its first and last sheet row
 */
#ifndef LG_FORMS_H
#define LG_FORMS_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "diag.h"

#define LG_FORM_SHEET "ledgerc"
#define LG_FORM_KEY_VERSION "ledgerc-form"
#define LG_FORM_VERSION "1"
#define LG_FORM_KEY_UNIT "unit"
#define LG_FORM_KEY_PERIOD "period"
#define LG_FORM_KEY_COLUMNS "columns"
#define LG_FORM_KEY_UNIT_NAME "unit-name"
#define LG_FORM_KEY_SHEET "sheet" /* written by the renderer */
#define LG_FORM_KEY_ROWS "rows"   /* written by the renderer */
#define LG_FORM_YES "是"
#define LG_FORM_NO "否"

typedef struct lg_forms_opts {
    const char *input_dir;     /* holds plan.xml and reports/ */
    const char *template_path; /* NULL: lg_template_default_path() */
    const char *out_dir;       /* the forms go to OUT_DIR/forms/ */
    int year, month;           /* the month to report */
    time_t created;            /* stamped into every file */
    FILE *log;                 /* where files written are listed, or NULL */
} lg_forms_opts;

/** Writes OUT_DIR/forms/<unit-id>.xlsx for every unit of the plan: the form
 * for the month, with last month's plans (from the previous month's reports,
 * when there are any in the plan's year) shown as what each unit promised.
 * Returns true when every form was written. Every problem goes to D; on any
 * error no file is changed. */
bool lg_forms(const lg_forms_opts *o, lg_diags *d);

#endif
