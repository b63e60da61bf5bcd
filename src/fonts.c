/* The build's fonts cut down to its characters: see fonts.h. */
#include "fonts.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <hb-subset.h>
#include <hb.h>

#include "arena.h"
#include "status.h"
#include "textstore.h"

#define N_CHARS 0x110000
#define DEFAULT_FAMILY "Noto Serif CJK SC" /* as layout.c's */

/* A face of the system's fonts and the characters it is to draw. */
typedef struct face {
    char *file;
    int index;
    double weight; /* as the system's configuration gives it (see weigh) */
    hb_set_t *chars;
} face;

struct lg_fonts {
    uint8_t *chars; /* N_CHARS / 8: a bit per character added */
    face *faces;
    size_t n_faces;
    int *fds;       /* the subset files, one per face */
    size_t n_fds, bytes;
    FcConfig *config;
};

lg_fonts *lg_fonts_new(void)
{
    lg_fonts *f = lg_xcalloc(1, sizeof *f);
    f->chars = lg_xcalloc(N_CHARS / 8, 1);
    return f;
}

void lg_fonts_free(lg_fonts *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n_faces; i++) {
        free(f->faces[i].file);
        hb_set_destroy(f->faces[i].chars);
    }
    free(f->faces);
    if (f->config)
        FcConfigDestroy(f->config);
    for (size_t i = 0; i < f->n_fds; i++)
        close(f->fds[i]);
    free(f->fds);
    free(f->chars);
    free(f);
}

static bool has(const lg_fonts *f, uint32_t c)
{
    return c < N_CHARS && (f->chars[c / 8] >> (c % 8) & 1);
}

void lg_fonts_add_text(lg_fonts *f, const char *text)
{
    for (const char *p = text ? text : ""; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c < N_CHARS)
            f->chars[c / 8] |= (uint8_t)(1u << (c % 8));
    }
}

bool lg_fonts_cover(const lg_fonts *f, const char *text)
{
    for (const char *p = text ? text : ""; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c >= 0x20 && c != 0x7F && !has(f, c))
            return false;
    }
    return true;
}

/* What the program itself writes: the views' and renderers' labels (the
 * cells of view_*.c, 续 of a continued group, … of a shortened bookmark, the
 * — of a GB/T 9704 footer), printable ASCII for numbers, dates and
 * percentages. A character missed here is still drawn right: a layout
 * hands a text it does not cover to the system's fonts (layout.c). */
static const char program_texts[] =
    "未报送是否分单位台账全市台账汇总合计各单位序时进度达标率问题清单错误警告"
    "填报单位：长期推进年月底前、（续）…—％图例";

void lg_fonts_add_month(lg_fonts *f, const lg_month *m, const lg_template *tpl)
{
    for (uint32_t c = 0x20; c < 0x7F; c++)
        f->chars[c / 8] |= (uint8_t)(1u << (c % 8));
    lg_fonts_add_text(f, program_texts);
    /* Not drawn, but the fast path of lg_layout_measure measures every
     * text beside it (layout_measure.c): a face cut without it would leave
     * every cell to Pango. */
    lg_fonts_add_text(f, "中");

    lg_fonts_add_text(f, tpl->title_format);
    lg_fonts_add_text(f, tpl->footer_format);
    lg_fonts_add_text(f, tpl->author);
    lg_fonts_add_text(f, tpl->continued_mark);
    const lg_status_rules *rules = lg_status_rules_of(m); /* the legend's names */
    for (size_t k = 0; k < LG_STATUS_COUNT; k++)
        lg_fonts_add_text(f, rules->names[k]);
    lg_fonts_add_text(f, rules->escalated_name);
    for (size_t v = 0; v < tpl->n_views; v++)
        for (size_t c = 0; c < tpl->views[v].n_columns; c++)
            lg_fonts_add_text(f, tpl->views[v].columns[c].header);

    const lg_plan *p = m->plan;
    lg_fonts_add_text(f, p->title);
    for (size_t i = 0; i < p->n_units; i++)
        lg_fonts_add_text(f, p->units[i].name);
    for (size_t i = 0; i < p->n_tasks; i++) {
        lg_fonts_add_text(f, p->tasks[i].owner_label);
        lg_fonts_add_text(f, p->tasks[i].due_label);
        lg_fonts_add_text(f, p->tasks[i].numbered);
        lg_textstore_tick(p->texts, i);
    }
    for (size_t u = 0; u < p->n_units; u++) {
        const lg_report *r = m->reports[u];
        for (size_t i = 0; r && i < r->n_entries; i++) {
            lg_fonts_add_text(f, r->entries[i].progress);
            lg_fonts_add_text(f, r->entries[i].plan);
            lg_fonts_add_text(f, r->entries[i].remark);
            lg_textstore_tick(p->texts, i);
        }
    }
    lg_textstore_trim(p->texts);
}

