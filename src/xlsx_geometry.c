/* Excel's row geometry: how tall a row must be for its laid-out text, and how
 * a cell too tall for one row (or too long for one cell) continues on extra
 * rows. No libxlsxwriter here: the numbers are Excel's. */
#include "xlsx_geometry.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

/* libxlsxwriter (1.1.4) stores P pixels as P / 7 digits; Excel draws W
 * digits as floor((256W + floor(128 / d)) / 256 * d) px for its digit d
 * (Microsoft's formula, quoted with the OOXML column width), here
 * round(P * d / 7). */
uint32_t lg_xlsx_lxw_px(uint32_t px)
{
    long p = lround((double)px * 7.0 / LG_XLSX_DIGIT_PX);
    return p < 1 ? 1 : (uint32_t)p;
}

/* How much of the printable width the columns may take. */
#define PRINT_WIDTH_SAFETY 0.985

double lg_xlsx_column_scale(const lg_template *tpl, const lg_column *cols, size_t n)
{
    double total = 0;
    for (size_t c = 0; c < n; c++)
        total += cols[c].width_mm;
    double room = (tpl->page_w_mm - tpl->margin_left_mm - tpl->margin_right_mm) *
                  PRINT_WIDTH_SAFETY;
    return total > room && total > 0 ? room / total : 1;
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

double lg_xlsx_line_pt(const lg_font *f)
{
    double size = f && f->size > 0 ? f->size : 10.0;
    return ceil(size * 96.0 / 72.0 - 1e-9) * LG_XLSX_PX_PT;
}

double lg_xlsx_lines_height(const lg_template *tpl, const lg_font *f, size_t n_lines)
{
    return lg_xlsx_row_height(tpl, (double)n_lines * lg_xlsx_line_pt(f), n_lines);
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

/* Whether the character at P ends a sentence (SENTENCE) or a clause. */
static bool ends_at(const char *p, size_t n, bool sentence)
{
    static const char *const sentence_ends[] = {"。", "；", "！", "？", "!", "?", ";"};
    static const char *const clause_ends[] = {"，", "、", "：", ",", ":"};
    const char *const *set = sentence ? sentence_ends : clause_ends;
    size_t k = sentence ? sizeof sentence_ends / sizeof *sentence_ends
                        : sizeof clause_ends / sizeof *clause_ends;
    for (size_t i = 0; i < k; i++)
        if (strlen(set[i]) == n && memcmp(p, set[i], n) == 0)
            return true;
    return false;
}

/* Whether the character at P closes a quote or bracket: it stays with the
 * sentence end before it. */
static bool closes(const char *p, size_t n)
{
    static const char *const closers[] = {"”", "’", "」", "』", "）", "》", "〉", "】", ")", "\""};
    for (size_t i = 0; i < sizeof closers / sizeof *closers; i++)
        if (strlen(closers[i]) == n && memcmp(p, closers[i], n) == 0)
            return true;
    return false;
}

/* Where in TEXT[FROM..LIMIT) the first part ends, as a byte offset: after the
 * last sentence end (with its closing marks) or before the last line feed at
 * or before LIMIT, else after the last clause end, else LIMIT (*AT_LINE set
 * true). Never FROM. */
static size_t part_end(const char *text, size_t from, size_t limit, bool *at_line)
{
    size_t sentence = 0, clause = 0;
    for (size_t i = from; i < limit;) {
        size_t n = lg_utf8_char_len(text + i);
        if (text[i] == '\n') {
            if (i > from)
                sentence = i;
        } else if (ends_at(text + i, n, true) || ends_at(text + i, n, false)) {
            bool full = ends_at(text + i, n, true);
            size_t e = i + n;
            while (e < limit && closes(text + e, lg_utf8_char_len(text + e)))
                e += lg_utf8_char_len(text + e);
            if (e <= limit) {
                if (full)
                    sentence = e;
                else
                    clause = e;
            }
        }
        i += n;
    }
    *at_line = !sentence && !clause;
    return sentence ? sentence : clause ? clause : limit;
}

/* Of BOX laid out from TEXT, the byte offset after the most lines that fit
 * a row MAX_H tall and one cell (at least one line); false when one line is
 * longer than a cell holds. */
static bool row_limit(const lg_template *tpl, const lg_font *font, const lg_text_box *box,
                      const char *text, double max_h, size_t *limit)
{
    const size_t *ls = box->line_start;
    size_t units = 0, lfs = 0, k = 0;
    for (size_t i = 0; i < box->n_lines; i++) {
        size_t u, f;
        lg_xlsx_count_text(text + ls[i], ls[i + 1] - ls[i], &u, &f);
        if (u > LG_XLSX_MAX_CELL_UNITS || f > LG_XLSX_MAX_CELL_LF + 1)
            return false;
        /* A part drops its trailing line feed: one more is allowed. */
        bool fits = lg_xlsx_lines_height(tpl, font, i + 1) <= max_h &&
                    units + u <= LG_XLSX_MAX_CELL_UNITS && lfs + f <= LG_XLSX_MAX_CELL_LF + 1;
        if (i > 0 && !fits)
            break;
        units += u;
        lfs += f;
        k = i + 1;
    }
    *limit = ls[k];
    return true;
}

static void push_part(lg_xlsx_split *s, char *text, double height)
{
    s->text = lg_xrealloc(s->text, (s->n + 1) * sizeof *s->text);
    s->height = lg_xrealloc(s->height, (s->n + 1) * sizeof *s->height);
    s->text[s->n] = text;
    s->height[s->n++] = height;
}

/* Whether TEXT fits one row MAX_H tall and one cell; sets *H to its row
 * height. */
static bool fits_whole(const lg_template *tpl, const lg_font *font, const lg_text_box *b,
                       const char *text, double max_h, double *h)
{
    size_t units, lfs;
    lg_xlsx_count_text(text, strlen(text), &units, &lfs);
    *h = lg_xlsx_lines_height(tpl, font, b->n_lines);
    return *h <= max_h && units <= LG_XLSX_MAX_CELL_UNITS &&
           lfs <= LG_XLSX_MAX_CELL_LF;
}

bool lg_xlsx_split_text(const lg_template *tpl, lg_layout *l, const lg_font *font, double width,
                        lg_align align, bool justify, const char *text, lg_xlsx_split *s)
{
    return lg_xlsx_split_text_to(tpl, l, font, width, align, justify, text, LG_XLSX_MAX_ROW_PT,
                                 LG_XLSX_MAX_ROW_PT, s);
}

bool lg_xlsx_split_text_to(const lg_template *tpl, lg_layout *l, const lg_font *font,
                           double width, lg_align align, bool justify, const char *text,
                           double first_max, double max, lg_xlsx_split *s)
{
    memset(s, 0, sizeof *s);
    first_max = fmin(first_max, LG_XLSX_MAX_ROW_PT);
    max = fmin(max, LG_XLSX_MAX_ROW_PT);
    const size_t mark = strlen(LG_XLSX_CONT_MARK);
    const char *rest = text;
    for (;;) {
        /* The rest of the text, marked when it continues. */
        char *part = s->n ? lg_xasprintf("%s%s", LG_XLSX_CONT_MARK, rest) : lg_xstrdup(rest);
        size_t from = s->n ? mark : 0;
        lg_text_box *b = lg_layout_measure(l, part, font, width, align, justify);
        double h, max_h = s->n ? max : first_max;
        if (fits_whole(tpl, font, b, part, max_h, &h)) {
            lg_text_box_free(b);
            push_part(s, part, h);
            return true;
        }
        size_t limit;
        bool ok = row_limit(tpl, font, b, part, max_h, &limit);
        lg_text_box_free(b);
        if (!ok || limit <= from) {
            free(part);
            lg_xlsx_split_free(s);
            return false;
        }
        bool at_line;
        size_t end = part_end(part, from, limit, &at_line);
        s->line_cuts += at_line;
        part[end] = '\0';
        b = lg_layout_measure(l, part, font, width, align, justify);
        h = fmin(lg_xlsx_lines_height(tpl, font, b->n_lines), LG_XLSX_MAX_ROW_PT);
        lg_text_box_free(b);
        push_part(s, part, h);
        rest += end - from;
        if (*rest == '\n') /* a paragraph end: the next part starts the next paragraph */
            rest++;
    }
}

void lg_xlsx_split_free(lg_xlsx_split *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->text[i]);
    free(s->text);
    free(s->height);
    memset(s, 0, sizeof *s);
}
