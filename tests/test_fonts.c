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
#include <unistd.h>

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

/* Asserts that box B (of the subset layout) has the lines and tops of
 * box A (Pango, system fonts): what the PDF measures and draws for TEXT
 * is what Pango would. */
static void same_lines(const lg_text_box *a, const lg_text_box *b, const char *what,
                       const char *text, double width)
{
    if (a->n_lines != b->n_lines)
        fail_msg("%s, width %g: %zu lines, Pango has %zu: \"%s\"", what, width, b->n_lines,
                 a->n_lines, text);
    for (size_t i = 0; i <= a->n_lines; i++)
        if (a->line_start[i] != b->line_start[i] || a->line_top[i] != b->line_top[i])
            fail_msg("%s, width %g: line %zu at byte %zu, top %g; Pango's at %zu, top %g: "
                     "\"%s\"",
                     what, width, i + 1, b->line_start[i], b->line_top[i], a->line_start[i],
                     a->line_top[i], text);
}

/* TEXT at WIDTH in the body font with the subset layout SUB, measured
 * (lg_layout_measure) and as drawn (lg_layout_fast), against Pango's lines
 * with the system's fonts. Returns whether it was measured without shaping. */
static bool measured_as_drawn(lg_layout *sys, lg_layout *sub, const char *text,
                              const lg_column *col, double width)
{
    lg_text_box *a = lg_layout_text(sys, text, NULL, width, col->align, col->justify);
    lg_text_box *m = lg_layout_measure(sub, text, NULL, width, col->align, false);
    lg_text_box *f = lg_layout_fast(sub, text, NULL, width, col->align, col->justify);
    same_lines(a, m, "measured", text, width);
    same_lines(a, f, "drawn", text, width);
    bool fast = m->impl == NULL;
    lg_text_box_free(a);
    lg_text_box_free(m);
    lg_text_box_free(f);
    return fast;
}

/* The fast measurer lays every text out beside 中 (layout_measure.c). A
 * face cut without 中 draws a box there, whose height is not a line's: it
 * gave the 分工台账 of tests/data/sections 9.3 pt lines, rows a line too
 * short and lines over each other. Such a face is left to Pango. */
static void test_face_without_probe_char(void **state)
{
    (void)state;
    static const char text[] = "配合做好投资统计，1-10月累计70亿元。";
    char dir[] = "/tmp/ledgerc-fonts-XXXXXX";
    assert_non_null(mkdtemp(dir));
    lg_fonts *f = lg_fonts_new();
    lg_fonts_add_text(f, text);
    const lg_font body = {"Noto Serif CJK SC", 10, false, NULL};
    assert_true(lg_fonts_subset(f, &body, 1, dir));
    lg_layout *sys = lg_layout_new(), *sub = lg_layout_new_fonts(f);
    const lg_column col = {.align = LG_ALIGN_LEFT, .justify = true};
    /* 141.7 pt: the column of 进展情况 (53 mm, 1.5 mm padding) */
    for (double w = 40; w <= 200; w += 0.25)
        measured_as_drawn(sys, sub, text, &col, w);
    measured_as_drawn(sys, sub, text, &col, LG_MM_TO_PT(53 - 2 * 1.5));
    tally t = {0};
    compare(sys, sub, text, &body, LG_MM_TO_PT(53 - 2 * 1.5), LG_ALIGN_LEFT, true, &t);
    assert_int_equal(t.subset_glyphs, t.glyphs);
    assert_int_equal(lg_layout_fallbacks(sub), 0);
    lg_layout_free(sub);
    lg_layout_free(sys);
    lg_fonts_free(f);
    assert_int_equal(rmdir(dir), 0);
}

/* Every cell of the views of a month without 中 in its texts (the 分工台账
 * of tests/data/sections) at its PDF width: measured and drawn with the
 * build's faces as Pango lays it out with the system's, and its long
 * Chinese cells still measured without shaping (the build's faces hold
 * 中). */
static void test_month_without_probe_char(void **state)
{
    (void)state;
    lg_xml_init();
    lg_diags d = {0};
    lg_plan *p = lg_plan_load(LG_SOURCE_DIR "/tests/data/sections/plan.xml", &d);
    lg_template *tpl = lg_template_load(LG_SOURCE_DIR "/templates/fengong.xml", &d);
    assert_non_null(p);
    assert_non_null(tpl);
    lg_month *m = lg_month_load(p, LG_SOURCE_DIR "/tests/data/sections", 2022, 10, &d);
    assert_non_null(m); /* (its report on a task its unit does not own is the data's own case) */
    char dir[] = "/tmp/ledgerc-fonts-XXXXXX";
    assert_non_null(mkdtemp(dir));
    lg_fonts *f = lg_fonts_new();
    lg_fonts_add_month(f, m, tpl);
    const lg_font fonts[] = {tpl->title_font, tpl->header_font, tpl->body_font,
                             tpl->footer_font};
    assert_true(lg_fonts_subset(f, fonts, 4, dir));
    lg_layout *sys = lg_layout_new(), *sub = lg_layout_new_fonts(f);
    lg_arena *a = lg_arena_new();
    size_t n_tables = p->n_units + 1;
    const lg_table **tables = lg_xmalloc(n_tables * sizeof *tables);
    tables[0] = lg_view_by_task(a, m, lg_template_view(tpl, "by-task"), tpl->title_format);
    for (size_t u = 0; u < p->n_units; u++)
        tables[u + 1] = lg_view_unit(a, m, &p->units[u], lg_template_view(tpl, "unit"),
                                     tpl->title_format);
    size_t cells = 0, long_cells = 0, fast = 0;
    bool seen_case = false;
    for (size_t k = 0; k < n_tables; k++) {
        const lg_table *t = tables[k];
        for (size_t r = 0; r < t->n_rows; r++)
            for (size_t col = 0; col < t->n_columns; col++) {
                const char *text = lg_table_cell(t, r, col)->text;
                assert_null(strstr(text, "中")); /* the case: no text has it */
                seen_case |= strcmp(text, "配合做好投资统计，1-10月累计70亿元。") == 0;
                const lg_column *c = &t->columns[col];
                bool by_fast = measured_as_drawn(
                    sys, sub, text, c, LG_MM_TO_PT(c->width_mm - 2 * tpl->padding_mm));
                cells++;
                long_cells += strlen(text) > 48;
                fast += by_fast;
            }
    }
    print_message("%zu cells, %zu long, %zu measured without shaping\n", cells, long_cells, fast);
    assert_true(seen_case);
    assert_true(fast > 0 && fast * 2 >= long_cells);
    free(tables);
    lg_arena_free(a);
    lg_layout_free(sub);
    lg_layout_free(sys);
    lg_fonts_free(f);
    assert_int_equal(rmdir(dir), 0);
    lg_template_free(tpl);
    lg_plan_free(p);
    lg_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_city_same_layout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uncollected_char, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cut_unless_alias, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_char_no_face_has, setup, teardown),
        cmocka_unit_test(test_face_without_probe_char),
        cmocka_unit_test(test_month_without_probe_char),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
