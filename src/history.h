/* `ledgerc history`: each task's months, January to a month, as history.xlsx
 * and history.pdf (one table per task), from the plan as it stood in each
 * month and that month's reports. */
#ifndef LG_HISTORY_H
#define LG_HISTORY_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "diag.h"

typedef struct lg_history_opts {
    const char *input_dir;     /* holds plan.xml and reports/ */
    const char *template_path; /* NULL: lg_template_default_path() */
    const char *out_dir;       /* history.xlsx and history.pdf go here */
    int year, month;           /* the last month */
    long task;                 /* only this task; 0: every task */
    const char *unit;          /* only this unit's rows; NULL: every unit */
    bool pdf_plain;            /* the PDF as Cairo writes it, not PDF/A-2b */
    time_t created;            /* stamped into every file */
    FILE *log;                 /* where files written are listed, or NULL */
} lg_history_opts;

/** Writes OUT_DIR/history.xlsx and history.pdf (PDF/A-2b unless PDF_PLAIN),
 * then OUT_DIR/SHA256SUMS for the folder (manifest.h). The months' reports
 * are loaded and checked as `build` does; a task or unit that is in no month
 * of the plan is an error. Returns true when both files were written; on any
 * error no file is changed and every problem is in D. */
bool lg_history(const lg_history_opts *o, lg_diags *d);

#endif
