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

#include "arena.h"

/* A font description made once per (family, size, bold) and reused. */
typedef struct font_entry {
    char *family;
    double size;
    bool bold;
    PangoFontDescription *desc;
    PangoFontset *fontset; /* loaded on first use by lg_layout_missing_chars */
    uint8_t *coverage;     /* per BMP character: 0 not asked yet, 1 shown, 2 missing */
    /* The fast path of lg_layout_measure (see there): */
    int32_t *advance;  /* per BMP character, Pango units: 0 not asked yet, -1 not for it */
    PangoFont *primary; /* the font the description loads; NULL until the first probe */
    int line_height;    /* of a line in the primary font, Pango units */
    GHashTable *pairs;  /* neighbours that are not ideographs: their kerning */
    GHashTable *runs;   /* runs of such neighbours: each character's width */
    bool no_fast_path;  /* the description's own font does not show Chinese */
} font_entry;

/* Short texts (是, 否, a unit's name, a due date, a header) come back on
 * many rows and pages: their boxes are laid out once and shared. */
#define SHORT_TEXT 48      /* bytes: 16 Chinese characters */
#define CACHE_SLOTS 8192   /* open addressing, at most half full */

typedef struct cached {
    char *text;
    const font_entry *font;
    double width;
    int align, justify;
    lg_text_box *box;
} cached;

struct lg_layout {
    PangoFontMap *fontmap; /* our own, so that threads never share one */
    PangoContext *context;
    font_entry *fonts;
    size_t n_fonts, cap_fonts;
    cached *cache; /* CACHE_SLOTS, made on first use */
    size_t n_cached;
};

#define DEFAULT_FAMILY "Noto Serif CJK SC"

lg_layout *lg_layout_new(void)
{
    lg_layout *l = lg_xcalloc(1, sizeof *l);
    l->fontmap = pango_cairo_font_map_new();
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
    g_object_unref(l->context);
    g_object_unref(l->fontmap);
    free(l);
}

/* The cached entry of FONT (NULL: the default body font). */
static font_entry *font_entry_for(lg_layout *l, const lg_font *font)
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
    e->pairs = NULL;
    e->runs = NULL;
    e->primary = NULL;
    e->line_height = 0;
    e->no_fast_path = false;
    return e;
}

static const PangoFontDescription *font_desc(lg_layout *l, const lg_font *font)
{
    return font_entry_for(l, font)->desc;
}

/* Whether a font of E's fallback list has C; remembered for the BMP, since a
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
    bool shown = f && pango_font_has_char(f, c);
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
    font_entry *e = font_entry_for(l, font);
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

/* Whether a line may not end with BEFORE and the next begin with AFTER. */
static bool break_forbidden(gunichar before, gunichar after)
{
    if (no_line_start(after) || no_line_end(before))
        return true;
    /* ——, ……: the two halves of one mark */
    return before == after && (before == 0x2014 || before == 0x2026);
}

static bool is_paragraph_end(gunichar c)
{
    return c == '\n' || c == '\r' || c == 0x2029;
}

/* ---- text boxes ------------------------------------------------------------ */

/* Fills the line arrays of B from its layout. Returns true when some line
 * starts or ends against the rules. */
static bool read_lines(lg_text_box *b, PangoLayout *layout, const char *text)
{
    int n = pango_layout_get_line_count(layout);
    b->n_lines = (size_t)n;
    b->line_start = lg_xrealloc(b->line_start, ((size_t)n + 1) * sizeof *b->line_start);
    b->line_top = lg_xrealloc(b->line_top, ((size_t)n + 1) * sizeof *b->line_top);

    bool violation = false;
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
            if (break_forbidden(before, after))
                violation = true;
        }
        i++;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);

    PangoRectangle logical;
    pango_layout_get_extents(layout, NULL, &logical);
    b->line_start[n] = strlen(text);
    b->height = (double)logical.height / PANGO_SCALE;
    b->line_top[n] = b->height;
    return violation;
}

/* Forbids, in ATTRS, every break in TEXT that the rules forbid. A run of
 * consecutive forbidden boundaries becomes one allow-breaks=FALSE attribute
 * from the character before the first to the character after the last:
 * Pango forbids the breaks strictly inside such a range. Hence _insert and
 * not pango_attr_list_change, which would merge two adjacent ranges and
 * forbid the legal break between them too. */
