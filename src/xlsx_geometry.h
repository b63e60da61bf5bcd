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

/* Excel measures a column in the maximum digit width of the Normal style's
 * font, which render_xlsx makes the body's Windows face (宋体 by default) at
 * 11 pt: a Chinese face's digits are half an em, 7.33 px at 96 dpi, which
 * Windows draws 8 px wide (GrapeCity/MESCIUS DsExcel's documentation gives
 * 宋体's digit as 8 px; Calibri 11's is 7, which libxlsxwriter assumes). */
#define LG_XLSX_DIGIT_PX 8

/** The pixels to give worksheet_set_column_pixels for a column that Excel
 * is to draw PX pixels wide (to within half a pixel). libxlsxwriter stores
 * its pixels P as P / 7 digits (Calibri's digit); Excel draws those digits
 * with the Normal font's, LG_XLSX_DIGIT_PX, so P is PX scaled by 7 / that. */
uint32_t lg_xlsx_lxw_px(uint32_t px);

/** The factor (at most 1) by which the N columns COLS are made narrower so
 * that they print at 100% inside the printable width of TPL's page, with a
 * little room to spare: spreadsheets round each column to whole pixels and
 * may convert its width through the default font's character width. */
double lg_xlsx_column_scale(const lg_template *tpl, const lg_column *cols, size_t n);

/** The width (pt) at which the XLSX renderer lays out the text of a column
 * WIDTH_MM wide: the column's width in whole pixels less the cell padding
 * (the template's, at least Excel's 3 px), less a safety margin. */
double lg_xlsx_text_width(const lg_template *tpl, double width_mm);

/** The XLSX row height (pt) for a cell whose laid-out text is N_LINES lines
 * and TEXT_HEIGHT pt tall: the text plus a safety margin (a pixel a line and
 * a little more) plus the padding at top and bottom, rounded up to a whole
 * pixel (0.75 pt). */
double lg_xlsx_row_height(const lg_template *tpl, double text_height, size_t n_lines);

/* The line height Excel and WPS give wrapped text in the face the XLSX
 * declares (宋体 by default, see render_xlsx.c): Windows' Chinese faces
 * (宋体/SimSun, 仿宋, 黑体, 楷体) have ascent + descent = 1 em and no line gap,
 * so a line is the font's em at 96 dpi, rounded up to a whole pixel (GDI's
 * cell height): 10 and 10.5 pt are 14 px (10.5 pt), 11 pt 15 px, 12 pt 16 px,
 * 16 pt 22 px. Excel's one-line row adds 3 px: 宋体 11's default row is
 * 18 px (13.5 pt), 宋体 12's 19 px (14.25 pt). Noto CJK's lines, which Pango
 * gives, are 1.44 em: rows for them would be a quarter too tall in Excel. */
double lg_xlsx_line_pt(const lg_font *f);

/** The XLSX row height (pt) for N_LINES lines of text in F's declared face
 * (lg_xlsx_line_pt): lg_xlsx_row_height of their height. */
double lg_xlsx_lines_height(const lg_template *tpl, const lg_font *f, size_t n_lines);

/** Sets *UNITS to the UTF-16 units and *LFS to the line feeds in S[0..N). */
void lg_xlsx_count_text(const char *s, size_t n, size_t *units, size_t *lfs);

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

/* The mark that begins each continued part of a split text, so that a reader
 * sees that the text goes on from the row above. */
#define LG_XLSX_CONT_MARK "（续）"

/* A body cell too tall (or too long) for one Excel cell, in parts, part i on
 * the row's physical row i. Each part but the last ends at a sentence end
 * (。；！？, closing quotes and brackets after it included) or at a paragraph
 * end; at a clause end (，、：) when no sentence ends within what a row
 * holds; at a line end only when neither does. A part after the first
 * begins with LG_XLSX_CONT_MARK. The parts without their marks, joined
 * (with a line feed where a part ended at a paragraph end), give the text. */
typedef struct lg_xlsx_split {
    char **text;    /* each part's text, marked */
    double *height; /* each part's row height (pt), at most LG_XLSX_MAX_ROW_PT */
    size_t n;       /* parts */
    size_t line_cuts; /* parts that end at a line end, no sentence or clause in reach */
} lg_xlsx_split;

/** Splits TEXT, laid out with L in FONT at WIDTH (ALIGN, JUSTIFY as the
 * column says), into parts that each fit a row (LG_XLSX_MAX_ROW_PT) and a
 * cell (LG_XLSX_MAX_CELL_UNITS, LG_XLSX_MAX_CELL_LF) into S; free with
 * lg_xlsx_split_free. False (S empty) when a single line is longer than a
 * cell holds, which no real column width allows. */
bool lg_xlsx_split_text(const lg_template *tpl, lg_layout *l, const lg_font *font, double width,
                        lg_align align, bool justify, const char *text, lg_xlsx_split *s);

/** lg_xlsx_split_text with the first part at most FIRST_MAX tall and the
 * others at most MAX (both at most LG_XLSX_MAX_ROW_PT): a row split at a page
 * break, its first part in what is left of the page. A part holds at least
 * one line, however tall. */
bool lg_xlsx_split_text_to(const lg_template *tpl, lg_layout *l, const lg_font *font,
                           double width, lg_align align, bool justify, const char *text,
                           double first_max, double max, lg_xlsx_split *s);

/** Frees the parts of S and empties it. */
void lg_xlsx_split_free(lg_xlsx_split *s);

#endif
