/* What layout.c and layout_measure.c share: the per-thread state of a
 * lg_layout and its fonts. Private to the two. */
#ifndef LG_LAYOUT_IMPL_H
#define LG_LAYOUT_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include <pango/pangocairo.h>

#include "fonts.h"
#include "layout.h"

/* The full-width marks punctuation compression may set at half width. */
#define LG_N_HALF_MARKS 37

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
    int ascent;         /* of such a line: its baseline below its top */
    uint32_t *glyph;    /* per BMP character with an advance: its glyph, 0 when not one of its own */
    GHashTable *pairs;  /* neighbours that are not ideographs: their kerning */
    GHashTable *runs;   /* runs of such neighbours: each character's width */
    bool no_fast_path;  /* the description's own font does not show Chinese */
    /* Punctuation compression (lg_mark_halves): per mark of lg_half_marks,
     * how much narrower it is set at half width (0: not compressible) and
     * its glyph's shift then, from the font's `halt` feature. */
    bool halves_known;
    int32_t half[LG_N_HALF_MARKS], half_dx[LG_N_HALF_MARKS];
} font_entry;

/* The cache of laid-out texts: each text is laid out once per font, width,
 * alignment and justification, and its box shared by every caller (a
 * short text, 是 or a unit's name, comes back on many rows; a long one is
 * measured to plan pages and drawn, in the ledger and again in the unit's
 * own file, and a spreadsheet measures its rows twice). Bounded: once it
 * holds CACHE_BYTES of long texts (box_bytes) it takes no more long texts,
 * CACHE_SHORT_BYTES of short ones no more short ones, half its slots no
 * more texts; a short text is kept from its second layout on. */
#define SHORT_TEXT 48                /* bytes: 16 Chinese characters */
#define CACHE_SLOTS 65536            /* open addressing, at most half full */
#define CACHE_BYTES (32u << 20)
#define CACHE_SHORT_BYTES (8u << 20)
#define SEEN_SLOTS 65536

/* What a cached box is for: the three entry points give different boxes
 * for the same text (lines only; glyphs to draw; a Pango layout). */
typedef enum lg_box_kind { BOX_TEXT, BOX_MEASURE, BOX_FAST } lg_box_kind;

typedef struct cached {
    char *text;
    size_t font; /* its index in the lg_layout's fonts */
    double width;
    int align, justify;
    lg_box_kind kind;
    lg_text_box *box;
} cached;

struct lg_layout {
    PangoFontMap *fontmap; /* our own, so that threads never share one */
    PangoContext *context;
    font_entry *fonts;
    size_t n_fonts, cap_fonts;
    cached *cache; /* CACHE_SLOTS, made on first use */
    size_t n_cached, cache_bytes[2]; /* of long texts, of short ones (box_bytes) */
    uint64_t *seen; /* SEEN_SLOTS: the keys of the short texts laid out once */
    size_t n_seen;
    const lg_fonts *subset; /* the build's fonts, or NULL: the system's */
    lg_layout *system;      /* for texts SUBSET does not cover; made on first use */
    size_t n_system;        /* texts handed to it */
};

/* What a box of lg_layout_fast keeps to be drawn without shaping: a glyph
 * for each character but line feeds (LG_GLYPH_JOINED for one the glyph
 * before it draws). */
typedef struct fast_glyphs {
    PangoFont *font;         /* the font of every glyph (a reference) */
    char *text;              /* a copy of the text */
    uint32_t *glyph;         /* per character */
    int32_t *x;              /* per character: its glyph's origin from its line's left edge */
    size_t *line_char;       /* n_lines + 1: each line's first character */
    int ascent, line_height; /* Pango units */
    bool shaped;             /* from one shaping (lg_shaped_advances), not the fonts' advances */
} fast_glyphs;

void lg_fast_glyphs_free(fast_glyphs *fg);

/** The box of KIND for (TEXT, FONT, WIDTH, ALIGN, JUSTIFY) in L's cache,
 * taken (lg_text_box_free gives it back), or NULL when it is not there. */
lg_text_box *lg_cache_get(lg_layout *l, lg_box_kind kind, const char *text,
                          const font_entry *font, double width, lg_align align, bool justify);

/** Keeps B, the box of KIND for those, in L's cache (which then holds a
 * reference: B stays the caller's to free) and returns it. */
lg_text_box *lg_cache_put(lg_layout *l, lg_box_kind kind, const char *text,
                          const font_entry *font, double width, lg_align align, bool justify,
                          lg_text_box *b);

/** The characters of TEXT decoded into CS, their byte offsets into POS and
 * their advances as Pango shapes each paragraph into W (room for
 * strlen(TEXT) each) and, unless G is NULL, their glyphs into G (0 for
 * one that is not one glyph of its own at its origin, LG_GLYPH_JOINED for
 * one the glyph before it draws) and into TIED (room for strlen(TEXT) + 1)
 * whether a line broken before each is shaped otherwise (inside one item,
 * where lg_reshaped_between says it may be and the two characters there
 * shape apart otherwise than together), their number into *N: what
 * the fast path measures without shaping, for a text it does not take
 * (Latin words). False when
 * a character is drawn by another font than E's own (E probed first), or
 * is a box, a space or a control other than a line feed: Pango's lines
 * are then not the breaker's alone. */
