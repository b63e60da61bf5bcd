/* The whole pipeline as one call: load the input, check it, make the views,
 * render them, and put the files in place. main.c only turns argv into
 * these options. */
#ifndef LG_BUILD_H
#define LG_BUILD_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "diag.h"

enum { LG_FORMAT_XLSX = 1 << 0, LG_FORMAT_PDF = 1 << 1 };

/* The outputs of a month. */
enum {
    LG_VIEW_SUMMARY = 1 << 0, /* 汇总: first sheet and first pages of ledger.xlsx/.pdf */
    LG_VIEW_BY_TASK = 1 << 1, /* 全市台账 in ledger.xlsx/.pdf */
    LG_VIEW_BY_UNIT = 1 << 2, /* every unit ledger in ledger.xlsx/.pdf */
    LG_VIEW_UNITS = 1 << 3,   /* units/<id>.xlsx and .pdf */
    LG_VIEW_BY_LEADER = 1 << 4, /* 分管领导台账 in ledger.xlsx/.pdf, when the plan names leaders */
    LG_VIEW_ALL = 0x1F,
};

typedef struct lg_build_opts {
    const char *input_dir;     /* holds plan.xml and reports/ */
    const char *template_path; /* NULL: lg_template_default_path() */
    const char *out_dir;       /* where the files go */
    int year, month;           /* the period */
    unsigned formats;          /* LG_FORMAT_* */
    unsigned views;            /* LG_VIEW_* */
    time_t created;            /* stamped into every file */
    unsigned jobs;             /* worker processes to render in; 0: one per core */
    bool pdf_plain;            /* PDFs as Cairo writes them, not PDF/A-2b (pdfa.h) */
    FILE *log;                 /* where each file written is listed, or NULL */
    FILE *progress;            /* a terminal to show progress on, or NULL */
} lg_build_opts;

/** Builds the month's outputs, then the folder's SHA256SUMS (manifest.h).
 * Returns true when every file was written.
 * Errors and the month's warnings (see check.h) go to D, the warnings
 * ordered by unit; on any error no output file is changed. */
bool lg_build(const lg_build_opts *o, lg_diags *d);

/** Checks the month without writing anything: errors of the input, then
 * warnings, ordered by unit. */
void lg_build_check(const char *input_dir, const char *template_path, int year, int month,
                    lg_diags *d);

/** The time to stamp into outputs: SOURCE_DATE_EPOCH when set (so that the same
 * input gives byte-identical files), otherwise now. False after adding an
 * error to D when SOURCE_DATE_EPOCH is not a number of seconds. */
bool lg_build_time(time_t *out, lg_diags *d);

#endif
