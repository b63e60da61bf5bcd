/* Tests of the build's subset fonts (fonts.c): over every cell, header and
 * title of a generated city's views, a layout with the subset fonts gives
 * the very lines, glyph positions and faces of one with the system's fonts,
 * and it really draws with the subsets. They need fonts-noto-cjk. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pango/pangocairo.h>
#include <pango/pangofc-font.h>

#include "arena.h"
#include "fonts.h"
#include "layout.h"
#include "load.h"
#include "render.h"
#include "view.h"
#include "xmlload.h"

typedef struct city {
    char dir[32];
    lg_plan *plan;
    lg_month *month;
    lg_template *tpl;
    lg_diags d;
} city;

static int setup(void **state)
{
    city *c = lg_xcalloc(1, sizeof *c);
    strcpy(c->dir, "/tmp/ledgerc-fonts-XXXXXX");
    assert_non_null(mkdtemp(c->dir));
    char *cmd = lg_xasprintf("/usr/bin/python3 %s/scripts/gen-corpus --out %s --units 60 "
                             "--tasks 300 --months 1 --start 2022-10",
                             LG_SOURCE_DIR, c->dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    lg_xml_init();
    char *plan_path = lg_xasprintf("%s/plan.xml", c->dir);
    c->plan = lg_plan_load(plan_path, &c->d);
    free(plan_path);
    c->tpl = lg_template_load(LG_SOURCE_DIR "/templates/ledger.xml", &c->d);
    assert_non_null(c->plan);
    assert_non_null(c->tpl);
    c->month = lg_month_load(c->plan, c->dir, 2022, 10, &c->d);
    assert_int_equal(lg_diags_count(&c->d, LG_ERROR), 0);
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    city *c = *state;
    lg_template_free(c->tpl);
    lg_plan_free(c->plan);
    lg_diags_free(&c->d);
    char *cmd = lg_xasprintf("rm -rf %s", c->dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(c);
    return 0;
}

/* The file FONT was loaded from. */
static const char *font_file(PangoFont *font)
{
    FcChar8 *file = NULL;
    FcPatternGetString(pango_fc_font_get_pattern(PANGO_FC_FONT(font)), FC_FILE, 0, &file);
    return (const char *)file;
}

typedef struct tally {
    size_t texts, glyphs, subset_glyphs;
} tally;

/* Asserts that layouts A (system fonts) and B (subset fonts) of TEXT set
 * every glyph at the same place, from a face of the same family, style and
 * weight, and that B's faces are the subsets. */
static void same_glyphs(PangoLayout *a, PangoLayout *b, const char *text, tally *t)
{
    PangoLayoutIter *ia = pango_layout_get_iter(a), *ib = pango_layout_get_iter(b);
    do {
        PangoLayoutRun *ra = pango_layout_iter_get_run_readonly(ia);
        PangoLayoutRun *rb = pango_layout_iter_get_run_readonly(ib);
        assert_true((ra == NULL) == (rb == NULL));
        PangoRectangle la, lb;
        pango_layout_iter_get_run_extents(ia, NULL, &la);
        pango_layout_iter_get_run_extents(ib, NULL, &lb);
        if (la.x != lb.x || la.y != lb.y || la.width != lb.width || la.height != lb.height)
            fail_msg("a run at (%d, %d) %d wide becomes (%d, %d) %d wide: \"%s\"", la.x, la.y,
                     la.width, lb.x, lb.y, lb.width, text);
        assert_int_equal(pango_layout_iter_get_baseline(ia), pango_layout_iter_get_baseline(ib));
        if (!ra)
            continue;
        assert_int_equal(ra->item->offset, rb->item->offset);
        assert_int_equal(ra->item->length, rb->item->length);
        PangoFontDescription *da = pango_font_describe(ra->item->analysis.font);
        PangoFontDescription *db = pango_font_describe(rb->item->analysis.font);
        if (!pango_font_description_equal(da, db))
            fail_msg("\"%s\" in %s becomes %s", text, pango_font_description_to_string(da),
                     pango_font_description_to_string(db));
        pango_font_description_free(da);
        pango_font_description_free(db);
        bool subset = strncmp(font_file(rb->item->analysis.font), "/proc/self/fd/", 14) == 0;
        const PangoGlyphString *ga = ra->glyphs, *gb = rb->glyphs;
        assert_int_equal(ga->num_glyphs, gb->num_glyphs);
        for (int i = 0; i < ga->num_glyphs; i++) {
            const PangoGlyphGeometry *pa = &ga->glyphs[i].geometry, *pb = &gb->glyphs[i].geometry;
            if (pa->width != pb->width || pa->x_offset != pb->x_offset ||
                pa->y_offset != pb->y_offset || ga->log_clusters[i] != gb->log_clusters[i])
                fail_msg("glyph %d of \"%s\": advance %d (%d, %d) becomes %d (%d, %d)", i, text,
                         pa->width, pa->x_offset, pa->y_offset, pb->width, pb->x_offset,
                         pb->y_offset);
            /* A box for a character no font has is drawn by Pango alike. */
            bool unknown = ga->glyphs[i].glyph & PANGO_GLYPH_UNKNOWN_FLAG;
            assert_true(unknown == (bool)(gb->glyphs[i].glyph & PANGO_GLYPH_UNKNOWN_FLAG));
            t->glyphs++;
            t->subset_glyphs += subset;
        }
    } while (pango_layout_iter_next_run(ia) && pango_layout_iter_next_run(ib));
    assert_false(pango_layout_iter_next_run(ib));
    pango_layout_iter_free(ia);
    pango_layout_iter_free(ib);
}

