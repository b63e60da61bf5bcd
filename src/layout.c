/* Text layout with Pango: the one place where cell text is broken into lines
 * and measured. The XLSX renderer takes row heights and continuation-row
 * splits from here, the PDF renderer draws the very same PangoLayouts, so the
 * two cannot disagree about where a line ends.
 *
 * Lines are chosen here, not by Pango: each paragraph is broken as a whole
 * (lg_break_paragraph: least total badness over the breaks UAX #14 and the
 * Chinese rules allow, 避头尾 of W3C clreq and GB/T 15834 as hard rules) on
 * advances measured once, and Pango is let break there only. Each line is
 * then set by lg_place_line: marks beside marks at half width (标点挤压),
 * justified lines' room shared out. The fast measurer (layout_measure.c)
 * runs the same two on its own advances. */
#include "layout.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pango/pangocairo.h>
#include <pango/pangofc-font.h>
#include <pango/pangofc-fontmap.h>

#include "arena.h"
#include "layout_impl.h"

#define DEFAULT_FAMILY "Noto Serif CJK SC"

/* A layout with the fonts of CONFIG, or the system's (NULL). */
static lg_layout *layout_new(FcConfig *config)
{
    lg_layout *l = lg_xcalloc(1, sizeof *l);
    l->fontmap = pango_cairo_font_map_new();
    if (config)
        pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(l->fontmap), config);
    l->context = pango_font_map_create_context(l->fontmap);

    /* Points are device units on a PDF surface: at Pango's default 96 dpi a
     * 10 pt font would come out at 13.3 pt. */
    pango_cairo_context_set_resolution(l->context, 72);

    /* Measure exactly what the PDF surface draws. Hinted metrics round
     * advances and line heights to whole device units and would make the
     * measurement depend on the surface; vector output needs no hinting. */
    cairo_font_options_t *opts = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(opts, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(opts, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(l->context, opts);
    cairo_font_options_destroy(opts);

    /* Pango ≥ 1.44 rounds glyph positions to whole device units (1 pt here)
     * by default, which drifts Latin text and digits by up to half a point
     * per glyph. Positions are vectors in a PDF: keep them exact. */
    pango_context_set_round_glyph_positions(l->context, FALSE);
    return l;
}

lg_layout *lg_layout_new(void)
{
    return layout_new(NULL);
}

lg_layout *lg_layout_new_fonts(const lg_fonts *f)
{
    lg_layout *l = layout_new(lg_fonts_config(f));
    l->subset = lg_fonts_config(f) ? f : NULL;
    return l;
}

size_t lg_layout_fallbacks(const lg_layout *l)
{
    return l->n_system;
}

lg_layout *lg_layout_for(lg_layout *l, const char *text)
{
    if (!l->subset || lg_fonts_cover(l->subset, text))
        return l;
    if (!l->system)
        l->system = lg_layout_new();
    l->n_system++;
    return l->system;
}

/* Frees L's cache: each box it holds is given back (a caller holding one
 * keeps it). */
static void cache_free(lg_layout *l)
{
    for (size_t i = 0; l->cache && i < CACHE_SLOTS; i++)
        if (l->cache[i].box) {
            lg_text_box_free(l->cache[i].box);
            free(l->cache[i].text);
        }
    free(l->cache);
    free(l->seen);
}

void lg_layout_free(lg_layout *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n_fonts; i++) {
        free(l->fonts[i].family);
        pango_font_description_free(l->fonts[i].desc);
        if (l->fonts[i].fontset)
            g_object_unref(l->fonts[i].fontset);
        free(l->fonts[i].coverage);
        free(l->fonts[i].advance);
        free(l->fonts[i].glyph);
        if (l->fonts[i].pairs)
            g_hash_table_destroy(l->fonts[i].pairs);
        if (l->fonts[i].runs)
            g_hash_table_destroy(l->fonts[i].runs);
        if (l->fonts[i].primary)
            g_object_unref(l->fonts[i].primary);
    }
    free(l->fonts);
    cache_free(l);
    lg_layout_free(l->system);
    g_object_unref(l->context);
    g_object_unref(l->fontmap);
    free(l);
}

/* See layout_impl.h. */
font_entry *lg_font_entry(lg_layout *l, const lg_font *font)
{
    const char *family = font && font->family && *font->family ? font->family : DEFAULT_FAMILY;
    double size = font && font->size > 0 ? font->size : 10.0;
    bool bold = font && font->bold;

    for (size_t i = 0; i < l->n_fonts; i++) {
        font_entry *e = &l->fonts[i];
        if (e->size == size && e->bold == bold && strcmp(e->family, family) == 0)
            return e;
    }
    if (l->n_fonts == l->cap_fonts) {
        l->cap_fonts = l->cap_fonts ? 2 * l->cap_fonts : 8;
        l->fonts = lg_xrealloc(l->fonts, l->cap_fonts * sizeof *l->fonts);
    }
    font_entry *e = &l->fonts[l->n_fonts++];
    e->family = lg_xstrdup(family);
    e->size = size;
    e->bold = bold;
    e->desc = pango_font_description_new();
    pango_font_description_set_family(e->desc, family);
    /* At 72 dpi a point is a device unit: set_size and set_absolute_size agree. */
    pango_font_description_set_size(e->desc, (int)lround(size * PANGO_SCALE));
    pango_font_description_set_weight(e->desc, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    e->fontset = NULL;
    e->coverage = NULL;
    e->advance = NULL;
    e->glyph = NULL;
    e->ascent = 0;
    e->pairs = NULL;
    e->runs = NULL;
    e->primary = NULL;
    e->line_height = 0;
    e->no_fast_path = false;
    e->halves_known = false;
    return e;
}

/* Whether F is a face of E's chain (template.h), not one of the system's
 * that Pango's fallback found: one of its family names (a face may have
 * several, "DejaVu Sans" and "DejaVu Sans Condensed") is in the chain. */
static bool in_chain(const font_entry *e, PangoFont *f)
{
    FcPattern *pat = PANGO_IS_FC_FONT(f) ? pango_fc_font_get_pattern(PANGO_FC_FONT(f)) : NULL;
    char **fam = lg_font_families(e->family);
    bool in = false;
    FcChar8 *name;
    for (int i = 0; pat && !in && FcPatternGetString(pat, FC_FAMILY, i, &name) == FcResultMatch;
         i++)
        for (size_t k = 0; fam[k] && !in; k++)
            in = FcStrCmpIgnoreCase(name, (const FcChar8 *)fam[k]) == 0;
    lg_font_families_free(fam);
    return in;
}

/* Whether a face of E's chain has C (Pango's fallback list draws C with the
 * first face of the chain that has it); remembered for the BMP, since a
 * month's text uses a few thousand characters many times over. */
static bool font_shows(lg_layout *l, font_entry *e, gunichar c)
{
    if (c < 0x10000 && e->coverage && e->coverage[c])
        return e->coverage[c] == 1;
    if (!e->fontset)
        e->fontset = pango_font_map_load_fontset(l->fontmap, l->context, e->desc,
                                                 pango_language_from_string("zh-cn"));
    /* The fontset is Pango's fallback list: the font it picks for C is the
     * one that would draw it; if even that lacks C, a box is drawn. */
    PangoFont *f = pango_fontset_get_font(e->fontset, c);
    bool shown = f && pango_font_has_char(f, c) && in_chain(e, f);
    if (f)
        g_object_unref(f);
    if (c < 0x10000) {
        if (!e->coverage)
            e->coverage = lg_xcalloc(0x10000, 1);
        e->coverage[c] = shown ? 1 : 2;
    }
    return shown;
}

size_t lg_layout_missing_chars(lg_layout *l, const lg_font *font, const char *text,
                               uint32_t *out, size_t max)
{
    font_entry *e = lg_font_entry(l, font);
    size_t n = 0;
    for (const char *p = text ? text : ""; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c < 0x20 || c == 0x2029 || c == 0x2028 || font_shows(l, e, c))
            continue; /* line feeds and controls are not drawn */
        bool seen = false;
        for (size_t i = 0; i < n && i < max; i++)
            seen |= out[i] == c;
        if (seen)
            continue;
        if (n < max)
            out[n] = c;
        n++;
    }
    return n;
}

/* ---- 避头尾: Chinese line-start and line-end rules --------------------------
 *
 * From W3C clreq §3.1.7 and GB/T 15834-2011:
 *  - not at a line start: 点号 (、，。：；？！), closing quotes, brackets and
 *    book-title marks, 连接号 (– ～), 间隔号 (·), 分隔号 (／), and the Western
 *    equivalents and postfix signs (% ‰ ℃ ° ′ ″) that belong to the
 *    preceding number;
 *  - not at a line end: opening quotes, brackets and book-title marks;
 *  - never split: 破折号 —— and 省略号 ……. GB/T 15834 only forbids
 *    separating their halves; a whole —— or …… may begin a line, so U+2014
 *    and U+2026 are not in the line-start set. */