static void forbid_illegal_breaks(PangoAttrList *attrs, const char *text)
{
    const char *prev = NULL; /* the character before P */
    const char *run = NULL;  /* start of the current range, or NULL */
    for (const char *p = text; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        /* Paragraph ends are Pango's mandatory breaks: never in a range. */
        bool forbid = prev && !is_paragraph_end(g_utf8_get_char(prev)) && !is_paragraph_end(c) &&
                      break_forbidden(g_utf8_get_char(prev), c);
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
    if (strlen(text) > SHORT_TEXT)
        return layout_text(l, text, font, width, align, justify);
    if (!l->cache)
        l->cache = lg_xcalloc(CACHE_SLOTS, sizeof *l->cache);
    const font_entry *fe = font_entry_for(l, font);
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

    if (read_lines(b, layout, text)) {
        /* Pango broke a line where 避头尾 forbids it. Forbidding only that
         * break and laying out again can move the break onto another
         * forbidden one (字。” → 字。|” → 字|。”), one relayout each.
         * Forbidding every illegal break of the text at once gives the same
         * lines (breaking is greedy, and the result only uses legal breaks)
         * with a single relayout. When no legal break fits — a column too
         * narrow for a run of punctuation — Pango lets the line overflow
         * rather than break it: accepted. */
        /* A new list: the layout holds a reference to ATTRS and ignores
         * setting a list equal to the one it has, so changing ATTRS in place
         * would not lay it out again. */
        PangoAttrList *strict = pango_attr_list_copy(attrs);
        forbid_illegal_breaks(strict, text);
        pango_layout_set_attributes(layout, strict);
        pango_attr_list_unref(strict);
        read_lines(b, layout, text);
    }
    pango_attr_list_unref(attrs);

    b->unknown_glyphs = (unsigned)pango_layout_get_unknown_glyphs_count(layout);
    return b;
}

void lg_text_box_free(lg_text_box *b)
{
    if (!b || b->shared)
        return;
    if (b->impl)
        g_object_unref(b->impl);
    free(b->line_start);
    free(b->line_top);
    free(b);
}

/* ---- measuring Chinese text without shaping ---------------------------------
 *
 * Most of a month's cells are Chinese: ideographs, full-width punctuation,
 * digits. An ideograph of Noto CJK has one advance whatever its neighbours
 * (no kerning or ligatures), and a line of such text has the font's height,
 * so a cell's lines follow from the break opportunities (Pango's UAX #14
 * with the 避头尾 rules above), the column width and a sum of advances: no
 * shaping, which is most of a layout's cost. Pango's breaking is greedy: a
 * line ends at the last allowed break that fits, counting each character's
 * width as shaped in its paragraph. lg_layout_measure takes this path when
 * every paragraph of a cell qualifies and gives the very lines
 * lg_layout_text gives; the tests compare the two over a generated city
 * and over random texts. */

/* Characters that may take the fast path: ideographs, CJK and full-width
 * punctuation, full-width and ASCII digits and signs, general punctuation.
 * Not letters (Latin words form ligatures), not spaces (Pango does not count
 * a line's trailing space), not controls. Some of them are kerned against
 * each other (ASCII brackets and stops; the two halves of ——): a run of
 * them between ideographs takes its widths from one shaping of the run
 * (run_widths) when a pair of it is kerned. */
static bool fast_char(gunichar c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x3001 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF20) ||
           (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65) ||
           (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x2033) || c == 0x00B7 ||
           c == 0x00B0 || c == 0x2103 || (c > 0x20 && c < 0x7F && !g_ascii_isalpha(c));
}

static bool is_ideograph(gunichar c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF);
}

/* TEXT laid out unwrapped in E's font; the caller unrefs. */
static PangoLayout *unwrapped(lg_layout *l, font_entry *e, const char *text)
{
    PangoLayout *layout = pango_layout_new(l->context);
    pango_layout_set_font_description(layout, e->desc);
    pango_layout_set_text(layout, text, -1);
    return layout;
}

/* Reads the width of each character of LAYOUT from character FROM on into
 * W (N of them), -1 for one that is not in E's own font; false when there
 * is such a one. */
