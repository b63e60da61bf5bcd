/* The PDF renderer: tables typeset with Cairo as an official ledger prints
 * them: a title, a header row repeated on every page, ruled cells, merged
 * cells, page numbers, bookmarks and archive metadata.
 *
 * Two passes. The first lays out every cell once, keeps only its line
 * heights, and plans where each row (or each part of a split row) goes: the
 * footer needs the file's page count before the first page is drawn. The
 * second lays out each row again as it draws it; the layout is deterministic,
 * so the lines are the ones that were planned. */
#define _POSIX_C_SOURCE 200809L /* gmtime_r */
#include "render.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "arena.h"
#include "outfile.h"

#define EPS 0.01 /* pt: far below anything visible */

/* The page in points, from the template. */
typedef struct geometry {
    const lg_template *tpl;
    lg_layout *l;
    double page_w, page_h;
    double left, usable_w; /* the table area between the side margins */
    double top, bottom;    /* the table area between top and bottom margins */
    double pad;            /* inside each cell, on every side */
    lg_font strong;        /* the body font, bold: totals */
    struct borders *borders; /* the cell borders of the page being drawn */
    struct link_set *links;  /* the document's internal links */
} geometry;

/* Cell borders are collected over a page and stroked as one path: a stroke
 * per cell costs more than the text of a short cell. */
typedef struct borders {
    double *r; /* x, y, w, h each */
    size_t n, cap;
} borders;

/* Internal links (lg_link): every target (a table's name and a group's
 * label) that some cell names, gathered by the first pass; target I is the
 * PDF destination "lkI", drawn where its group begins when the first pass
 * found that group after the link (a link to a table earlier in the
 * document than its cell is left out: none is made so). */
typedef struct link_set {
    char **table, **group;
    bool *found;
    size_t n, cap;
} link_set;

/* A cell's lines as the first pass measured them: kept for every cell of a
 * table until its pages are planned, so small. Lines of one height (all of
 * them but for text in a fallback font) need no array. */
typedef struct cell_lines {
    size_t n;           /* 0: not drawn (inside a merge, below its first row) */
    double line_height; /* when every line has it; else 0 and TOP is set */
    double *top;        /* NULL, or n + 1 line tops from the box top; the last is the height */
    bool empty;         /* no text: nothing to continue on another page */
} cell_lines;

/* The top of line K of CL from its box's top; K == n gives the height. */
static double line_top(const cell_lines *cl, size_t k)
{
    return cl->top ? cl->top[k] : (double)k * cl->line_height;
}

/* The part of a row on one page: lines first..end-1 of each of its cells.
 * Most rows fit on their page whole and need no line indices. */
typedef struct slice {
    size_t row;
    size_t part;  /* index of its line indices in first and end, or WHOLE */
    int page;     /* 1-based in the file */
    double y, h;  /* top on the page and height, pt */
    bool cont;    /* the row began on an earlier page */
} slice;

#define WHOLE SIZE_MAX

/* Where everything of a table goes. */
typedef struct table_plan {
    const lg_table *t; /* while it is planned and drawn */
    size_t nc;         /* its columns */
    double *x; /* n_columns + 1 column edges, pt */
    double *inset; /* per column, room left of a body cell's text: status marks (0: none) */
    double title_h, header_h;
    double legend_h; /* the status legend with the gap below it; 0: none */
    lg_text_box **header; /* n_columns boxes, drawn on every page */
    uint32_t *cover; /* per cell, 1 + the merge covering it, or 0 (lg_table_merge_cover) */
    bool *part_start; /* per row: begins a part that starts a new page, other
                       * than the table's first (its first page shows the legend) */
    int first_page, n_pages; /* the chart's pages, if any, included */
    int chart_page;          /* the chart's first page; 0: none */
    int chart_pages;         /* a bar chart too long for one page goes on */
    slice *slices;
    size_t n_slices, cap_slices;
    size_t *first, *end; /* per part of a row, n_columns line indices */
    size_t n_parts, cap_parts;
    /* The lines of the boxes measured (lg_text_box_lines), to draw a box
     * the layout no longer keeps without breaking its text again: a
     * province's table outgrows the layout's cache. */
    uint32_t *lines;    /* one box's after another */
    size_t n_lines, cap_lines;
    uint32_t *lines_at; /* per body cell (r * nc + c), then per merge's text
                         * (2m, and 2m + 1 continued): where its lines begin
                         * in LINES, or NO_LINES */
} table_plan;

#define NO_LINES UINT32_MAX

/* The first pass's state while it fills pages. */
typedef struct pager {
    const geometry *g;
    table_plan *p;
    cell_lines *cells; /* n_rows * n_columns */
    double *need;      /* per merge, the height its text needs: [2m] first part, [2m+1]
                        * continued (below 0 until merge_need measures it) */
    bool *force;       /* per row: starts a new page (so that a merged cell fits) */
    long *active;      /* per column, the merge open at the current row, or -1 */
    double *part_top;  /* per column, where the open merge's part on this page begins */
    bool *part_cont;   /* per column, whether that part continues from an earlier page */
    int page;
    double y, body_top;
    double *label_h;  /* per column, in the row's continued parts, the height of the
                       * row's label above the column's text (lg_table_is_label), or 0 */
    double *label_of; /* per cell, its label's height once start_label has measured it, else -1:
                       * every retry of paginate splits the same rows */
    size_t row;       /* the row being planned: the first on a page begun now */
    size_t *band_of;  /* per row, the band heading its group (lg_group.band), or
                       * SIZE_MAX; NULL when the table has no bands */
} pager;

static double mm(double v)
{
    return LG_MM_TO_PT(v);
}

static void geometry_init(geometry *g, const lg_template *tpl, lg_layout *l)
{
    g->tpl = tpl;
    g->l = l;
    g->page_w = mm(tpl->page_w_mm);
    g->page_h = mm(tpl->page_h_mm);
    g->left = mm(tpl->margin_left_mm);
    g->usable_w = g->page_w - g->left - mm(tpl->margin_right_mm);
    g->top = mm(tpl->margin_top_mm);
    g->bottom = g->page_h - mm(tpl->margin_bottom_mm);
    g->pad = mm(tpl->padding_mm);
    g->strong = tpl->body_font;
    g->strong.bold = true;
}

/* The font of a body cell. */
static const lg_font *cell_font(const geometry *g, const lg_cell *cell)
{
    return cell->flags & LG_CELL_STRONG ? &g->strong : &g->tpl->body_font;
}

/* Text colour of a body cell: what needs attention (未报送, 否) in dark red,
 * as in the spreadsheet. */
static void set_cell_color(cairo_t *cr, const lg_cell *cell)
{
    if (cell->flags & (LG_CELL_MISSING | LG_CELL_BEHIND))
        cairo_set_source_rgb(cr, 0x9C / 255.0, 0, 0x06 / 255.0);
    else
        cairo_set_source_rgb(cr, 0, 0, 0);
}

/* ---- statuses ------------------------------------------------------------
 *
 * A cell that shows a row's status (LG_CELL_STATUS) is filled with the
 * status's colour and carries the status's mark in its top left corner, a
 * shape that tells the statuses apart on a page printed in black and white;
 * an escalated row's cell is framed in a thick line. A legend shows each
 * colour with its mark and name: under the title, and at the top of the
 * first page of each part that starts a new page. */

#define LEGEND_LABEL "图例："
#define LEGEND_SHARE 0.85 /* the legend's font, of the body font's size */
#define MARK_SHARE 0.75   /* a mark's side, of the body font's size */
#define MARK_INK 0.1      /* grey of the marks and the escalation's frame */
#define ESCALATED_PT 1.5  /* the escalation's frame */
#define MARK_GAP 1.5      /* pt between a mark and the cell's text */
#define TURN 6.283185307179586

static void set_rgb(cairo_t *cr, unsigned rgb)
{
    cairo_set_source_rgb(cr, (rgb >> 16 & 0xFF) / 255.0, (rgb >> 8 & 0xFF) / 255.0,
                         (rgb & 0xFF) / 255.0);
}

/* Status K's mark in the square of side S at X, Y: 已完成 a tick, 未报送 a
 * ring, 逾期 a cross, 滞后 a triangle pointing down, 临期 a hollow diamond,
 * 正常 a dot. */
static void draw_mark(cairo_t *cr, lg_status_kind k, double x, double y, double s)
{
    double cx = x + s / 2, cy = y + s / 2;
    cairo_save(cr);
    cairo_set_source_rgb(cr, MARK_INK, MARK_INK, MARK_INK);
    cairo_set_line_width(cr, s * 0.14);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_new_path(cr);
    switch (k) {
    case LG_STATUS_DONE:
        cairo_move_to(cr, x + 0.1 * s, y + 0.55 * s);
        cairo_line_to(cr, x + 0.4 * s, y + 0.85 * s);
        cairo_line_to(cr, x + 0.9 * s, y + 0.15 * s);
        cairo_stroke(cr);
        break;
    case LG_STATUS_UNREPORTED:
        cairo_arc(cr, cx, cy, 0.4 * s, 0, TURN);
        cairo_stroke(cr);
        break;
    case LG_STATUS_OVERDUE:
        cairo_set_line_width(cr, s * 0.2);
        cairo_move_to(cr, x + 0.15 * s, y + 0.15 * s);
        cairo_line_to(cr, x + 0.85 * s, y + 0.85 * s);
        cairo_move_to(cr, x + 0.85 * s, y + 0.15 * s);
        cairo_line_to(cr, x + 0.15 * s, y + 0.85 * s);
        cairo_stroke(cr);
        break;
    case LG_STATUS_BEHIND:
        cairo_move_to(cr, x + 0.05 * s, y + 0.15 * s);
        cairo_line_to(cr, x + 0.95 * s, y + 0.15 * s);
        cairo_line_to(cr, cx, y + 0.92 * s);
        cairo_close_path(cr);
        cairo_fill(cr);
        break;
    case LG_STATUS_DUE_SOON:
        cairo_move_to(cr, cx, y + 0.05 * s);
        cairo_line_to(cr, x + 0.95 * s, cy);
        cairo_line_to(cr, cx, y + 0.95 * s);
        cairo_line_to(cr, x + 0.05 * s, cy);
        cairo_close_path(cr);
        cairo_stroke(cr);
        break;
    default:
        cairo_arc(cr, cx, cy, 0.3 * s, 0, TURN);
        cairo_fill(cr);
        break;
    }
    cairo_restore(cr);
}

