/* The form protocol: what a fill-in form carries for `ledgerc import`, on its
 * hidden, protected sheet LG_FORM_SHEET, and where. The form view (view_form.c)
 * fills the table's meta with these keys, the XLSX renderer lays the sheet out
 * with lg_form_sheet_cells, and import reads it back with the same names:
 *
 *   A                 B                  C
 *   ledgerc-form      2                                the form's version
 *   unit              kjj                              the unit's id
 *   period            2022-11                          the month being reported
 *   columns           task due ...                     each column's field, left to right
 *   unit-name         市科技局                          for messages
 *   sheet             市科技局                          the name of the sheet to fill in
 *   rows              11                               then one row per task:
 *   139               5                  5             the task, its first and last sheet row
 *   140               6                  6        2022-03   D: completed in that month (locked)
 *
 * All values are text; rows are 1-based.
 *
 * Version 2 added the columns problems (存在问题), target and actual (a
 * quantitative task's figure); a version 1 form, which has none of them, is
 * read as before. A ledgerc that reads only version 1 refuses a version 2
 * form rather than drop the cells it does not know. */
#ifndef LG_FORM_PROTOCOL_H
#define LG_FORM_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#include "table.h"

#define LG_FORM_SHEET "ledgerc"
#define LG_FORM_KEY_VERSION "ledgerc-form"
#define LG_FORM_VERSION "2"
#define LG_FORM_VERSION_OLDEST "1" /* the oldest version import reads */
#define LG_FORM_KEY_UNIT "unit"
#define LG_FORM_KEY_PERIOD "period"
#define LG_FORM_KEY_COLUMNS "columns"
#define LG_FORM_KEY_UNIT_NAME "unit-name"
#define LG_FORM_KEY_SHEET "sheet" /* written after the table's meta */
#define LG_FORM_KEY_ROWS "rows"   /* written after "sheet", then the task rows */
#define LG_FORM_YES "是"
#define LG_FORM_NO "否"
#define LG_FORM_DONE "已完成" /* a third answer to 是否达到序时进度: completed this month */

/* How far import looks for the keys, and the most task rows it accepts. */
#define LG_FORM_KEY_ROWS_MAX 64
#define LG_FORM_ROWS_MAX 1000000

/** Receives the text of cell (ROW, COL) of the hidden sheet, 0-based. */
typedef void lg_form_put_fn(void *ctx, uint32_t row, uint16_t col, const char *text);

/** Lays out the hidden sheet of form F, whose table has N_ROWS body rows and
 * whose fill-in sheet is called SHEET_NAME: calls PUT once per cell, row by
 * row, left to right. Body row I was written from sheet row FIRST[I] (0-based)
 * up to the next body row's first, the last one up to END (exclusive); the
 * hidden sheet gives each row's first and last, 1-based. */
void lg_form_sheet_cells(const lg_form *f, const char *sheet_name, size_t n_rows,
                         const uint32_t *first, uint32_t end, lg_form_put_fn *put, void *ctx);

/** The value of a 是/否/已完成 answer of N bytes at S: 1 for LG_FORM_YES, 0
 * for LG_FORM_NO, 2 for LG_FORM_DONE, -1 for anything else (the caller trims
 * white space). */
int lg_form_yes_no(const char *s, size_t n);

#endif