static bool char_widths(font_entry *e, PangoLayout *layout, size_t from, int32_t *w, size_t n)
{
    PangoLayoutIter *it = pango_layout_get_iter(layout);
    bool all_ours = true;
    for (size_t k = 0; k < from + n; k++) {
        if (k >= from) {
            PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
            PangoRectangle r;
            pango_layout_iter_get_char_extents(it, &r);
            bool ours = run && run->item->analysis.font == e->primary && r.width > 0;
            w[k - from] = ours ? r.width : -1;
            all_ours &= ours;
        }
        pango_layout_iter_next_char(it);
    }
    pango_layout_iter_free(it);
    return all_ours;
}

/* Learns E's primary font, the height of its lines and the advance of 中;
 * sets no_fast_path when the font does not show Chinese itself (a Latin
 * template font leaves it to fallback fonts, whose lines have other
 * heights: Pango's job). */
static void probe_font(lg_layout *l, font_entry *e)
{
    e->primary = pango_font_map_load_font(l->fontmap, l->context, e->desc);
    PangoLayout *layout = unwrapped(l, e, "中");
    PangoRectangle logical;
    pango_layout_get_extents(layout, NULL, &logical);
    e->line_height = logical.height;
    int32_t han = -1;
    e->no_fast_path = !e->primary || !char_widths(e, layout, 0, &han, 1);
    e->advance[0x4E2D] = han;
    g_object_unref(layout);
}

/* Measures the N characters CS (fast_char, not yet known) in E's font:
 * 中c中c…中 laid out unwrapped, each character's advance read between
 * ideographs. A character that another font would show is marked -1. */
static void probe_advances(lg_layout *l, font_entry *e, const gunichar *cs, size_t n)
{
    GString *s = g_string_new("中");
    for (size_t i = 0; i < n; i++) {
        g_string_append_unichar(s, cs[i]);
        g_string_append(s, "中");
    }
    PangoLayout *layout = unwrapped(l, e, s->str);
    int32_t *w = lg_xmalloc(2 * n * sizeof *w);
    char_widths(e, layout, 1, w, 2 * n);
    for (size_t i = 0; i < n; i++)
        e->advance[cs[i]] = w[2 * i];
    free(w);
    g_object_unref(layout);
    g_string_free(s, TRUE);
}

/* The kerning of neighbours A and B, neither an ideograph (0 for a
 * paragraph's start or end), as shaped between ideographs: measured once. */
static int32_t pair_kerning(lg_layout *l, font_entry *e, gunichar a, gunichar b)
{
    if (!e->pairs)
        e->pairs = g_hash_table_new(g_direct_hash, g_direct_equal);
    gpointer key = GSIZE_TO_POINTER(((gsize)a << 21 | b) + 1);
    gpointer value;
    if (g_hash_table_lookup_extended(e->pairs, key, NULL, &value))
        return GPOINTER_TO_INT(value);
    GString *s = g_string_new(NULL);
    int32_t apart = 0;
    if (a) {
        g_string_append(s, "中");
        g_string_append_unichar(s, a);
        apart += e->advance[0x4E2D] + e->advance[a];
    }
    if (b) {
        g_string_append_unichar(s, b);
        g_string_append(s, "中");
        apart += e->advance[0x4E2D] + e->advance[b];
    }
    PangoLayout *layout = unwrapped(l, e, s->str);
    int w, h;
    pango_layout_get_size(layout, &w, &h);
    g_object_unref(layout);
    g_string_free(s, TRUE);
    g_hash_table_insert(e->pairs, key, GINT_TO_POINTER(w - apart));
    return w - apart;
}

/* The widths of the N characters CS, a run of neighbours that are not
 * ideographs, as shaped where the paragraph has it: between ideographs, or
 * at its START or END. Measured once per run; NULL when another font shows
 * part of it. */
