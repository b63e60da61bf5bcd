/* Lower bound (i) of the benchmark: Pango lays out each cell once and Cairo
 * writes it, no table logic.
 *
 *   lb_pango TEMPLATE VIEW CORPUS PERIOD OUT.pdf
 *
 * Reads the corpus (lb_corpus.c), and for each row of the by-task ledger lays
 * out each cell's text with Pango at its column's width less the cell padding
 * on both sides (the columns of the template's VIEW, or of "unit" when it has
 * none: the same widths), with the column's alignment and justification, in
 * the body font at 72 dpi with hint metrics off as src/layout.c sets it up,
 * and draws it on a Cairo PDF surface. A page is shown whenever the next row
 * would go past the bottom margin. No borders, title, header, footer, merges,
 * 避头尾 relayout, split rows or second pass: whatever ledgerc spends on top of
 * this is its table logic.
 *
 * Prints "rows N pages P" on stdout. */
#include <stdio.h>
#include <stdlib.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "lb_corpus.h"

#define MM_PT (72.0 / 25.4)

typedef struct state {
    const lb_template *tpl;
    cairo_t *cr;
    PangoLayout *col[16]; /* one layout per column, reused with set_text */
    double x[17];         /* column edges */
    double pad, top, bottom, y;
    size_t pages;
} state;

static void row(const char *const *cells, void *ctx)
{
    state *s = ctx;
    const lb_template *tpl = s->tpl;
    double h = 0;
    for (size_t c = 0; c < tpl->n_columns; c++) {
        int f = tpl->columns[c].field;
        pango_layout_set_text(s->col[c], f >= 0 ? cells[f] : "", -1);
        int w, ch;
        pango_layout_get_size(s->col[c], &w, &ch); /* the layout happens here, once */
        if (ch > h)
            h = ch;
    }
    h = h / PANGO_SCALE + 2 * s->pad;
    if (s->y + h > s->bottom && s->y > s->top) {
        cairo_show_page(s->cr);
        s->pages++;
        s->y = s->top;
    }
    for (size_t c = 0; c < tpl->n_columns; c++) {
        cairo_move_to(s->cr, s->x[c] + s->pad, s->y + s->pad);
        pango_cairo_show_layout(s->cr, s->col[c]);
    }
    s->y += h;
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fputs("usage: lb_pango TEMPLATE VIEW CORPUS-DIR PERIOD OUT.pdf\n", stderr);
        return 2;
    }
    lb_template tpl;
    lb_template_load(&tpl, argv[1], argv[2]);
    lb_corpus *corpus = lb_corpus_load(argv[3], argv[4]);

    double page_w = tpl.page_w_mm * MM_PT, page_h = tpl.page_h_mm * MM_PT;
    cairo_surface_t *surface = cairo_pdf_surface_create(argv[5], page_w, page_h);
    cairo_t *cr = cairo_create(surface);

    PangoFontMap *fontmap = pango_cairo_font_map_new();
    PangoContext *ctx = pango_font_map_create_context(fontmap);
    pango_cairo_context_set_resolution(ctx, 72);
    cairo_font_options_t *opts = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(opts, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(opts, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(ctx, opts);
    cairo_font_options_destroy(opts);
    pango_context_set_round_glyph_positions(ctx, FALSE);

    PangoFontDescription *font = pango_font_description_new();
    pango_font_description_set_family(font, tpl.body_family);
    pango_font_description_set_size(font, (int)(tpl.body_size_pt * PANGO_SCALE + 0.5));

    state s = {.tpl = &tpl, .cr = cr, .pad = tpl.padding_mm * MM_PT, .pages = 1};
    s.top = tpl.margin_top_mm * MM_PT;
    s.bottom = page_h - tpl.margin_bottom_mm * MM_PT;
    s.y = s.top;
    s.x[0] = tpl.margin_left_mm * MM_PT;
    for (size_t c = 0; c < tpl.n_columns; c++) {
        const lb_column *col = &tpl.columns[c];
        s.x[c + 1] = s.x[c] + col->width_mm * MM_PT;
        PangoLayout *l = pango_layout_new(ctx);
        pango_layout_set_font_description(l, font);
        pango_layout_set_width(l, (int)((col->width_mm * MM_PT - 2 * s.pad) * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
        pango_layout_set_alignment(l, col->align == 1   ? PANGO_ALIGN_CENTER
                                      : col->align == 2 ? PANGO_ALIGN_RIGHT
                                                        : PANGO_ALIGN_LEFT);
        pango_layout_set_justify(l, col->justify);
        s.col[c] = l;
    }

    size_t rows = lb_corpus_rows(corpus, row, &s);
    cairo_show_page(cr);

    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_status_t st = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    for (size_t c = 0; c < tpl.n_columns; c++)
        g_object_unref(s.col[c]);
    pango_font_description_free(font);
    g_object_unref(ctx);
    g_object_unref(fontmap);
    lb_corpus_free(corpus);
    if (st != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "lb_pango: %s: %s\n", argv[5], cairo_status_to_string(st));
        return 1;
    }
    printf("rows %zu pages %zu\n", rows, s.pages);
    return 0;
}