/* The escalation's frame just inside the box at X, Y (W by H). */
static void draw_escalated(cairo_t *cr, double x, double y, double w, double h)
{
    cairo_save(cr);
    cairo_set_source_rgb(cr, MARK_INK, MARK_INK, MARK_INK);
    cairo_set_line_width(cr, ESCALATED_PT);
    cairo_new_path(cr);
    cairo_rectangle(cr, x + ESCALATED_PT / 2, y + ESCALATED_PT / 2, w - ESCALATED_PT,
                    h - ESCALATED_PT);
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* CELL of table T at X, Y (W by H), when it shows a status: filled with the
 * status's colour, its mark beside the first line, framed when escalated. */
static void draw_status(const geometry *g, cairo_t *cr, const lg_table *t, const lg_cell *cell,
                        double x, double y, double w, double h)
{
    lg_status st;
    if (!t->status || !lg_cell_status(cell, &st))
        return;
    set_rgb(cr, t->status->colours[st.kind]);
    cairo_new_path(cr);
    cairo_rectangle(cr, x, y, w, h);
    cairo_fill(cr);
    const lg_font *f = &g->tpl->body_font;
    double side = f->size * MARK_SHARE;
    /* about the middle of the first line (1.3 em: Noto CJK's line is 1.45) */
    draw_mark(cr, st.kind, x + g->pad, y + g->pad + (1.3 * f->size - side) / 2, side);
    if (st.escalated)
        draw_escalated(cr, x, y, w, h);
}

/* Per column of T, the room left of a body cell's text for the marks of
 * the statuses its cells show (draw_status), so that no text runs over a
 * mark: 0 for a column without any. The caller frees. */
static double *status_insets(const geometry *g, const lg_table *t)
{
    double *inset = lg_xcalloc(t->n_columns + 1, sizeof *inset);
    for (size_t r = 0; t->status && r < t->n_rows; r++)
        for (size_t c = 0; c < t->n_columns; c++)
            if (lg_table_cell(t, r, c)->flags & LG_CELL_STATUS)
                inset[c] = g->tpl->body_font.size * MARK_SHARE + MARK_GAP;
    return inset;
}

static lg_font legend_font(const geometry *g)
{
    lg_font f = g->tpl->body_font;
    f.size *= LEGEND_SHARE;
    f.bold = false;
    return f;
}

/* The legend's height with the gap below it; 0 for a table that shows no
 * statuses (or a list, which has no title). */
static double legend_height(const geometry *g, const lg_table *t)
{
    if (!t->status || t->list)
        return 0;
    lg_font f = legend_font(g);
    lg_text_box *b = lg_layout_text(g->l, LEGEND_LABEL, &f, 0, LG_ALIGN_LEFT, false);
    double h = b->height + 0.5 * f.size;
    lg_text_box_free(b);
    return h;
}

/* The legend in one line centred on the page at Y: 图例： then each status's
 * swatch (its colour and mark) and name, then the escalation's frame and
 * name. */
static void draw_legend(const geometry *g, cairo_t *cr, const table_plan *p, double y)
{
    const lg_status_rules *r = p->t->status;
    if (!p->legend_h)
        return;
    enum { N = LG_STATUS_COUNT + 2 }; /* the label, the statuses, the escalation */
    lg_font f = legend_font(g);
    lg_text_box *b[N];
    double w[N], total = 0, sw = 1.8 * f.size, sh = 1.1 * f.size, gap = 0.3 * f.size;
    for (size_t i = 0; i < N; i++) {
        const char *text = i == 0 ? LEGEND_LABEL
                           : i <= LG_STATUS_COUNT ? r->names[i - 1] : r->escalated_name;
        b[i] = lg_layout_text(g->l, text, &f, 0, LG_ALIGN_LEFT, false);
        w[i] = lg_text_box_line_width(b[i], 0);
        total += w[i] + (i ? sw + gap + f.size : 0);
    }
    double x = g->left + (g->usable_w - total) / 2;
    double sy = y + (b[0]->height - sh) / 2;
    for (size_t i = 0; i < N; i++) {
        if (i) {
            cairo_new_path(cr);
            cairo_rectangle(cr, x, sy, sw, sh);
            if (i <= LG_STATUS_COUNT) {
                set_rgb(cr, r->colours[i - 1]);
                cairo_fill_preserve(cr);
            }
            cairo_set_source_rgb(cr, 0, 0, 0);
            cairo_set_line_width(cr, g->tpl->border_pt > 0 ? g->tpl->border_pt : 0.5);
            cairo_stroke(cr);
            double side = 0.7 * sh; /* a mark as in the cells, with room around it */
            if (i <= LG_STATUS_COUNT)
                draw_mark(cr, (lg_status_kind)(i - 1), x + (sw - side) / 2, sy + (sh - side) / 2,
                          side);
            else
                draw_escalated(cr, x, sy, sw, sh);
            x += sw + gap;
        }
        cairo_set_source_rgb(cr, 0, 0, 0);
        lg_text_box_draw(b[i], cr, x, y, 0, b[i]->n_lines);
        x += w[i] + (i ? f.size : 0);
        lg_text_box_free(b[i]);
    }
}

/* Per row of T (and one past the last), whether it begins a part that
 * starts a new page (a group with new_page) other than the table's first. */
static bool *part_starts(const lg_table *t)
{
    bool *starts = lg_xcalloc(t->n_rows + 1, sizeof *starts);
    for (size_t k = 0; k < t->n_groups; k++)
        if (t->groups[k].new_page && t->groups[k].row0 > 0 && t->groups[k].row0 <= t->n_rows)
            starts[t->groups[k].row0] = true;
    return starts;
}

/* ---- internal links ------------------------------------------------------- */

/* The index of target (TABLE, GROUP) in LS, or LS->n when it is not there. */
static size_t link_find(const link_set *ls, const char *table, const char *group)
{
    size_t i = 0;
    while (i < ls->n && (strcmp(ls->table[i], table) != 0 || strcmp(ls->group[i], group) != 0))
        i++;
    return i;
}

/* Adds the targets of T's links to LS, then marks those that are T's groups. */
static void gather_links(link_set *ls, const lg_table *t)
{
    for (size_t k = 0; k < t->n_links; k++) {
        const lg_link *l = &t->links[k];
        if (link_find(ls, l->table, l->group) < ls->n)
            continue;
        if (ls->n == ls->cap) {
            ls->cap = ls->cap ? 2 * ls->cap : 64;
            ls->table = lg_xrealloc(ls->table, ls->cap * sizeof *ls->table);
            ls->group = lg_xrealloc(ls->group, ls->cap * sizeof *ls->group);
            ls->found = lg_xrealloc(ls->found, ls->cap * sizeof *ls->found);
        }
        ls->table[ls->n] = lg_xstrdup(l->table);
        ls->group[ls->n] = lg_xstrdup(l->group);
        ls->found[ls->n++] = false;
    }
    for (size_t k = 0; k < ls->n && t->n_groups; k++)
        if (!ls->found[k] && strcmp(ls->table[k], t->name) == 0)
            for (size_t i = 0; i < t->n_groups && !ls->found[k]; i++)
                ls->found[k] = t->groups[i].row0 < t->n_rows &&
                               strcmp(t->groups[i].label, ls->group[k]) == 0;
}

static void link_set_free(link_set *ls)
{
    for (size_t i = 0; i < ls->n; i++) {
        free(ls->table[i]);
        free(ls->group[i]);
    }
    free(ls->table);
    free(ls->group);
    free(ls->found);
}

/* A destination where a group begins: its first row, and the target's index. */
typedef struct dest_at {
    size_t row, target;
} dest_at;

static int dest_cmp(const void *a, const void *b)
{
    const dest_at *x = a, *y = b;
    return x->row < y->row ? -1 : x->row > y->row ? 1 : x->target < y->target ? -1 : 1;
}

/* The destinations in T that some link leads to, in row order; *N of them.
 * The caller frees. */
static dest_at *dests_of(const link_set *ls, const lg_table *t, size_t *n)
{
    dest_at *d = lg_xmalloc((ls->n + 1) * sizeof *d);
    *n = 0;
    for (size_t k = 0; k < ls->n; k++) {
        if (!ls->found[k] || strcmp(ls->table[k], t->name) != 0)
            continue;
        for (size_t i = 0; i < t->n_groups; i++)
            if (strcmp(t->groups[i].label, ls->group[k]) == 0) {
                d[(*n)++] = (dest_at){t->groups[i].row0, k};
                break;
            }
    }
    qsort(d, *n, sizeof *d, dest_cmp);
    return d;
}

static double cell_chart_height(const geometry *g, const lg_cell_chart *cc, double w);
static void draw_cell_chart(const geometry *g, cairo_t *cr, const lg_cell_chart *cc, double x,
                            double y, double w);

/* ---- measuring ------------------------------------------------------------ */

/* The text of merge M's cell, with （续） when it continues from an earlier page.
 * The caller frees. */
static char *merge_text(const lg_table *t, const lg_merge *m, bool cont)
{
    const char *s = lg_table_cell(t, m->row0, m->col)->text;
    return lg_xasprintf("%s%s", s, cont ? LG_TABLE_CONT_MARK : "");
}

/* The box a cell is drawn from: a body cell of Chinese text from the glyphs
 * measured for it, without shaping (lg_layout_fast), and with the LINES it
 * was measured with, when kept (keep_lines), without breaking it again. */
static lg_text_box *layout_cell(const geometry *g, const table_plan *p, const char *text,
                                size_t col, const lg_font *font, bool header,
                                const uint32_t *lines)
{
    const lg_column *c = &p->t->columns[col];
    double w = p->x[col + 1] - p->x[col] - 2 * g->pad;
    if (header)
        return lg_layout_text(g->l, text, font, w, LG_ALIGN_CENTER, false);
    return lg_layout_fast_again(g->l, text, font, w - p->inset[col], c->align, c->justify,
                                lines);
}

/* The lines of a body cell for planning: the box it is drawn from, which
 * the layout keeps, so that the cell is laid out once. */
static lg_text_box *measure_cell(const geometry *g, const table_plan *p, const char *text,
                                 size_t col, const lg_font *font)
{
    return layout_cell(g, p, text, col, font, false, NULL);
}

/* Keeps the lines of B, measured for the text KEY stands for (see
 * lines_at). */
static void keep_lines(table_plan *p, size_t key, const lg_text_box *b)
{
    if (p->n_lines + b->n_lines + 1 > p->cap_lines) {
        p->cap_lines = 2 * p->cap_lines + b->n_lines + 1024;
        p->lines = lg_xrealloc(p->lines, p->cap_lines * sizeof *p->lines);
    }
    size_t n = lg_text_box_lines(b, p->lines + p->n_lines);
    if (n && p->n_lines < NO_LINES - n) {
        p->lines_at[key] = (uint32_t)p->n_lines;
        p->n_lines += n;
    }
}

/* The lines kept for the text KEY stands for, or NULL. */
static const uint32_t *kept_lines(const table_plan *p, size_t key)
{
    return p->lines_at[key] == NO_LINES ? NULL : p->lines + p->lines_at[key];
}

/* The key of merge M's text, with （续） when CONT (lines_at). */
static size_t merge_key(const table_plan *p, size_t m, bool cont)
{
    return p->t->n_rows * p->nc + 2 * m + cont;
}

/* Where the text of a body cell in column COL begins. */
static double text_left(const geometry *g, const table_plan *p, size_t col)
{
    return p->x[col] + g->pad + p->inset[col];
}

/* ---- bands: a row across the table heading a group (a section) ----------- */

/* The box of band row R's text, with （续） when CONT, across the table:
 * to measure and to draw. The caller frees. */
static lg_text_box *band_box(const geometry *g, const table_plan *p, size_t r, bool cont)
{
    char *text = lg_xasprintf("%s%s", lg_table_cell(p->t, r, 0)->text,
                              cont ? LG_TABLE_CONT_MARK : "");
    double w = p->x[p->nc] - p->x[0] - 2 * g->pad;
    lg_text_box *b = lg_layout_fast(g->l, text, &g->strong, w, LG_ALIGN_LEFT, false);
    free(text);
    return b;
}

/* Per row, the band heading it (the band's own row for itself), or SIZE_MAX;
 * NULL when T has no bands. The caller frees. */
static size_t *bands_of_rows(const lg_table *t)
{
    size_t *of = NULL;
    for (size_t k = 0; k < t->n_groups; k++) {
        const lg_group *gr = &t->groups[k];
        if (!gr->band || gr->row0 > gr->row1 || gr->row1 >= t->n_rows ||
            !lg_table_is_band(t, gr->row0))
            continue;
        if (!of) {
            of = lg_xmalloc((t->n_rows + 1) * sizeof *of);
            for (size_t r = 0; r < t->n_rows; r++)
                of[r] = SIZE_MAX;
        }
        for (size_t r = gr->row0; r <= gr->row1; r++)
            of[r] = gr->row0;
    }
    return of;
}

static void measure_box(cell_lines *cl, const lg_text_box *b, const char *text)
{
    cl->n = b->n_lines;
    cl->empty = !*text;
    cl->line_height = b->line_top[1];
    cl->top = NULL;
    for (size_t k = 0; k <= b->n_lines; k++)
        if (b->line_top[k] != (double)k * cl->line_height) {
            cl->line_height = 0;
            cl->top = lg_xmalloc((b->n_lines + 1) * sizeof *cl->top);
            memcpy(cl->top, b->line_top, (b->n_lines + 1) * sizeof *cl->top);
            break;
        }
}

/* Column edges: left to right from the left margin, centred when narrower
 * than the page. */
static void place_columns(const geometry *g, table_plan *p)
{
    const lg_table *t = p->t;
    p->x = lg_xmalloc((t->n_columns + 1) * sizeof *p->x);
    double sum = 0;
    for (size_t c = 0; c < t->n_columns; c++)
        sum += mm(t->columns[c].width_mm);
    p->x[0] = g->left + (sum < g->usable_w ? (g->usable_w - sum) / 2 : 0);
    for (size_t c = 0; c < t->n_columns; c++)
        p->x[c + 1] = p->x[c] + mm(t->columns[c].width_mm);
}

static lg_text_box *layout_title(const geometry *g, const lg_table *t)
{
    return lg_layout_text(g->l, t->title, &g->tpl->title_font, g->usable_w, LG_ALIGN_CENTER,
                          false);
}

/* Space between the title and the table. */
static double title_gap(const geometry *g)
{
    return g->tpl->title_font.size * 0.5;
}

/* Measures title, header, cells and merged cells of P's table into PG. */
static void measure_table(const geometry *g, pager *pg)
{
    table_plan *p = pg->p;
    const lg_table *t = p->t;
    size_t nc = t->n_columns;

    lg_text_box *b = layout_title(g, t);
    p->legend_h = legend_height(g, t);
    p->title_h = b->height + title_gap(g) + p->legend_h;
    lg_text_box_free(b);

    p->header_h = 0;
    p->header = lg_xcalloc(nc + 1, sizeof *p->header);
    for (size_t c = 0; c < nc; c++) {
        b = p->header[c] =
            layout_cell(g, p, t->columns[c].header, c, &g->tpl->header_font, true, NULL);
        if (b->height + 2 * g->pad > p->header_h)
            p->header_h = b->height + 2 * g->pad;
    }

    p->cover = lg_table_merge_cover(t);
    size_t keys = t->n_rows * nc + 2 * t->n_merges;
    p->lines_at = lg_xmalloc((keys + 1) * sizeof *p->lines_at);
    memset(p->lines_at, 0xff, (keys + 1) * sizeof *p->lines_at); /* NO_LINES */
    pg->need = lg_xcalloc(2 * t->n_merges + 1, sizeof *pg->need);
    for (size_t m = 0; m < t->n_merges; m++) {
        const lg_merge *mg = &t->merges[m];
        lg_textstore_tick(t->texts, m); /* give back the texts read */
        char *s = merge_text(t, mg, false);
        b = measure_cell(g, p, s, mg->col, &g->tpl->body_font);
        pg->need[2 * m] = b->height + 2 * g->pad;
        pg->need[2 * m + 1] = -1;
        keep_lines(p, merge_key(p, m, false), b);
        lg_text_box_free(b);
        free(s);
    }

    pg->cells = lg_xcalloc(t->n_rows * nc + 1, sizeof *pg->cells);
    for (size_t r = 0; r < t->n_rows; r++)
        for (size_t c = 0; c < nc; c++) {
            if (p->cover[r * nc + c])
                continue; /* drawn as its merge */
            lg_textstore_tick(t->texts, r * nc + c); /* give back the texts read */
            const lg_cell *cell = lg_table_cell(t, r, c);
            const char *text = cell->text;
            if (cell->flags & LG_CELL_BAND) { /* all of it in its first cell */
                b = band_box(g, p, r, false);
                measure_box(&pg->cells[r * nc], b, text);
                lg_text_box_free(b);
                break;
            }
            b = measure_cell(g, p, text, c, cell_font(g, cell));
            measure_box(&pg->cells[r * nc + c], b, text);
            keep_lines(p, r * nc + c, b);
            lg_text_box_free(b);
        }
    const lg_cell_chart *cc = t->cell_chart;
    if (cc && cc->row < t->n_rows && cc->col < nc && !p->cover[cc->row * nc + cc->col]) {
        /* one line as tall as the chart: never split over pages */
        cell_lines *cl = &pg->cells[cc->row * nc + cc->col];
        free(cl->top);
        double w = p->x[cc->col + 1] - p->x[cc->col];
        *cl = (cell_lines){1, cell_chart_height(g, cc, w) - 2 * g->pad, NULL, false};
    }
}

/* ---- planning pages ------------------------------------------------------- */

static void start_page(pager *pg, bool first_of_table)
{
    if (!first_of_table)
        pg->page++;
    pg->body_top = pg->g->top + (first_of_table ? pg->p->title_h : 0) + pg->p->header_h;
    pg->y = pg->body_top;
}

/* Adds slice S to the plan. */
static void push_slice(table_plan *p, slice s)
{
    if (p->n_slices == p->cap_slices) {
        p->cap_slices = p->cap_slices ? 2 * p->cap_slices : 64;
        p->slices = lg_xrealloc(p->slices, p->cap_slices * sizeof *p->slices);
    }
    p->slices[p->n_slices++] = s;
}

/* Adds to the plan the slice of row ROW from line FIRST to line END of each
 * cell (ALL: the cells' line counts). */
static void add_slice(pager *pg, size_t row, double h, const size_t *first, const size_t *end,
                      const size_t *all, bool cont)
{
    table_plan *p = pg->p;
    size_t nc = p->t->n_columns;
    bool whole = true;
    for (size_t c = 0; c < nc; c++)
        whole &= first[c] == 0 && end[c] == all[c];
    size_t part = WHOLE;
    if (!whole) {
        if (p->n_parts == p->cap_parts) {
            p->cap_parts = p->cap_parts ? 2 * p->cap_parts : 16;
            p->first = lg_xrealloc(p->first, p->cap_parts * nc * sizeof *p->first);
            p->end = lg_xrealloc(p->end, p->cap_parts * nc * sizeof *p->end);
        }
        part = p->n_parts++;
        memcpy(&p->first[part * nc], first, nc * sizeof *first);
        memcpy(&p->end[part * nc], end, nc * sizeof *end);
    }
    push_slice(p, (slice){row, part, pg->page, pg->y, h, cont});
    pg->y += h;
}

/* Whether band row R, the last planned, would end its page alone: the row
 * after it goes to the next page whole. Then a break is forced before the
 * band, which goes with it, and true returned (plan again). */
static bool lone_band(pager *pg, size_t r)
{
    const table_plan *p = pg->p;
    if (r == 0 || !lg_table_is_band(p->t, r - 1) || pg->force[r - 1] || !p->n_slices)
        return false;
    const slice *prev = &p->slices[p->n_slices - 1];
    if (prev->row != r - 1 || prev->cont || prev->y <= pg->body_top + EPS)
        return false; /* a band heading a page keeps it */
    pg->force[r - 1] = true;
    return true;
}

/* After band row R is planned: a band atop its page heads it as the header
 * row does, so that the rows below it begin the page (a row too tall for
 * what is left below it is split, not moved to a page of its own). */
static void band_placed(pager *pg, size_t r)
{
    const table_plan *p = pg->p;
    const slice *s = &p->slices[p->n_slices - 1];
    if (s->row == r && s->y <= pg->body_top + EPS)
        pg->body_top = s->y + s->h;
}

/* On a page just begun inside a group with a band: the band again, with
 * （续）, atop the rows; the page's rows begin below it. */
static void repeat_band(pager *pg)
{
    size_t b = pg->band_of ? pg->band_of[pg->row] : SIZE_MAX;
    if (b == SIZE_MAX || b == pg->row)
        return;
    lg_text_box *box = band_box(pg->g, pg->p, b, true);
    double h = box->height + 2 * pg->g->pad;
    lg_text_box_free(box);
    push_slice(pg->p, (slice){b, WHOLE, pg->page, pg->y, h, true});
    pg->y += h;
    pg->body_top = pg->y;
}

/* The height merge M's text needs, with （续） when CONT. The continued text
 * is measured when first asked for: most merges never continue on another
 * page, and each text laid out for nothing would take room in the layout
 * cache from the rows to draw. */
static double merge_need(pager *pg, size_t m, bool cont)
{
    double *need = &pg->need[2 * m + cont];
    if (*need < 0) {
        table_plan *p = pg->p;
        char *s = merge_text(p->t, &p->t->merges[m], cont);
        lg_text_box *b = measure_cell(pg->g, p, s, p->t->merges[m].col, &pg->g->tpl->body_font);
        *need = b->height + 2 * pg->g->pad;
        keep_lines(p, merge_key(p, m, cont), b);
        lg_text_box_free(b);
        free(s);
    }
    return *need;
}

/* Ends the page at BREAK_Y; NEXT_ROW is the first row whose content goes on
 * the next page. A merged cell open across the break must have room for its
 * text on this page: when it has not, and the part did not begin at the top
 * of the page, a break is forced before its first row and false returned, so
 * that the caller plans the table again. */
static bool break_page(pager *pg, size_t next_row, double break_y)
{
    const lg_table *t = pg->p->t;
    for (size_t c = 0; c < t->n_columns; c++) {
        long m = pg->active[c];
        if (m < 0 || t->merges[m].row0 >= next_row)
            continue; /* none, or it begins on the next page */
        double need = merge_need(pg, (size_t)m, pg->part_cont[c]);
        if (break_y - pg->part_top[c] + EPS < need && pg->part_top[c] > pg->body_top + EPS) {
            pg->force[t->merges[m].row0] = true;
            return false;
        }
    }
    start_page(pg, false);
    repeat_band(pg);
    for (size_t c = 0; c < t->n_columns; c++) {
        long m = pg->active[c];
        if (m < 0)
            continue;
        pg->part_top[c] = pg->y;
        pg->part_cont[c] = t->merges[m].row0 < next_row;
    }
    return true;
}

/* The height row R needs from line FIRST of each cell on: its remaining text,
 * and the room a merged cell ending at R needs for its text on this page. */
static double row_need(pager *pg, size_t r, const size_t *first)
{
    const lg_table *t = pg->p->t;
    size_t nc = t->n_columns;
    double content = 0;
    for (size_t c = 0; c < nc; c++) {
        const cell_lines *cl = &pg->cells[r * nc + c];
        double h = cl->n && first[c] < cl->n ? line_top(cl, cl->n) - line_top(cl, first[c]) : 0;
        h += pg->label_h[c];
        if (h > content)
            content = h;
    }
    double need = content + 2 * pg->g->pad;
    for (size_t c = 0; c < nc; c++) {
        long m = pg->active[c];
        if (m >= 0 && t->merges[m].row1 == r) {
            double merged = merge_need(pg, (size_t)m, pg->part_cont[c]) - (pg->y - pg->part_top[c]);
            if (merged > need)
                need = merged;
        }
    }
    return need;
}

/* How many lines of each cell of row R fit in HEIGHT pt of text from line
 * FIRST on: into END. Returns false when some cell with text could not place
 * a single line. */
static bool fit_lines(const pager *pg, size_t r, const size_t *first, double height,
                      size_t *end)
{
    size_t nc = pg->p->t->n_columns;
    bool every = true;
    for (size_t c = 0; c < nc; c++) {
        const cell_lines *cl = &pg->cells[r * nc + c];
        size_t k = first[c];
        double room = height - pg->label_h[c];
        while (k < cl->n && line_top(cl, k + 1) - line_top(cl, first[c]) <= room + EPS)
            k++;
        if (cl->empty)
            k = cl->n; /* nothing to carry over */
        if (k == first[c] && first[c] < cl->n)
            every = false;
        end[c] = k;
    }
    return every;
}

static bool all_done(const pager *pg, size_t r, const size_t *end)
{
    size_t nc = pg->p->t->n_columns;
    for (size_t c = 0; c < nc; c++)
        if (end[c] < pg->cells[r * nc + c].n)
            return false;
    return true;
}

/* Row R's continued parts from now on show its label: where, and how tall. */
static void start_label(pager *pg, size_t r)
{
    const lg_table *t = pg->p->t;
    size_t nc = t->n_columns;
    for (size_t c = 0; c < nc; c++) {
        double *h = &pg->label_of[r * nc + c];
        if (*h < 0) {
            *h = 0;
            if (lg_table_is_label(t, pg->p->cover, r, c)) {
                char *label = lg_table_continued_label(t, r, c);
                lg_text_box *b = measure_cell(pg->g, pg->p, label, c, &pg->g->tpl->body_font);
                *h = b->height;
                lg_text_box_free(b);
                free(label);
            }
        }
        pg->label_h[c] = *h;
    }
}

/* The most lines any cell of row R has from FIRST to END (END NULL: to its end). */
static size_t part_lines(const pager *pg, size_t r, const size_t *first, const size_t *end)
{
    size_t nc = pg->p->t->n_columns, most = 0;
    for (size_t c = 0; c < nc; c++) {
        const cell_lines *cl = &pg->cells[r * nc + c];
        size_t to = end ? end[c] : cl->n;
        if (!cl->empty && to > first[c] && to - first[c] > most)
            most = to - first[c];
    }
    return most;
}

/* Whether row R, which does not fit in what is left of the page, goes whole
 * to the next page rather than being split at END: a short row (the
 * template's short-row setting) and a row of which a single line would stay
 * on this page, always; a row that fits on a page of its own when a split
 * would carry a single line to the next page. */
static bool keep_whole(const pager *pg, size_t r, const size_t *first, const size_t *end,
                       double need)
{
    size_t before = part_lines(pg, r, first, end), after = part_lines(pg, r, end, NULL);
    if (part_lines(pg, r, first, NULL) <= pg->g->tpl->short_row_lines || before < 2)
        return true;
    double page_room = pg->g->bottom - (pg->g->top + pg->p->header_h);
    return after < 2 && need <= page_room + EPS;
}

/* No one-line widow: when a split at END would carry a single line of the
 * row to the next page, each cell left with one line there gives it a second
 * one, if it keeps two on this page. */
static void keep_two_lines(const pager *pg, size_t r, const size_t *first, size_t *end)
{
    size_t nc = pg->p->t->n_columns;
    if (part_lines(pg, r, end, NULL) != 1)
        return;
    for (size_t c = 0; c < nc; c++) {
        const cell_lines *cl = &pg->cells[r * nc + c];
        if (!cl->empty && cl->n - end[c] == 1 && end[c] - first[c] >= 3)
            end[c]--;
    }
}

/* Whether row R is the table's total row (bold, last) about to begin a page
 * alone: then a break is forced before the row above it, so that the two go
 * together, and true returned (plan again). */
static bool lone_total(pager *pg, size_t r)
{
    const table_plan *p = pg->p;
    const lg_table *t = p->t;
    if (r == 0 || r + 1 != t->n_rows || !(lg_table_cell(t, r, 0)->flags & LG_CELL_STRONG) ||
        pg->force[r - 1] || !p->n_slices)
        return false;
    const slice *prev = &p->slices[p->n_slices - 1];
    if (prev->row != r - 1 || prev->cont || prev->y <= pg->body_top + EPS)
        return false; /* the row above began on an earlier page or at this one's top */
    pg->force[r - 1] = true;
    return true;
}

/* Plans the table's pages. False when a break had to be forced before some
 * row: plan again. */
static bool paginate(pager *pg, size_t *first, size_t *end, size_t *all)
{
    table_plan *p = pg->p;
    const lg_table *t = p->t;
    size_t nc = t->n_columns;
    const double pad2 = 2 * pg->g->pad;

    p->n_slices = p->n_parts = 0;
    pg->page = p->first_page;
    start_page(pg, true);
    for (size_t c = 0; c < nc; c++)
        pg->active[c] = -1;

    for (size_t r = 0; r < t->n_rows; r++) {
        pg->row = r;
        if (pg->force[r] && pg->y > pg->body_top + EPS &&
            (lone_band(pg, r) || !break_page(pg, r, pg->y)))
            return false;
        if (pg->force[r] && p->legend_h && p->part_start[r]) {
            /* room for the legend above the header (see draw_table) */
            pg->y += p->legend_h;
            pg->body_top = pg->y;
        }
        for (size_t c = 0; c < nc; c++) {
            long m = (long)p->cover[r * nc + c] - 1;
            if (m >= 0 && t->merges[m].row0 == r) {
                pg->active[c] = m;
                pg->part_top[c] = pg->y;
                pg->part_cont[c] = false;
            }
            first[c] = 0;
            all[c] = pg->cells[r * nc + c].n;
        }
        memset(pg->label_h, 0, nc * sizeof *pg->label_h);
        bool cont = false;
        for (;;) {
            double avail = pg->g->bottom - pg->y;
            double need = row_need(pg, r, first);
            bool at_top = pg->y <= pg->body_top + EPS;
            if (need <= avail + EPS) {
                add_slice(pg, r, need, first, all, all, cont);
                break;
            }
            bool every = fit_lines(pg, r, first, avail - pad2, end);
            bool done = all_done(pg, r, end);
            if (!at_top && (!every || done || keep_whole(pg, r, first, end, need) ||
                            lg_table_is_band(t, r))) {
                /* Not a line of some cell fits, only a merged cell's text
                 * does not, or the row is not to be split: the whole row goes
                 * to the next page. */
                if (lone_total(pg, r) || lone_band(pg, r) || !break_page(pg, r, pg->y))
                    return false;
                continue;
            }
            if (done) {
                /* At the top of a page and still too tall: a merged text
                 * longer than a page. Fill the page; nothing better exists. */
                add_slice(pg, r, avail, first, all, all, cont);
                break;
            }
            if (!every) /* a line taller than a page: place one anyway */
                for (size_t c = 0; c < nc; c++)
                    if (end[c] == first[c] && first[c] < pg->cells[r * nc + c].n)
                        end[c]++;
            keep_two_lines(pg, r, first, end);
            add_slice(pg, r, avail, first, end, all, cont);
            memcpy(first, end, nc * sizeof *first);
            if (!cont)
                start_label(pg, r);
            cont = true;
            if (!break_page(pg, r + 1, pg->g->bottom))
                return false;
        }
        for (size_t c = 0; c < nc; c++)
            if (pg->active[c] >= 0 && t->merges[pg->active[c]].row1 == r)
                pg->active[c] = -1;
        if (lg_table_is_band(t, r))
            band_placed(pg, r);
    }
    p->n_pages = pg->page - p->first_page + 1;
    return true;
}

static int chart_pages(const geometry *g, const lg_table *t);

/* The first pass for table T, whose first page is FIRST_PAGE. */
static void plan_table(const geometry *g, const lg_table *t, int first_page, table_plan *p)
{
    size_t nc = t->n_columns;
    memset(p, 0, sizeof *p);
    p->t = t;
    p->nc = t->n_columns;
    p->first_page = first_page;
    place_columns(g, p);
    p->inset = status_insets(g, t);
    p->part_start = part_starts(t);

    pager pg = {.g = g, .p = p};
    measure_table(g, &pg);
    pg.force = lg_xcalloc(t->n_rows + 1, sizeof *pg.force);
    pg.band_of = bands_of_rows(t);
    pg.label_h = lg_xcalloc(nc + 1, sizeof *pg.label_h);
    pg.label_of = lg_xmalloc((t->n_rows * nc + 1) * sizeof *pg.label_of);
    for (size_t k = 0; k <= t->n_rows * nc; k++)
        pg.label_of[k] = -1;
    for (size_t k = 0; k < t->n_groups; k++)
        if (t->groups[k].new_page && t->groups[k].row0 < t->n_rows)
            pg.force[t->groups[k].row0] = true;
    pg.active = lg_xmalloc((nc + 1) * sizeof *pg.active);
    pg.part_top = lg_xcalloc(nc + 1, sizeof *pg.part_top);
    pg.part_cont = lg_xcalloc(nc + 1, sizeof *pg.part_cont);
    size_t *first = lg_xcalloc(3 * nc + 1, sizeof *first);
    /* Each retry forces one more break, before a row not forced yet. */
    while (!paginate(&pg, first, first + nc, first + 2 * nc))
        ;
    if (t->chart && t->chart->row1 < t->n_rows && t->chart->row0 <= t->chart->row1) {
        p->chart_page = first_page + p->n_pages;
        p->chart_pages = chart_pages(g, t);
        p->n_pages += p->chart_pages;
    }
    free(first);
    for (size_t i = 0; i < t->n_rows * nc; i++)
        free(pg.cells[i].top);
    free(pg.cells);
    free(pg.need);
    free(pg.force);
    free(pg.band_of);
    free(pg.label_of);
    free(pg.label_h);
    free(pg.active);
    free(pg.part_top);
    free(pg.part_cont);
}

static void plan_free(table_plan *p)
{
    for (size_t c = 0; p->header && c < p->nc; c++)
        lg_text_box_free(p->header[c]);
    free(p->header);
    free(p->x);
    free(p->inset);
    free(p->cover);
    free(p->part_start);
    free(p->slices);
    free(p->first);
    free(p->end);
    free(p->lines);
    free(p->lines_at);
    memset(p, 0, sizeof *p); /* freed: freeing it again does nothing */
}

/* ---- drawing -------------------------------------------------------------- */

static void stroke_cell(const geometry *g, cairo_t *cr, double x, double y, double w, double h)
{
    (void)cr;
    borders *b = g->borders;
    if (g->tpl->border_pt <= 0)
        return;
    if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 256;
        b->r = lg_xrealloc(b->r, 4 * b->cap * sizeof *b->r);
    }
    double *r = &b->r[4 * b->n++];
    r[0] = x, r[1] = y, r[2] = w, r[3] = h;
}