static const int32_t *run_widths(lg_layout *l, font_entry *e, const gunichar *cs, size_t n,
                                 bool start, bool end)
{
    if (!e->runs)
        e->runs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    GString *key = g_string_new(start ? "" : "中");
    for (size_t i = 0; i < n; i++)
        g_string_append_unichar(key, cs[i]);
    if (!end)
        g_string_append(key, "中");
    gpointer value;
    if (g_hash_table_lookup_extended(e->runs, key->str, NULL, &value)) {
        g_string_free(key, TRUE);
        return value;
    }
    PangoLayout *layout = unwrapped(l, e, key->str);
    int32_t *w = g_new(int32_t, n);
    if (!char_widths(e, layout, start ? 0 : 1, w, n)) {
        g_free(w);
        w = NULL;
    }
    g_object_unref(layout);
    g_hash_table_insert(e->runs, g_string_free(key, FALSE), w);
    return w;
}

/* The characters of TEXT (LEN bytes) decoded into CS, their byte offsets
 * into POS and their advances into ADV; false when one of them does not
 * take the fast path. */
static bool fast_advances(lg_layout *l, font_entry *e, const char *text, size_t len,
                          gunichar *cs, size_t *pos, int32_t *adv, size_t *n_out)
{
    if (!e->advance) {
        e->advance = lg_xcalloc(0x10000, sizeof *e->advance);
        probe_font(l, e);
    }
    if (e->no_fast_path)
        return false;
    size_t n = 0, n_new = 0;
    for (const char *p = text; p < text + len; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c != '\n' && (c >= 0x10000 || !fast_char(c) || e->advance[c] == -1))
            return false;
        pos[n] = (size_t)(p - text);
        cs[n++] = c;
    }
    gunichar *news = NULL; /* the characters not measured yet, once each */
    for (size_t i = 0; i < n; i++)
        if (cs[i] != '\n' && e->advance[cs[i]] == 0) {
            if (!news)
                news = lg_xmalloc(n * sizeof *news);
            e->advance[cs[i]] = -2; /* listed */
            news[n_new++] = cs[i];
        }
    if (n_new)
        probe_advances(l, e, news, n_new);
    free(news);
    for (size_t i = 0; i < n; i++) {
        adv[i] = cs[i] == '\n' ? 0 : e->advance[cs[i]];
        if (adv[i] < 0)
            return false;
    }
    *n_out = n;
    return true;
}

/* Turns the advances W of a paragraph's M characters CS into their widths
 * as shaped in it: runs of neighbours that are not ideographs, kerned
 * somewhere, take their widths from run_widths, and KERNED[i] tells that
 * the boundary before character i is inside such a run. False when a run
 * is not for the fast path. */
static bool shaped_widths(lg_layout *l, font_entry *e, const gunichar *cs, int32_t *w,
                          bool *kerned_at, size_t m)
{
    memset(kerned_at, 0, (m + 1) * sizeof *kerned_at);
    for (size_t r0 = 0; r0 < m;) {
        if (is_ideograph(cs[r0])) {
            r0++;
            continue;
        }
        size_t r1 = r0;
        while (r1 < m && !is_ideograph(cs[r1]))
            r1++;
        bool kerned = false;
        for (size_t i = r0; i <= r1 && !kerned; i++) {
            gunichar a = i > r0 ? cs[i - 1] : 0, b = i < r1 ? cs[i] : 0;
            if ((a || r0 == 0) && (b || r1 == m))
                kerned = pair_kerning(l, e, a, b) != 0;
        }
        if (kerned) {
            const int32_t *rw = run_widths(l, e, cs + r0, r1 - r0, r0 == 0, r1 == m);
            if (!rw)
                return false;
            memcpy(w + r0, rw, (r1 - r0) * sizeof *w);
            for (size_t i = r0 + 1; i < r1; i++)
                kerned_at[i] = true;
        }
        r0 = r1;
    }
    return true;
}

/* Pango shapes a line again when it breaks it inside a run: the widths
 * there change by the kerning across the break. Breaks that close to the
 * column's edge are left to Pango. */
#define KERNING_SLACK (4 * PANGO_SCALE)

/* Breaks a paragraph into lines of at most WIDTH Pango units and appends
 * their starts to B: its M characters CS with their byte offsets POS and
 * advances W, BYTES bytes of text at byte FROM of TEXT; ATTRS and KERNED
 * are room for M + 1 each. False when it does not qualify, or no allowed
 * break fits a line (Pango would break between characters there), or a
 * break inside a kerned run might. */