void lg_fonts_add_table(lg_fonts *f, const lg_table *t)
{
    lg_fonts_add_text(f, t->name);
    lg_fonts_add_text(f, t->title);
    for (size_t c = 0; c < t->n_columns; c++)
        lg_fonts_add_text(f, t->columns[c].header);
    for (size_t i = 0; i < t->n_groups; i++)
        lg_fonts_add_text(f, t->groups[i].label);
    if (t->chart)
        lg_fonts_add_text(f, t->chart->title);
    for (size_t i = 0; i < t->n_rows * t->n_columns; i++)
        lg_fonts_add_text(f, t->cells[i].text);
}

/* ---- which face draws the characters -------------------------------------------
 *
 * A font's family is a fallback chain (template.h), which Pango gets as its
 * family list: it draws each character with the first family of the list
 * that has it, since a family the description names outranks every other
 * criterion of fontconfig's sort (the language Pango gives the text among
 * them). So each character goes to the first face of the chain that has
 * it, and one that no face of the chain has goes nowhere: no face of the
 * private configuration is made for it, so it prints as a box (check.c
 * warns about it), whatever other installed fonts have. Each family must
 * match a face of its very name (not one found through an alias; the
 * template checked that it is installed), else nothing is cut. */

/* The weight SYS gives the face FILE, INDEX as it scanned it (with the
 * scan rules, not the rules of a match, which may make a regular face
 * bold by emboldening it); -1 when it says none. */
static double scanned_weight(FcConfig *sys, const FcChar8 *file, int index)
{
    FcPattern *p = FcPatternCreate();
    FcPatternAddString(p, FC_FILE, file);
    FcPatternAddInteger(p, FC_INDEX, index);
    FcObjectSet *os = FcObjectSetBuild(FC_WEIGHT, (char *)NULL);
    FcFontSet *fs = FcFontList(sys, p, os);
    FcValue w = {.type = FcTypeVoid};
    if (fs && fs->nfont > 0)
        FcPatternGet(fs->fonts[0], FC_WEIGHT, 0, &w);
    double weight = w.type == FcTypeInteger ? w.u.i : w.type == FcTypeDouble ? w.u.d : -1;
    if (fs)
        FcFontSetDestroy(fs);
    FcObjectSetDestroy(os);
    FcPatternDestroy(p);
    return weight;
}

/* The face of PAT, added to F once; its index in F->faces. */
static size_t face_of(lg_fonts *f, FcConfig *sys, FcPattern *pat)
{
    FcChar8 *file = NULL;
    int index = 0;
    FcPatternGetString(pat, FC_FILE, 0, &file);
    FcPatternGetInteger(pat, FC_INDEX, 0, &index);
    for (size_t i = 0; i < f->n_faces; i++)
        if (f->faces[i].index == index && strcmp(f->faces[i].file, (const char *)file) == 0)
            return i;
    double weight = scanned_weight(sys, file, index);
    f->faces = lg_xrealloc(f->faces, (f->n_faces + 1) * sizeof *f->faces);
    f->faces[f->n_faces] = (face){lg_xstrdup((const char *)file), index, weight, hb_set_create()};
    return f->n_faces++;
}

/* The pattern Pango's fontconfig backend makes for FONT at 72 dpi, after
 * the system's substitutions. The caller destroys it. */