/* A side of a cell: on the line AT (a y for a horizontal side, an x for a
 * vertical one), from FROM to TO along it. */
typedef struct side {
    double at, from, to;
} side;

static int side_order(const void *a, const void *b)
{
    const side *s = a, *t = b;
    if (s->at != t->at)
        return s->at < t->at ? -1 : 1;
    if (s->from != t->from)
        return s->from < t->from ? -1 : 1;
    return (s->to > t->to) - (s->to < t->to);
}

/* Adds to the path the N sides S (sorted here), those on one line that
 * overlap or touch as one line: horizontal ones when ACROSS. */
static void add_lines(cairo_t *cr, side *s, size_t n, bool across)
{
    qsort(s, n, sizeof *s, side_order);
    for (size_t i = 0; i < n;) {
        double at = s[i].at, from = s[i].from, to = s[i].to;
        size_t j = i + 1;
        for (; j < n && s[j].at - at < EPS && s[j].from <= to + EPS; j++)
            to = fmax(to, s[j].to);
        cairo_move_to(cr, across ? from : at, across ? at : from);
        cairo_line_to(cr, across ? to : at, across ? at : to);
        i = j;
    }
}

/* Strokes the page's cell borders. Neighbouring cells share sides, and a
 * row of cells shares its top and bottom lines: each line is drawn once,
 * with square ends, which cover the corners as a rectangle's mitred ones
 * do (the same pixels; a long table's file was a tenth smaller). */
