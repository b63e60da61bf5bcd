/* What layout.c and layout_measure.c share: the per-thread state of a
 * lg_layout and its fonts. Private to the two. */
#ifndef LG_LAYOUT_IMPL_H
#define LG_LAYOUT_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include <pango/pangocairo.h>

#include "fonts.h"
#include "layout.h"

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
    const lg_fonts *subset; /* the build's fonts, or NULL: the system's */
    lg_layout *system;      /* for texts SUBSET does not cover; made on first use */
    size_t n_system;        /* texts handed to it */
};

/* What a box of lg_layout_fast keeps to be drawn without shaping: a glyph
 * for each character but line feeds. */
typedef struct fast_glyphs {
    PangoFont *font;         /* the font of every glyph (a reference) */
    char *text;              /* a copy of the text */
    uint32_t *glyph;         /* per character */
    int32_t *x;              /* per character: its glyph's origin from its line's left edge */
    size_t *line_char;       /* n_lines + 1: each line's first character */
    int ascent, line_height; /* Pango units */
} fast_glyphs;

void lg_fast_glyphs_free(fast_glyphs *fg);

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

#endif