static FcPattern *pattern_of(FcConfig *sys, const lg_font *font, const char *family)
{
    double size = font->size > 0 ? font->size : 10.0;
    FcPattern *pat = FcPatternCreate();
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
    FcPatternAddDouble(pat, FC_WEIGHT, FcWeightFromOpenTypeDouble(font->bold ? 700 : 400));
    FcPatternAddInteger(pat, FC_SLANT, FC_SLANT_ROMAN);
    FcPatternAddInteger(pat, FC_WIDTH, FC_WIDTH_NORMAL);
    FcPatternAddDouble(pat, FC_DPI, 72);
    FcPatternAddDouble(pat, FC_SIZE, size);
    FcPatternAddDouble(pat, FC_PIXEL_SIZE, size);
    FcConfigSubstitute(sys, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    return pat;
}

static bool covers(FcPattern *pat, uint32_t c)
{
    FcCharSet *cs = NULL;
    return pat && FcPatternGetCharSet(pat, FC_CHARSET, 0, &cs) == FcResultMatch &&
           FcCharSetHasChar(cs, c);
}

static bool has_family(FcPattern *pat, const char *family)
{
    FcChar8 *name;
    for (int i = 0; FcPatternGetString(pat, FC_FAMILY, i, &name) == FcResultMatch; i++)
        if (FcStrCmpIgnoreCase(name, (const FcChar8 *)family) == 0)
            return true;
    return false;
}

/* Gives every character added to the first face of FONT's chain that has
 * it; false when a family of the chain does not match itself. */
static bool assign(lg_fonts *f, FcConfig *sys, const lg_font *font)
{
    char **fam = lg_font_families(font->family && *font->family ? font->family : DEFAULT_FAMILY);
    size_t n = 0;
    while (fam[n])
        n++;
    FcPattern **match = lg_xcalloc(n + 1, sizeof *match);
    size_t *k = lg_xcalloc(n + 1, sizeof *k);
    bool ok = n > 0;
    for (size_t i = 0; ok && i < n; i++) {
        FcPattern *pat = pattern_of(sys, font, fam[i]);
        FcResult res;
        match[i] = FcFontMatch(sys, pat, &res);
        FcPatternDestroy(pat);
        ok = match[i] && has_family(match[i], fam[i]);
        if (ok)
            k[i] = face_of(f, sys, match[i]);
    }
    for (uint32_t c = 0x20; ok && c < N_CHARS; c++) {
        if (!has(f, c))
            continue;
        for (size_t i = 0; i < n; i++)
            if (covers(match[i], c)) {
                hb_set_add(f->faces[k[i]].chars, c);
                break;
            }
    }
    for (size_t i = 0; i < n; i++)
        if (match[i])
            FcPatternDestroy(match[i]);
    free(match);
    free(k);
    lg_font_families_free(fam);
    return ok;
}

/* ---- cutting the faces ------------------------------------------------------ */

/* The system's configuration may correct what a face says of itself: the
 * Fandol fonts' Bold faces claim a regular weight, which the configuration
 * that scripts/install-deps writes sets right. The private configuration
 * runs no such rule, so the cut face at PATH gets the weight the system
 * gives FC; false when it is not in CONFIG. */
static bool weigh(FcConfig *config, const char *path, const face *fc)
{
    FcFontSet *set = FcConfigGetFonts(config, FcSetApplication);
    for (int i = 0; set && i < set->nfont; i++) {
        FcChar8 *file;
        if (FcPatternGetString(set->fonts[i], FC_FILE, 0, &file) != FcResultMatch ||
            strcmp((const char *)file, path) != 0)
            continue;
        if (fc->weight >= 0) {
            FcPatternDel(set->fonts[i], FC_WEIGHT);
            FcPatternAddDouble(set->fonts[i], FC_WEIGHT, fc->weight);
        }
        return true;
    }
    return false;
}

/* Fontconfig's rule for a bold text in a face that has no bold (Debian's
 * 90-synthetic.conf): the face is emboldened. The private configuration
 * has it too, so that a strong cell in FandolFang is set as with the
 * system's fonts. */
static const char synthetic_bold[] =
    "<?xml version=\"1.0\"?><fontconfig><match target=\"font\">"
    "<test name=\"weight\" compare=\"less_eq\"><const>medium</const></test>"
    "<test target=\"pattern\" name=\"weight\" compare=\"more_eq\"><const>bold</const></test>"
    "<edit name=\"embolden\" mode=\"assign\"><bool>true</bool></edit>"
    "<edit name=\"weight\" mode=\"assign\"><const>bold</const></edit>"
    "</match></fontconfig>";

/* FC cut down to its characters, every name, script and feature kept (the
 * family names are how templates find it, the features how it is shaped),
 * written to a new file in DIR: its descriptor, or -1. */
static int cut(const face *fc, const char *dir, size_t *bytes)
{
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(fc->file);
    if (!blob)
        return -1;
    hb_face_t *whole = hb_face_create(blob, (unsigned)fc->index);
    hb_blob_destroy(blob);
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    int fd = -1;
    if (in) {
        hb_set_union(hb_subset_input_unicode_set(in), fc->chars);
        /* Without subroutines: Cairo 1.16 copies a CID font's local
         * subroutines whole into each PDF's subset, used or not; and
         * without hints, which PDF viewers do not need (poppler's pages are
         * the same pixels). Measured on the seed's units/kjj.pdf: 186 KB
         * with subroutines, 139 KB without, 119 KB without hints either
         * (648 KB from the whole font); and each PDF deflates its font
         * program, so the smaller one costs less time too. */
        hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_DESUBROUTINIZE |
                                          HB_SUBSET_FLAGS_NO_HINTING |
                                          HB_SUBSET_FLAGS_NAME_LEGACY);
        static const hb_subset_sets_t all[] = {
            HB_SUBSET_SETS_NAME_ID, HB_SUBSET_SETS_NAME_LANG_ID,
            HB_SUBSET_SETS_LAYOUT_FEATURE_TAG, HB_SUBSET_SETS_LAYOUT_SCRIPT_TAG};
        for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
            hb_set_t *s = hb_subset_input_set(in, all[i]);
            hb_set_clear(s);
            hb_set_invert(s);
        }
        hb_face_t *sub = hb_subset_or_fail(whole, in);
        if (sub) {
            hb_blob_t *out = hb_face_reference_blob(sub);
            unsigned len = 0;
            const char *data = hb_blob_get_data(out, &len);
            fd = len ? lg_open_unlinked(dir) : -1;
            if (fd >= 0 && write(fd, data, len) != (ssize_t)len) {
                close(fd);
                fd = -1;
            }
            *bytes += len;
            hb_blob_destroy(out);
            hb_face_destroy(sub);
        }
        hb_subset_input_destroy(in);
    }
    hb_face_destroy(whole);
    return fd;
}