static void stroke_borders(const geometry *g, cairo_t *cr)
{
    borders *b = g->borders;
    if (!b->n)
        return;
    side *h = lg_xmalloc(2 * b->n * sizeof *h), *v = lg_xmalloc(2 * b->n * sizeof *v);
    for (size_t i = 0; i < b->n; i++) {
        const double *r = &b->r[4 * i];
        double x0 = fmin(r[0], r[0] + r[2]), x1 = fmax(r[0], r[0] + r[2]);
        double y0 = fmin(r[1], r[1] + r[3]), y1 = fmax(r[1], r[1] + r[3]);
        h[2 * i] = (side){y0, x0, x1};
        h[2 * i + 1] = (side){y1, x0, x1};
        v[2 * i] = (side){x0, y0, y1};
        v[2 * i + 1] = (side){x1, y0, y1};
    }
    cairo_new_path(cr);
    add_lines(cr, h, 2 * b->n, true);
    add_lines(cr, v, 2 * b->n, false);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, g->tpl->border_pt);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_SQUARE);
    cairo_stroke(cr);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    free(h);
    free(v);
    b->n = 0;
}

/* The boxes of one row, kept while its slices are drawn. */
typedef struct row_boxes {
    size_t row;
    lg_text_box **box; /* n_columns; NULL for merged cells */
} row_boxes;

