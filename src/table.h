/* A table: what a view makes of the model, and all that a renderer needs.
 * Format-neutral: the same table becomes an XLSX sheet and PDF pages. */
#ifndef LG_TABLE_H
#define LG_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "template.h"
#include "textstore.h"

/* How a cell should stand out; the renderer decides how it looks. */
enum {
    LG_CELL_PLAIN = 0,
    LG_CELL_MISSING = 1 << 0, /* 未报送: the unit sent no report or no entry */
    LG_CELL_BEHIND = 1 << 1,  /* 否, a count of tasks behind or overdue: needs attention */
    LG_CELL_STRONG = 1 << 2,  /* a total */
    LG_CELL_NUMBER = 1 << 3,  /* VALUE is the cell's content; TEXT shows it */
    LG_CELL_PERCENT = 1 << 4, /* with LG_CELL_NUMBER: VALUE is a ratio, shown as a percentage */
    /* On a row's first cell: the row is a band, a heading across the whole
     * table (a section of the plan: 一、…). Its text is that cell's, the
     * other cells are empty; no merge covers it (lg_table_add_band). */
    LG_CELL_BAND = 1 << 10,
};

/* A row's status (status.h) shown on a cell: its fill and a mark of its own
 * (lg_cell_set_status). High bits, clear of the flags above. */
enum {
    LG_CELL_STATUS = 1u << 16,    /* the cell shows a status, kind in the bits below */
    LG_CELL_ESCALATED = 1u << 17, /* and the escalation besides */
};
#define LG_CELL_STATUS_SHIFT 20 /* 4 bits: the lg_status_kind */

/* 16 bytes: a province's ledger has hundreds of thousands. A number's value
 * is kept beside the cells (lg_table_value). */
typedef struct lg_cell {
    const char *text; /* never NULL; paragraphs separated by '\n' */
    unsigned flags;
} lg_cell;

/* Body rows ROW0..ROW1 (inclusive) of column COL shown as one cell holding
 * the text of ROW0. */
typedef struct lg_merge {
    size_t row0, row1, col;
} lg_merge;

/* A run of rows that belongs together (a unit, a task, a section): a PDF
 * bookmark, and the name printed again with （续） when a merged cell continues
 * on a new page. Bookmarks nest by LEVEL: a group of level L + 1 is under the
 * last group of level L before it in the table's groups, so a view adds a
 * group before the groups inside it. */
typedef struct lg_group {
    const char *label;
    size_t row0, row1;
    bool new_page; /* starts on a new printed page */
    unsigned level; /* 0: under the table's bookmark */
    /* ROW0 is a band (LG_CELL_BAND) heading the group's rows: a PDF prints
     * it again, with （续）, atop every further page the group goes on to. */
    bool band;
} lg_group;

/* A bar chart of one numeric column against a label column, over body rows
 * ROW0..ROW1: a native chart in a spreadsheet, drawn on its own page in a PDF.
 * Or a line chart of several columns (LINE). */
typedef struct lg_chart {
    const char *title;
    size_t label_col, value_col;
    size_t row0, row1;
    /* A line chart instead: one line per row ROW0..ROW1, named by its label
     * column, through its values in columns VALUE_COL..VALUE_COL1 (ratios,
     * 0-1; a cell that is not a number is a gap), against their headers. */
    bool line;
    size_t value_col1;
} lg_chart;

/* A cell that leads to a part of another table of the same document: the
 * group labelled GROUP of the table named TABLE (the 汇总's unit names lead
 * to the unit's part of 分单位台账). A hyperlink in a spreadsheet, an internal
 * link in a PDF; the cell shows its text as any other. A link whose group is
 * not in the document, or is in a table before the link's, leads nowhere
 * (render_pdf.c and render_xlsx.c say how). */
typedef struct lg_link {
    size_t row, col;
    const char *table, *group;
} lg_link;