/* A path by which FreeType, in this process and in those forked from it,
 * opens the file of descriptor FD. */
static char *fd_path(int fd)
{
    return lg_xasprintf("/proc/self/fd/%d", fd);
}

bool lg_fonts_subset(lg_fonts *f, const lg_font *fonts, size_t n, const char *dir)
{
    FcConfig *sys = FcConfigGetCurrent();
    for (size_t i = 0; i < n; i++)
        if (!assign(f, sys, &fonts[i]))
            return false;
    if (f->n_faces == 0)
        return false;

    /* Only the cut faces, and none of the system's rules but the one for a
     * missing bold (none is needed to find a family by its name;
     * FcInitLoadConfig would also leak a part of the rules it parses). */
    FcConfig *config = FcConfigCreate();
    bool ok = config && FcConfigParseAndLoadFromMemory(config, (const FcChar8 *)synthetic_bold,
                                                       FcTrue);
    f->fds = lg_xcalloc(f->n_faces, sizeof *f->fds);
    for (size_t i = 0; ok && i < f->n_faces; i++) {
        int fd = cut(&f->faces[i], dir, &f->bytes);
        ok = fd >= 0;
        if (ok) {
            f->fds[f->n_fds++] = fd;
            char *path = fd_path(fd);
            ok = FcConfigAppFontAddFile(config, (const FcChar8 *)path) &&
                 weigh(config, path, &f->faces[i]);
            free(path);
        }
    }
    if (!ok) {
        if (config)
            FcConfigDestroy(config);
        return false;
    }
    f->config = config;
    return true;
}

FcConfig *lg_fonts_config(const lg_fonts *f)
{
    return f ? f->config : NULL;
}

size_t lg_fonts_count(const lg_fonts *f, size_t *bytes)
{
    if (bytes)
        *bytes = f->bytes;
    return f->config ? f->n_fds : 0;
}