static void row_boxes_clear(row_boxes *rb, size_t nc)
{
    for (size_t c = 0; c < nc; c++) {
        lg_text_box_free(rb->box[c]);
        rb->box[c] = NULL;
    }
    rb->row = (size_t)-1;
}

static void draw_header(const geometry *g, cairo_t *cr, const table_plan *p, double y)
{
    const lg_table *t = p->t;
    for (size_t c = 0; c < t->n_columns; c++) {
        double w = p->x[c + 1] - p->x[c];
        const lg_text_box *b = p->header[c];
        stroke_cell(g, cr, p->x[c], y, w, p->header_h);
        lg_text_box_draw(b, cr, p->x[c] + g->pad, y + (p->header_h - b->height) / 2, 0,
                         b->n_lines);
    }
}

/* Draws merge M's part on this page, which begins at slice I: its text
 * centred in the part, with （续） when the merge began on an earlier page. */
static void draw_merge(const geometry *g, cairo_t *cr, const table_plan *p, size_t i, long m)
{
    const lg_table *t = p->t;
    const lg_merge *mg = &t->merges[m];
    const slice *s = &p->slices[i];
    double bottom = s->y;
    for (size_t j = i; j < p->n_slices && p->slices[j].page == s->page &&
                       p->slices[j].row <= mg->row1; j++)
        bottom = p->slices[j].y + p->slices[j].h;
    bool cont = s->row > mg->row0 || s->cont;
    char *text = merge_text(t, mg, cont);
    lg_text_box *b = layout_cell(g, p, text, mg->col, &g->tpl->body_font, false,
                                 kept_lines(p, merge_key(p, (size_t)m, cont)));
    double x = p->x[mg->col], w = p->x[mg->col + 1] - x, h = bottom - s->y;
    double off = (h - b->height) / 2;
    stroke_cell(g, cr, x, s->y, w, h);
    lg_text_box_draw(b, cr, text_left(g, p, mg->col), s->y + (off > g->pad ? off : g->pad), 0,
                     b->n_lines);
    lg_text_box_free(b);
    free(text);
}

/* Draws band slice S: one cell across the table. */
static void draw_band(const geometry *g, cairo_t *cr, const table_plan *p, const slice *s)
{
    double x = p->x[0], w = p->x[p->nc] - x;
    lg_text_box *b = band_box(g, p, s->row, s->cont);
    stroke_cell(g, cr, x, s->y, w, s->h);
    cairo_set_source_rgb(cr, 0, 0, 0);
    lg_text_box_draw(b, cr, x + g->pad, s->y + g->pad, 0, b->n_lines);
    lg_text_box_free(b);
}

/* Draws slice I cell by cell, left to right, so that text extracts in
 * reading order. */
static void draw_slice(const geometry *g, cairo_t *cr, const table_plan *p, size_t i,
                       row_boxes *rb)
{
    const lg_table *t = p->t;
    size_t nc = t->n_columns;
    const slice *s = &p->slices[i];
    if (lg_table_is_band(t, s->row)) {
        draw_band(g, cr, p, s);
        return;
    }
    if (rb->row != s->row) {
        row_boxes_clear(rb, nc);
        rb->row = s->row;
    }
    for (size_t c = 0; c < nc; c++) {
        long m = (long)p->cover[s->row * nc + c] - 1;
        if (m >= 0) {
            /* Drawn once per page, at the first of its rows there. */
            const slice *prev = i > 0 ? &p->slices[i - 1] : NULL;
            if (!prev || prev->page != s->page || prev->row < t->merges[m].row0)
                draw_merge(g, cr, p, i, m);
            continue;
        }
        const lg_cell *cell = lg_table_cell(t, s->row, c);
        const lg_cell_chart *cc = t->cell_chart;
        if (cc && cc->row == s->row && cc->col == c) {
            stroke_cell(g, cr, p->x[c], s->y, p->x[c + 1] - p->x[c], s->h);
            draw_cell_chart(g, cr, cc, p->x[c], s->y, p->x[c + 1] - p->x[c]);
            continue;
        }
        if (!rb->box[c])
            rb->box[c] = layout_cell(g, p, cell->text, c, cell_font(g, cell), false,
                                     kept_lines(p, s->row * nc + c));
        stroke_cell(g, cr, p->x[c], s->y, p->x[c + 1] - p->x[c], s->h);
        draw_status(g, cr, t, cell, p->x[c], s->y, p->x[c + 1] - p->x[c], s->h);
        /* a link: the whole cell leads to its target */
        const lg_link *lk = t->n_links ? lg_table_link_at(t, s->row, c) : NULL;
        size_t target = lk ? link_find(g->links, lk->table, lk->group) : 0;
        bool linked = lk && target < g->links->n && g->links->found[target];
        if (linked) {
            char attrs[128];
            snprintf(attrs, sizeof attrs, "rect=[%.2f %.2f %.2f %.2f] dest='lk%zu'", p->x[c], s->y,
                     p->x[c + 1] - p->x[c], s->h, target);
            cairo_tag_begin(cr, CAIRO_TAG_LINK, attrs);
        }
        set_cell_color(cr, cell);
        size_t from = s->part == WHOLE ? 0 : p->first[s->part * nc + c];
        size_t to = s->part == WHOLE ? rb->box[c]->n_lines : p->end[s->part * nc + c];
        double y = s->y + g->pad;
        if (s->cont && lg_table_is_label(t, p->cover, s->row, c)) {
            /* whose text continues here: the row's label again, above the rest */
            char *label = lg_table_continued_label(t, s->row, c);
            lg_text_box *b = layout_cell(g, p, label, c, &g->tpl->body_font, false, NULL);
            lg_text_box_draw(b, cr, text_left(g, p, c), y, 0, b->n_lines);
            y += b->height;
            lg_text_box_free(b);
            free(label);
        }
        if (from < to)
            lg_text_box_draw(rb->box[c], cr, text_left(g, p, c), y, from, to);
        if (linked)
            cairo_tag_end(cr, CAIRO_TAG_LINK);
        cairo_set_source_rgb(cr, 0, 0, 0);
    }
}

