/* The fast measurer of lg_layout_measure: Chinese text broken into lines
 * without shaping, with the same lines as Pango (layout.c). */
#include "layout.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pango/pangocairo.h>

#include "arena.h"
#include "layout_impl.h"

/* ---- measuring Chinese text without shaping ---------------------------------
 *
 * Most of a month's cells are Chinese: ideographs, full-width punctuation,
 * digits. An ideograph of Noto CJK has one advance whatever its neighbours
 * (no kerning or ligatures), and a line of such text has the font's height,
 * so a cell's lines follow from the break opportunities (Pango's UAX #14
 * with the 避头尾 rules of layout.c), the column width and the advances:
 * no shaping, which is most of a layout's cost. The breaker of layout.c
 * (lg_break_paragraph) takes each character's width as shaped in its
 * paragraph, here as there. lg_layout_measure takes this path when
 * every paragraph of a cell qualifies and gives the very lines
 * lg_layout_text gives; the tests compare the two over a generated city
 * and over random texts.
 *
 * A cell the fast path does not take (a Latin word, a URL) is measured
 * from one unwrapped shaping of it (lg_shaped_advances) by the same
 * breaker: no second layout with the breaks forced, no placing of glyphs,
 * which the drawing alone needs. */

/* Characters that may take the fast path: ideographs, CJK and full-width
 * punctuation, full-width and ASCII digits and signs, general punctuation.
 * Not letters (Latin words form ligatures), not spaces (Pango does not count
 * a line's trailing space) but the ideographic ones that indent a
 * paragraph (　　一是…, see fast_advances), not controls. Some of them are kerned against
 * each other (ASCII brackets and stops; the two halves of ——): a run of
 * them between ideographs takes its widths from one shaping of the run
 * (run_widths) when a pair of it is kerned. */
static bool fast_char(gunichar c)
{
    return lg_is_ideograph(c) || (c >= 0x3001 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF20) ||
           (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65) ||
           (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x2033) || c == 0x00B7 ||
           c == 0x00B0 || c == 0x2103 || (c > 0x20 && c < 0x7F && !g_ascii_isalpha(c));
}

/* The glyph RUN draws the character at byte INDEX of its layout's text
 * with: 0 unless it is one glyph of its own, placed at its origin;
 * LG_GLYPH_JOINED when the glyph of a character before it draws it. */
static uint32_t char_glyph(const PangoLayoutRun *run, int index)
{
    const PangoGlyphString *gs = run->glyphs;
    uint32_t glyph = 0;
    int found = 0;
    for (int i = 0; i < gs->num_glyphs; i++)
        if (run->item->offset + gs->log_clusters[i] == index) {
            glyph = lg_plain_glyph(&gs->glyphs[i]);
            found++;
        }
    return found == 1 ? glyph : found == 0 ? LG_GLYPH_JOINED : 0;
}

/* Reads the width of each character of LAYOUT from character FROM on into
 * W (N of them), -1 for one that is not in E's own font, and its glyph
 * into G (char_glyph; G may be NULL); false when there is such a one. */
static bool char_widths(font_entry *e, PangoLayout *layout, size_t from, int32_t *w,
                        uint32_t *g, size_t n)
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
            if (g)
                g[k - from] = ours ? char_glyph(run, pango_layout_iter_get_index(it)) : 0;
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
 * heights: Pango's job), or does not have 中 (a subset face cut without it,
 * fonts.c: Pango draws a box there, whose height and width are not the
 * font's, and every probe measures next to 中). */
static void probe_font(lg_layout *l, font_entry *e)
{
    e->primary = pango_font_map_load_font(l->fontmap, l->context, e->desc);
    PangoLayout *layout = lg_unwrapped(l, e, "中");
    PangoRectangle logical;
    pango_layout_get_extents(layout, NULL, &logical);
    e->line_height = logical.height;
    e->ascent = pango_layout_get_baseline(layout);
    int32_t han = -1;
    e->no_fast_path = !e->primary || !char_widths(e, layout, 0, &han, &e->glyph[0x4E2D], 1) ||
                      !e->glyph[0x4E2D];
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
    PangoLayout *layout = lg_unwrapped(l, e, s->str);
    int32_t *w = lg_xmalloc(2 * n * sizeof *w);
    uint32_t *g = lg_xmalloc(2 * n * sizeof *g);
    char_widths(e, layout, 1, w, g, 2 * n);
    for (size_t i = 0; i < n; i++) {
        e->advance[cs[i]] = w[2 * i];
        /* one joined to the 中 before it has no glyph of its own */
        e->glyph[cs[i]] = g[2 * i] == LG_GLYPH_JOINED ? 0 : g[2 * i];
    }
    free(w);
    free(g);
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
    PangoLayout *layout = lg_unwrapped(l, e, s->str);
    int w, h;
    pango_layout_get_size(layout, &w, &h);
    g_object_unref(layout);
    g_string_free(s, TRUE);
    g_hash_table_insert(e->pairs, key, GINT_TO_POINTER(w - apart));
    return w - apart;
}

