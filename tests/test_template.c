/* Templates: the shipped one loads with the values a ledger needs; broken ones
 * are refused with a message naming the file and line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "template.h"
#include "xmlload.h"

static void shipped_template(void **state)
{
    (void)state;
    lg_diags d = {0};
    lg_template *t = lg_template_load(LG_SOURCE_DIR "/templates/ledger.xml", &d);
    assert_non_null(t);
    assert_int_equal(d.count, 0);
    assert_string_equal(t->paper, "A4");
    assert_true(t->landscape);
    assert_float_equal(t->page_w_mm, 297, 1e-9);
    assert_float_equal(t->page_h_mm, 210, 1e-9);
    assert_int_equal(t->short_row_lines, 4); /* rows of up to 4 lines are never split */
    assert_string_equal(t->body_font.family, "Noto Serif CJK SC");
    assert_string_equal(t->body_font.xlsx_family, "宋体");
    assert_string_equal(t->title_font.xlsx_family, "宋体");
    assert_false(t->body_font.bold);
    assert_true(t->title_font.bold);
    assert_int_equal(t->footer_style, LG_FOOTER_CENTER);
    assert_string_equal(t->footer_format, "第 {page} 页 共 {pages} 页");
    const lg_view_layout *v = lg_template_view(t, "unit");
    assert_non_null(v);
    static const char *headers[] = {"单位", "工作任务", "时限要求", "进展情况",
                                    "下个月工作计划", "是否达到序时进度", "备注"};
    assert_int_equal(v->n_columns, 7);
    double sum = 0;
    for (size_t i = 0; i < 7; i++) {
        assert_string_equal(v->columns[i].header, headers[i]);
        sum += v->columns[i].width_mm;
    }
    assert_true(sum <= t->page_w_mm - t->margin_left_mm - t->margin_right_mm);
    assert_true(v->columns[0].merge);
    assert_int_equal(v->columns[0].field, LG_FIELD_UNIT);
    assert_int_equal(v->columns[5].field, LG_FIELD_ON_SCHEDULE);
    assert_null(lg_template_view(t, "no-such-view"));
    static const char *views[] = {"unit", "by-task", "summary", "problems"};
    for (size_t i = 0; i < 4; i++)
        assert_non_null(lg_template_view(t, views[i]));
    const lg_view_layout *bt = lg_template_view(t, "by-task");
    assert_int_equal(bt->columns[0].field, LG_FIELD_TASK);
    assert_true(bt->columns[0].merge && bt->columns[1].merge && !bt->columns[2].merge);
    assert_string_equal(t->author, "市人民政府办公室");
    lg_template_free(t);
}

static void expect_errors(const char *path, const char *const *want, size_t n)
{
    lg_diags d = {0};
    lg_template *t = lg_template_load(path, &d);
    assert_null(t);
    assert_int_equal(d.count, n);
    for (size_t i = 0; i < n; i++) {
        char *got = lg_diag_format(&d.items[i]);
        assert_string_equal(got, want[i]);
        free(got);
    }
    lg_diags_free(&d);
}

static void columns_wider_than_the_page(void **state)
{
    (void)state;
    const char *want[] = {
        LG_TEST_DATA "/templates/too-wide.xml:2: error: view \"unit\": the columns are 226.0 "
                     "mm wide in all but the page has 186.0 mm between its margins; narrow "
                     "the columns or the margins",
    };
    expect_errors(LG_TEST_DATA "/templates/too-wide.xml", want, 1);
}

/* A PDF font that is not installed is an error on its line, not a silent
 * stand-in (fontconfig would give another family). */
static void font_not_installed(void **state)
{
    (void)state;
    lg_diags d = {0};
    assert_null(lg_template_load(LG_TEST_DATA "/templates/font-missing.xml", &d));
    assert_int_equal(d.count, 1);
    char *got = lg_diag_format(&d.items[0]);
    const char *want = LG_TEST_DATA "/templates/font-missing.xml:8: error: font family "
                                    "\"仿宋_GB2312\" is not installed (fontconfig would use \"";
    assert_memory_equal(got, want, strlen(want));
    assert_non_null(strstr(got, "name an installed family (fc-list :lang=zh family)"));
    free(got);
    lg_diags_free(&d);
}

/* A font's family is a fallback chain: "A, B" is kept as Pango reads a
 * family list, and the page numbers take the body's font unless a footer
 * font is given. */