bool lg_shaped_advances(lg_layout *l, font_entry *e, const char *text, gunichar *cs,
                        size_t *pos, int32_t *w, uint32_t *g, bool *tied, size_t *n);

/** TEXT laid out by Pango (what lg_layout_text gives), not cached. */
lg_text_box *lg_layout_pango(lg_layout *l, const char *text, const lg_font *font, double width,
                             lg_align align, bool justify);

/* The glyph of a character drawn by its neighbour's: the second of a
 * ligature (—— is one glyph), a character that starts no cluster of its
 * own. It has no glyph to place; the cluster of the glyph before it
 * takes its text, as Pango's drawing has it. */
#define LG_GLYPH_JOINED UINT32_MAX

/* The ideographic space that indents a paragraph (　　一是…): on the fast
 * path at a paragraph's start only. */
#define LG_INDENT 0x3000

/** Whether C, the character after those that left *AT_START (true at the
 * text's start), is a space of its paragraph's indent; *AT_START then
 * says whether the next one is at a paragraph's start or in its indent. */
static inline bool lg_indent_space(gunichar c, bool *at_start)
{
    bool space = c == LG_INDENT && *at_start;
    *at_start = c == '\n' || space;
    return space;
}

/** TEXT laid out unwrapped in E's font; the caller unrefs. */
PangoLayout *lg_unwrapped(lg_layout *l, const font_entry *e, const char *text);

/** GI's glyph when it is drawn at its origin, a glyph of the font (not a
 * box, not empty); else 0: a character that is not drawn from it alone. */
static inline uint32_t lg_plain_glyph(const PangoGlyphInfo *gi)
{
    bool plain = gi->geometry.x_offset == 0 && gi->geometry.y_offset == 0 &&
                 !(gi->glyph & PANGO_GLYPH_UNKNOWN_FLAG) && gi->glyph != PANGO_GLYPH_EMPTY;
    return plain ? gi->glyph : 0;
}

static inline bool lg_is_ideograph(gunichar c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF);
}

/** Whether a line broken between A and B may be shaped otherwise than the
 * paragraph is (neither is an ideograph: a word, a number, marks after a
 * word, whose kerning or script changes at a break). The breaker's line
 * ends are forced on Pango there, and a text is not drawn from the
 * paragraph's glyphs there unless A and B are in two items of its shaping
 * (lg_shaped_advances). */
static inline bool lg_reshaped_between(gunichar a, gunichar b)
{
    return !lg_is_ideograph(a) && !lg_is_ideograph(b);
}

/** The cached entry of FONT (NULL: the default body font), made on first use. */
font_entry *lg_font_entry(lg_layout *l, const lg_font *font);

/** L, or the layout with the system's fonts when TEXT has a character
 * that L's subset fonts were not made for. */
lg_layout *lg_layout_for(lg_layout *l, const char *text);

/** Whether a line may not end with BEFORE and the next begin with AFTER (避头尾). */
bool lg_break_forbidden(gunichar before, gunichar after);

/** How a justified line of the N characters CS shares ROOM (Pango units,
 * > 0) between its N - 1 gaps, in a font of EM units: into EXTRA[k] the
 * space added after character k (EXTRA[N - 1] is 0). First up to a
 * quarter em beside full-width punctuation (after a closing or stop mark,
 * before an opening one), the rest evenly at every gap with a Chinese
 * character, mark or space on one side; never inside a run of Latin
 * letters, digits or signs (a number, a URL). A line with no such gap
 * gets nothing: it stays as set, and so does one whose gaps would each
 * take more than a third of an em. The one rule of both layout paths. */
void lg_justify_gaps(const gunichar *cs, size_t n, int32_t room, int32_t em, int32_t *extra);

/* ---- paragraph breaking (layout.c): one rule for both layout paths ---- */

/* A paragraph to break into lines: its M characters, their advances as
 * set in it, Pango's break opportunities (M + 1, pango_get_log_attrs of
 * the paragraph alone), and for each character how much narrower it is
 * at half width (0: never compressed) and its glyph's shift then. */
typedef struct lg_para {
    const gunichar *cs;
    const int32_t *w;
    const PangoLogAttr *attrs;
    const int32_t *half, *half_dx;
    size_t m;
} lg_para;

/** Fills HALF and HALF_DX (M each) for the M characters CS in E's font
 * (lg_para). Measures the font's half-width marks on first use. */
void lg_mark_halves(lg_layout *l, font_entry *e, const gunichar *cs, size_t m, int32_t *half,
                    int32_t *half_dx);

/** Breaks P into lines of at most WIDTH Pango units, in a font of EM
 * units, with the least total badness (layout.c): into ENDS (room for
 * P->m + 1) each line's end, a character index; returns how many lines
 * (1 for an empty paragraph, its end 0). */
size_t lg_break_paragraph(const lg_para *p, int32_t width, int32_t em, size_t *ends);

/** How line FROM..TO - 1 of P is set at WIDTH: into DW[k] the change of
 * the advance of character FROM + k (compression, then when JUSTIFY the
 * line's room as lg_justify_gaps shares it) and into DX[k] its glyph's
 * shift. The one placement of both layout paths. */
void lg_place_line(const lg_para *p, size_t from, size_t to, int32_t width, int32_t em,
                   bool justify, int32_t *dw, int32_t *dx);

#endif