/* The widths of the N characters CS, a run of neighbours that are not
 * ideographs, as shaped where the paragraph has it: between ideographs, or
 * at its START or END, followed by their N glyphs (char_glyph). Measured
 * once per run; NULL when another font shows part of it. */
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
    PangoLayout *layout = lg_unwrapped(l, e, key->str);
    int32_t *w = g_new(int32_t, 2 * n);
    if (!char_widths(e, layout, start ? 0 : 1, w, (uint32_t *)(w + n), n)) {
        g_free(w);
        w = NULL;
    }
    g_object_unref(layout);
    g_hash_table_insert(e->runs, g_string_free(key, FALSE), w);
    return w;
}

/* The characters of TEXT (LEN bytes) decoded into CS, their byte offsets
 * into POS, their advances into ADV and their glyphs into G (unless it is
 * NULL); false when one of them does not take the fast path. */
static bool fast_advances(lg_layout *l, font_entry *e, const char *text, size_t len,
                          gunichar *cs, size_t *pos, int32_t *adv, uint32_t *g, size_t *n_out)
{
    if (!e->advance) {
        e->advance = lg_xcalloc(0x10000, sizeof *e->advance);
        e->glyph = lg_xcalloc(0x10000, sizeof *e->glyph);
        probe_font(l, e);
    }
    if (e->no_fast_path)
        return false;
    size_t n = 0, n_new = 0;
    bool at_start = true;
    for (const char *p = text; p < text + len; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        bool space = lg_indent_space(c, &at_start); /* a line of them alone: fast_paragraph */
        if (c != '\n' && ((!space && (c >= 0x10000 || !fast_char(c))) || e->advance[c] == -1))
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
        if (g)
            g[i] = cs[i] == '\n' ? 0 : e->glyph[cs[i]];
    }
    *n_out = n;
    return true;
}

/* Turns the advances W of a paragraph's M characters CS into their widths
 * as shaped in it: runs of neighbours that are not ideographs, kerned
 * somewhere, take their widths (and glyphs, into G unless it is NULL) from
 * run_widths, and KERNED[i] tells that the boundary before character i is
 * inside such a run. False when a run is not for the fast path. */
static bool shaped_widths(lg_layout *l, font_entry *e, const gunichar *cs, int32_t *w,
                          uint32_t *g, bool *kerned_at, size_t m)
{
    memset(kerned_at, 0, (m + 1) * sizeof *kerned_at);
    for (size_t r0 = 0; r0 < m;) {
        if (lg_is_ideograph(cs[r0])) {
            r0++;
            continue;
        }
        size_t r1 = r0;
        while (r1 < m && !lg_is_ideograph(cs[r1]))
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
            if (g) {
                memcpy(g + r0, rw + (r1 - r0), (r1 - r0) * sizeof *g);
                /* joined to the ideograph before it, whose glyph here is
                 * its own, not the one they make together (a tone mark) */
                if (g[r0] == LG_GLYPH_JOINED)
                    return false;
            }
            for (size_t i = r0 + 1; i < r1; i++)
                kerned_at[i] = true;
        }
        r0 = r1;
    }
    return true;
}

/* A box's lines as lg_text_box_lines gives them: the text's line starts
 * (byte offsets), and whether its glyphs came from one shaping. */
typedef struct known_lines {
    const uint32_t *start;
    size_t n;
    bool shaped;
} known_lines;

/* Into ENDS, the ends of a paragraph's lines as KNOWN has them: its lines
 * from line FIRST on that begin before byte END (the paragraph's line feed,
 * or the text's end), as indices into its M characters, at byte offsets
 * POS (FROM: where the paragraph begins). Their number, or 0 when KNOWN
 * does not fit the paragraph. */
