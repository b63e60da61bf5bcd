/* Renderers: tables into files. They decide how a ledger looks, never what
 * it contains. */
#ifndef LG_RENDER_H
#define LG_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "diag.h"
#include "layout.h"
#include "table.h"
#include "template.h"
#include "xlsx_geometry.h" /* lg_xlsx_text_width, lg_xlsx_row_height */

/* Document properties of an output file. */
typedef struct lg_doc_info {
    const char *title;    /* the ledger title */
    const char *subject;  /* e.g. the unit's name */
    const char *author;   /* the plan title's issuer, or "ledgerc" */
    const char *keywords;
    const char *creator;  /* "ledgerc VERSION" */
    time_t created;       /* SOURCE_DATE_EPOCH when set, else now */
} lg_doc_info;

/** Writes TABLES (one sheet each) as an XLSX workbook at PATH. Row heights are
 * computed with L so that no text is hidden; an entry taller than Excel's
 * 409 pt continues on extra rows. Returns false after adding an error to D. */
bool lg_render_xlsx(const lg_table *const *tables, size_t n, const lg_template *tpl,
                    lg_layout *l, const lg_doc_info *info, const char *path, lg_diags *d);

/** lg_render_xlsx for tables made on demand: each is made for its sheet and
 * freed after it. */
bool lg_render_xlsx_source(const lg_table_source *src, const lg_template *tpl, lg_layout *l,
                           const lg_doc_info *info, const char *path, lg_diags *d);

/** Writes TABLES (each starting on a new page) as a PDF at PATH. Returns false
 * after adding an error to D. */
bool lg_render_pdf(const lg_table *const *tables, size_t n, const lg_template *tpl,
                   lg_layout *l, const lg_doc_info *info, const char *path, lg_diags *d);

/** lg_render_pdf for tables made on demand: each is made to plan its pages,
 * freed, and made again to draw them, so that a document of several large
 * tables holds one at a time. */
bool lg_render_pdf_source(const lg_table_source *src, const lg_template *tpl, lg_layout *l,
                          const lg_doc_info *info, const char *path, lg_diags *d);

#endif