/* Bars of their own, drawn inside body cell (ROW, COL) of the table rather
 * than on a page of their own: the 通报's ranking, on its first page. N bars
 * in order, each a label, its rank (RANKS, or NULL: 1, 2, ...) and a ratio
 * (0-1) shown as a percentage; LABEL_HEAD and VALUE_HEAD name them where a
 * spreadsheet lists them for its chart. The cell's own text is not shown. */
typedef struct lg_cell_chart {
    size_t row, col;
    const char *label_head, *value_head;
    const char *const *labels;
    const double *values;
    const size_t *ranks;
    size_t n;
} lg_cell_chart;

/* A fill-in form (ledgerc forms): a table that someone fills in and a program
 * reads back. Cells flagged LG_CELL_INPUT are the ones to fill in: when the
 * form is protected they are the only cells left unlocked, and the renderer
 * marks them so that they stand out. */
enum {
    LG_CELL_INPUT = 1 << 8,
    /* with LG_CELL_INPUT: takes a figure, a number at least 0 (Excel refuses
     * anything else as it is typed), or any number with LG_CELL_INPUT_SIGNED */
    LG_CELL_INPUT_FIGURE = 1 << 9,
    LG_CELL_INPUT_SIGNED = 1 << 10,
};

/* The values an input cell may hold, offered as a drop-down. Keep the list
 * short: libxlsxwriter 1.1.4 overflows on lists over 255 bytes. */
typedef struct lg_choices {
    const char *const *items;
    size_t n;
} lg_choices;

/* A key and its value, carried in the file for the program that reads it back. */
typedef struct lg_meta {
    const char *key, *value;
} lg_meta;

typedef struct lg_form {
    bool protect;                /* lock every cell but the input ones (no password) */
    const lg_choices *choices;   /* per column (n_columns), or NULL; n == 0: free text */
    const lg_meta *meta;         /* n_meta pairs, in order */
    size_t n_meta;
    const char *const *row_keys; /* per body row (n_rows), or NULL */
    const char *const *row_done; /* per body row: "" or the month it was completed; or NULL */
    unsigned min_lines;          /* each body row at least this many lines tall: room to write */
} lg_form;

typedef struct lg_table {
    lg_arena *arena;  /* owns everything below */
    const char *name; /* sheet name and bookmark, e.g. the unit's name */
    const char *title;
    const lg_column *columns; /* from the template; header texts are theirs */
    size_t n_columns;
    lg_cell *cells; /* n_rows * n_columns, row-major */
    double *values; /* like CELLS, once some cell is a number (LG_CELL_NUMBER); else NULL */
    size_t n_rows, cap_rows;
    lg_merge *merges; /* vertical merges, in row order */
    size_t n_merges;
    lg_group *groups;
    size_t n_groups, cap_groups;
    const lg_chart *chart; /* or NULL */
    const lg_form *form;   /* a fill-in form, or NULL */
    const lg_link *links;  /* n_links, in row order (then column), or NULL */
    size_t n_links;
    const lg_cell_chart *cell_chart; /* or NULL */
    /* A flat list to filter and sort (the data sheet): no title, the header
     * in the first row with a filter over every row, no merges, each text
     * whole in one cell (rows are not made taller than Excel allows to show
     * it; a text longer than a cell holds continues on extra rows that repeat
     * the row's other cells). */
    bool list;
    /* Where the model's texts in the cells are kept, or NULL: a renderer
     * calls lg_textstore_trim on it every few hundred rows, so that the
     * texts it has read do not stay in memory. */
    const lg_textstore *texts;
    /* The names and colours of the statuses its cells show
     * (LG_CELL_STATUS), or NULL: a renderer fills those cells, marks them
     * and prints a legend on the first page of each part (the table, each
     * group that starts a new page). */
    const lg_status_rules *status;
    /* Whose pages these are, named in each printed page's footer beside the
     * page number: the unit of a unit's own ledger, or NULL. A part that
     * starts a new page (a group with new_page: a unit of 分单位台账) names
     * its own pages with its label. */
    const char *owner;
} lg_table;

