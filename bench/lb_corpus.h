/* The benchmark's lower bounds read the same input as ledgerc, simply: no
 * schema, no rule checked, a plain libxml2 parse. This is only what both
 * lower-bound programs need: the rows of the consolidated by-task ledger
 * (tasks in number order, one row per owning unit in plan order) and a
 * view's columns from the template. Not part of ledgerc. */
#ifndef LB_CORPUS_H
#define LB_CORPUS_H

#include <stdbool.h>
#include <stddef.h>

/* What a template column shows; the order of the cells a row hands out. */
enum { LB_UNIT, LB_TASK, LB_DUE, LB_PROGRESS, LB_PLAN, LB_ON_SCHEDULE, LB_REMARK, LB_FIELDS };

typedef struct lb_column {
    int field;       /* LB_*, or -1 for a field the bounds do not know (empty cells) */
    double width_mm;
    int align;       /* 0 left, 1 center, 2 right */
    bool justify;
} lb_column;

/* The page, the body font and one view's columns of a template. */
typedef struct lb_template {
    double page_w_mm, page_h_mm;
    double margin_top_mm, margin_bottom_mm, margin_left_mm, margin_right_mm;
    double padding_mm;
    double body_size_pt;
    char body_family[128];
    lb_column columns[16];
    size_t n_columns;
} lb_template;

typedef struct lb_corpus lb_corpus;

/** Reads the template's page, body font and the columns of its view VIEW, or
 * of its view "unit" when it has no VIEW (the widths are the same, in another
 * order). Exits with a message when the file cannot be read. */
void lb_template_load(lb_template *t, const char *path, const char *view);

/** Reads DIR/plan.xml and DIR/reports/PERIOD/<unit-id>.xml. Exits with a
 * message when the plan cannot be read; a missing report is a unit that did
 * not report (its rows say 未报送). Free with lb_corpus_free. */
lb_corpus *lb_corpus_load(const char *dir, const char *period);
void lb_corpus_free(lb_corpus *c);

/** Calls FN once per row of the by-task ledger with the row's LB_FIELDS cell
 * texts (never NULL; valid only during the call). Returns the number of rows. */
size_t lb_corpus_rows(const lb_corpus *c, void (*fn)(const char *const *cells, void *ctx),
                      void *ctx);

#endif