static bool no_line_start(gunichar c)
{
    switch (c) {
    /* 点号 */
    case 0x3001: /* 、 */
    case 0x3002: /* 。 */
    case 0xFF0C: /* ， */
    case 0xFF0E: /* ． */
    case 0xFF1A: /* ： */
    case 0xFF1B: /* ； */
    case 0xFF1F: /* ？ */
    case 0xFF01: /* ！ */
    case ',': case '.': case ':': case ';': case '?': case '!':
    /* closing quotes, brackets, book-title marks */
    case 0x201D: /* ” */
    case 0x2019: /* ’ */
    case 0x300D: /* 」 */
    case 0x300F: /* 』 */
    case 0xFF09: /* ） */
    case 0xFF3D: /* ］ */
    case 0xFF5D: /* ｝ */
    case 0x3009: /* 〉 */
    case 0x300B: /* 》 */
    case 0x3011: /* 】 */
    case 0x3015: /* 〕 */
    case 0x3017: /* 〗 */
    case 0x3019: /* 〙 */
    case 0x301B: /* 〛 */
    case 0xFF60: /* ｠ */
    case ')': case ']': case '}':
    /* 破折号 and 省略号: the GB-level rule keeps them off a line's
     * start (clreq would allow a whole —— or …… there). */
    case 0x2014: /* — */
    case 0x2026: /* … */
    /* 连接号, 间隔号, 分隔号 */
    case 0x2013: /* – */
    case 0xFF5E: /* ～ */
    case 0x301C: /* 〜 */
    case 0x00B7: /* · */
    case 0x30FB: /* ・ */
    case 0x2027: /* ‧ */
    case 0xFF0F: /* ／ */
    /* signs that follow a number */
    case '%':
    case 0xFF05: /* ％ */
    case 0x2030: /* ‰ */
    case 0x2103: /* ℃ */
    case 0x00B0: /* ° */
    case 0x2032: /* ′ */
    case 0x2033: /* ″ */
        return true;
    default:
        return false;
    }
}

static bool no_line_end(gunichar c)
{
    switch (c) {
    case 0x201C: /* “ */
    case 0x2018: /* ‘ */
    case 0x300C: /* 「 */
    case 0x300E: /* 『 */
    case 0xFF08: /* （ */
    case 0xFF3B: /* ［ */
    case 0xFF5B: /* ｛ */
    case 0x3008: /* 〈 */
    case 0x300A: /* 《 */
    case 0x3010: /* 【 */
    case 0x3014: /* 〔 */
    case 0x3016: /* 〖 */
    case 0x3018: /* 〘 */
    case 0x301A: /* 〚 */
    case 0xFF5F: /* ｟ */
    case '(': case '[': case '{':
        return true;
    default:
        return false;
    }
}

/* A digit followed by the unit of a date or count keeps it: 12月, 2022年,
 * 3个, never 12|月 (a short field then breaks at 2022年12月|底前). */
static bool is_digit(gunichar c)
{
    return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
}

static bool is_number_unit(gunichar c)
{
    static const gunichar units[] = {0x5E74, 0x6708, 0x65E5, 0x53F7, 0x65F6, 0x5206, 0x79D2,
                                     0x5143, 0x4E07, 0x4EBF, 0x4E2A, 0x4EF6, 0x9879, 0x6B21,
                                     0x5BB6, 0x540D, 0x4EBA, 0x6279, 0x671F, 0x5B63, 0x5468,
                                     0x5929, 0x500D}; /* 年月日号时分秒元万亿个件项次家名人批期季周天倍 */
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (c == units[i])
            return true;
    return false;
}

/* See layout_impl.h. */
bool lg_break_forbidden(gunichar before, gunichar after)
{
    if (no_line_start(after) || no_line_end(before))
        return true;
    if (is_digit(before) && is_number_unit(after))
        return true;
    /* ——, ……: the two halves of one mark */
    return before == after && (before == 0x2014 || before == 0x2026);
}

/* See layout_impl.h. */
PangoLayout *lg_unwrapped(lg_layout *l, const font_entry *e, const char *text)
{
    PangoLayout *layout = pango_layout_new(l->context);
    pango_layout_set_font_description(layout, e->desc);
    pango_layout_set_text(layout, text, -1);
    return layout;
}

/* ---- justification: where a line's room goes ------------------------------ */

/* Chinese text: ideographs and the CJK and full-width marks. */
static bool is_cjk(gunichar c)
{
    return lg_is_ideograph(c) || (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF65) ||
           c == 0x2014 || c == 0x2026 || (c >= 0x2018 && c <= 0x201D) || c == 0x00B7;
}

static bool is_cjk_mark(gunichar c)
{
    return is_cjk(c) && !lg_is_ideograph(c) && !(c >= 0xFF10 && c <= 0xFF19) &&
           !(c >= 0xFF21 && c <= 0xFF5A);
}

/* A character of a number, a word or a URL: Latin letters, digits and
 * signs, half- or full-width (２２３．９％). */
static bool in_latin_run(gunichar c)
{
    bool fullwidth = (c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) ||
                     (c >= 0xFF41 && c <= 0xFF5A) || c == 0xFF0E || c == 0xFF05;
    return fullwidth || (!is_cjk(c) && !g_unichar_isspace(c));
}

/* A gap inside a run of Latin letters, digits and signs: never widened. */
static bool inside_latin_run(gunichar a, gunichar b)
{
    return in_latin_run(a) && in_latin_run(b);
}

/* Shares TOTAL among the gaps K with PICK[K] (N of them): TOTAL / N each,
 * the first TOTAL % N one unit more. */
static void share(const bool *pick, size_t n_gaps, size_t n, int32_t total, int32_t *extra)
{
    if (n == 0)
        return;
    int32_t each = total / (int32_t)n, rest = total % (int32_t)n;
    for (size_t k = 0; k < n_gaps; k++)
        if (pick[k]) {
            extra[k] += each + (rest > 0);
            rest -= rest > 0;
        }
}

/* Whether a justified line may widen the gap between A and B: not inside
 * a run of Latin letters, digits or signs. */
static bool gap_open(gunichar a, gunichar b)
{
    return !inside_latin_run(a, b);
}

/* Whether the gap between A and B, if it is open (gap_open), is the blank
 * half of a full-width mark: the rule of gap_mark. */
static bool mark_blank(gunichar a, gunichar b)
{
    return (is_cjk_mark(a) && !no_line_end(a) && !is_cjk_mark(b)) ||
           (no_line_end(b) && is_cjk_mark(b) && !is_cjk_mark(a));
}

/* Whether the gap between A and B is the blank half of a full-width mark
 * (after a closing or stop mark, before an opening one; not between two
 * marks): it takes a justified line's room first. */
static bool gap_mark(gunichar a, gunichar b)
{
    return gap_open(a, b) && mark_blank(a, b);
}

/* See layout_impl.h. */
void lg_justify_gaps(const gunichar *cs, size_t n, int32_t room, int32_t em, int32_t *extra)
{
    memset(extra, 0, n * sizeof *extra);
    if (n < 2 || room <= 0)
        return;
    bool *open = lg_xmalloc(n * sizeof *open), *mark = lg_xmalloc(n * sizeof *mark);
    size_t n_open = 0, n_mark = 0;
    for (size_t k = 0; k + 1 < n; k++) {
        open[k] = gap_open(cs[k], cs[k + 1]);
        mark[k] = gap_mark(cs[k], cs[k + 1]);
        n_open += open[k];
        n_mark += mark[k];
    }
    int64_t cap = (int64_t)n_mark * (em / 4);
    int32_t first = cap < room ? (int32_t)cap : room;
    /* More than a third of an em at each gap would open holes wider than
     * a ragged end (a line of a few characters before a URL that cannot
     * break): the line stays as set. */
    if (n_open > 0 && (room - first) / (int32_t)n_open <= em / 3) {
        share(mark, n - 1, n_mark, first, extra);
        share(open, n - 1, n_open, room - first, extra);
    }
    free(open);
    free(mark);
}

/* ---- punctuation compression (标点挤压) ------------------------------------
 *
 * W3C clreq §3.1.6 (and GB/T 15834): a full-width mark is half ink, half
 * blank — a closing mark or stop (，。）》”) has its blank after it, an
 * opening one (（《“) before it. Two marks side by side would show a full
 * em of blank between them, so one is set at half width: a closing mark
 * or stop before another mark (》），→ 》and ） half, 。” → 。half, ：“ →
 * ：half), an opening mark after another opening mark (（《 → 《 half).
 * At a line's end a closing mark or stop may also be set at half width to
 * pull a character in (推入) rather than push one down (推出): the
 * breaker counts it as one more way a line can fit. —— and …… are not
 * full-width marks in this sense and are never compressed. How much
 * narrower a mark is at half width, and where its glyph moves, is the
 * font's `halt` feature, measured once per font (Noto CJK has `halt`,
 * not the contextual `chws`: which marks to compress is decided here). */

#define N_CLOSING 22
static const gunichar half_marks[LG_N_HALF_MARKS] = {
    /* closing marks and stops: blank after */
    0x3001, 0x3002, 0xFF0C, 0xFF1A, 0xFF1B, 0xFF1F, 0xFF01, /* 、。，：；？！ */
    0x201D, 0x2019, 0x300D, 0x300F, 0xFF09, 0xFF3D, 0xFF5D, /* ”’」』）］｝ */
    0x3009, 0x300B, 0x3011, 0x3015, 0x3017, 0x3019, 0x301B, 0xFF60, /* 〉》】〕〗〙〛｠ */
    /* opening marks: blank before */
    0x201C, 0x2018, 0x300C, 0x300E, 0xFF08, 0xFF3B, 0xFF5B, /* “‘「『（［｛ */
    0x3008, 0x300A, 0x3010, 0x3014, 0x3016, 0x3018, 0x301A, 0xFF5F, /* 〈《【〔〖〘〚｟ */
};