/* Lays TEXT out with both layouts and compares the boxes: lines, tops,
 * glyphs; and the fast measurer's lines, which read the subset's advances. */
static void compare(lg_layout *sys, lg_layout *sub, const char *text, const lg_font *font,
                    double width, lg_align align, bool justify, tally *t)
{
    lg_text_box *a = lg_layout_text(sys, text, font, width, align, justify);
    lg_text_box *b = lg_layout_text(sub, text, font, width, align, justify);
    if (a->n_lines != b->n_lines)
        fail_msg("width %g: %zu lines with the subset, %zu without: \"%s\"", width, b->n_lines,
                 a->n_lines, text);
    for (size_t i = 0; i <= a->n_lines; i++) {
        assert_int_equal(a->line_start[i], b->line_start[i]);
        assert_true(a->line_top[i] == b->line_top[i]);
    }
    assert_int_equal(a->unknown_glyphs, b->unknown_glyphs);
    same_glyphs(a->impl, b->impl, text, t);
    lg_text_box_free(a);
    lg_text_box_free(b);

    a = lg_layout_measure(sys, text, font, width, align, justify);
    b = lg_layout_measure(sub, text, font, width, align, justify);
    assert_int_equal(a->n_lines, b->n_lines);
    for (size_t i = 0; i <= a->n_lines; i++) {
        assert_int_equal(a->line_start[i], b->line_start[i]);
        assert_true(a->line_top[i] == b->line_top[i]);
    }
    lg_text_box_free(a);
    lg_text_box_free(b);
    t->texts++;
}

/* Every cell, header and title of TABLE, at the PDF's and the
 * spreadsheet's column widths. */
static void compare_table(lg_layout *sys, lg_layout *sub, const lg_template *tpl,
                          const lg_table *table, tally *t)
{
    double page_w = LG_MM_TO_PT(tpl->page_w_mm - tpl->margin_left_mm - tpl->margin_right_mm);
    compare(sys, sub, table->title, &tpl->title_font, page_w, LG_ALIGN_CENTER, false, t);
    for (size_t c = 0; c < table->n_columns; c++) {
        const lg_column *col = &table->columns[c];
        double widths[2] = {LG_MM_TO_PT(col->width_mm - 2 * tpl->padding_mm),
                            lg_xlsx_text_width(tpl, col->width_mm)};
        for (int w = 0; w < 2; w++) {
            compare(sys, sub, col->header, &tpl->header_font, widths[w], LG_ALIGN_CENTER, false,
                    t);
            for (size_t r = 0; r < table->n_rows; r++)
                compare(sys, sub, lg_table_cell(table, r, c)->text, &tpl->body_font, widths[w],
                        col->align, col->justify, t);
        }
    }
}