static size_t known_ends(const known_lines *known, size_t first, const size_t *pos, size_t m,
                         size_t from, size_t end, size_t *ends)
{
    if (first >= known->n || known->start[first] != (m > 0 ? pos[0] : from))
        return 0;
    size_t n = 0, k = 0;
    for (size_t i = first + 1; i < known->n && known->start[i] < end; i++) {
        while (k < m && pos[k] < known->start[i])
            k++;
        if (k == m || pos[k] != known->start[i] || (n > 0 && k <= ends[n - 1]) || k == 0)
            return 0;
        ends[n++] = k;
    }
    ends[n++] = m;
    return n;
}

/* Breaks a paragraph into lines of at most WIDTH Pango units as
 * lg_break_paragraph breaks it, and appends their starts to B: its M
 * characters CS with their byte offsets POS, advances W and glyphs G,
 * BYTES bytes of text at byte FROM of TEXT; ATTRS, KERNED, HALF, HALF_DX
 * and ENDS are room for M + 1 each (with SHAPED, KERNED is
 * lg_shaped_advances' TIED, read only when drawing). With FG (drawing; G
 * then not NULL), also places the glyphs of each line (lg_place_line,
 * justified when JUSTIFY but for the paragraph's last line) and appends
 * each line's first character, the paragraph's first being character BASE
 * of the text. False when it does not qualify, or a glyph is not one of
 * its own, or (drawing) a line breaks inside a kerned run (Pango shapes
 * such a line again, its widths change by the kerning across the break)
 * or before a character joined to the glyph before it. With KNOWN, the
 * lines are KNOWN's, not broken again (nor its break opportunities found). */
static bool fast_paragraph(lg_layout *l, font_entry *e, const char *text, size_t from,
                           size_t bytes, const gunichar *cs, const size_t *pos, int32_t *w,
                           uint32_t *g, size_t m, int width, bool justify, PangoLogAttr *attrs,
                           bool *kerned, int32_t *half, int32_t *half_dx, size_t *ends,
                           lg_text_box *b, size_t *cap, fast_glyphs *fg, size_t base,
                           bool shaped, const known_lines *known)
{
    /* With SHAPED, W and G are as shaped (and when drawing, KERNED tells
     * where a break is shaped otherwise); else W are advances, not yet
     * widths as shaped. */
    if (!shaped) {
        bool ideograph = false;
        for (size_t i = 0; i < m && !ideograph; i++)
            ideograph = lg_is_ideograph(cs[i]);
        if (m > 0 && !ideograph)
            return false; /* script Common throughout: the font may pick other glyphs */
        if (!shaped_widths(l, e, cs, w, g, kerned, m))
            return false;
    }
    for (size_t i = 0; fg && i < m; i++)
        if (!g[i] || (i == 0 && g[i] == LG_GLYPH_JOINED))
            return false;
    if (m > 0 && !known)
        pango_get_log_attrs(text + from, (int)bytes, -1, pango_context_get_language(l->context),
                            attrs, (int)m + 1);
    lg_mark_halves(l, e, cs, m, half, half_dx);
    lg_para p = {cs, w, attrs, half, half_dx, m}; /* lg_place_line reads no ATTRS */
    int32_t em = (int32_t)lround(e->size * PANGO_SCALE);
    size_t n = known ? known_ends(known, b->n_lines, pos, m, from, from + bytes, ends)
                     : lg_break_paragraph(&p, width, em, ends);
    if (n == 0)
        return false;
    /* A line of the indent's spaces alone: Pango does not count them at a
     * line's end. */
    size_t indent = 0;
    while (indent < m && cs[indent] == LG_INDENT)
        indent++;
    if (indent > 0 && n > 1 && ends[0] <= indent)
        return false;
    for (size_t i = 0; fg && i + 1 < n; i++)
        if (kerned[ends[i]] || g[ends[i]] == LG_GLYPH_JOINED)
            return false;
    if (b->n_lines + n + 1 > *cap) {
        *cap = 2 * *cap + n + 16;
        b->line_start = lg_xrealloc(b->line_start, *cap * sizeof *b->line_start);
        if (fg)
            fg->line_char = lg_xrealloc(fg->line_char, *cap * sizeof *fg->line_char);
    }
    int32_t *dw = fg ? lg_xmalloc((m + 1) * sizeof *dw) : NULL;
    int32_t *dx = fg ? lg_xmalloc((m + 1) * sizeof *dx) : NULL;
    for (size_t i = 0, s = 0; i < n; s = ends[i++]) {
        if (fg) {
            fg->line_char[b->n_lines] = base + s;
            lg_place_line(&p, s, ends[i], width, em, justify && ends[i] < m, dw, dx);
            int32_t at = 0;
            for (size_t k = s; k < ends[i]; k++) {
                fg->x[base + k] = at + dx[k - s];
                at += w[k] + dw[k - s];
            }
        }
        b->line_start[b->n_lines++] = m > 0 ? pos[s] : from;
    }
    free(dw);
    free(dx);
    return true;
}

