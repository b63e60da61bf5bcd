/* Text layout with Pango: the one place where cell text is broken into lines
 * and measured. The XLSX renderer takes row heights and continuation-row
 * splits from here, the PDF renderer draws the very same PangoLayouts, so the
 * two cannot disagree about where a line ends.
 *
 * Chinese line breaking (避头尾, the GB rules of W3C clreq) is checked after
 * Pango's UAX #14 breaking and enforced where Pango got it wrong. */
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
    for (size_t i = 0; l->cache && i < CACHE_SLOTS; i++)
        if (l->cache[i].box) {
            l->cache[i].box->shared = false;
            lg_text_box_free(l->cache[i].box);
            free(l->cache[i].text);
        }
    free(l->cache);
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
    return e;
}

static const PangoFontDescription *font_desc(lg_layout *l, const lg_font *font)
{
    return lg_font_entry(l, font)->desc;
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

/* ---- justification: where a line's room goes ------------------------------ */

/* Chinese text: ideographs and the CJK and full-width marks. */
static bool is_cjk(gunichar c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF65) || c == 0x2014 ||
           c == 0x2026 || (c >= 0x2018 && c <= 0x201D) || c == 0x00B7;
}

static bool is_cjk_mark(gunichar c)
{
    return is_cjk(c) && !((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF)) &&
           !(c >= 0xFF10 && c <= 0xFF19) && !(c >= 0xFF21 && c <= 0xFF5A);
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

/* See layout_impl.h. */
void lg_justify_gaps(const gunichar *cs, size_t n, int32_t room, int32_t em, int32_t *extra)
{
    memset(extra, 0, n * sizeof *extra);
    if (n < 2 || room <= 0)
        return;
    bool *open = lg_xmalloc(n * sizeof *open), *mark = lg_xmalloc(n * sizeof *mark);
    size_t n_open = 0, n_mark = 0;
    for (size_t k = 0; k + 1 < n; k++) {
        open[k] = !inside_latin_run(cs[k], cs[k + 1]);
        /* the blank half of a full-width mark, not between two marks */
        mark[k] = open[k] &&
                  ((is_cjk_mark(cs[k]) && !no_line_end(cs[k]) && !is_cjk_mark(cs[k + 1])) ||
                   (no_line_end(cs[k + 1]) && is_cjk_mark(cs[k + 1]) && !is_cjk_mark(cs[k])));
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

static bool is_paragraph_end(gunichar c)
{
    return c == '\n' || c == '\r' || c == 0x2029;
}

/* Whether AT, a character of a text, is the last of its paragraph: a line
 * starting there would hold it alone (a lone character, avoided when a
 * legal breaking can). */
static bool last_of_paragraph(const char *at)
{
    if (!*at || is_paragraph_end(g_utf8_get_char(at)))
        return false;
    const char *next = g_utf8_next_char(at);
    return !*next || is_paragraph_end(g_utf8_get_char(next));
}

/* ---- text boxes ------------------------------------------------------------ */

/* What read_lines finds at a wrapped line boundary. */
enum { BREAK_VIOLATION = 1, BREAK_LONE = 2 };

/* Fills the line arrays of B from its layout. Returns BREAK_VIOLATION when
 * some line starts or ends against the rules, BREAK_LONE when a
 * paragraph's last line is a single character after a wrap (or both). */
static unsigned read_lines(lg_text_box *b, PangoLayout *layout, const char *text)
{
    int n = pango_layout_get_line_count(layout);
    b->n_lines = (size_t)n;
    b->line_start = lg_xrealloc(b->line_start, ((size_t)n + 1) * sizeof *b->line_start);
    b->line_top = lg_xrealloc(b->line_top, ((size_t)n + 1) * sizeof *b->line_top);

    unsigned found = 0;
    size_t i = 0;
    PangoLayoutIter *it = pango_layout_get_iter(layout);
    do {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        int y0, y1;
        pango_layout_iter_get_line_yrange(it, &y0, &y1);
        b->line_start[i] = (size_t)line->start_index;
        b->line_top[i] = (double)y0 / PANGO_SCALE;
        /* A wrapped (not paragraph) boundary: check the characters on each side. */
        if (i > 0 && !line->is_paragraph_start && line->start_index > 0 && text[line->start_index]) {
            const char *at = text + line->start_index;
            gunichar before = g_utf8_get_char(g_utf8_prev_char(at));
            gunichar after = g_utf8_get_char(at);
            if (lg_break_forbidden(before, after))
                found |= BREAK_VIOLATION;
            if (last_of_paragraph(at))
                found |= BREAK_LONE;
        }
        i++;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);

    PangoRectangle logical;
    pango_layout_get_extents(layout, NULL, &logical);
    b->line_start[n] = strlen(text);
    b->height = (double)logical.height / PANGO_SCALE;
    b->line_top[n] = b->height;
    return found;
}

/* The logical width of LAYOUT's widest line, Pango units. */
static int widest_line(PangoLayout *layout)
{
    int widest = 0;
    for (GSList *it = pango_layout_get_lines_readonly(layout); it; it = it->next) {
        PangoRectangle logical;
        pango_layout_line_get_extents(it->data, NULL, &logical);
        if (logical.width > widest)
            widest = logical.width;
    }
    return widest;
}

/* Forbids, in ATTRS, every break in TEXT that the rules forbid, and with
 * LONE the break before each paragraph's last character. A run of
 * consecutive forbidden boundaries becomes one allow-breaks=FALSE attribute
 * from the character before the first to the character after the last:
 * Pango forbids the breaks strictly inside such a range. Hence _insert and
 * not pango_attr_list_change, which would merge two adjacent ranges and
 * forbid the legal break between them too. */
static void forbid_illegal_breaks(PangoAttrList *attrs, const char *text, bool lone)
{
    const char *prev = NULL; /* the character before P */
    const char *run = NULL;  /* start of the current range, or NULL */
    for (const char *p = text; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        /* Paragraph ends are Pango's mandatory breaks: never in a range. */
        bool forbid = prev && !is_paragraph_end(g_utf8_get_char(prev)) && !is_paragraph_end(c) &&
                      (lg_break_forbidden(g_utf8_get_char(prev), c) ||
                       (lone && last_of_paragraph(p)));
        if (forbid && !run)
            run = prev;
        if (!forbid && run) {
            PangoAttribute *a = pango_attr_allow_breaks_new(FALSE);
            a->start_index = (guint)(run - text);
            a->end_index = (guint)(p - text); /* through PREV */
            pango_attr_list_insert(attrs, a);
            run = NULL;
        }
        prev = p;
    }
    if (run) {
        PangoAttribute *a = pango_attr_allow_breaks_new(FALSE);
        a->start_index = (guint)(run - text);
        a->end_index = (guint)strlen(text);
        pango_attr_list_insert(attrs, a);
    }
}

static lg_text_box *layout_text(lg_layout *l, const char *text, const lg_font *font,
                                double width, lg_align align, bool justify);

/* The slot of (TEXT, FONT, WIDTH, ALIGN, JUSTIFY) in L's cache: its entry, or
 * the empty slot where it goes. */
static cached *cache_slot(lg_layout *l, const char *text, const font_entry *font, double width,
                          int align, int justify)
{
    uint64_t h = 1469598103934665603u;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    h = (h ^ (uintptr_t)font ^ (uint64_t)lround(width * 64) ^ (uint64_t)(align * 2 + justify)) *
        1099511628211u;
    for (size_t i = (size_t)(h % CACHE_SLOTS);; i = (i + 1) % CACHE_SLOTS) {
        cached *c = &l->cache[i];
        if (!c->box || (c->font == font && c->width == width && c->align == align &&
                        c->justify == justify && strcmp(c->text, text) == 0))
            return c;
    }
}

lg_text_box *lg_layout_text(lg_layout *l, const char *text, const lg_font *font, double width,
                            lg_align align, bool justify)
{
    if (!text)
        text = "";
    l = lg_layout_for(l, text);
    if (strlen(text) > SHORT_TEXT)
        return layout_text(l, text, font, width, align, justify);
    if (!l->cache)
        l->cache = lg_xcalloc(CACHE_SLOTS, sizeof *l->cache);
    const font_entry *fe = lg_font_entry(l, font);
    cached *c = cache_slot(l, text, fe, width, (int)align, justify);
    if (c->box)
        return c->box;
    lg_text_box *b = layout_text(l, text, font, width, align, justify);
    if (l->n_cached < CACHE_SLOTS / 2) {
        *c = (cached){lg_xstrdup(text), fe, width, (int)align, justify, b};
        b->shared = true;
        l->n_cached++;
    }
    return b;
}

/* Lays LAYOUT out again with ATTRS and every illegal break of TEXT
 * forbidden (forbid_illegal_breaks, LONE), into B; what read_lines finds. */
static unsigned relayout(lg_text_box *b, PangoLayout *layout, PangoAttrList *attrs,
                         const char *text, bool lone)
{
    /* A new list: the layout holds a reference to ATTRS and ignores
     * setting a list equal to the one it has, so changing ATTRS in place
     * would not lay it out again. */
    PangoAttrList *strict = pango_attr_list_copy(attrs);
    forbid_illegal_breaks(strict, text, lone);
    pango_layout_set_attributes(layout, strict);
    pango_attr_list_unref(strict);
    return read_lines(b, layout, text);
}

/* Gives the room of line J (justified by Pango) to the gaps lg_justify_gaps
 * picks, from the glyphs of N, the same line unjustified: each glyph as N
 * sets it, the extra space after its cluster's last glyph. Lines whose
 * runs differ are left as Pango justified them. */
static void rejustify_line(PangoLayoutLine *j, const PangoLayoutLine *n, const char *text,
                           int width, int32_t em)
{
    size_t n_glyphs = 0;
    const GSList *jr = j->runs, *nr = n->runs;
    for (; jr && nr; jr = jr->next, nr = nr->next) {
        const PangoGlyphItem *a = jr->data, *b = nr->data;
        if (a->glyphs->num_glyphs != b->glyphs->num_glyphs || a->item->offset != b->item->offset)
            return;
        n_glyphs += (size_t)a->glyphs->num_glyphs;
    }
    if (jr || nr || n_glyphs == 0)
        return;
    gunichar *cs = lg_xmalloc(n_glyphs * sizeof *cs);
    PangoGlyphInfo **last = lg_xmalloc(n_glyphs * sizeof *last);
    int32_t *extra = lg_xmalloc(n_glyphs * sizeof *extra);
    size_t nc = 0;
    int32_t room = width;
    for (jr = j->runs, nr = n->runs; jr; jr = jr->next, nr = nr->next) {
        PangoGlyphItem *a = jr->data;
        const PangoGlyphItem *b = nr->data;
        for (int i = 0; i < a->glyphs->num_glyphs; i++) {
            int cluster = a->glyphs->log_clusters[i];
            if (i == 0 || cluster != a->glyphs->log_clusters[i - 1])
                cs[nc++] = g_utf8_get_char(text + a->item->offset + cluster);
            a->glyphs->glyphs[i].geometry = b->glyphs->glyphs[i].geometry;
            room -= a->glyphs->glyphs[i].geometry.width;
            last[nc - 1] = &a->glyphs->glyphs[i];
        }
    }
    lg_justify_gaps(cs, nc, room, em, extra);
    for (size_t k = 0; k < nc; k++)
        last[k]->geometry.width += extra[k];
    free(cs);
    free(last);
    free(extra);
}

/* Justifies the lines of LAYOUT (of TEXT, justified by Pango at WIDTH
 * Pango units, in a font of EM units) as lg_justify_gaps says: the same
 * lines, their room elsewhere. The last line of a paragraph stays as set. */
static void rejustify(PangoLayout *layout, const char *text, int width, int32_t em)
{
    PangoLayout *natural = pango_layout_copy(layout);
    pango_layout_set_justify(natural, FALSE);
    GSList *jl = pango_layout_get_lines(layout), *nl = pango_layout_get_lines(natural);
    for (; jl && nl; jl = jl->next, nl = nl->next) {
        PangoLayoutLine *j = jl->data, *n = nl->data;
        bool last = !jl->next || ((PangoLayoutLine *)jl->next->data)->is_paragraph_start;
        if (!last && j->start_index == n->start_index && j->length == n->length)
            rejustify_line(j, n, text, width, em);
    }
    g_object_unref(natural);
}

static lg_text_box *layout_text(lg_layout *l, const char *text, const lg_font *font,
                                double width, lg_align align, bool justify)
{
    lg_text_box *b = lg_xcalloc(1, sizeof *b);
    PangoLayout *layout = pango_layout_new(l->context);
    b->impl = layout;
    b->width = width;

    pango_layout_set_font_description(layout, font_desc(l, font));
    pango_layout_set_text(layout, text, -1);
    if (width > 0) {
        pango_layout_set_width(layout, (int)lround(width * PANGO_SCALE));
        /* Break between words (UAX #14, right for Chinese); only a word wider
         * than the column breaks between characters. */
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_alignment(layout, align == LG_ALIGN_CENTER  ? PANGO_ALIGN_CENTER
                                       : align == LG_ALIGN_RIGHT ? PANGO_ALIGN_RIGHT
                                                                 : PANGO_ALIGN_LEFT);
    pango_layout_set_justify(layout, justify);
    pango_layout_set_justify_last_line(layout, FALSE);

    /* Pango would add a hyphen where it breaks a long Latin word between
     * characters. The hyphen is not in the text, so the XLSX continuation
     * rows (lg_text_box_slice) would not show it: keep the two alike. */
    PangoAttrList *attrs = pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
    pango_layout_set_attributes(layout, attrs);

    unsigned found = read_lines(b, layout, text);
    if (found) {
        /* Pango broke a line where 避头尾 forbids it. Forbidding only that
         * break and laying out again can move the break onto another
         * forbidden one (字。” → 字。|” → 字|。”), one relayout each.
         * Forbidding every illegal break of the text at once gives the same
         * lines (breaking is greedy, and the result only uses legal breaks)
         * with a single relayout. When no legal break fits — a column too
         * narrow for a run of punctuation — Pango lets the line overflow
         * rather than break it: accepted. */
        /* A paragraph's last line of one character (BREAK_LONE), at once
         * or once 避头尾 has pushed characters down: its break is forbidden
         * too, and the line before gives up a character — unless a line then
         * overflows wider than without it (no legal break fits). Greedy breaking only takes that break when
         * it leaves the character alone, so forbidding it in every
         * paragraph changes no other line. */
        bool lone = found & BREAK_LONE;
        found = relayout(b, layout, attrs, text, lone);
        if (!lone && (found & BREAK_LONE)) {
            lone = true;
            relayout(b, layout, attrs, text, true);
        }
        int widest = lone && width > 0 ? widest_line(layout) : 0;
        if (widest > (int)lround(width * PANGO_SCALE)) {
            /* Kept only when a line overflows anyway, as wide without it. */
            relayout(b, layout, attrs, text, false);
            if (widest_line(layout) >= widest)
                relayout(b, layout, attrs, text, true);
        }
    }
    pango_attr_list_unref(attrs);
    if (justify && width > 0)
        rejustify(layout, text, (int)lround(width * PANGO_SCALE),
                  (int32_t)lround(lg_font_entry(l, font)->size * PANGO_SCALE));

    b->unknown_glyphs = (unsigned)pango_layout_get_unknown_glyphs_count(layout);
    return b;
}

void lg_text_box_free(lg_text_box *b)
{
    if (!b || b->shared)
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
        for (size_t c = fg->line_char[i]; p < q; c++, n++) {
            const char *next = g_utf8_next_char(p);
            glyphs[n] = (cairo_glyph_t){fg->glyph[c], bx + (double)fg->x[c] / PANGO_SCALE, by};
            clusters[n] = (cairo_text_cluster_t){(int)(next - p), 1};
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
