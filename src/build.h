/* The whole pipeline as one call: load the input, make the views, render them,
 * and put the files in place. main.c only turns argv into these options. */
#ifndef LG_BUILD_H
#define LG_BUILD_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "diag.h"

enum { LG_FORMAT_XLSX = 1 << 0, LG_FORMAT_PDF = 1 << 1 };

typedef struct lg_build_opts {
    const char *input_dir;     /* holds plan.xml and reports/ */
    const char *template_path; /* NULL: lg_template_default_path() */
    const char *out_dir;       /* where the files go */
    int year, month;           /* the period */
    unsigned formats;          /* LG_FORMAT_* */
    time_t created;            /* stamped into every file */
    FILE *log;                 /* where files written are listed, or NULL */
} lg_build_opts;

/** Builds the month's outputs. Returns true when every file was written.
 * Every problem goes to D; on any error no output file is changed. */
bool lg_build(const lg_build_opts *o, lg_diags *d);

/** The time to stamp into outputs: SOURCE_DATE_EPOCH when set (so that the same
 * input gives byte-identical files), otherwise now. False after adding an
 * error to D when SOURCE_DATE_EPOCH is not a number of seconds. */
bool lg_build_time(time_t *out, lg_diags *d);

#endif