/* The page number in the bottom margin, as the template's footer says, and
 * whose page it is (OWNER, or NULL: see lg_table.owner) on the other side. */
static void draw_footer(const geometry *g, cairo_t *cr, const lg_table *t, int page, int pages,
                        const char *owner)
{
    char num[16], total[16];
    snprintf(num, sizeof num, "%d", page);
    snprintf(total, sizeof total, "%d", pages);
    char *text = lg_format_fields(g->tpl->footer_format, t->title, 0, 0, num, total);
    const lg_font *font = &g->tpl->footer_font;
    double x = g->left, w = g->usable_w;
    lg_align align = LG_ALIGN_CENTER;
    if (g->tpl->footer_style == LG_FOOTER_GBT9704) {
        /* GB/T 9704: odd pages right, even pages left, one character in. */
        align = page % 2 ? LG_ALIGN_RIGHT : LG_ALIGN_LEFT;
        x += font->size;
        w -= 2 * font->size;
    }
    lg_text_box *b = lg_layout_text(g->l, text, font, w, align, false);
    double margin = g->page_h - g->bottom;
    lg_text_box_draw(b, cr, x, g->bottom + (margin - b->height) / 2, 0, b->n_lines);
    lg_text_box_free(b);
    free(text);
    if (owner && *owner) {
        /* left of a centred number, else opposite it; a third of the width */
        b = lg_layout_text(g->l, owner, font, w / 3,
                           align == LG_ALIGN_LEFT ? LG_ALIGN_RIGHT : LG_ALIGN_LEFT, false);
        lg_text_box_draw(b, cr, align == LG_ALIGN_LEFT ? x + w - w / 3 : x,
                         g->bottom + (margin - b->height) / 2, 0, b->n_lines);
        lg_text_box_free(b);
    }
}

/* The template's continued-mark (续表) in the top margin above a table's
 * later pages, on the right, in the header's font. */
static void draw_continued(const geometry *g, cairo_t *cr)
{
    lg_text_box *b = lg_layout_text(g->l, g->tpl->continued_mark, &g->tpl->header_font,
                                    g->usable_w, LG_ALIGN_RIGHT, false);
    lg_text_box_draw(b, cr, g->left, g->top - b->height - g->pad, 0, b->n_lines);
    lg_text_box_free(b);
}

/* ---- the chart ------------------------------------------------------------ */

static void draw_text(const geometry *g, cairo_t *cr, const char *text, const lg_font *font,
                      double x, double y, double w, lg_align align)
{
    lg_text_box *b = lg_layout_text(g->l, text, font, w, align, false);
    lg_text_box_draw(b, cr, x, y - b->height / 2, 0, b->n_lines);
    lg_text_box_free(b);
}

/* The table's chart on a page of its own, as the spreadsheet shows it: one
 * horizontal bar per row, top to bottom in the table's order, on a 0–100 %
 * scale with grid lines every 20 %. */
#define CHART_SCALE_H 16        /* pt: the row of percentages under the bars */
#define CHART_GRID_STEPS 5      /* grid lines at 0, 20, ... 100 % */
#define CHART_FONT_SHARE 0.9    /* of the body font, for labels and values */
#define CHART_MIN_FONT_PT 7     /* however many bars: more go on more pages */
#define CHART_SLOT_FONT 0.7     /* the font at most this share of a bar's slot */
#define CHART_BAR_INSET 0.15    /* of a slot, above the bar */
#define CHART_BAR_SHARE 0.7     /* of a slot: the bar's thickness */
#define CHART_LABEL_MAX 3       /* labels take at most 1/3 of the page's width */
#define CHART_VALUE_EMS 4       /* room right of the 100 % line for a value */
#define CHART_PCT_W 40          /* pt: a percentage's box, centred on its line */
#define CHART_VALUE_GAP 2       /* pt between a bar and its value */
#define CHART_LINE_W 0.4        /* pt: grid lines and the axis */
#define CHART_GRID_GREY 0.75
#define CHART_BAR_RGB 0.27, 0.45, 0.70

/* The line chart (lg_chart.line): months along the bottom, 0–100 % up the
 * left with grid lines every 20 %, a line per row in a colour of its own
 * (hues around the circle), and a legend of the rows' labels on the right,
 * in columns when they do not fit in one. */
#define LINE_LEGEND_SHARE 0.3   /* of the page's width, at most, for the legend */
#define LINE_W 1.2              /* pt */
#define LINE_MARK 1.6           /* pt: the radius of a value's dot */
#define LINE_KEY_W 14           /* pt: the line beside a label in the legend */

static void line_colour(cairo_t *cr, size_t i, size_t n)
{
    double h = 6.0 * (double)i / (double)(n ? n : 1), x = 1 - fabs(fmod(h, 2) - 1);
    double rgb[6][3] = {{1, x, 0}, {x, 1, 0}, {0, 1, x}, {0, x, 1}, {x, 0, 1}, {1, 0, x}};
    const double *c = rgb[(int)h % 6];
    /* darkened: light hues on white paper are hard to see */
    cairo_set_source_rgb(cr, c[0] * 0.75, c[1] * 0.75, c[2] * 0.75);
}

static void draw_line_chart(const geometry *g, cairo_t *cr, const table_plan *p, double top)
{
    const lg_table *t = p->t;
    const lg_chart *ch = t->chart;
    size_t n = ch->row1 - ch->row0 + 1, m = ch->value_col1 - ch->value_col + 1;
    double bottom = g->bottom - CHART_SCALE_H;
    lg_font font = g->tpl->body_font;
    font.size *= CHART_FONT_SHARE;

    /* the legend: as many columns as the rows need at a readable size */
    double line_h = font.size * 1.4, label_w = 0;
    for (size_t r = ch->row0; r <= ch->row1; r++) {
        lg_text_box *b = lg_layout_text(g->l, lg_table_cell(t, r, ch->label_col)->text, &font,
                                        0, LG_ALIGN_LEFT, false);
        label_w = fmax(label_w, lg_text_box_line_width(b, 0));
        lg_text_box_free(b);
    }
    size_t per_col = (size_t)fmax(1, floor((bottom - top) / line_h));
    size_t cols = (n + per_col - 1) / per_col;
    double col_w = LINE_KEY_W + 4 + label_w + font.size;
    double legend_w = fmin(col_w * (double)cols, g->usable_w * LINE_LEGEND_SHARE);
    col_w = legend_w / (double)cols;

    double x0 = g->left + 4 * font.size, x1 = g->left + g->usable_w - legend_w - font.size;
    cairo_set_line_width(cr, CHART_LINE_W);
    for (int k = 0; k <= CHART_GRID_STEPS; k++) {
        double y = bottom - (bottom - top) * k / (double)CHART_GRID_STEPS;
        cairo_set_source_rgb(cr, CHART_GRID_GREY, CHART_GRID_GREY, CHART_GRID_GREY);
        cairo_move_to(cr, x0, y);
        cairo_line_to(cr, x1, y);
        cairo_stroke(cr);
        char pct[8];
        snprintf(pct, sizeof pct, "%d%%", k * (100 / CHART_GRID_STEPS));
        cairo_set_source_rgb(cr, 0, 0, 0);
        draw_text(g, cr, pct, &font, g->left, y, 3.5 * font.size, LG_ALIGN_RIGHT);
    }
    double step = (x1 - x0) / (double)m;
    for (size_t k = 0; k < m; k++)
        draw_text(g, cr, t->columns[ch->value_col + k].header, &font, x0 + step * (double)k,
                  bottom + CHART_SCALE_H / 2, step, LG_ALIGN_CENTER);
    for (size_t r = ch->row0; r <= ch->row1; r++) {
        size_t i = r - ch->row0;
        line_colour(cr, i, n);
        cairo_set_line_width(cr, LINE_W);
        bool drawing = false;
        for (size_t k = 0; k < m; k++) {
            const lg_cell *v = lg_table_cell(t, r, ch->value_col + k);
            if (!(v->flags & LG_CELL_NUMBER)) { /* a gap */
                drawing = false;
                continue;
            }
            double x = x0 + step * ((double)k + 0.5);
            double y = bottom - (bottom - top) * fmin(fmax(lg_table_value(t, v), 0), 1);
            if (drawing)
                cairo_line_to(cr, x, y);
            else
                cairo_move_to(cr, x, y);
            drawing = true;
        }
        cairo_stroke(cr);
        for (size_t k = 0; k < m; k++) {
            const lg_cell *v = lg_table_cell(t, r, ch->value_col + k);
            if (!(v->flags & LG_CELL_NUMBER))
                continue;
            cairo_arc(cr, x0 + step * ((double)k + 0.5),
                      bottom - (bottom - top) * fmin(fmax(lg_table_value(t, v), 0), 1),
                      LINE_MARK, 0, 2 * G_PI);
            cairo_fill(cr);
        }
        /* its key in the legend */
        double lx = x1 + font.size + col_w * (double)(i / per_col);
        double ly = top + line_h * ((double)(i % per_col) + 0.5);
        cairo_move_to(cr, lx, ly);
        cairo_line_to(cr, lx + LINE_KEY_W, ly);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        draw_text(g, cr, lg_table_cell(t, r, ch->label_col)->text, &font, lx + LINE_KEY_W + 4,
                  ly, col_w - LINE_KEY_W - 4, LG_ALIGN_LEFT);
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, CHART_LINE_W);
    cairo_move_to(cr, x0, top);
    cairo_line_to(cr, x0, bottom);
    cairo_line_to(cr, x1, bottom);
    cairo_stroke(cr);
}