static lg_fonts *city_fonts(const city *c)
{
    lg_fonts *f = lg_fonts_new();
    lg_fonts_add_month(f, c->month, c->tpl);
    const lg_font fonts[] = {c->tpl->title_font, c->tpl->header_font, c->tpl->body_font,
                             c->tpl->footer_font};
    assert_true(lg_fonts_subset(f, fonts, 4, c->dir));
    return f;
}

/* The requirement: with and without subsetting, every line break
 * and glyph position of the city's views is the same, and every glyph of
 * the subset layout comes from a subset face. */
static void test_city_same_layout(void **state)
{
    city *c = *state;
    lg_fonts *f = city_fonts(c);
    size_t bytes;
    size_t faces = lg_fonts_count(f, &bytes);
    print_message("%zu subset faces, %zu bytes\n", faces, bytes);
    assert_true(faces >= 2); /* regular and bold */
    lg_layout *sys = lg_layout_new(), *sub = lg_layout_new_fonts(f);
    tally t = {0};
    const lg_template *tpl = c->tpl;
    lg_arena *a = lg_arena_new();
    compare_table(sys, sub, tpl,
                  lg_view_by_task(a, c->month, lg_template_view(tpl, "by-task"),
                                  tpl->title_format),
                  &t);
    compare_table(sys, sub, tpl,
                  lg_view_summary(a, c->month, lg_template_view(tpl, "summary"),
                                  tpl->title_format),
                  &t);
    for (size_t u = 0; u < c->plan->n_units; u++)
        compare_table(sys, sub, tpl,
                      lg_view_unit(a, c->month, &c->plan->units[u], lg_template_view(tpl, "unit"),
                                   tpl->title_format),
                      &t);
    lg_arena_free(a);
    print_message("%zu texts, %zu glyphs, %zu of them from subset faces\n", t.texts, t.glyphs,
                  t.subset_glyphs);
    assert_true(t.texts > 10000);
    assert_int_equal(t.subset_glyphs, t.glyphs);
    /* The month's characters were all collected: no text went to the system's fonts. */
    assert_int_equal(lg_layout_fallbacks(sub), 0);
    lg_layout_free(sub);
    lg_layout_free(sys);
    lg_fonts_free(f);
}

/* A character the build did not collect is laid out with the system's
 * fonts: the same lines and glyphs, no box. */
static void test_uncollected_char(void **state)
{
    city *c = *state;
    lg_fonts *f = city_fonts(c);
    lg_layout *sys = lg_layout_new(), *sub = lg_layout_new_fonts(f);
    const char *text = "鬱鬱葱葱"; /* not in the generated city */
    assert_false(lg_fonts_cover(f, text));
    tally t = {0};
    compare(sys, sub, text, &c->tpl->body_font, 100, LG_ALIGN_LEFT, false, &t);
    lg_text_box *b = lg_layout_text(sub, text, &c->tpl->body_font, 100, LG_ALIGN_LEFT, false);
    assert_int_equal(b->unknown_glyphs, 0);
    lg_text_box_free(b);
    assert_true(lg_layout_fallbacks(sub) > 0);
    assert_int_equal(t.subset_glyphs, 0);
    lg_layout_free(sub);
    lg_layout_free(sys);
    lg_fonts_free(f);
}

/* A template font found through an alias (serif) is not cut: fontconfig
 * might give another face; a family or a chain of them is, whatever the
 * faces lack. */
static void test_cut_unless_alias(void **state)
{
    city *c = *state;
    const struct {
        const char *family;
        bool cut;
    } cases[] = {{"serif", false},
                 {"DejaVu Sans", true},
                 {"Noto Sans CJK SC", true},
                 {"DejaVu Sans,Noto Sans CJK SC", true}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        lg_fonts *f = lg_fonts_new();
        lg_fonts_add_month(f, c->month, c->tpl);
        const lg_font font = {cases[i].family, 10, false, NULL};
        assert_int_equal(lg_fonts_subset(f, &font, 1, c->dir), cases[i].cut);
        assert_int_equal(lg_fonts_config(f) != NULL, cases[i].cut);
        lg_fonts_free(f);
    }
}

