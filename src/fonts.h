/* The build's fonts, cut down to the characters it draws.
 *
 * Cairo 1.16 embeds a subset of every face a PDF uses, but it loads the
 * whole face for each PDF (23 MB of CFF for Noto Serif CJK) and copies its
 * subroutines whole into the subset. So a build first collects every
 * character it will draw, finds the face each of the template's fonts
 * draws them with, and cuts each such face down to its characters with
 * HarfBuzz's subsetter, once. A template font is a fallback chain of
 * families (template.h): each character goes to the first face of its
 * chain that has it, each face is cut to the characters it draws, and a
 * character that no face of the chain has is in none (it prints as a box,
 * and check.c warns; unless another role's chain draws it, whose face
 * Pango then takes: the configuration is one for all roles). Layouts made with lg_layout_new_fonts then use only
 * these small faces, through a private fontconfig configuration that holds
 * nothing else (no face of the system is added for a character the chain
 * lacks): the same family names, glyphs, advances, kerning and line
 * heights, so the very same lines.
 *
 * The subset faces are unlinked temporary files (read through
 * /proc/self/fd), so a run killed at any point leaves nothing behind; worker
 * processes forked after lg_fonts_subset inherit them. */
#ifndef LG_FONTS_H
#define LG_FONTS_H

#include <stdbool.h>
#include <stddef.h>

#include <fontconfig/fontconfig.h>

#include "model.h"
#include "table.h"
#include "template.h"

typedef struct lg_fonts lg_fonts;

/** An empty set of characters. Free with lg_fonts_free. */
lg_fonts *lg_fonts_new(void);

/** Frees F, its configuration and its files; NULL is allowed. Layouts made
 * with it must be freed first. */
void lg_fonts_free(lg_fonts *f);

/** Adds the characters of TEXT (UTF-8; NULL is the empty text). */
void lg_fonts_add_text(lg_fonts *f, const char *text);

/** Adds every character month M can draw with template TPL: the plan's and
 * reports' texts, the template's strings, digits and the program's own
 * labels; and 中, which layouts measure with. */
void lg_fonts_add_month(lg_fonts *f, const lg_month *m, const lg_template *tpl);

/** Adds every character table T shows: its name, title, column headers,
 * group labels, chart title and cells. For the tables whose texts are not
 * the plan's and reports' (the 通报, summaries, the 问题清单): a character
 * missed would be drawn from the system's whole face, whose subset Cairo
 * then adds to the PDF beside the cut one. */
void lg_fonts_add_table(lg_fonts *f, const lg_table *t);

/** Subsets, for the N fonts FONTS, the faces that draw the characters
 * added, into unlinked files in folder DIR, and makes the configuration
 * that offers only them. Not using Pango, so that it may run in a process
 * that forks later. False when a family of a font's chain does not match
 * a face of its own name (an alias) or something failed (no file can be
 * made in DIR, a face cannot be read or cut): F then has no configuration
 * and layouts use the system's fonts. */
bool lg_fonts_subset(lg_fonts *f, const lg_font *fonts, size_t n, const char *dir);

/** The private configuration lg_fonts_subset made, or NULL. */
FcConfig *lg_fonts_config(const lg_fonts *f);

/** True when every character of TEXT was added (line feeds and other
 * controls, which are not drawn, need not be). */
bool lg_fonts_cover(const lg_fonts *f, const char *text);

/** How many faces lg_fonts_subset made, and their total size in bytes. */
size_t lg_fonts_count(const lg_fonts *f, size_t *bytes);

#endif