/* C's place in half_marks, or -1. */
static int half_mark(gunichar c)
{
    if (!((c >= 0x2018 && c <= 0x201D) || (c >= 0x3001 && c <= 0x301B) ||
          (c >= 0xFF01 && c <= 0xFF60)))
        return -1;
    for (int i = 0; i < LG_N_HALF_MARKS; i++)
        if (half_marks[i] == c)
            return i;
    return -1;
}

enum { SIDE_NONE, SIDE_OPEN, SIDE_CLOSE };

/* Which side of C's box is blank: SIDE_CLOSE after it, SIDE_OPEN before. */
static int mark_side(gunichar c)
{
    int i = half_mark(c);
    return i < 0 ? SIDE_NONE : i < N_CLOSING ? SIDE_CLOSE : SIDE_OPEN;
}

/* Whether character K of the N characters CS is set at half width for
 * its neighbour among them (the rules above, line ends aside). */
static bool compressed_beside(const gunichar *cs, size_t k, size_t n)
{
    switch (mark_side(cs[k])) {
    case SIDE_CLOSE:
        return k + 1 < n && mark_side(cs[k + 1]) != SIDE_NONE;
    case SIDE_OPEN:
        return k > 0 && mark_side(cs[k - 1]) == SIDE_OPEN;
    default:
        return false;
    }
}

/* Measures E's half-width marks: each mark alone, as set and with `halt`. */
static void measure_halves(lg_layout *l, font_entry *e)
{
    for (int i = 0; i < LG_N_HALF_MARKS; i++) {
        char s[8] = {0};
        g_unichar_to_utf8(half_marks[i], s);
        int32_t w[2] = {0, 0}, dx = 0;
        for (int halt = 0; halt < 2; halt++) {
            PangoLayout *layout = lg_unwrapped(l, e, s);
            if (halt) {
                PangoAttrList *attrs = pango_attr_list_new();
                pango_attr_list_insert(attrs, pango_attr_font_features_new("halt"));
                pango_layout_set_attributes(layout, attrs);
                pango_attr_list_unref(attrs);
            }
            PangoLayoutLine *line = pango_layout_get_line_readonly(layout, 0);
            const PangoGlyphItem *run = line && line->runs ? line->runs->data : NULL;
            if (run && run->glyphs->num_glyphs == 1) {
                w[halt] = run->glyphs->glyphs[0].geometry.width;
                dx = run->glyphs->glyphs[0].geometry.x_offset;
            }
            g_object_unref(layout);
        }
        bool halves = w[1] > 0 && w[1] < w[0];
        e->half[i] = halves ? w[0] - w[1] : 0;
        e->half_dx[i] = halves ? dx : 0;
    }
    e->halves_known = true;
}

/* See layout_impl.h. */
void lg_mark_halves(lg_layout *l, font_entry *e, const gunichar *cs, size_t m, int32_t *half,
                    int32_t *half_dx)
{
    if (!e->halves_known)
        measure_halves(l, e);
    for (size_t k = 0; k < m; k++) {
        int i = half_mark(cs[k]);
        half[k] = i < 0 ? 0 : e->half[i];
        half_dx[k] = i < 0 ? 0 : e->half_dx[i];
    }
}

/* Whether character K of P is set at half width beside a neighbour on a
 * line of the characters FROM..TO - 1. */
static bool half_in(const lg_para *p, size_t from, size_t to, size_t k)
{
    return p->half[k] > 0 && compressed_beside(p->cs + from, k - from, to - from);
}

/* See layout_impl.h. */
void lg_place_line(const lg_para *p, size_t from, size_t to, int32_t width, int32_t em,
                   bool justify, int32_t *dw, int32_t *dx)
{
    size_t n = to - from;
    int64_t set = 0;
    for (size_t k = 0; k < n; k++) {
        bool half = half_in(p, from, to, from + k);
        dw[k] = half ? -p->half[from + k] : 0;
        dx[k] = half ? p->half_dx[from + k] : 0;
        set += p->w[from + k] + dw[k];
    }
    /* 推入: a line too wide sets its last mark at half width (the breaker
     * chose it so: see line_fit). Trailing spaces do not count. */
    int64_t ink = set;
    for (size_t t = n; t > 0 && g_unichar_isspace(p->cs[from + t - 1]); t--)
        ink -= p->w[from + t - 1];
    if (n > 0 && ink > width && mark_side(p->cs[to - 1]) == SIDE_CLOSE && dw[n - 1] == 0 &&
        p->half[to - 1] > 0) {
        dw[n - 1] = -p->half[to - 1];
        dx[n - 1] = p->half_dx[to - 1];
        set -= p->half[to - 1];
    }
    if (justify && set < width && n > 1) {
        int32_t *extra = lg_xmalloc(n * sizeof *extra);
        lg_justify_gaps(p->cs + from, n, (int32_t)(width - set), em, extra);
        for (size_t k = 0; k < n; k++)
            dw[k] += extra[k];
        free(extra);
    }
}

/* ---- paragraph breaking: the least total badness -----------------------------
 *
 * A paragraph is broken as a whole, in the spirit of Knuth and Plass: over
 * all its legal breakings, the one with the least sum of demerits, a
 * line's demerits growing with the cube of the space its justification
 * adds between characters (see line_demerits). So a line that 避头尾 or
 * an unbreakable number would leave loose takes a character from the line
 * before, or gives one to the next, rather than letter-spacing itself.
 * Dynamic programming over the break points, each line at most a column
 * wide: O(characters × characters per line), on advances measured once
 * (prefix sums, no shaping per candidate line).
 *
 * Hard rules: 避头尾, ——/…… whole and a number with its unit
 * (lg_break_forbidden) — never broken, a line overflows rather. Soft ones,
 * by penalty: a break inside a URL at a slash or a dot (it does not fit
 * otherwise), one between two letters or digits (a word wider than the
 * column), one leaving a paragraph's last character alone; a line that
 * overflows (no legal break fits) costs most. The last line is not
 * justified: it costs nothing but its being a line. */

#define LINE_PENALTY 10.0
#define URL_PENALTY 50.0   /* a URL broken at a slash or dot */
#define CHAR_PENALTY 1e6   /* a word or number broken between characters */
#define LONE_PENALTY 1e7   /* a paragraph's last character alone */
#define OVERFLOW 1e18      /* a line wider than the column */
#define MAX_BADNESS 1e5    /* below a break inside a word */

/* A paragraph longer than this (a document pasted into one cell) is
 * filled line by line: Pango lays it out again with an attribute for every
 * line the breaker sets otherwise than Pango would, and Pango's cost of
 * those grows with the paragraph times their number. */
#define LONG_PARAGRAPH 2000

/* Whether character I of CS (N of them) starts a URL. */
static bool url_start(const gunichar *cs, size_t n, size_t i)
{
    static const char *const schemes[] = {"http://", "https://", "ftp://", "www."};
    for (size_t s = 0; s < sizeof schemes / sizeof *schemes; s++) {
        size_t k = 0;
        while (schemes[s][k] && i + k < n && g_ascii_tolower((gchar)cs[i + k]) == schemes[s][k])
            k++;
        if (!schemes[s][k])
            return true;
    }
    return false;
}

static bool url_char(gunichar c)
{
    return c > 0x20 && c < 0x7F;
}

/* Marks in IN_URL (N + 1) the boundaries inside a URL of CS: a run of
 * ASCII characters with a scheme (or www.) in it. Not only from the
 * scheme: a URL cut in two (an XLSX continuation row, lg_xlsx_split_text,
 * starts "//example...") still breaks as one, and so needs no attribute
 * where Pango breaks it too (a long paragraph's lines each with one would
 * be quadratic, see LONG_PARAGRAPH). */
static void find_urls(const gunichar *cs, size_t n, bool *in_url)
{
    memset(in_url, 0, (n + 1) * sizeof *in_url);
    for (size_t i = 0; i < n; i++) {
        if (!url_char(cs[i]))
            continue;
        size_t j = i + 1;
        bool url = url_start(cs, n, i);
        while (j < n && url_char(cs[j]))
            url |= url_start(cs, n, j++);
        for (size_t k = i + 1; url && k < j; k++)
            in_url[k] = true;
        i = j;
    }
}

/* Whether a URL may break before character I of CS (N of them), as the
 * typographic convention has it (Chicago Manual 6.17): after a double
 * slash, before a single slash and the other separators, before or after
 * = and &; and after a dot (Chicago: before it), since 避头尾 keeps a dot
 * off a line's start. */
static bool url_break(const gunichar *cs, size_t n, size_t i)
{
    gunichar a = cs[i - 1], b = cs[i];
    if (a == '/' && i >= 2 && cs[i - 2] == '/')
        return b != '/';
    if (b == '/')
        return a != '/' && a != ':' && !(i + 1 < n && cs[i + 1] == '/');
    if (a == '=' || a == '&' || (a == '.' && b != '.'))
        return true;
    return strchr("?#&=-_~%", (int)b) != NULL && a != b && !strchr(".?#&=-_~%/:", (int)a);
}