/* The top of a chart below its title CH->title. */
static double chart_top(const geometry *g, const lg_chart *ch)
{
    lg_text_box *tb = lg_layout_text(g->l, ch->title, &g->tpl->title_font, g->usable_w,
                                     LG_ALIGN_CENTER, false);
    double top = g->top + tb->height + title_gap(g);
    lg_text_box_free(tb);
    return top;
}

/* The pages the chart of T takes: a line chart one, a bar chart as many as
 * its bars need for labels of at least CHART_MIN_FONT_PT (issue 14), the
 * bars shared evenly among them. */
static int chart_pages(const geometry *g, const lg_table *t)
{
    const lg_chart *ch = t->chart;
    if (ch->line)
        return 1;
    double room = g->bottom - CHART_SCALE_H - chart_top(g, ch);
    double fit = floor(room / (CHART_MIN_FONT_PT / CHART_SLOT_FONT));
    size_t per_page = fit < 1 ? 1 : (size_t)fit, n = ch->row1 - ch->row0 + 1;
    return (int)((n + per_page - 1) / per_page);
}

/* Page PART (from 0) of P's chart. */
static void draw_chart(const geometry *g, cairo_t *cr, const table_plan *p, int part)
{
    const lg_table *t = p->t;
    const lg_chart *ch = t->chart;
    size_t n = ch->row1 - ch->row0 + 1;

    lg_text_box *tb = lg_layout_text(g->l, ch->title, &g->tpl->title_font, g->usable_w,
                                     LG_ALIGN_CENTER, false);
    cairo_set_source_rgb(cr, 0, 0, 0);
    lg_text_box_draw(tb, cr, g->left, g->top, 0, tb->n_lines);
    lg_text_box_free(tb);
    double top = chart_top(g, ch);
    if (ch->line) {
        draw_line_chart(g, cr, p, top);
        return;
    }

    /* this page's bars, in slots as tall on every page */
    size_t per_page = (n + (size_t)p->chart_pages - 1) / (size_t)p->chart_pages;
    size_t row0 = ch->row0 + (size_t)part * per_page;
    size_t row1 = row0 + per_page - 1 < ch->row1 ? row0 + per_page - 1 : ch->row1;
    double scale_h = CHART_SCALE_H, bottom = g->bottom - scale_h;
    double slot = (bottom - top) / (double)per_page;
    lg_font font = g->tpl->body_font;
    font.size =
        fmin(font.size * CHART_FONT_SHARE, fmax(slot * CHART_SLOT_FONT, CHART_MIN_FONT_PT));

    /* labels as wide as the widest, at most a third of the page */
    double label_w = 0;
    for (size_t r = ch->row0; r <= ch->row1; r++) {
        lg_text_box *b = lg_layout_text(g->l, lg_table_cell(t, r, ch->label_col)->text, &font,
                                        0, LG_ALIGN_LEFT, false);
        label_w = fmax(label_w, lg_text_box_line_width(b, 0));
        lg_text_box_free(b);
    }
    label_w = fmin(label_w, g->usable_w / CHART_LABEL_MAX);
    double x0 = g->left + label_w + font.size, x1 = g->left + g->usable_w - CHART_VALUE_EMS * font.size;

    cairo_set_line_width(cr, CHART_LINE_W);
    for (int k = 0; k <= CHART_GRID_STEPS; k++) {
        double x = x0 + (x1 - x0) * k / (double)CHART_GRID_STEPS;
        cairo_set_source_rgb(cr, CHART_GRID_GREY, CHART_GRID_GREY, CHART_GRID_GREY);
        cairo_move_to(cr, x, top);
        cairo_line_to(cr, x, bottom);
        cairo_stroke(cr);
        char pct[8];
        snprintf(pct, sizeof pct, "%d%%", k * (100 / CHART_GRID_STEPS));
        cairo_set_source_rgb(cr, 0, 0, 0);
        draw_text(g, cr, pct, &font, x - CHART_PCT_W / 2, bottom + scale_h / 2, CHART_PCT_W,
                  LG_ALIGN_CENTER);
    }
    for (size_t r = row0; r <= row1; r++) {
        double y = top + slot * (double)(r - row0);
        const lg_cell *v = lg_table_cell(t, r, ch->value_col);
        double ratio = fmin(fmax(lg_table_value(t, v), 0), 1);
        cairo_set_source_rgb(cr, CHART_BAR_RGB);
        cairo_rectangle(cr, x0, y + slot * CHART_BAR_INSET, (x1 - x0) * ratio,
                        slot * CHART_BAR_SHARE);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        draw_text(g, cr, lg_table_cell(t, r, ch->label_col)->text, &font, g->left, y + slot / 2,
                  label_w, LG_ALIGN_RIGHT);
        draw_text(g, cr, v->text, &font, x0 + (x1 - x0) * ratio + CHART_VALUE_GAP, y + slot / 2,
                  CHART_VALUE_EMS * font.size, LG_ALIGN_LEFT);
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_move_to(cr, x0, top);
    cairo_line_to(cr, x0, bottom);
    cairo_stroke(cr);
}

/* ---- a chart in a cell (lg_cell_chart) ------------------------------------ */

/* The bars in columns, each a rank and label, a bar and its value, at the
 * smallest size a chart has (CHART_MIN_FONT_PT): as many columns as the
 * widest label leaves room for a bar of CELL_BAR_MIN pt, so that the 60
 * units of a city take a third of a landscape A4 page. */
#define CELL_SLOT_PT 8.5   /* a bar's slot: its label and the gap to the next */
#define CELL_BAR_MIN 45    /* pt: the shortest a full bar (100%) may be */
#define CELL_GAP 6         /* pt between the columns and around the label */

typedef struct bar_grid {
    lg_font font;
    size_t cols, per_col;
    double label_w, col_w;
} bar_grid;

static double text_width(const geometry *g, const char *text, const lg_font *font)
{
    lg_text_box *b = lg_layout_text(g->l, text, font, 0, LG_ALIGN_LEFT, false);
    double w = lg_text_box_line_width(b, 0);
    lg_text_box_free(b);
    return w;
}

/* Bar I's label: its rank and CC's label. The caller frees. */
static char *bar_label(const lg_cell_chart *cc, size_t i)
{
    return lg_xasprintf("%zu  %s", cc->ranks ? cc->ranks[i] : i + 1, cc->labels[i]);
}

/* The grid of CC's bars in W pt of width. */
static bar_grid bar_grid_of(const geometry *g, const lg_cell_chart *cc, double w)
{
    bar_grid bg = {.font = g->tpl->body_font};
    bg.font.size = CHART_MIN_FONT_PT;
    bg.font.bold = false;
    for (size_t i = 0; i < cc->n; i++) {
        char *label = bar_label(cc, i);
        bg.label_w = fmax(bg.label_w, text_width(g, label, &bg.font) + 1);
        free(label);
    }
    double value_w = text_width(g, "100.0%", &bg.font) + CELL_GAP;
    double need = bg.label_w + CELL_GAP + CELL_BAR_MIN + value_w + CELL_GAP;
    bg.cols = need < w ? (size_t)floor(w / need) : 1;
    if (bg.cols > cc->n)
        bg.cols = cc->n ? cc->n : 1;
    bg.per_col = (cc->n + bg.cols - 1) / bg.cols;
    bg.col_w = w / (double)bg.cols;
    return bg;
}

/* The height CC takes in a cell W pt wide, padding included. */
static double cell_chart_height(const geometry *g, const lg_cell_chart *cc, double w)
{
    bar_grid bg = bar_grid_of(g, cc, w - 2 * g->pad);
    return (double)bg.per_col * CELL_SLOT_PT + 2 * g->pad;
}

/* CC in the cell at (X, Y), W wide: in columns, top to bottom and then left
 * to right, each bar's rank and label (right-aligned), bar on a 0-100 % scale
 * with grid lines every 20 %, and value. */
static void draw_cell_chart(const geometry *g, cairo_t *cr, const lg_cell_chart *cc, double x,
                            double y, double w)
{
    bar_grid bg = bar_grid_of(g, cc, w - 2 * g->pad);
    double value_w = text_width(g, "100.0%", &bg.font) + CELL_GAP;
    y += g->pad;
    for (size_t k = 0; k < bg.cols; k++) {
        double cx = x + g->pad + bg.col_w * (double)k;
        double x0 = cx + bg.label_w + CELL_GAP, x1 = cx + bg.col_w - value_w - CELL_GAP;
        size_t i0 = k * bg.per_col, i1 = i0 + bg.per_col < cc->n ? i0 + bg.per_col : cc->n;
        if (i0 >= i1)
            break;
        double bottom = y + CELL_SLOT_PT * (double)(i1 - i0);
        cairo_set_line_width(cr, CHART_LINE_W);
        cairo_set_source_rgb(cr, CHART_GRID_GREY, CHART_GRID_GREY, CHART_GRID_GREY);
        for (int s = 0; s <= CHART_GRID_STEPS; s++) {
            double gx = x0 + (x1 - x0) * s / (double)CHART_GRID_STEPS;
            cairo_move_to(cr, gx, y);
            cairo_line_to(cr, gx, bottom);
        }
        cairo_stroke(cr);
        for (size_t i = i0; i < i1; i++) {
            double sy = y + CELL_SLOT_PT * (double)(i - i0), mid = sy + CELL_SLOT_PT / 2;
            double ratio = fmin(fmax(cc->values[i], 0), 1);
            cairo_set_source_rgb(cr, CHART_BAR_RGB);
            cairo_rectangle(cr, x0, sy + CELL_SLOT_PT * CHART_BAR_INSET, (x1 - x0) * ratio,
                            CELL_SLOT_PT * CHART_BAR_SHARE);
            cairo_fill(cr);
            cairo_set_source_rgb(cr, 0, 0, 0);
            char *label = bar_label(cc, i), num[32];
            draw_text(g, cr, label, &bg.font, cx, mid, bg.label_w, LG_ALIGN_RIGHT);
            free(label);
            snprintf(num, sizeof num, "%.1f%%", 100 * cc->values[i]);
            draw_text(g, cr, num, &bg.font, x0 + (x1 - x0) * ratio + CHART_VALUE_GAP, mid,
                      value_w, LG_ALIGN_LEFT);
        }
        cairo_move_to(cr, x0, y);
        cairo_line_to(cr, x0, bottom);
        cairo_stroke(cr);
    }
}

/* Bookmarks: the table, and under it each group at the page where it begins. */
/* A bookmark shows the start of a long label (a task's text): at most
 * OUTLINE_CHARS characters, then "…". */
#define OUTLINE_CHARS 28
/* Bookmarks of groups nest this deep under the table's (lg_group.level). */
#define OUTLINE_LEVELS 4

/* LABEL shortened for a bookmark, into BUF (OUTLINE_CHARS * 4 + 4 bytes). */
static const char *outline_title(const char *label, char *buf)
{
    const char *end = label;
    for (int i = 0; i < OUTLINE_CHARS && *end; i++)
        end = g_utf8_next_char(end);
    if (!*end)
        return label;
    snprintf(buf, OUTLINE_CHARS * 4 + 4, "%.*s…", (int)(end - label), label);
    return buf;
}

static void add_outline(cairo_surface_t *s, const table_plan *p)
{
    const lg_table *t = p->t;
    char attrs[64];
    snprintf(attrs, sizeof attrs, "page=%d pos=[0 0]", p->first_page);
    int id = cairo_pdf_surface_add_outline(s, CAIRO_PDF_OUTLINE_ROOT, t->name, attrs,
                                           CAIRO_PDF_OUTLINE_FLAG_OPEN);
    /* parent[L]: the bookmark a group of level L goes under */
    int parent[OUTLINE_LEVELS + 1];
    for (size_t l = 0; l <= OUTLINE_LEVELS; l++)
        parent[l] = id;
    size_t i = 0;
    for (size_t k = 0; k < t->n_groups; k++) {
        if (k > 0 && t->groups[k].row0 < t->groups[k - 1].row0)
            i = 0; /* groups usually come in row order: then one walk finds all */
        while (i < p->n_slices && p->slices[i].row < t->groups[k].row0)
            i++;
        if (i == p->n_slices)
            continue;
        snprintf(attrs, sizeof attrs, "page=%d pos=[0 %ld]", p->slices[i].page,
                 lround(p->slices[i].y));
        char title[OUTLINE_CHARS * 4 + 4];
        unsigned level = t->groups[k].level;
        if (level >= OUTLINE_LEVELS)
            level = OUTLINE_LEVELS - 1;
        int gid = cairo_pdf_surface_add_outline(s, parent[level],
                                                outline_title(t->groups[k].label, title), attrs, 0);
        parent[level + 1] = gid;
    }
    if (p->chart_page) {
        snprintf(attrs, sizeof attrs, "page=%d pos=[0 0]", p->chart_page);
        cairo_pdf_surface_add_outline(s, id, t->chart->title, attrs, 0);
    }
}

static void draw_table(const geometry *g, cairo_t *cr, cairo_surface_t *s, const table_plan *p,
                       int pages)
{
    const lg_table *t = p->t;
    add_outline(s, p);
    row_boxes rb = {.row = (size_t)-1, .box = lg_xcalloc(t->n_columns + 1, sizeof *rb.box)};
    size_t i = 0, n_dests, next_dest = 0, next_group = 0;
    dest_at *dests = dests_of(g->links, t, &n_dests);
    const char *owner = t->owner; /* of the page: the table's, or its part's */
    for (int page = p->first_page; page < p->first_page + p->n_pages; page++) {
        cairo_set_source_rgb(cr, 0, 0, 0);
        if (p->chart_page && page >= p->chart_page) {
            draw_chart(g, cr, p, page - p->chart_page);
            draw_footer(g, cr, t, page, pages, t->owner);
            cairo_show_page(cr);
            continue;
        }
        for (; i < p->n_slices && next_group < t->n_groups &&
               t->groups[next_group].row0 <= p->slices[i].row;
             next_group++)
            if (t->groups[next_group].new_page)
                owner = t->groups[next_group].label;
        double y = g->top;
        if (page == p->first_page) {
            lg_text_box *b = layout_title(g, t);
            lg_text_box_draw(b, cr, g->left, y, 0, b->n_lines);
            draw_legend(g, cr, p, y + b->height + title_gap(g));
            lg_text_box_free(b);
            y += p->title_h;
        } else {
            if (g->tpl->continued_mark)
                draw_continued(g, cr);
            if (i < p->n_slices && p->slices[i].page == page && !p->slices[i].cont &&
                p->legend_h && p->part_start[p->slices[i].row]) {
                draw_legend(g, cr, p, y); /* the first page of a part (see paginate) */
                y += p->legend_h;
            }
        }
        draw_header(g, cr, p, y);
        for (; i < p->n_slices && p->slices[i].page == page; i++) {
            /* where a group that a link leads to begins, as its bookmark */
            for (; next_dest < n_dests && dests[next_dest].row <= p->slices[i].row; next_dest++) {
                char attrs[64];
                snprintf(attrs, sizeof attrs, "name='lk%zu' x=0 y=%ld", dests[next_dest].target,
                         lround(p->slices[i].y));
                cairo_tag_begin(cr, CAIRO_TAG_DEST, attrs);
                cairo_tag_end(cr, CAIRO_TAG_DEST);
            }
            draw_slice(g, cr, p, i, &rb);
        }
        stroke_borders(g, cr);
        draw_footer(g, cr, t, page, pages, owner);
        cairo_show_page(cr);
        lg_textstore_tick(t->texts, (size_t)(page - p->first_page)); /* give back the texts */
    }
    row_boxes_clear(&rb, t->n_columns);
    free(rb.box);
    free(dests);
}

/* Document properties. Dates in the ISO 8601 form cairo 1.16 converts into a
 * PDF date; a fixed INFO->created makes the file byte-identical between runs. */
static void set_metadata(cairo_surface_t *s, const lg_doc_info *info)
{
    const struct {
        cairo_pdf_metadata_t key;
        const char *value;
    } items[] = {
        {CAIRO_PDF_METADATA_TITLE, info->title},
        {CAIRO_PDF_METADATA_AUTHOR, info->author},
        {CAIRO_PDF_METADATA_SUBJECT, info->subject},
        {CAIRO_PDF_METADATA_KEYWORDS, info->keywords},
        {CAIRO_PDF_METADATA_CREATOR, info->creator},
    };
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++)
        if (items[i].value)
            cairo_pdf_surface_set_metadata(s, items[i].key, items[i].value);
    struct tm tm;
    char date[32];
    time_t created = info->created;
    if (gmtime_r(&created, &tm) && strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date);
    }
}