/* The box of TEXT by the fast path, or NULL when it does not qualify; with
 * DRAW, one that lg_text_box_draw draws (its glyphs placed, justified when
 * JUSTIFY, left-aligned), or NULL when a glyph is not one of its own. With
 * SHAPED, the box of a text the fast path does not take, from the advances
 * and glyphs of one shaping (lg_shaped_advances), or NULL. With KNOWN, its
 * lines are those (see fast_paragraph). */
static lg_text_box *measure_fast(lg_layout *l, font_entry *e, const char *text, double width,
                                 bool justify, bool draw, bool shaped, const known_lines *known)
{
    if (width <= 0 || e->no_fast_path || (shaped && !e->primary))
        return NULL;
    size_t len = strlen(text);
    gunichar *cs = lg_xmalloc((len + 1) * sizeof *cs);
    size_t *pos = lg_xmalloc((len + 1) * sizeof *pos);
    int32_t *w = lg_xmalloc((len + 1) * sizeof *w);
    PangoLogAttr *attrs = lg_xmalloc((len + 2) * sizeof *attrs);
    bool *kerned = lg_xmalloc((len + 2) * sizeof *kerned);
    int32_t *half = lg_xmalloc((len + 1) * sizeof *half);
    int32_t *half_dx = lg_xmalloc((len + 1) * sizeof *half_dx);
    size_t *ends = lg_xmalloc((len + 1) * sizeof *ends);
    uint32_t *g = draw ? lg_xmalloc((len + 1) * sizeof *g) : NULL;
    fast_glyphs *fg = draw ? lg_xcalloc(1, sizeof *fg) : NULL;
    if (fg)
        fg->x = lg_xmalloc((len + 1) * sizeof *fg->x);
    lg_text_box *b = lg_xcalloc(1, sizeof *b);
    b->refs = 1;
    size_t n = 0, cap = 0;
    /* SHAPED: KERNED is lg_shaped_advances' TIED, for the whole text */
    bool ok = shaped ? lg_shaped_advances(l, e, text, cs, pos, w, g, draw ? kerned : NULL, &n)
                     : fast_advances(l, e, text, len, cs, pos, w, g, &n);
    int wu = (int)lround(width * PANGO_SCALE);
    /* Paragraph by paragraph: characters para..i-1, bytes from..end-1. */
    for (size_t i = 0, para = 0, from = 0; ok && i <= n; i++) {
        if (i < n && cs[i] != '\n')
            continue;
        size_t end = i < n ? pos[i] : len;
        ok = fast_paragraph(l, e, text, from, end - from, cs + para, pos + para, w + para,
                            g ? g + para : NULL, i - para, wu, justify, attrs,
                            shaped ? kerned + para : kerned, half, half_dx, ends, b, &cap, fg,
                            para, shaped, known);
        para = i + 1;
        from = end + 1;
    }
    free(cs);
    free(pos);
    free(w);
    free(attrs);
    free(kerned);
    free(half);
    free(half_dx);
    free(ends);
    if (!ok) {
        free(g);
        lg_fast_glyphs_free(fg);
        free(b->line_start);
        free(b);
        return NULL;
    }
    /* made with room to grow: kept as long as the cache keeps the box */
    b->line_start = lg_xrealloc(b->line_start, (b->n_lines + 1) * sizeof *b->line_start);
    b->line_start[b->n_lines] = len;
    if (fg) {
        fg->line_char = lg_xrealloc(fg->line_char, (b->n_lines + 1) * sizeof *fg->line_char);
        fg->line_char[b->n_lines] = n;
        /* made a slot per byte of text, a third of it per character of
         * Chinese */
        fg->glyph = lg_xrealloc(g, (n + 1) * sizeof *g);
        fg->x = lg_xrealloc(fg->x, (n + 1) * sizeof *fg->x);
        fg->text = lg_xstrdup(text);
        fg->font = g_object_ref(e->primary);
        fg->ascent = e->ascent;
        fg->line_height = e->line_height;
        fg->shaped = shaped;
        b->glyphs = fg;
    }
    b->line_top = lg_xmalloc((b->n_lines + 1) * sizeof *b->line_top);
    for (size_t i = 0; i <= b->n_lines; i++)
        b->line_top[i] = (double)((int64_t)i * e->line_height) / PANGO_SCALE;
    b->height = b->line_top[b->n_lines];
    b->width = width;
    return b;
}