/* Whether a break between A and B is one UAX #14 misses in Chinese text:
 * its quotation marks are ambiguous there (QU) and glue to their
 * neighbours, so that 「批”改革」 would be one word. clreq's quotes are
 * closing and opening marks: a line may end after ” ’ and begin with “ ‘
 * next to a Chinese character. */
static bool quote_break(gunichar a, gunichar b)
{
    return ((a == 0x201D || a == 0x2019) && is_cjk(b)) ||
           ((b == 0x201C || b == 0x2018) && is_cjk(a));
}

/* The penalty of a break before character I of P (0 < I < M), or -1 where
 * there may be none; IN_LATIN: whether the break is inside a run of Latin
 * letters, digits and signs (inside_latin_run). */
static double break_penalty(const lg_para *p, const bool *in_url, size_t i, bool in_latin)
{
    double pen;
    if (lg_break_forbidden(p->cs[i - 1], p->cs[i]))
        return -1;
    /* In a long paragraph Pango's own breaks in a URL too (after a slash):
     * they need no attribute (greedy_line). */
    if (in_url[i] && (url_break(p->cs, p->m, i) ||
                      (p->m > LONG_PARAGRAPH && p->attrs[i].is_line_break)))
        pen = URL_PENALTY;
    else if (in_latin && !in_url[i])
        /* inside a word (after a hyphen: Pango's break) or a number (２２３
         * are ideographs to UAX #14): only when nothing else fits */
        pen = p->attrs[i].is_line_break && !is_digit(p->cs[i - 1]) && !is_digit(p->cs[i])
                  ? URL_PENALTY
                  : CHAR_PENALTY;
    else if ((p->attrs[i].is_line_break || quote_break(p->cs[i - 1], p->cs[i])) && !in_url[i])
        pen = 0;
    else if (p->attrs[i].is_char_break)
        pen = CHAR_PENALTY;
    else
        return -1;
    return i + 1 == p->m ? pen + LONE_PENALTY : pen;
}

/* What the breaker knows of a paragraph of M characters, per boundary i
 * (0..M, boundary i before character i), worked out once so that each of
 * the O(characters × characters per line) candidate lines costs a few
 * operations whatever its length (line_demerits). */
typedef struct breaker {
    const lg_para *p;
    int64_t *sum;    /* M + 1: advances before character i, marks beside marks at half width */
    int32_t *n_open; /* M + 1: gaps a justified line may widen before gap i (gap k: after character k) */
    int32_t *n_mark; /* M + 1: of those, the blank halves of marks */
    int32_t *n_cjk;  /* M + 1: characters before i that are Chinese (is_cjk) */
    size_t *ink_end; /* M + 1: where the white space just before boundary i starts (i when
                      * there is none): a line ending at i is set up to there */
    int32_t *end_extra; /* M + 1: what a line ending at i adds to SUM's advances: its last
                         * mark's half when SUM has it at half width before the next mark
                         * (it has none on its line), and room for the kerning lost when i is
                         * inside a run of Latin letters or digits (em / 8) */
    int32_t *push_in;   /* M + 1: what a line ending at i may gain by 推入: its last
                         * character's half when it is a closing mark, else 0 */
    int32_t width, em;
} breaker;

/* The smaller of A and B, as glibc's fmin gives it when B is not a NaN
 * (minsd: A when A < B, else B, a NaN A too), without the call. */
static double min_to(double a, double b)
{
    return a < b ? a : b;
}

/* Whether the line of characters S..E - 1 of B's paragraph fits: then
 * into SET how wide it is set (推入 applied) and into PUSHED_IN whether it
 * takes 推入. */
static bool line_fits(const breaker *br, size_t s, size_t e, int64_t *set, bool *pushed_in)
{
    /* Trailing spaces do not count (spaces are never at half width: SUM
     * has their whole advances). */
    size_t ink = br->ink_end[e] > s ? br->ink_end[e] : s;
    *set = br->sum[ink] - br->sum[s] + br->end_extra[e];
    *pushed_in = false;
    if (*set > br->width) {
        if (!br->push_in[e] || *set - br->push_in[e] > br->width)
            return false;
        *set -= br->push_in[e];
        *pushed_in = true;
    }
    return true;
}

/* The demerits of the line of characters S..E - 1 of B's paragraph that
 * fits, set SET wide (line_fits), LAST when it ends the paragraph. At least
 * LINE_PENALTY² when B's em is positive: the badness is never negative. */
static double fitting_demerits(const breaker *br, size_t s, size_t e, bool last, int64_t set,
                               bool pushed_in)
{
    double bad = pushed_in ? 1 : 0;
    if (!last) {
        /* As lg_justify_gaps shares the room: marks first (up to 1/4 em),
         * the rest evenly; the extra space per gap in em, cubed. */
        double room = (double)(br->width - set) / br->em;
        double n_open = br->n_open[e - 1] - br->n_open[s], n_mark = br->n_mark[e - 1] - br->n_mark[s];
        /* A line with no such gap (a piece of URL) stays as set: ragged,
         * not letter-spaced, which shows less. N_OPEN is a whole number:
         * the larger of it and 1 as fmax gives it. */
        double first = min_to(room, n_mark / 4), gap = (room - first) / (n_open > 1 ? n_open : 1);
        bool latin = n_open == 0 && br->n_cjk[e] == br->n_cjk[s];
        if (latin)
            gap = room / 8;
        double g = gap / 0.15, f = n_mark > 0 ? first / n_mark / 0.5 : 0;
        bad += 100 * (g * g * g + f * f * f);
        bad = min_to(bad, MAX_BADNESS);
    }
    return (LINE_PENALTY + bad) * (LINE_PENALTY + bad);
}

/* The demerits of a line of characters S..E - 1 of B's paragraph, LAST
 * when it ends it; -1 when it does not fit. */
static double line_demerits(const breaker *br, size_t s, size_t e, bool last)
{
    int64_t set;
    bool pushed_in;
    if (!line_fits(br, s, e, &set, &pushed_in))
        return -1;
    return fitting_demerits(br, s, e, last, set, pushed_in);
}

/* Pango lays the lines out again, breaking only where the breaker did,
 * but greedily: two lines that fit on one as Pango measures them (marks at
 * full width, trailing spaces not counted) it would set as one. The
 * breaker's costs make that rare (two ragged pieces of a URL); such lines
 * of ENDS (N of them) are joined here, so that both layout paths agree.
 * Returns how many lines are left. */
static size_t join_lines(const lg_para *p, int32_t width, size_t *ends, size_t n)
{
    for (size_t i = 0; i + 1 < n;) {
        size_t s = i ? ends[i - 1] : 0, f = ends[i + 1];
        int64_t set = 0;
        for (size_t k = s; k < f; k++)
            set += p->w[k];
        for (size_t t = f; t > s && g_unichar_isspace(p->cs[t - 1]); t--)
            set -= p->w[t - 1];
        if (set <= width && !p->attrs[ends[i]].is_mandatory_break) {
            memmove(ends + i, ends + i + 1, (n - i - 1) * sizeof *ends);
            n--;
        } else {
            i++;
        }
    }
    return n;
}

/* Fills the line of B's paragraph from S as far as it fits: to the break
 * Pango would take if the rules allow it, else the last allowed (PEN: the
 * breaks' penalties; between letters, or a lone last character, only when
 * nothing else fits; the first break when none does). Its end goes into
 * FROM and COST as the breaker's dynamic programming would put it. */
static void greedy_line(const breaker *br, const double *pen, size_t s, double *cost,
                        size_t *from)
{
    const lg_para *p = br->p;
    size_t m = p->m, pango = 0, pango_char = 0, word = 0, chars = 0, lone = 0, first = 0;
    int64_t set = 0, spaces = 0; /* as Pango measures the line */
    for (size_t e = s + 1; e <= m; e++) {
        if (first && br->sum[e] - br->sum[s] > (int64_t)br->width + br->em)
            break;
        set += p->w[e - 1];
        spaces = g_unichar_isspace(p->cs[e - 1]) ? spaces + p->w[e - 1] : 0;
        bool last = e == m || p->attrs[e].is_mandatory_break;
        /* Where Pango itself would break, if the rules allow it there:
         * then it needs no attribute to break there. */
        if (set - spaces <= br->width && (last || p->attrs[e].is_line_break) && pen[e] >= 0 &&
            pen[e] < CHAR_PENALTY)
            pango = e;
        if (set - spaces <= br->width && p->attrs[e].is_char_break && pen[e] >= 0 &&
            pen[e] < LONE_PENALTY)
            pango_char = e; /* CHAR wrapping's, when no word fits */
        if (pen[e] >= 0) {
            first = first ? first : e;
            if (line_demerits(br, s, e, last) >= 0)
                *(pen[e] >= LONE_PENALTY ? &lone : pen[e] >= CHAR_PENALTY ? &chars : &word) = e;
        }
        if (last)
            break;
    }
    size_t e = pango        ? pango
               : pango_char ? pango_char
               : word       ? word
               : chars      ? chars
               : lone       ? lone
                            : first;
    cost[e] = cost[s] + 1;
    from[e] = s;
}

/* Takes N elements of SIZE bytes from the block at *AT (the arrays of
 * larger elements first, so that each is aligned). */
static void *carve(char **at, size_t n, size_t size)
{
    void *r = *at;
    *at += n * size;
    return r;
}