static bool fast_paragraph(lg_layout *l, font_entry *e, const char *text, size_t from,
                           size_t bytes, const gunichar *cs, const size_t *pos, int32_t *w,
                           size_t m, int width, PangoLogAttr *attrs, bool *kerned,
                           lg_text_box *b, size_t *cap)
{
    bool ideograph = false;
    for (size_t i = 0; i < m && !ideograph; i++)
        ideograph = is_ideograph(cs[i]);
    if (m > 0 && !ideograph)
        return false; /* script Common throughout: the font may pick other glyphs */
    if (!shaped_widths(l, e, cs, w, kerned, m))
        return false;
    if (m > 0)
        pango_get_log_attrs(text + from, (int)bytes, -1, pango_context_get_language(l->context),
                            attrs, (int)m + 1);
    size_t s = 0;
    do {
        size_t best = s;
        int32_t sum = 0;
        for (size_t i = s; i < m; i++) {
            sum += w[i];
            if (sum > width + KERNING_SLACK)
                break;
            size_t brk = i + 1;
            bool legal = brk == m ||
                         (attrs[brk].is_line_break && !break_forbidden(cs[brk - 1], cs[brk]));
            if (legal && kerned[brk])
                return false;
            if (legal && sum <= width)
                best = brk;
        }
        if (m > 0 && best == s)
            return false;
        if (b->n_lines + 2 > *cap) {
            *cap = 2 * *cap + 16;
            b->line_start = lg_xrealloc(b->line_start, *cap * sizeof *b->line_start);
        }
        b->line_start[b->n_lines++] = m > 0 ? pos[s] : from;
        s = best;
    } while (s < m);
    return true;
}

/* The box of TEXT by the fast path, or NULL when it does not qualify. */
static lg_text_box *measure_fast(lg_layout *l, font_entry *e, const char *text, double width)
{
    if (width <= 0 || e->no_fast_path)
        return NULL;
    size_t len = strlen(text);
    gunichar *cs = lg_xmalloc((len + 1) * sizeof *cs);
    size_t *pos = lg_xmalloc((len + 1) * sizeof *pos);
    int32_t *w = lg_xmalloc((len + 1) * sizeof *w);
    PangoLogAttr *attrs = lg_xmalloc((len + 2) * sizeof *attrs);
    bool *kerned = lg_xmalloc((len + 2) * sizeof *kerned);
    lg_text_box *b = lg_xcalloc(1, sizeof *b);
    size_t n = 0, cap = 0;
    bool ok = fast_advances(l, e, text, len, cs, pos, w, &n);
    int wu = (int)lround(width * PANGO_SCALE);
    /* Paragraph by paragraph: characters para..i-1, bytes from..end-1. */
    for (size_t i = 0, para = 0, from = 0; ok && i <= n; i++) {
        if (i < n && cs[i] != '\n')
            continue;
        size_t end = i < n ? pos[i] : len;
        ok = fast_paragraph(l, e, text, from, end - from, cs + para, pos + para, w + para,
                            i - para, wu, attrs, kerned, b, &cap);
        para = i + 1;
        from = end + 1;
    }
    free(cs);
    free(pos);
    free(w);
    free(attrs);
    free(kerned);
    if (!ok) {
        free(b->line_start);
        free(b);
        return NULL;
    }
    b->line_start[b->n_lines] = len;
    b->line_top = lg_xmalloc((b->n_lines + 1) * sizeof *b->line_top);
    for (size_t i = 0; i <= b->n_lines; i++)
        b->line_top[i] = (double)((int64_t)i * e->line_height) / PANGO_SCALE;
    b->height = b->line_top[b->n_lines];
    b->width = width;
    return b;
}

lg_text_box *lg_layout_measure(lg_layout *l, const char *text, const lg_font *font, double width,
                               lg_align align, bool justify)
{
    if (!text)
        text = "";
    if (strlen(text) > SHORT_TEXT) {
        lg_text_box *b = measure_fast(l, font_entry_for(l, font), text, width);
        if (b)
            return b;
    }
    return lg_layout_text(l, text, font, width, align, justify);
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

void lg_text_box_draw(const lg_text_box *b, cairo_t *cr, double x, double y, size_t first,
                      size_t end)
{
    if (end > b->n_lines)
        end = b->n_lines;
    if (first >= end)
        return;
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
