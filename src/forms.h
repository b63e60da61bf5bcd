/* Monthly fill-in forms: `ledgerc forms` writes one XLSX form per unit for a
 * month, which the unit fills in and sends back; `ledgerc import` (import.h)
 * reads filled forms back into reports.
 *
 * What a form carries for import, and where: form_protocol.h.
 */
#ifndef LG_FORMS_H
#define LG_FORMS_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "diag.h"
#include "form_protocol.h"


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