/* The tables of a document, made on demand: MAKE makes table I (of N) in
 * arena A, the same table each time it is asked. */
typedef struct lg_table_source {
    size_t n;
    const lg_table *(*make)(void *ctx, size_t i, lg_arena *a);
    void *ctx;
} lg_table_source;

/** The source of N tables made already: TABLES must outlive it. */
lg_table_source lg_table_source_of(const lg_table *const *tables, size_t n);

/** A new empty table in arena A with the view's columns. */
lg_table *lg_table_new(lg_arena *a, const char *name, const char *title,
                       const lg_view_layout *layout);
/** Makes room for N more rows, so that adding them copies nothing. */
void lg_table_reserve(lg_table *t, size_t n);
/** Appends a row of n_columns empty cells; returns its cells to fill. */
lg_cell *lg_table_add_row(lg_table *t);
lg_cell *lg_table_cell(const lg_table *t, size_t row, size_t col);
/** Merges runs of equal text in every column whose template says merge="yes".
 * A run never crosses the start of a group, nor a boundary of a merging
 * column to its left, so that columns merge as a hierarchy (task within
 * unit). Call once, after all rows and groups. */
void lg_table_merge_equal(lg_table *t);
/** Makes room for N more groups. */
void lg_table_reserve_groups(lg_table *t, size_t n);

/** Adds a group over rows ROW0..ROW1; returns it, to set new_page. LABEL is
 * not copied: it must live as long as the table (the model's strings do). */
lg_group *lg_table_add_group(lg_table *t, const char *label, size_t row0, size_t row1);
/** Appends a band row showing TEXT (not copied: it must live as long as the
 * table) across the table; returns its row. See LG_CELL_BAND. */
size_t lg_table_add_band(lg_table *t, const char *text);
/** Whether body row R of T is a band. */
bool lg_table_is_band(const lg_table *t, size_t r);
/** Sets a cell to the number V: a whole number, or when PERCENT a ratio
 * shown as a percentage with one decimal. */
void lg_cell_set_number(lg_table *t, lg_cell *c, double v, bool percent);

/** Marks cell C with status S: the renderers fill it with the status's colour
 * and draw the status's mark in it (the table's status says the colours). */
void lg_cell_set_status(lg_cell *c, lg_status s);
/** Whether cell C shows a status (lg_cell_set_status); if so, it into S. */
bool lg_cell_status(const lg_cell *c, lg_status *s);

/** The value of cell C of T, a number (LG_CELL_NUMBER); 0 for any other. */
double lg_table_value(const lg_table *t, const lg_cell *c);
/** The link of cell (ROW, COL), or NULL. */
const lg_link *lg_table_link_at(const lg_table *t, size_t row, size_t col);
/** The merge that covers (row, col), or NULL. */
const lg_merge *lg_table_merge_at(const lg_table *t, size_t row, size_t col);
/** Which merge covers each cell, for renderers: [row * n_columns + col] is 1 +
 * the index of the merge covering the cell, or 0. A merge outside the table or
 * of fewer than two rows is left out, as is the later of two that overlap.
 * The caller frees the array (n_rows * n_columns + 1 entries). */
uint32_t *lg_table_merge_cover(const lg_table *t);

/* What a part of a row or merged cell continued from an earlier page shows. */
#define LG_TABLE_CONT_MARK "（续）"

/** Whether cell (R, C) says whose row R is on the pages its text continues
 * on (both renderers): its unit's or its task's cell, when that cell is the
 * row's own (not merged: a merged cell says （续） already) and has text; a
 * row of a task only one unit reports on shows both again. COVER as
 * lg_table_merge_cover gives it. */
bool lg_table_is_label(const lg_table *t, const uint32_t *cover, size_t r, size_t c);

/** The label of row R's continued part in column COL: the unit's name, or a
 * task's number ("139."), with （续）. The caller frees. */
char *lg_table_continued_label(const lg_table *t, size_t r, size_t col);

#endif
