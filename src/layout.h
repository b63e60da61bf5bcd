/* Text layout: line breaking and measurement of cell text with Pango, shared
 * by both renderers so that the PDF's lines and the XLSX row heights come from
 * the same computation. Chinese line breaking (避头尾) is enforced here. */
#ifndef LG_LAYOUT_H
#define LG_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cairo.h>

#include "fonts.h"
#include "template.h"

/* One per thread: a Pango context at 72 dpi with hint metrics off, so that
 * measurements equal what a PDF surface draws. */
typedef struct lg_layout lg_layout;

lg_layout *lg_layout_new(void);
void lg_layout_free(lg_layout *l);

/** A layout drawing with the subset fonts of F (fonts.h), or with the
 * system's when F has none; F must outlive it. A text with a character F
 * was not made for is laid out with the system's fonts, the same lines. */
lg_layout *lg_layout_new_fonts(const lg_fonts *f);

/** How many texts a layout of lg_layout_new_fonts gave to the system's
 * fonts (0 when the build collected every character it draws). */
size_t lg_layout_fallbacks(const lg_layout *l);

/* A cell's text laid out at a width: its lines and their heights. */
typedef struct lg_text_box {
    size_t n_lines;
    size_t *line_start; /* n_lines + 1 byte offsets into the text; the last is its length */
    double *line_top;   /* n_lines + 1: top of each line from the box top, pt; the last is the height */
    double height;      /* pt, == line_top[n_lines] */
    double width;       /* the width laid out at, pt */
    unsigned unknown_glyphs; /* characters no configured font can show */
    void *impl;         /* the layout, kept for drawing */
    void *glyphs;       /* or its glyphs, from lg_layout_fast */
    int refs;           /* its holders: the caller, and the lg_layout's cache */
} lg_text_box;

/** Lays out TEXT ('\n' separates paragraphs) in FONT at WIDTH points. An empty
 * text has one empty line. The caller frees with lg_text_box_free. L keeps
 * the box and gives it again for the same text, font, width, alignment and
 * justification (a box is not changed once made); so do lg_layout_measure
 * and lg_layout_fast. TEXT must be valid UTF-8 (as libxml2 gives it); NULL is the empty text.
 * WIDTH <= 0 lays out without wrapping. FONT NULL: Noto Serif CJK SC 10 pt. */
lg_text_box *lg_layout_text(lg_layout *l, const char *text, const lg_font *font, double width,
                            lg_align align, bool justify);
void lg_text_box_free(lg_text_box *b);

/** The lines and heights lg_layout_text gives, for planning pages and
 * sizing rows, at a fraction of the cost for Chinese text: a cell whose
 * characters are ideographs, full-width punctuation, digits and signs is
 * broken without shaping (see layout.c), any other text by Pango. The box
 * may have no layout (impl NULL): it is not for lg_text_box_draw or
 * lg_text_box_line_width. Free with lg_text_box_free. */
lg_text_box *lg_layout_measure(lg_layout *l, const char *text, const lg_font *font, double width,
                               lg_align align, bool justify);

/** The box lg_layout_text gives, for drawing, at a fraction of the cost
 * for Chinese text: a left-aligned cell that lg_layout_measure breaks
 * without shaping keeps the glyphs and positions measured (justified as
 * Pango justifies), and lg_text_box_draw draws them as Pango would; any
 * other text is laid out by Pango. Not for lg_text_box_line_width. Free
 * with lg_text_box_free. */
lg_text_box *lg_layout_fast(lg_layout *l, const char *text, const lg_font *font, double width,
                            lg_align align, bool justify);

/** What lg_layout_fast_again needs to make B (a box of lg_layout_fast) again
 * without breaking its text, written to OUT (room for B's n_lines + 1):
 * how many words, or 0 when B is not drawn from glyphs (Pango lays such a
 * text out again whole). A table that plans its pages before it draws them
 * keeps these: the layout's cache does not hold a province's table. */
size_t lg_text_box_lines(const lg_text_box *b, uint32_t *out);

/** lg_layout_fast for a text laid out before: LINES is what
 * lg_text_box_lines gave for its box (the same text, font, width,
 * alignment and justification), or NULL. The same box as lg_layout_fast
 * gives, made without finding the text's break opportunities or breaking
 * it again when L's cache no longer has it. */
lg_text_box *lg_layout_fast_again(lg_layout *l, const char *text, const lg_font *font,
                                  double width, lg_align align, bool justify,
                                  const uint32_t *lines);

/** Finds the characters of TEXT that no configured font can show in FONT
 * (they would print as boxes). Stores up to MAX distinct ones in OUT, in
 * order of first appearance, and returns how many distinct ones there are. */
size_t lg_layout_missing_chars(lg_layout *l, const lg_font *font, const char *text,
                               uint32_t *out, size_t max);

/** Draws lines FIRST..END-1 of B (from lg_layout_text or lg_layout_fast) with the top of
 * line FIRST at (X, Y). */
void lg_text_box_draw(const lg_text_box *b, cairo_t *cr, double x, double y, size_t first,
                      size_t end);

/** Text of lines FIRST..END-1 of B, without a trailing line feed; the caller frees. */
char *lg_text_box_slice(const lg_text_box *b, const char *text, size_t first, size_t end);

/** Logical width of line LINE of B in points (its advance, trailing spaces
 * included; 0 past the last line). Walks the lines up to LINE: O(LINE). With WIDTH <= 0 given to lg_layout_text the
 * text is not wrapped, so this is each paragraph's natural width. */
double lg_text_box_line_width(const lg_text_box *b, size_t line);

#endif
