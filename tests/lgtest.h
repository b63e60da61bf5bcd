/* What the cmocka programs share: a month loaded from an input folder, and
 * shell commands run for their status or their output. Linked into every
 * tests/test_*.c (tests/CMakeLists.txt). */
#ifndef LG_TEST_H
#define LG_TEST_H

#include "load.h"
#include "template.h"

/* A plan, its month and the default template, with an arena for views. */
typedef struct lgt_month {
    lg_plan *plan;
    lg_template *tpl;
    lg_month *month;
    lg_arena *arena;
} lgt_month;

/** Loads INPUT_DIR/plan.xml, the reports of YEAR-MONTH and templates/ledger.xml
 * into a new lgt_month at *STATE; returns 0, or -1 after printing the
 * problems (a cmocka setup's result). */
int lgt_month_setup(void **state, const char *input_dir, int year, int month);
/** lgt_month_setup, with the earlier months of the year attached
 * (lg_month_load_earlier): what completion, status and trend need. */
int lgt_year_setup(void **state, const char *input_dir, int year, int month);
/** Frees what lgt_month_setup made (a cmocka teardown). */
int lgt_month_teardown(void **state);

/** Runs the shell command made from FMT; fails the test when it fails. */
void lgt_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** The standard output (at most 64 KB) of the shell command made from FMT,
 * which must succeed; the caller frees. */
char *lgt_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