/* Fills B's arrays and PEN (each M + 1) for its paragraph of M > 0
 * characters, IN_URL its URLs (find_urls). */
static void breaker_fill(breaker *br, const bool *in_url, double *pen)
{
    const lg_para *p = br->p;
    size_t m = p->m;
    br->sum[0] = 0;
    br->n_open[0] = br->n_mark[0] = br->n_cjk[0] = 0;
    br->ink_end[0] = 0;
    br->end_extra[0] = br->push_in[0] = 0;
    bool latin = in_latin_run(p->cs[0]); /* character k's, asked once */
    for (size_t k = 0; k < m; k++) {
        int32_t squeezed = half_in(p, 0, m, k) ? p->half[k] : 0;
        bool closing = mark_side(p->cs[k]) == SIDE_CLOSE;
        br->sum[k + 1] = br->sum[k] + p->w[k] - squeezed;
        bool gap = k + 1 < m, latin_next = gap && in_latin_run(p->cs[k + 1]);
        bool inside = latin && latin_next; /* inside_latin_run of the gap */
        bool open = gap && !inside;        /* gap_open */
        br->n_open[k + 1] = br->n_open[k] + open;
        br->n_mark[k + 1] = br->n_mark[k] + (open && mark_blank(p->cs[k], p->cs[k + 1]));
        br->n_cjk[k + 1] = br->n_cjk[k] + is_cjk(p->cs[k]);
        br->ink_end[k + 1] = g_unichar_isspace(p->cs[k]) ? br->ink_end[k] : k + 1;
        /* A closing mark is at half width before a mark on its line only.
         * Broken inside a word or URL, a line loses the kerning across the
         * break (as much as a tenth of an em in w.): room is kept for it. */
        br->end_extra[k + 1] = (closing ? squeezed : 0) + (inside ? br->em / 8 : 0);
        br->push_in[k + 1] = closing && p->half[k] > 0 ? p->half[k] : 0;
        /* Pango breaks at a mandatory break (U+2028) whatever the rules say. */
        pen[k + 1] = !gap                                 ? 0
                     : p->attrs[k + 1].is_mandatory_break ? 0
                                                          : break_penalty(p, in_url, k + 1, inside);
        latin = latin_next;
    }
}

/* See layout_impl.h. */
size_t lg_break_paragraph(const lg_para *p, int32_t width, int32_t em, size_t *ends)
{
    size_t m = p->m;
    if (m == 0) {
        ends[0] = 0;
        return 1;
    }
    /* One block for the breaker's arrays and the dynamic programming's. */
    size_t slots = m + 1;
    char *block = lg_xmalloc(slots * (sizeof(int64_t) + sizeof(size_t) + 2 * sizeof(double) +
                                  sizeof(size_t) + 5 * sizeof(int32_t) + sizeof(bool)));
    char *at = block;
    breaker br = {.p = p, .width = width, .em = em};
    br.sum = carve(&at, slots, sizeof *br.sum);
    br.ink_end = carve(&at, slots, sizeof *br.ink_end);
    double *pen = carve(&at, slots, sizeof *pen), *cost = carve(&at, slots, sizeof *cost);
    size_t *from = carve(&at, slots, sizeof *from);
    br.n_open = carve(&at, slots, sizeof *br.n_open);
    br.n_mark = carve(&at, slots, sizeof *br.n_mark);
    br.n_cjk = carve(&at, slots, sizeof *br.n_cjk);
    br.end_extra = carve(&at, slots, sizeof *br.end_extra);
    br.push_in = carve(&at, slots, sizeof *br.push_in);
    bool *in_url = carve(&at, slots, sizeof *in_url);
    find_urls(p->cs, m, in_url);
    breaker_fill(&br, in_url, pen);
    for (size_t k = 1; k <= m; k++)
        cost[k] = HUGE_VAL;
    cost[0] = 0;
    for (size_t s = 0; s < m; s++) {
        if (cost[s] == HUGE_VAL)
            continue;
        if (m > LONG_PARAGRAPH) {
            greedy_line(&br, pen, s, cost, from);
            continue;
        }
        bool fits = false;
        for (size_t e = s + 1; e <= m && br.sum[e] - br.sum[s] <= (int64_t)width + em; e++) {
            if (pen[e] < 0)
                continue;
            bool last = e == m || p->attrs[e].is_mandatory_break;
            int64_t set;
            bool pushed_in;
            if (line_fits(&br, s, e, &set, &pushed_in)) {
                fits = true;
                double before = cost[s] + pen[e] * pen[e];
                /* A line's demerits are at least LINE_PENALTY² (em > 0),
                 * and rounding is monotonic: when even that sum is above
                 * COST[E], so is the line's, which need not be weighed. */
                bool hopeless = em > 0 && LINE_PENALTY * LINE_PENALTY + before > cost[e];
                double d = hopeless ? HUGE_VAL
                                    : fitting_demerits(&br, s, e, last, set, pushed_in) + before;
                /* Of equal breakings, the one with the fuller lines first. */
                if (!hopeless && d <= cost[e]) {
                    cost[e] = d;
                    from[e] = s;
                }
            }
            if (last)
                break;
        }
        /* No legal break fits: the line overflows to the first one. */
        for (size_t e = s + 1; !fits && e <= m; e++)
            if (pen[e] >= 0) {
                double d = cost[s] + OVERFLOW + pen[e] * pen[e];
                if (d < cost[e]) {
                    cost[e] = d;
                    from[e] = s;
                }
                fits = true;
            }
    }
    size_t n = 0;
    for (size_t e = m; e > 0; e = from[e])
        n++;
    size_t i = n;
    for (size_t e = m; e > 0; e = from[e])
        ends[--i] = e;
    n = join_lines(p, width, ends, n);
    free(block);
    return n;
}

static bool is_paragraph_end(gunichar c)
{
    return c == '\n' || c == '\r' || c == 0x2029;
}

/* ---- text boxes ------------------------------------------------------------ */

/* Fills the line arrays of B from its layout. */
static void read_lines(lg_text_box *b, PangoLayout *layout, const char *text)
{
    int n = pango_layout_get_line_count(layout);
    b->n_lines = (size_t)n;
    b->line_start = lg_xrealloc(b->line_start, ((size_t)n + 1) * sizeof *b->line_start);
    b->line_top = lg_xrealloc(b->line_top, ((size_t)n + 1) * sizeof *b->line_top);

    size_t i = 0;
    PangoLayoutIter *it = pango_layout_get_iter(layout);
    do {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        int y0, y1;
        pango_layout_iter_get_line_yrange(it, &y0, &y1);
        b->line_start[i] = (size_t)line->start_index;
        b->line_top[i] = (double)y0 / PANGO_SCALE;
        i++;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);

    PangoRectangle logical;
    pango_layout_get_extents(layout, NULL, &logical);
    b->line_start[n] = strlen(text);
    b->height = (double)logical.height / PANGO_SCALE;
    b->line_top[n] = b->height;
}

/* The characters of a text as the breaker needs them (lg_para). */
typedef struct text_chars {
    size_t n;
    gunichar *cs;
    size_t *pos; /* n + 1 byte offsets, the last the text's length */
    int32_t *w, *half, *half_dx;
} text_chars;

static void text_chars_free(text_chars *t)
{
    free(t->cs);
    free(t->pos);
    free(t->w);
    free(t->half);
    free(t->half_dx);
}

/* The index of the character of T at byte AT (its first byte, or the end). */
static size_t char_at(const text_chars *t, size_t at)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->pos[mid] < at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Whether a line broken between A and B inside an item of SCRIPT leaves
 * the glyphs as the unbroken item has them. Pango shapes the two parts of
 * an item it breaks again: A then loses its kerning against B, and a
 * ligature of the two comes apart. True when neither happens: in a Latin
 * item, nABn is as wide as nA and Bn together; in a Han one, with 中
 * around them. Measured once per pair and script. */
static bool split_keeps(lg_layout *l, font_entry *e, PangoScript script, gunichar a, gunichar b)
{
    const char *x = script == PANGO_SCRIPT_LATIN ? "n" : script == PANGO_SCRIPT_HAN ? "中" : NULL;
    if (!x || a >= 0x10000 || b >= 0x10000 || a <= 0x20 || b <= 0x20 ||
        g_unichar_isspace(a) || g_unichar_isspace(b))
        return false;
    if (!e->pairs)
        e->pairs = g_hash_table_new(g_direct_hash, g_direct_equal);
    /* beside the fast path's kerning (pair_kerning): tag bits above both */
    gsize tag = script == PANGO_SCRIPT_LATIN ? 1 : 2;
    gpointer key = GSIZE_TO_POINTER((tag << 42 | (gsize)a << 21 | b) + 1);
    gpointer value;
    if (g_hash_table_lookup_extended(e->pairs, key, NULL, &value))
        return GPOINTER_TO_INT(value);
    GString *t[3] = {g_string_new(x), g_string_new(NULL), g_string_new(x)};
    g_string_append_unichar(t[0], a); /* xA */
    g_string_append_unichar(t[1], b); /* Bx */
    g_string_append(t[1], x);
    g_string_append_unichar(t[2], a); /* xABx */
    g_string_append_unichar(t[2], b);
    g_string_append(t[2], x);
    int w[3];
    for (int k = 0; k < 3; k++) {
        PangoLayout *layout = lg_unwrapped(l, e, t[k]->str);
        pango_layout_get_size(layout, &w[k], NULL);
        g_object_unref(layout);
        g_string_free(t[k], TRUE);
    }
    bool keeps = w[2] == w[0] + w[1];
    g_hash_table_insert(e->pairs, key, GINT_TO_POINTER(keeps));
    return keeps;
}