/* Cairo's own file output does not report a write that fails when the file
 * is closed (a full disk shows then): the PDF goes through this stream, which
 * keeps the first failure's errno. It tells Cairo nothing: Cairo 1.16, told
 * of a write error while it finishes a PDF, fails an assertion
 * (cairo-array.c) and aborts; the rest of the file is dropped instead, and
 * the error reported when the surface is done. */
typedef struct pdf_out {
    FILE *f;
    int err;
} pdf_out;

static cairo_status_t pdf_write(void *ctx, const unsigned char *data, unsigned int n)
{
    pdf_out *o = ctx;
    if (!o->err && fwrite(data, 1, n, o->f) != n)
        o->err = errno ? errno : EIO;
    return CAIRO_STATUS_SUCCESS;
}

bool lg_render_pdf_source(const lg_table_source *src, const lg_template *tpl, lg_layout *l,
                          const lg_doc_info *info, const char *path, lg_diags *d)
{
    geometry g;
    borders page_borders = {0};
    link_set links = {0};
    geometry_init(&g, tpl, l);
    g.borders = &page_borders;
    g.links = &links;

    /* Pass 1 for every table, since each footer needs the page count. */
    size_t n = src->n;
    table_plan *plans = lg_xcalloc(n + 1, sizeof *plans);
    int pages = 0;
    for (size_t i = 0; i < n; i++) {
        lg_arena *a = lg_arena_new();
        const lg_table *t = src->make(src->ctx, i, a);
        gather_links(&links, t);
        plan_table(&g, t, pages + 1, &plans[i]);
        plans[i].t = NULL; /* made again to be drawn */
        lg_arena_free(a);
        pages += plans[i].n_pages;
    }

    pdf_out out = {.f = fopen(path, "wb")};
    if (!out.f) {
        int err = errno;
        char *dir = lg_folder_of(path);
        lg_write_failed(d, dir, err);
        free(dir);
        for (size_t i = 0; i < n; i++)
            plan_free(&plans[i]);
        free(plans);
        free(page_borders.r);
        link_set_free(&links);
        return false;
    }
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(pdf_write, &out, g.page_w, g.page_h);
    cairo_status_t st = cairo_surface_status(s);
    if (st == CAIRO_STATUS_SUCCESS) {
        set_metadata(s, info);
        cairo_t *cr = cairo_create(s);
        /* Cairo 1.16 writes the structure element of a link only inside a
         * structure tree: without one, the file refers to objects it never
         * writes (qpdf --check: "object not found"). */
        if (links.n)
            cairo_tag_begin(cr, "Document", "");
        /* A plan and its table are freed once the table is drawn: the font
         * subsets made at the finish take memory of their own. */
        for (size_t i = 0; i < n && cairo_status(cr) == CAIRO_STATUS_SUCCESS; i++) {
            lg_arena *a = lg_arena_new();
            plans[i].t = src->make(src->ctx, i, a);
            draw_table(&g, cr, s, &plans[i], pages);
            plan_free(&plans[i]);
            lg_arena_free(a);
        }
        if (links.n)
            cairo_tag_end(cr, "Document");
        st = cairo_status(cr);
        cairo_destroy(cr);
        cairo_surface_finish(s);
        if (st == CAIRO_STATUS_SUCCESS)
            st = cairo_surface_status(s);
    }
    cairo_surface_destroy(s);

    for (size_t i = 0; i < n; i++)
        plan_free(&plans[i]);
    free(plans);
    free(page_borders.r);
    link_set_free(&links);
    if (fclose(out.f) != 0 && !out.err)
        out.err = errno;
    if (out.err) {
        char *dir = lg_folder_of(path);
        lg_write_failed(d, dir, out.err);
        free(dir);
        return false;
    }
    if (st != CAIRO_STATUS_SUCCESS) {
        lg_diags_add(d, LG_ERROR, "pdf-write", path, 0, "cannot write the PDF %s: %s", path,
                     cairo_status_to_string(st));
        return false;
    }
    return true;
}

bool lg_render_pdf(const lg_table *const *tables, size_t n, const lg_template *tpl,
                   lg_layout *l, const lg_doc_info *info, const char *path, lg_diags *d)
{
    lg_table_source src = lg_table_source_of(tables, n);
    return lg_render_pdf_source(&src, tpl, l, info, path, d);
}
