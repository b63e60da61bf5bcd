/* Excel's row geometry (xlsx_geometry.c): row heights for laid-out text, and
 * body cells that continue on extra rows when they are taller than a row or
 * longer than a cell holds. */
#ifndef LG_XLSX_GEOMETRY_H
#define LG_XLSX_GEOMETRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "layout.h"
#include "template.h"

/* Excel's limits. A row height is stored in points but shown in whole pixels
 * (0.75 pt at 96 dpi); heights are rounded up to pixels, so the largest usable
 * height is the largest whole-pixel height not over 409 pt. */
#define LG_XLSX_PX_PT 0.75
#define LG_XLSX_MAX_ROW_PT 408.75
#define LG_XLSX_MAX_CELL_UNITS 32767 /* UTF-16 code units */
#define LG_XLSX_MAX_CELL_LF 253

/** A column's width in whole pixels at 96 dpi (at least 1), as Excel sets it. */
uint32_t lg_xlsx_col_px(double width_mm);

/** The width (pt) at which the XLSX renderer lays out the text of a column
 * WIDTH_MM wide: the column's width in whole pixels less the cell padding
 * (the template's, at least Excel's 3 px), less a safety margin. */
double lg_xlsx_text_width(const lg_template *tpl, double width_mm);

/** The XLSX row height (pt) for a cell whose laid-out text is N_LINES lines
 * and TEXT_HEIGHT pt tall: the text plus a safety margin (a pixel a line and
 * a little more) plus the padding at top and bottom, rounded up to a whole
 * pixel (0.75 pt). */
double lg_xlsx_row_height(const lg_template *tpl, double text_height, size_t n_lines);

/** Sets *UNITS to the UTF-16 units and *LFS to the line feeds in S[0..N). */
void lg_xlsx_count_text(const char *s, size_t n, size_t *units, size_t *lfs);

/* A body cell too tall (or too long) for one Excel cell: its box, kept until
 * the row is written, and where its chunks start. Chunk i is lines
 * cut[i]..cut[i+1]-1 and goes to the row's physical row i. */
typedef struct lg_xlsx_split {
    lg_text_box *box;
    size_t *cut;
    size_t n; /* chunks */
} lg_xlsx_split;

/* Physical row heights of the body row being built. */
typedef struct lg_xlsx_rows {
    double *h;
    size_t n, cap;
} lg_xlsx_rows;

/** Appends a physical row H pt tall to R (R->h grows with lg_xrealloc; the
 * caller frees it). */
void lg_xlsx_rows_push(lg_xlsx_rows *r, double h);

/** Makes rows FROM..n-1 of R together at least NEED tall (FROM < n). PREV is
 * the height the span already has in rows written before. The deficit goes
 * onto the last row, then onto the rows before it up to Excel's maximum, and
 * what remains onto new rows at the end, which the span then covers. */
void lg_xlsx_rows_fit(lg_xlsx_rows *r, size_t from, double prev, double need);

/** Splits BOX of TEXT into chunks that each fit a row (LG_XLSX_MAX_ROW_PT) and
 * an Excel cell (LG_XLSX_MAX_CELL_UNITS, LG_XLSX_MAX_CELL_LF) into S, which
 * keeps BOX; S->cut is the caller's to free (lg_xmalloc). False when a single
 * line is longer than a cell holds, which no real column width allows. */
bool lg_xlsx_split_box(const lg_template *tpl, lg_text_box *box, const char *text,
                       lg_xlsx_split *s);

/** The row height of chunk I of S. */
double lg_xlsx_chunk_height(const lg_template *tpl, const lg_xlsx_split *s, size_t i);

#endif