/* Into G (T->n, zeroed) the glyph of each character of T that LAYOUT
 * draws with one glyph of its own at its origin (lg_plain_glyph), in one
 * pass over each run's glyphs; LG_GLYPH_JOINED for one that starts no
 * cluster (the glyph before it draws it), but a paragraph's end. Unless
 * it is NULL, into TIED[k] (T->n + 1) whether a line broken before
 * character k is shaped otherwise than the paragraph: where
 * lg_reshaped_between says it may be, inside one item (a run of one script
 * and font), unless split_keeps says the two characters there shape apart
 * as together. Pango shapes the two parts of an item it breaks again; a
 * break between two items (，|R&D) leaves both as they were shaped. */
static void read_glyphs(lg_layout *l, font_entry *e, PangoLayout *layout, const text_chars *t,
                        uint32_t *g, bool *tied)
{
    unsigned char *seen = lg_xcalloc(t->n + 1, 1);
    size_t *item = lg_xcalloc(t->n + 1, sizeof *item); /* each character's run, from 1 */
    PangoScript *script = lg_xcalloc(t->n + 1, sizeof *script); /* its run's */
    size_t runs = 0;
    PangoLayoutIter *it = pango_layout_get_iter(layout);
    do {
        const PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
        if (!run)
            continue;
        runs++;
        size_t from = char_at(t, (size_t)run->item->offset);
        size_t to = char_at(t, (size_t)(run->item->offset + run->item->length));
        for (size_t k = from; k < to && k < t->n; k++) {
            item[k] = runs;
            script[k] = run->item->analysis.script;
        }
        for (int i = 0; i < run->glyphs->num_glyphs; i++) {
            size_t k = char_at(t, (size_t)(run->item->offset + run->glyphs->log_clusters[i]));
            if (k >= t->n || t->pos[k] != (size_t)(run->item->offset +
                                                  run->glyphs->log_clusters[i]))
                continue;
            /* a character with two glyphs has none of its own */
            g[k] = seen[k] ? 0 : lg_plain_glyph(&run->glyphs->glyphs[i]);
            seen[k] = 1;
        }
    } while (pango_layout_iter_next_run(it));
    pango_layout_iter_free(it);
    for (size_t k = 0; k < t->n; k++)
        if (!seen[k] && t->cs[k] != '\n')
            g[k] = LG_GLYPH_JOINED;
    for (size_t k = 0; tied && k <= t->n; k++)
        tied[k] = k > 0 && k < t->n && item[k] == item[k - 1] &&
                  lg_reshaped_between(t->cs[k - 1], t->cs[k]) &&
                  !split_keeps(l, e, script[k], t->cs[k - 1], t->cs[k]);
    free(script);
    free(item);
    free(seen);
}

/* The characters of TEXT with their advances as an unwrapped layout of it
 * in E's font shapes them (each paragraph as a whole: Pango's character
 * extents, as the fast path measures its probes). */
static bool read_chars(lg_layout *l, font_entry *e, const char *text, text_chars *t,
                       uint32_t *g, bool *tied)
{
    size_t len = strlen(text);
    t->cs = lg_xmalloc((len + 1) * sizeof *t->cs);
    t->pos = lg_xmalloc((len + 1) * sizeof *t->pos);
    t->n = 0;
    for (const char *p = text; *p; p = g_utf8_next_char(p)) {
        t->pos[t->n] = (size_t)(p - text);
        t->cs[t->n++] = g_utf8_get_char(p);
    }
    t->pos[t->n] = len;
    t->w = lg_xcalloc(t->n + 1, sizeof *t->w);
    t->half = lg_xmalloc((t->n + 1) * sizeof *t->half);
    t->half_dx = lg_xmalloc((t->n + 1) * sizeof *t->half_dx);
    lg_mark_halves(l, e, t->cs, t->n, t->half, t->half_dx);
    if (t->n == 0)
        return true;
    PangoLayout *layout = lg_unwrapped(l, e, text);
    PangoLayoutIter *it = pango_layout_get_iter(layout);
    bool own = e->primary != NULL;
    do {
        const PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
        if (!run)
            continue; /* a line's end */
        own &= run->item->analysis.font == e->primary;
        size_t k = char_at(t, (size_t)pango_layout_iter_get_index(it));
        PangoRectangle r;
        pango_layout_iter_get_char_extents(it, &r);
        if (k < t->n)
            t->w[k] = r.width;
    } while (pango_layout_iter_next_char(it));
    pango_layout_iter_free(it);
    if (g)
        read_glyphs(l, e, layout, t, g, tied);
    own &= pango_layout_get_unknown_glyphs_count(layout) == 0;
    g_object_unref(layout);
    return own;
}

/* See layout_impl.h. */
bool lg_shaped_advances(lg_layout *l, font_entry *e, const char *text, gunichar *cs,
                        size_t *pos, int32_t *w, uint32_t *g, bool *tied, size_t *n)
{
    bool at_start = true;
    for (const char *p = text; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        bool space = lg_indent_space(c, &at_start); /* as fast_advances takes it */
        if (c != '\n' && !space &&
            (g_unichar_isspace(c) || g_unichar_iscntrl(c) || c == 0x2028 || c == 0x2029))
            return false;
    }
    text_chars t;
    if (g)
        memset(g, 0, strlen(text) * sizeof *g);
    bool own = read_chars(l, e, text, &t, g, tied);
    if (own) {
        memcpy(cs, t.cs, t.n * sizeof *cs);
        memcpy(pos, t.pos, t.n * sizeof *pos);
        for (size_t k = 0; k < t.n; k++)
            w[k] = t.cs[k] == '\n' ? 0 : t.w[k];
        *n = t.n;
    }
    text_chars_free(&t);
    return own;
}

/* What to forbid so that Pango, breaking greedily, ends line S..E - 1 of
 * P at E and nowhere else (NEXT: the next line's end): when the line does
 * not fit as Pango measures it (marks at full width, trailing spaces not
 * counted: 推入, an overflow) the breaks before E, into HOLD[0..1]; the
 * breaks after E on a line that might still fit, into HOLD[2..3]; each a
 * pair of characters FROM, TO of P whose breaks strictly between are to
 * be forbidden (FROM == TO: none). Pango's breaks are UAX #14's (WORDS:
 * WORD_CHAR wrapping) or between any two characters (CHAR wrapping). Only
 * lines that need an attribute get one, since Pango converts each
 * attribute's offsets from its paragraph's start (a long paragraph with
 * one per line is quadratic). */
static void hold_break(size_t *hold, const lg_para *p, size_t s, size_t e, size_t next,
                       int32_t width, int32_t em, bool words)
{
    int64_t set = 0, spaces = 0;
    bool fits = false; /* line S..E - 1 */
    size_t last = e;   /* the last break after E that Pango might find on it */
    for (size_t k = s; k < p->m; k++) {
        set += p->w[k];
        spaces = g_unichar_isspace(p->cs[k]) ? spaces + p->w[k] : 0;
        /* Pango fits a line broken between letters a little wider than
         * the sum of their advances (0.1 pt seen): a margin on that side. */
        if (set - spaces > width + em / 32)
            break;
        size_t j = k + 1; /* the break after character k */
        fits |= j == e && set - spaces <= width;
        if (j > e && j < next && (j == p->m || (words ? p->attrs[j].is_line_break : p->attrs[j].is_char_break)))
            last = j;
    }
    /* Broken between two characters that are not ideographs (a word, a
     * number, marks after a word: "……(" is kerned in Latin), Pango shapes
     * the line again and may find it wider than the breaker did: it is
     * held to the breaker's end all the same, so that the lines are the
     * breaker's (and lg_shaped_advances') whatever the kerning. */
    bool reshaped = e > s && e < p->m && lg_reshaped_between(p->cs[e - 1], p->cs[e]);
    hold[0] = hold[1] = s;
    if (!fits || reshaped)
        hold[1] = e;
    hold[2] = hold[3] = e;
    if (last > e)
        hold[3] = last == p->m ? p->m : last + 1;
}

/* Adds to ATTRS the allow-breaks=FALSE attribute of characters FROM..TO - 1
 * of T (the breaks strictly inside them forbidden), if there are any. */
static void forbid_breaks(PangoAttrList *attrs, const text_chars *t, size_t from, size_t to)
{
    if (to < from + 2)
        return;
    PangoAttribute *attr = pango_attr_allow_breaks_new(FALSE);
    attr->start_index = (guint)t->pos[from];
    attr->end_index = (guint)t->pos[to];
    pango_attr_list_insert(attrs, attr);
}

/* Breaks each paragraph of TEXT (its characters T) at WIDTH (lg_break_paragraph, in a
 * font of EM units) and adds to ATTRS what makes Pango break there and
 * nowhere else: an allow-breaks=FALSE attribute over each line, which
 * forbids the breaks strictly inside it. Hence _insert and not
 * pango_attr_list_change, which would merge two adjacent lines' attributes
 * and forbid the break between them too. */