static void fallback_chain(void **state)
{
    (void)state;
    lg_diags d = {0};
    lg_template *t = lg_template_load(LG_TEST_DATA "/templates/chain.xml", &d);
    assert_non_null(t);
    assert_int_equal(d.count, 0);
    assert_string_equal(t->body_font.family, "DejaVu Sans,Noto Serif CJK SC");
    assert_string_equal(t->footer_font.family, "DejaVu Sans,Noto Serif CJK SC");
    assert_float_equal(t->footer_font.size, 10, 1e-9);
    char **fam = lg_font_families(t->body_font.family);
    assert_string_equal(fam[0], "DejaVu Sans");
    assert_string_equal(fam[1], "Noto Serif CJK SC");
    assert_null(fam[2]);
    lg_font_families_free(fam);
    lg_template_free(t);
}

/* Each family of a chain is checked on the font's line: one not installed
 * (the Fandol ones with how to install them), one named twice, an empty
 * name. */
static void fallback_chain_errors(void **state)
{
    (void)state;
    lg_diags d = {0};
    assert_null(lg_template_load(LG_TEST_DATA "/templates/chain-bad.xml", &d));
    const char *want[] = {
        LG_TEST_DATA "/templates/chain-bad.xml:6: error: font family \"FandolXiaobiaosong\" is "
                     "not installed: the Fandol fonts come with the Debian package "
                     "texlive-lang-chinese; install them with scripts/setup --gbt9704 (as root), "
                     "or name installed families",
        LG_TEST_DATA "/templates/chain-bad.xml:7: error: font family \"Noto Sans CJK SC\" is "
                     "named twice in family=\"Noto Sans CJK SC, Noto Sans CJK SC\"; name each "
                     "family of the fallback list once",
        LG_TEST_DATA "/templates/chain-bad.xml:8: error: family=\"DejaVu Sans,, Noto Serif CJK "
                     "SC\" has an empty name; name the families of the fallback list separated by "
                     "commas, e.g. family=\"FandolFang, Noto Serif CJK SC\"",
        LG_TEST_DATA "/templates/chain-bad.xml:9: error: font family \"仿宋_GB2312\" is not "
                     "installed (fontconfig would use \"",
    };
    size_t n = sizeof want / sizeof *want;
    assert_int_equal(d.count, n);
    for (size_t i = 0; i < n; i++) {
        char *got = lg_diag_format(&d.items[i]);
        if (i < n - 1)
            assert_string_equal(got, want[i]);
        else
            assert_memory_equal(got, want[i], strlen(want[i]));
        assert_string_equal(d.items[i].kind, "template-font");
        free(got);
    }
    lg_diags_free(&d);
}

static void gbt9704_footer_default(void **state)
{
    (void)state;
    /* A3 portrait, official page numbers without a format of their own */
    lg_diags d = {0};
    lg_template *t = lg_template_load(LG_TEST_DATA "/templates/official.xml", &d);
    assert_non_null(t);
    assert_float_equal(t->page_w_mm, 297, 1e-9);
    assert_float_equal(t->page_h_mm, 420, 1e-9);
    assert_int_equal(t->footer_style, LG_FOOTER_GBT9704);
    assert_string_equal(t->footer_format, "— {page} —");
    assert_int_equal(lg_template_view(t, "unit")->n_columns, 3);
    lg_template_free(t);
    lg_diags_free(&d);
}

static void unknown_field_is_a_schema_error(void **state)
{
    (void)state;
    lg_diags d = {0};
    lg_template *t = lg_template_load(LG_TEST_DATA "/templates/bad-field.xml", &d);
    assert_null(t);
    assert_true(d.count >= 1);
    char *got = lg_diag_format(&d.items[0]);
    assert_non_null(strstr(got, LG_TEST_DATA "/templates/bad-field.xml:12: error: "));
    free(got);
    lg_diags_free(&d);
}

static void missing_template(void **state)
{
    (void)state;
    const char *want[] = {
        LG_TEST_DATA "/templates/nope.xml: error: cannot open the file: No such file or directory",
    };
    expect_errors(LG_TEST_DATA "/templates/nope.xml", want, 1);
}

int main(void)
{
    lg_xml_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shipped_template),
        cmocka_unit_test(columns_wider_than_the_page),
        cmocka_unit_test(font_not_installed),
        cmocka_unit_test(fallback_chain),
        cmocka_unit_test(fallback_chain_errors),
        cmocka_unit_test(gbt9704_footer_default),
        cmocka_unit_test(unknown_field_is_a_schema_error),
        cmocka_unit_test(missing_template),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
