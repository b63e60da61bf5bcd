/* A table: what a view makes of the model, and all that a renderer needs.
 * Format-neutral: the same table becomes an XLSX sheet and PDF pages. */
#ifndef LG_TABLE_H
#define LG_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "template.h"

/* How a cell should stand out; the renderer decides how it looks. */
enum {
    LG_CELL_PLAIN = 0,
    LG_CELL_MISSING = 1 << 0, /* 未报送: the unit sent no report or no entry */
    LG_CELL_BEHIND = 1 << 1,  /* 否: behind schedule */
};

typedef struct lg_cell {
    const char *text; /* never NULL; paragraphs separated by '\n' */
    unsigned flags;
} lg_cell;

/* Body rows ROW0..ROW1 (inclusive) of column COL shown as one cell holding
 * the text of ROW0. */
typedef struct lg_merge {
    size_t row0, row1, col;
} lg_merge;

/* A run of rows that belongs together (a unit, a task): a PDF bookmark, and the
 * name printed again with （续） when a merged cell continues on a new page. */
typedef struct lg_group {
    const char *label;
    size_t row0, row1;
} lg_group;

typedef struct lg_table {
    lg_arena *arena;  /* owns everything below */
    const char *name; /* sheet name and bookmark, e.g. the unit's name */
    const char *title;
    const lg_column *columns; /* from the template; header texts are theirs */
    size_t n_columns;
    lg_cell *cells; /* n_rows * n_columns, row-major */
    size_t n_rows, cap_rows;
    lg_merge *merges; /* vertical merges, in row order */
    size_t n_merges;
    lg_group *groups;
    size_t n_groups;
} lg_table;

/** A new empty table in arena A with the view's columns. */
lg_table *lg_table_new(lg_arena *a, const char *name, const char *title,
                       const lg_view_layout *layout);
/** Appends a row of n_columns empty cells; returns its cells to fill. */
lg_cell *lg_table_add_row(lg_table *t);
lg_cell *lg_table_cell(const lg_table *t, size_t row, size_t col);
/** Merges runs of equal text in every column whose template says merge="yes".
 * A run never crosses a boundary of a merging column to its left, so that
 * columns merge as a hierarchy (task within unit). Call once, after all rows. */
void lg_table_merge_equal(lg_table *t);
/** Adds a group over rows ROW0..ROW1. */
void lg_table_add_group(lg_table *t, const char *label, size_t row0, size_t row1);
/** The merge that covers (row, col), or NULL. */
const lg_merge *lg_table_merge_at(const lg_table *t, size_t row, size_t col);

#endif