static bool break_text(lg_layout *l, const char *text, const text_chars *t, int32_t width,
                       int32_t em, PangoAttrList *attrs)
{
    bool words = true; /* every break chosen is one of UAX #14 */
    PangoLogAttr *la = lg_xmalloc((t->n + 2) * sizeof *la);
    size_t *ends = lg_xmalloc((t->n + 1) * sizeof *ends), n_ends = 0;
    for (size_t a = 0; a < t->n; a++) {
        size_t b = a;
        while (b < t->n && !is_paragraph_end(t->cs[b]))
            b++;
        if (b > a) {
            pango_get_log_attrs(text + t->pos[a], (int)(t->pos[b] - t->pos[a]), -1,
                                pango_context_get_language(l->context), la + a, (int)(b - a) + 1);
            lg_para p = {t->cs + a, t->w + a, la + a, t->half + a, t->half_dx + a, b - a};
            size_t n = lg_break_paragraph(&p, width, em, ends + n_ends);
            for (size_t i = 0; i < n; i++) {
                words &= ends[n_ends + i] == b - a || la[a + ends[n_ends + i]].is_line_break;
                ends[n_ends + i] += a;
            }
            n_ends += n;
        }
        a = b;
    }
    /* Pango's breaks: UAX #14's (WORD_CHAR wrapping) or every character's. */
    for (size_t a = 0, i = 0; a < t->n; a++) {
        size_t b = a;
        while (b < t->n && !is_paragraph_end(t->cs[b]))
            b++;
        if (b > a) {
            lg_para p = {t->cs + a, t->w + a, la + a, t->half + a, t->half_dx + a, b - a};
            /* Pango takes one attribute of a kind at a place: two that
             * overlap would leave a break open where one ends. They can
             * only start together, after a line that fits, before one that
             * does not (its range holds the other): the later is kept. */
            size_t held[2] = {0, 0}, hold[4];
            for (size_t s = a; i < n_ends && ends[i] <= b; s = ends[i++]) {
                size_t next = i + 1 < n_ends && ends[i + 1] <= b ? ends[i + 1] - a : b - a;
                hold_break(hold, &p, s - a, ends[i] - a, next, width, em, words);
                for (int h = 0; h < 4; h += 2) {
                    if (hold[h] != held[0])
                        forbid_breaks(attrs, t, a + held[0], a + held[1]);
                    if (hold[h] != held[0] || hold[h + 1] > held[1]) {
                        held[0] = hold[h];
                        held[1] = hold[h + 1];
                    }
                }
            }
            forbid_breaks(attrs, t, a + held[0], a + held[1]);
        }
        a = b;
    }
    free(la);
    free(ends);
    return words;
}

/* Changes the glyphs of LINE, characters S..E - 1 of T, as DW and DX say
 * (lg_place_line): the first glyph of a character's cluster shifted, the
 * last one widened. */
static void set_glyphs(PangoLayoutLine *line, const text_chars *t, size_t s, size_t e,
                       const int32_t *dw, const int32_t *dx)
{
    for (GSList *r = line->runs; r; r = r->next) {
        PangoGlyphItem *run = r->data;
        PangoGlyphString *gs = run->glyphs;
        int off = run->item->offset;
        for (int i = 0; i < gs->num_glyphs; i++) {
            int c0 = gs->log_clusters[i];
            size_t k = char_at(t, (size_t)(off + c0));
            if (k < s || k >= e)
                continue;
            if (i == 0 || gs->log_clusters[i - 1] != c0)
                gs->glyphs[i].geometry.x_offset += dx[k - s];
            if (i + 1 == gs->num_glyphs || gs->log_clusters[i + 1] != c0) {
                int next = i + 1 < gs->num_glyphs ? off + gs->log_clusters[i + 1]
                                                   : off + run->item->length;
                for (size_t j = k, k1 = char_at(t, (size_t)next); j < k1 && j < e; j++)
                    gs->glyphs[i].geometry.width += dw[j - s];
            }
        }
    }
}

/* Sets each line of LAYOUT (of T, at WIDTH, in a font of EM units) as
 * lg_place_line says: marks at half width beside marks and where the
 * breaker pulled a character in, and when JUSTIFY the room of a line but
 * a paragraph's last shared out. The lines are taken with
 * pango_layout_get_lines, which makes Pango measure them again. */
static void place_lines(PangoLayout *layout, const text_chars *t, int32_t width, int32_t em,
                        bool justify)
{
    int32_t *dw = lg_xmalloc((t->n + 1) * sizeof *dw), *dx = lg_xmalloc((t->n + 1) * sizeof *dx);
    int32_t *lw = lg_xmalloc((t->n + 1) * sizeof *lw);
    size_t a = 0, b = 0; /* the line's paragraph */
    for (GSList *it = pango_layout_get_lines(layout); it; it = it->next) {
        PangoLayoutLine *line = it->data;
        size_t s = char_at(t, (size_t)line->start_index);
        size_t e = char_at(t, (size_t)(line->start_index + line->length));
        if (line->is_paragraph_start || s >= b) {
            a = b = s;
            while (b < t->n && !is_paragraph_end(t->cs[b]))
                b++;
        }
        if (e <= s)
            continue;
        bool last = e >= b || t->cs[e - 1] == 0x2028;
        /* The line's own advances: Pango shapes a line broken inside a
         * word again, which changes the kerning across the break. */
        for (size_t k = s; k < e; k++)
            lw[k] = 0;
        for (GSList *r = line->runs; r; r = r->next) {
            const PangoGlyphItem *run = r->data;
            for (int i = 0; i < run->glyphs->num_glyphs; i++) {
                size_t k = char_at(t, (size_t)(run->item->offset + run->glyphs->log_clusters[i]));
                if (k >= s && k < e)
                    lw[k] += run->glyphs->glyphs[i].geometry.width;
            }
        }
        lg_para p = {t->cs + a, lw + a, NULL, t->half + a, t->half_dx + a, b - a};
        lg_place_line(&p, s - a, e - a, width, em, justify && !last, dw, dx);
        set_glyphs(line, t, s, e, dw, dx);
    }
    free(lw);
    free(dw);
    free(dx);
}


/* ---- the cache of laid-out texts ------------------------------------------ */

/* The hash of a cache key (FNV-1a). */
static uint64_t key_hash(lg_layout *l, lg_box_kind kind, const char *text, const font_entry *font,
                         double width, int align, int justify)
{
    uint64_t h = 1469598103934665603u;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    size_t fi = (size_t)(font - l->fonts);
    return (h ^ fi ^ (uint64_t)lround(width * 64) ^
            (uint64_t)((align * 2 + justify) * 4 + (int)kind)) *
           1099511628211u;
}

/* The slot of the box of KIND for (TEXT, FONT, WIDTH, ALIGN, JUSTIFY), its
 * key hashed H, in L's cache: its entry, or the empty slot where it goes. */
static cached *cache_slot(lg_layout *l, uint64_t h, lg_box_kind kind, const char *text,
                          const font_entry *font, double width, int align, int justify)
{
    size_t fi = (size_t)(font - l->fonts);
    for (size_t i = (size_t)(h % CACHE_SLOTS);; i = (i + 1) % CACHE_SLOTS) {
        cached *c = &l->cache[i];
        if (!c->box || (c->kind == kind && c->font == fi && c->width == width &&
                        c->align == align && c->justify == justify && strcmp(c->text, text) == 0))
            return c;
    }
}

/* About how many bytes B, laid out from TEXT, holds: what the cache counts
 * against its budget. A Pango layout keeps its items and glyph strings:
 * some 14.5 KB for a cell of 521 bytes (mallinfo2 around 200 of them), 28
 * bytes a byte of text; counted as 1 KB and 32 a byte. */
static size_t box_bytes(const lg_text_box *b, const char *text)
{
    size_t len = strlen(text) + 1;
    size_t n = sizeof *b + len + (b->n_lines + 1) * (sizeof *b->line_start + sizeof *b->line_top);
    if (b->impl)
        n += 1024 + 32 * len;
    if (b->glyphs) {
        const fast_glyphs *fg = b->glyphs;
        size_t chars = fg->line_char[b->n_lines] + 1;
        n += len + chars * (sizeof *fg->glyph + sizeof *fg->x) +
             (b->n_lines + 1) * sizeof *fg->line_char;
    }
    return n;
}

/* Whether the key hashed H was seen before; remembers it when not. A short
 * text is kept from its second layout on: each page's footer, laid out
 * once, never is. */
static bool seen_before(lg_layout *l, uint64_t h)
{
    if (!l->seen)
        l->seen = lg_xcalloc(SEEN_SLOTS, sizeof *l->seen);
    h |= 1; /* 0 is an empty slot */
    for (size_t i = (size_t)(h % SEEN_SLOTS);; i = (i + 1) % SEEN_SLOTS) {
        if (l->seen[i] == h)
            return true;
        if (!l->seen[i]) {
            if (l->n_seen >= SEEN_SLOTS / 2)
                return false; /* remembers no more */
            l->seen[i] = h;
            l->n_seen++;
            return false;
        }
    }
}

lg_text_box *lg_cache_get(lg_layout *l, lg_box_kind kind, const char *text,
                          const font_entry *font, double width, lg_align align, bool justify)
{
    if (!l->cache)
        return NULL;
    cached *c = cache_slot(l, key_hash(l, kind, text, font, width, (int)align, justify), kind,
                           text, font, width, (int)align, justify);
    if (!c->box)
        return NULL;
    c->box->refs++;
    return c->box;
}

