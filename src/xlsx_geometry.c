/* Excel's row geometry: how tall a row must be for its laid-out text, and how
 * a cell too tall for one row (or too long for one cell) continues on extra
 * rows. No libxlsxwriter here: the numbers are Excel's. */
#include "xlsx_geometry.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "arena.h"
#include "utf8.h"

/* Excel and LibreOffice keep about 2–3 px between a cell's text and its
 * borders: the text is laid out as if the padding were at least that. */
#define MIN_PAD_PT (3 * LG_XLSX_PX_PT)

/* Safety margins against differences between Pango and the spreadsheet's own
 * text engine: glyph advances rounded to device pixels (a 10 pt CJK glyph is
 * 13.33 px; GDI and LibreOffice may draw it at 14), other line-breaking rules,
 * and line heights rounded to pixels. The text is laid out narrower than the
 * cell so that the spreadsheet never needs more lines than computed; each
 * line gets a pixel more, for a renderer that rounds line heights up to whole
 * pixels, and each row a little more still. */
#define WIDTH_SAFETY 0.95
#define HEIGHT_EXTRA_PT 1.5

static double pad_pt(const lg_template *tpl)
{
    double p = LG_MM_TO_PT(tpl->padding_mm);
    return p > MIN_PAD_PT ? p : MIN_PAD_PT;
}

uint32_t lg_xlsx_col_px(double width_mm)
{
    long px = lround(width_mm / 25.4 * 96.0);
    return px < 1 ? 1 : (uint32_t)px;
}

double lg_xlsx_text_width(const lg_template *tpl, double width_mm)
{
    double w = lg_xlsx_col_px(width_mm) * LG_XLSX_PX_PT - 2 * pad_pt(tpl);
    return (w > 1 ? w : 1) * WIDTH_SAFETY;
}

double lg_xlsx_row_height(const lg_template *tpl, double text_height, size_t n_lines)
{
    double h = text_height + n_lines * LG_XLSX_PX_PT + HEIGHT_EXTRA_PT + 2 * pad_pt(tpl);
    return ceil(h / LG_XLSX_PX_PT - 1e-9) * LG_XLSX_PX_PT;
}

void lg_xlsx_count_text(const char *s, size_t n, size_t *units, size_t *lfs)
{
    *units = *lfs = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!lg_utf8_is_cont(c)) /* a character's first byte */
            *units += c >= 0xF0 ? 2 : 1;
        *lfs += c == '\n';
    }
}

void lg_xlsx_rows_push(lg_xlsx_rows *r, double h)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 8;
        r->h = lg_xrealloc(r->h, r->cap * sizeof *r->h);
    }
    r->h[r->n++] = h;
}

void lg_xlsx_rows_fit(lg_xlsx_rows *r, size_t from, double prev, double need)
{
    double have = prev;
    for (size_t i = from; i < r->n; i++)
        have += r->h[i];
    double deficit = need - have;
    for (size_t i = r->n; i-- > from && deficit > 1e-9;) {
        double add = fmin(LG_XLSX_MAX_ROW_PT - r->h[i], deficit);
        if (add > 0) {
            r->h[i] += add;
            deficit -= add;
        }
    }
    while (deficit > 1e-9) {
        double h = fmin(ceil(deficit / LG_XLSX_PX_PT - 1e-9) * LG_XLSX_PX_PT, LG_XLSX_MAX_ROW_PT);
        lg_xlsx_rows_push(r, h);
        deficit -= h;
    }
}

bool lg_xlsx_split_box(const lg_template *tpl, lg_text_box *box, const char *text, lg_xlsx_split *s)
{
    const size_t *ls = box->line_start;
    s->box = box;
    s->cut = lg_xmalloc((box->n_lines + 1) * sizeof *s->cut);
    s->n = 0;
    size_t first = 0, units = 0, lfs = 0;
    for (size_t i = 0; i < box->n_lines; i++) {
        size_t u, f;
        lg_xlsx_count_text(text + ls[i], ls[i + 1] - ls[i], &u, &f);
        if (u > LG_XLSX_MAX_CELL_UNITS || f > LG_XLSX_MAX_CELL_LF + 1)
            return false;
        bool fits = lg_xlsx_row_height(tpl, box->line_top[i + 1] - box->line_top[first],
                                       i + 1 - first) <= LG_XLSX_MAX_ROW_PT &&
                    units + u <= LG_XLSX_MAX_CELL_UNITS && lfs + f <= LG_XLSX_MAX_CELL_LF + 1;
        if (i == first || fits) {
            /* The first line of a chunk always goes in. A chunk's slice drops
             * its trailing line feed, hence one more line feed is allowed. */
            units += u;
            lfs += f;
            continue;
        }
        s->cut[s->n++] = first;
        first = i;
        units = u;
        lfs = f;
    }
    s->cut[s->n++] = first;
    s->cut[s->n] = box->n_lines;
    return true;
}

double lg_xlsx_chunk_height(const lg_template *tpl, const lg_xlsx_split *s, size_t i)
{
    size_t a = s->cut[i], b = s->cut[i + 1];
    return lg_xlsx_row_height(tpl, s->box->line_top[b] - s->box->line_top[a], b - a);
}