/* The box of KIND (BOX_MEASURE or BOX_FAST) for TEXT: from L's cache, or
 * by the fast path and kept there; NULL for a short text or one that does
 * not qualify, which lg_layout_text lays out (and caches). */
static lg_text_box *cached_fast(lg_layout *l, lg_box_kind kind, const char *text,
                                const lg_font *font, double width, lg_align align, bool justify,
                                const known_lines *known)
{
    if (strlen(text) <= SHORT_TEXT || (kind == BOX_FAST && align != LG_ALIGN_LEFT))
        return NULL;
    font_entry *e = lg_font_entry(l, font);
    /* The cache knows the texts the fast path does not take too. */
    lg_text_box *b = lg_cache_get(l, kind, text, e, width, align, justify);
    if (b)
        return b;
    if (known) /* made as it was the first time: from the same advances */
        b = measure_fast(l, e, text, width, justify, true, known->shaped, known);
    if (!b)
        b = measure_fast(l, e, text, width, justify, kind == BOX_FAST, false, NULL);
    if (!b)
        b = measure_fast(l, e, text, width, justify, kind == BOX_FAST, true, NULL);
    if (!b)
        b = lg_layout_pango(l, text, font, width, align, justify);
    return lg_cache_put(l, kind, text, e, width, align, justify, b);
}

lg_text_box *lg_layout_measure(lg_layout *l, const char *text, const lg_font *font, double width,
                               lg_align align, bool justify)
{
    if (!text)
        text = "";
    l = lg_layout_for(l, text);
    lg_text_box *b = cached_fast(l, BOX_MEASURE, text, font, width, align, justify, NULL);
    return b ? b : lg_layout_text(l, text, font, width, align, justify);
}

lg_text_box *lg_layout_fast(lg_layout *l, const char *text, const lg_font *font, double width,
                            lg_align align, bool justify)
{
    return lg_layout_fast_again(l, text, font, width, align, justify, NULL);
}

/* lg_text_box_lines' first word: the number of lines, and this bit when
 * the box came from one shaping (known_lines.shaped). */
#define LINES_SHAPED (1u << 31)

size_t lg_text_box_lines(const lg_text_box *b, uint32_t *out)
{
    const fast_glyphs *fg = b->glyphs;
    if (!fg || b->n_lines >= LINES_SHAPED || b->line_start[b->n_lines] > UINT32_MAX)
        return 0;
    out[0] = (uint32_t)b->n_lines | (fg->shaped ? LINES_SHAPED : 0);
    for (size_t i = 0; i < b->n_lines; i++)
        out[1 + i] = (uint32_t)b->line_start[i];
    return b->n_lines + 1;
}

lg_text_box *lg_layout_fast_again(lg_layout *l, const char *text, const lg_font *font,
                                  double width, lg_align align, bool justify,
                                  const uint32_t *lines)
{
    if (!text)
        text = "";
    l = lg_layout_for(l, text);
    known_lines known = {0};
    if (lines)
        known = (known_lines){lines + 1, lines[0] & ~LINES_SHAPED, (lines[0] & LINES_SHAPED) != 0};
    lg_text_box *b =
        cached_fast(l, BOX_FAST, text, font, width, align, justify, lines ? &known : NULL);
    return b ? b : lg_layout_text(l, text, font, width, align, justify);
}

void lg_fast_glyphs_free(fast_glyphs *fg)
{
    if (!fg)
        return;
    if (fg->font)
        g_object_unref(fg->font);
    free(fg->text);
    free(fg->glyph);
    free(fg->x);
    free(fg->line_char);
    free(fg);
}