lg_text_box *lg_cache_put(lg_layout *l, lg_box_kind kind, const char *text,
                          const font_entry *font, double width, lg_align align, bool justify,
                          lg_text_box *b)
{
    /* Full, it keeps what it has: the rows a table measured first are the
     * first it draws, and emptying it would lose them all. Short texts have
     * a budget of their own, so that long ones do not crowd out the names
     * and dates that come back on every page (nor each page's own footer
     * the rest). */
    size_t bytes = box_bytes(b, text);
    bool is_short = strlen(text) <= SHORT_TEXT;
    size_t *used = &l->cache_bytes[is_short];
    uint64_t h = key_hash(l, kind, text, font, width, (int)align, justify);
    if (l->n_cached >= CACHE_SLOTS / 2 ||
        *used + bytes > (is_short ? CACHE_SHORT_BYTES : CACHE_BYTES) ||
        (is_short && !seen_before(l, h)))
        return b;
    if (!l->cache)
        l->cache = lg_xcalloc(CACHE_SLOTS, sizeof *l->cache);
    cached *c = cache_slot(l, h, kind, text, font, width, (int)align, justify);
    assert(!c->box); /* looked up before it was laid out */
    *c = (cached){lg_xstrdup(text), (size_t)(font - l->fonts), width, (int)align, justify, kind, b};
    b->refs++;
    l->n_cached++;
    *used += bytes;
    return b;
}

lg_text_box *lg_layout_text(lg_layout *l, const char *text, const lg_font *font, double width,
                            lg_align align, bool justify)
{
    if (!text)
        text = "";
    l = lg_layout_for(l, text);
    const font_entry *fe = lg_font_entry(l, font);
    lg_text_box *b = lg_cache_get(l, BOX_TEXT, text, fe, width, align, justify);
    if (!b)
        b = lg_cache_put(l, BOX_TEXT, text, fe, width, align, justify,
                         lg_layout_pango(l, text, font, width, align, justify));
    return b;
}

/* See layout_impl.h. */
lg_text_box *lg_layout_pango(lg_layout *l, const char *text, const lg_font *font, double width,
                             lg_align align, bool justify)
{
    lg_text_box *b = lg_xcalloc(1, sizeof *b);
    b->refs = 1;
    PangoLayout *layout = pango_layout_new(l->context);
    b->impl = layout;
    b->width = width;

    font_entry *fe = lg_font_entry(l, font);
    pango_layout_set_font_description(layout, fe->desc);
    pango_layout_set_text(layout, text, -1);
    pango_layout_set_alignment(layout, align == LG_ALIGN_CENTER  ? PANGO_ALIGN_CENTER
                                       : align == LG_ALIGN_RIGHT ? PANGO_ALIGN_RIGHT
                                                                 : PANGO_ALIGN_LEFT);
    text_chars t;
    read_chars(l, fe, text, &t, NULL, NULL);
    int32_t em = (int32_t)lround(fe->size * PANGO_SCALE);
    int32_t wu = width > 0 ? (int32_t)lround(width * PANGO_SCALE) : INT32_MAX / 2;

    /* Pango would add a hyphen where it breaks a long Latin word between
     * characters. The hyphen is not in the text, so the XLSX continuation
     * rows (lg_text_box_slice) would not show it: keep the two alike. */
    PangoAttrList *attrs = pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
    if (width > 0) {
        /* The breaker chooses the lines; Pango breaks where it says, and
         * only there; a line the breaker let overflow, Pango does too. A
         * break between two letters (a URL's, a word's) WORD_CHAR finds
         * only inside the item that overflows: CHAR wrapping takes it
         * wherever it is, but not an overflowing line's break. */
        pango_layout_set_width(layout, wu);
        bool words = break_text(l, text, &t, wu, em, attrs);
        pango_layout_set_wrap(layout, words ? PANGO_WRAP_WORD_CHAR : PANGO_WRAP_CHAR);
    }
    pango_layout_set_attributes(layout, attrs);
    pango_attr_list_unref(attrs);
    read_lines(b, layout, text);
    place_lines(layout, &t, wu, em, justify && width > 0);
    text_chars_free(&t);

    b->unknown_glyphs = (unsigned)pango_layout_get_unknown_glyphs_count(layout);
    return b;
}

void lg_text_box_free(lg_text_box *b)
{
    if (!b || --b->refs > 0)
        return;
    if (b->impl)
        g_object_unref(b->impl);
    lg_fast_glyphs_free(b->glyphs);
    free(b->line_start);
    free(b->line_top);
    free(b);
}

double lg_text_box_line_width(const lg_text_box *b, size_t line)
{
    if (line >= b->n_lines)
        return 0;
    assert(b->impl); /* not a box from the fast path of lg_layout_measure */
    PangoLayoutLine *l = pango_layout_get_line_readonly(b->impl, (int)line);
    PangoRectangle logical;
    pango_layout_line_get_extents(l, NULL, &logical);
    return (double)logical.width / PANGO_SCALE;
}

/* Draws lines FIRST..END-1 of B, a box of lg_layout_fast, from its glyphs:
 * what pango_cairo_show_layout_line would draw for them, to the same
 * positions, and with the same text for each glyph (so that the PDF's text
 * extracts), without shaping. */
static void draw_glyphs(const lg_text_box *b, cairo_t *cr, double x, double y, size_t first,
                        size_t end)
{
    const fast_glyphs *fg = b->glyphs;
    size_t most = fg->line_char[end] - fg->line_char[first];
    cairo_glyph_t *glyphs = lg_xmalloc((most + 1) * sizeof *glyphs);
    cairo_text_cluster_t *clusters = lg_xmalloc((most + 1) * sizeof *clusters);
    cairo_set_scaled_font(cr, pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(fg->font)));
    for (size_t i = first; i < end; i++) {
        const char *p = fg->text + b->line_start[i], *q = fg->text + b->line_start[i + 1];
        if (q > p && q[-1] == '\n')
            q--; /* the paragraph's end: no glyph */
        /* The line's origin as Pango takes it: cairo's current point, which
         * has 1/256 of a unit's precision. */
        cairo_move_to(cr, x, y + (double)((int64_t)(i - first) * fg->line_height + fg->ascent) /
                                     PANGO_SCALE);
        double bx, by;
        cairo_get_current_point(cr, &bx, &by);
        int n = 0;
        for (size_t c = fg->line_char[i]; p < q; c++) {
            const char *next = g_utf8_next_char(p);
            if (fg->glyph[c] == LG_GLYPH_JOINED) {
                assert(n > 0); /* a line never begins with one (fast_paragraph) */
                clusters[n - 1].num_bytes += (int)(next - p); /* the glyph before draws it */
            } else {
                glyphs[n] = (cairo_glyph_t){fg->glyph[c], bx + (double)fg->x[c] / PANGO_SCALE, by};
                clusters[n++] = (cairo_text_cluster_t){(int)(next - p), 1};
            }
            p = next;
        }
        if (n > 0)
            cairo_show_text_glyphs(cr, fg->text + b->line_start[i],
                                   (int)(q - (fg->text + b->line_start[i])), glyphs, n,
                                   clusters, n, 0);
    }
    free(glyphs);
    free(clusters);
}

void lg_text_box_draw(const lg_text_box *b, cairo_t *cr, double x, double y, size_t first,
                      size_t end)
{
    if (end > b->n_lines)
        end = b->n_lines;
    if (first >= end)
        return;
    if (b->glyphs) {
        draw_glyphs(b, cr, x, y, first, end);
        return;
    }
    assert(b->impl); /* not a box from the fast path of lg_layout_measure */
    PangoLayoutIter *it = pango_layout_get_iter(b->impl);
    for (size_t i = 0; i < first; i++)
        pango_layout_iter_next_line(it);

    /* Positions are in layout coordinates; shift them so that line FIRST's
     * logical top lands at Y. This is what pango_cairo_show_layout does, for
     * a range of lines: the x of a line's logical extents carries the
     * alignment offset, the baseline its place in the box. */
    int top0;
    pango_layout_iter_get_line_yrange(it, &top0, NULL);
    for (size_t i = first; i < end; i++) {
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        int baseline = pango_layout_iter_get_baseline(it);
        cairo_move_to(cr, x + (double)logical.x / PANGO_SCALE,
                      y + (double)(baseline - top0) / PANGO_SCALE);
        pango_cairo_show_layout_line(cr, pango_layout_iter_get_line_readonly(it));
        if (!pango_layout_iter_next_line(it))
            break;
    }
    pango_layout_iter_free(it);
}

char *lg_text_box_slice(const lg_text_box *b, const char *text, size_t first, size_t end)
{
    if (end > b->n_lines)
        end = b->n_lines;
    if (first >= end)
        return lg_xstrdup("");
    size_t from = b->line_start[first], to = b->line_start[end];
    /* The paragraph separator belongs to neither side of a split. */
    if (to > from && text[to - 1] == '\n') {
        to--;
        if (to > from && text[to - 1] == '\r')
            to--;
    }
    char *s = lg_xmalloc(to - from + 1);
    memcpy(s, text + from, to - from);
    s[to - from] = '\0';
    return s;
}