/* The family of the face that draws the run of LAYOUT at byte INDEX. */
static char *run_family(PangoLayout *layout, int index)
{
    PangoLayoutIter *it = pango_layout_get_iter(layout);
    char *family = NULL;
    do {
        PangoLayoutRun *r = pango_layout_iter_get_run_readonly(it);
        if (r && r->item->offset <= index && index < r->item->offset + r->item->length) {
            PangoFontDescription *d = pango_font_describe(r->item->analysis.font);
            family = lg_xstrdup(pango_font_description_get_family(d));
            pango_font_description_free(d);
        }
    } while (!family && pango_layout_iter_next_run(it));
    pango_layout_iter_free(it);
    return family;
}

/* A chain "DejaVu Sans,Noto Sans CJK SC": Latin letters in the first face,
 * ideographs (which it lacks) in the second, with the subsets as with the
 * system's fonts; every glyph from a subset face. */
static void test_chain(void **state)
{
    city *c = *state;
    lg_fonts *f = lg_fonts_new();
    lg_fonts_add_month(f, c->month, c->tpl);
    const lg_font font = {"DejaVu Sans,Noto Sans CJK SC", 10, false, NULL};
    assert_true(lg_fonts_subset(f, &font, 1, c->dir));
    size_t bytes;
    assert_int_equal(lg_fonts_count(f, &bytes), 2);
    lg_layout *sys = lg_layout_new(), *sub = lg_layout_new_fonts(f);
    const char *text = "ABC推进"; /* characters of the city (lg_fonts_add_month) */
    tally t = {0};
    compare(sys, sub, text, &font, 150, LG_ALIGN_LEFT, false, &t);
    assert_int_equal(t.subset_glyphs, t.glyphs);
    lg_text_box *b = lg_layout_text(sub, text, &font, 150, LG_ALIGN_LEFT, false);
    char *latin = run_family(b->impl, 0), *han = run_family(b->impl, 3);
    assert_string_equal(latin, "DejaVu Sans");
    assert_string_equal(han, "Noto Sans CJK SC");
    assert_int_equal(b->unknown_glyphs, 0);
    free(latin);
    free(han);
    lg_text_box_free(b);
    assert_int_equal(lg_layout_fallbacks(sub), 0);
    lg_layout_free(sub);
    lg_layout_free(sys);
    lg_fonts_free(f);
}

/* A character that no face of the chain has is a box with the subsets:
 * the private configuration adds no face of the system's for it (with the
 * system's fonts Pango would take Noto). lg_layout_missing_chars names it
 * with either: it is in no face of the chain. */
static void test_char_no_face_has(void **state)
{
    city *c = *state;
    lg_fonts *f = lg_fonts_new();
    lg_fonts_add_month(f, c->month, c->tpl);
    const lg_font font = {"DejaVu Sans", 10, false, NULL};
    assert_true(lg_fonts_subset(f, &font, 1, c->dir));
    lg_layout *sys = lg_layout_new(), *sub = lg_layout_new_fonts(f);
    const char *text = "A推进"; /* DejaVu Sans has no ideograph */
    assert_true(lg_fonts_cover(f, text));
    lg_text_box *b = lg_layout_text(sub, text, &font, 150, LG_ALIGN_LEFT, false);
    assert_int_equal(b->unknown_glyphs, 2);
    lg_text_box_free(b);
    b = lg_layout_text(sys, text, &font, 150, LG_ALIGN_LEFT, false);
    assert_int_equal(b->unknown_glyphs, 0); /* the system's fallback draws them */
    lg_text_box_free(b);
    for (int i = 0; i < 2; i++) {
        uint32_t cs[4];
        assert_int_equal(lg_layout_missing_chars(i ? sub : sys, &font, text, cs, 4), 2);
        assert_int_equal(cs[0], 0x63A8);
        assert_int_equal(cs[1], 0x8FDB);
    }
    /* a family named by another of its names: DejaVu Sans Condensed is a
     * face of the family DejaVu Sans too */
    const lg_font condensed = {"DejaVu Sans Condensed", 10, false, NULL};
    uint32_t cs[4];
    assert_int_equal(lg_layout_missing_chars(sys, &condensed, "ABC推", cs, 4), 1);
    assert_int_equal(cs[0], 0x63A8);
    lg_layout_free(sub);
    lg_layout_free(sys);
    lg_fonts_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_city_same_layout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uncollected_char, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cut_unless_alias, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_char_no_face_has, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
