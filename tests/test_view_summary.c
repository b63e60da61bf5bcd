/* The summary (汇总) and the problem list (问题清单) of view_summary.c, from
 * tests/data/check for 2022-10: every figure of every unit and of the total,
 * the cells that stand out, the chart; the problem list's rows from a
 * month's diagnostics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "load.h"
#include "template.h"
#include "view.h"
#include "lgtest.h"
#include "xmlload.h"

typedef lgt_month fixture;

static int setup(void **state)
{
    return lgt_month_setup(state, LG_TEST_DATA "/check", 2022, 10);
}


enum { N = LG_CELL_NUMBER, P = LG_CELL_NUMBER | LG_CELL_PERCENT, B = LG_CELL_BEHIND,
       S = LG_CELL_STRONG };

/* From the plan and reports of tests/data/check, 2022-10:
 *   市甲局 owns 1, 2, 4; reports 1 (是) and 2 (否, due 2022-06: overdue); 4 未报送
 *   市乙局 owns 1, 3, 4; reports all three 是, 4 completed
 *   市丙局 owns 1; sent no report */
static void figures_flags_and_chart(void **state)
{
    fixture *f = *state;
    const lg_table *t = lg_view_summary(f->arena, f->month, lg_template_view(f->tpl, "summary"),
                                        f->tpl->title_format);
    assert_string_equal(t->name, "汇总");
    assert_string_equal(t->title, "2022年度《政府工作报告》落实情况台账（2022.10）汇总");
    assert_int_equal(t->n_columns, 12);
    /* ranked by rate: 市乙局 100%, 市甲局 33.3%, 市丙局 0%. The statuses: 市甲局 1 正常,
     * 2 逾期, 4 未报送; 市乙局 1 and 3 正常 (3 due in December: two months on), 4 已完成;
     * 市丙局 1 未报送. No earlier month is loaded here: nothing escalates. */
    static const struct {
        const char *text[12];
        double value[12];
        unsigned flags[12];
    } want[] = {
        {{"1", "市乙局", "3", "3", "1", "2", "0", "0", "0", "0", "0", "100.0%"},
         {1, 0, 3, 3, 1, 2, 0, 0, 0, 0, 0, 1},
         {N, 0, N, N, N, N, N, N, N, N, N, P}},
        {{"2", "市甲局", "3", "2", "0", "1", "0", "0", "1", "1", "0", "33.3%"},
         {2, 0, 3, 2, 0, 1, 0, 0, 1, 1, 0, 1.0 / 3},
         {N, 0, N, N, N, N, N, N, N | B, N | B, N, P}},
        {{"3", "市丙局", "1", "0", "0", "0", "0", "0", "0", "1", "0", "0.0%"},
         {3, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0},
         {N, 0, N, N, N, N, N, N, N, N | B, N, P}},
        {{"", "合计", "7", "5", "1", "3", "0", "0", "1", "2", "0", "57.1%"},
         {0, 0, 7, 5, 1, 3, 0, 0, 1, 2, 0, 4.0 / 7},
         {S, S, S | N, S | N, S | N, S | N, S | N, S | N, S | N | B, S | N | B, S | N, S | P}},
    };
    assert_int_equal(t->n_rows, 4);
    for (size_t r = 0; r < 4; r++)
        for (size_t c = 0; c < 12; c++) {
            const lg_cell *cell = lg_table_cell(t, r, c);
            if (strcmp(cell->text, want[r].text[c]) != 0 || cell->flags != want[r].flags[c])
                fail_msg("row %zu, column %zu (%s): \"%s\" flags %u, not \"%s\" flags %u", r, c,
                         t->columns[c].header, cell->text, cell->flags, want[r].text[c],
                         want[r].flags[c]);
            assert_float_equal(lg_table_value(t, cell), want[r].value[c], 1e-12);
        }
    assert_int_equal(t->n_merges, 0);
    /* the chart: the rate (column 12) by unit (column 2), the units' rows only, ranked */
    assert_non_null(t->chart);
    assert_string_equal(t->chart->title, "各单位序时进度达标率");
    assert_int_equal(t->chart->label_col, 1);
    assert_int_equal(t->chart->value_col, 11);
    assert_int_equal(t->chart->row0, 0);
    assert_int_equal(t->chart->row1, 2);
    /* each unit's name leads to its part of 分单位台账; the total to nothing */
    assert_int_equal(t->n_links, 3);
    for (size_t r = 0; r < 3; r++) {
        const lg_link *k = lg_table_link_at(t, r, 1);
        assert_non_null(k);
        assert_string_equal(k->table, "分单位台账");
        assert_string_equal(k->group, want[r].text[1]);
        assert_null(lg_table_link_at(t, r, 0));
    }
    assert_null(lg_table_link_at(t, 3, 1));
}

/* A template whose summary has no rate column: the figures it has, no chart;
 * the rows still ranked. */
static void no_rate_column_no_chart(void **state)
{
    fixture *f = *state;
    lg_column cols[] = {
        {.field = LG_FIELD_UNREPORTED, .header = "未报送"},
        {.field = LG_FIELD_UNIT, .header = "单位"},
    };
    lg_view_layout layout = {"summary", cols, 2};
    const lg_table *t = lg_view_summary(f->arena, f->month, &layout, f->tpl->title_format);
    assert_null(t->chart);
    assert_int_equal(t->n_rows, 4);
    static const char *const want[4][2] = {
        {"0", "市乙局"}, {"1", "市甲局"}, {"1", "市丙局"}, {"2", "合计"}};
    for (size_t r = 0; r < 4; r++) {
        assert_string_equal(lg_table_cell(t, r, 0)->text, want[r][0]);
        assert_string_equal(lg_table_cell(t, r, 1)->text, want[r][1]);
    }
}

/* 问题清单: one row per diagnostic in its order; the unit by name (or its id
 * when the plan has no such unit), the task as a number, 错误 standing out,
 * the kind's Chinese name, FILE:LINE relative to the input folder (a file
 * outside it by its name alone), the message in Chinese whatever the locale. */
static void problem_rows(void **state)
{
    fixture *f = *state;
    lg_diags d = {0};
    lg_diag *g = lg_diags_add(&d, LG_WARNING, "overdue", "/srv/in/reports/2022-10/a.xml", 8,
                              "task %ld was due %s and is not reported completed", 2L,
                              "2022年6月底前");
    lg_diag_set_unit(g, "a", 2);
    g = lg_diags_add(&d, LG_ERROR, "unknown-unit", "/srv/in//reports/2022-10/z.xml", 0,
                     "no unit z");
    lg_diag_set_unit(g, "z", 0);
    lg_diags_add(&d, LG_WARNING, "template-font", "/usr/share/ledgerc/templates/ledger.xml", 3,
                 "a font");
    lg_diags_add(&d, LG_WARNING, "no-such-kind", NULL, 0, "a character no font has");
    const lg_table *t = lg_view_problems(f->arena, f->month, &d, "/srv/in/",
                                         lg_template_view(f->tpl, "problems"),
                                         f->tpl->title_format);
    assert_string_equal(t->name, "问题清单");
    assert_string_equal(t->title, "2022年度《政府工作报告》落实情况台账（2022.10）问题清单");
    /* 状态: the status of the row the problem names (status.c), empty for none */
    static const char *const want[4][7] = {
        {"市甲局", "2", "逾期", "警告", "逾期未完成", "reports/2022-10/a.xml:8",
         "任务2的完成时限为2022年6月底前，尚未报告完成"},
        {"z", "", "", "错误", "未知单位", "reports/2022-10/z.xml", "no unit z"},
        {"", "", "", "警告", "模板字体有误", "ledger.xml:3", "a font"},
        {"", "", "", "警告", "其他", "", "a character no font has"},
    };
    assert_int_equal(t->n_rows, 4);
    for (size_t r = 0; r < 4; r++)
        for (size_t c = 0; c < 7; c++)
            if (strcmp(lg_table_cell(t, r, c)->text, want[r][c]) != 0)
                fail_msg("row %zu, column %zu: \"%s\", not \"%s\"", r, c,
                         lg_table_cell(t, r, c)->text, want[r][c]);
    assert_int_equal(lg_table_cell(t, 0, 1)->flags, LG_CELL_NUMBER);
    assert_float_equal(lg_table_value(t, lg_table_cell(t, 0, 1)), 2, 0);
    assert_int_equal(lg_table_cell(t, 0, 3)->flags, 0);
    assert_int_equal(lg_table_cell(t, 1, 3)->flags, LG_CELL_BEHIND);
    lg_diags_free(&d);
}

/* A month without problems: one row saying 无 under the message, not a
 * page of headings alone. */
static void no_problems_says_none(void **state)
{
    fixture *f = *state;
    lg_diags d = {0};
    const lg_view_layout *layout = lg_template_view(f->tpl, "problems");
    const lg_table *t =
        lg_view_problems(f->arena, f->month, &d, "/srv/in/", layout, f->tpl->title_format);
    assert_int_equal(t->n_rows, 1);
    for (size_t c = 0; c < t->n_columns; c++)
        assert_string_equal(lg_table_cell(t, 0, c)->text,
                            t->columns[c].field == LG_FIELD_MESSAGE ? "无" : "");
}

/* 年度趋势 of 2022-10 with the year's earlier months: January to August have
 * no reports folder, so no rates (blank, not 0%); September and October do. */
static void trend_leaves_months_without_reports_blank(void **state)
{
    fixture *f = *state;
    lg_diags d = {0};
    lg_month_load_earlier(f->plan, f->month, LG_TEST_DATA "/check", &d);
    lg_diags_free(&d);
    const lg_table *t = lg_view_trend(f->arena, f->month, lg_template_view(f->tpl, "summary"),
                                      f->tpl->title_format);
    assert_int_equal(t->n_columns, 11);
    assert_int_equal(t->n_rows, f->plan->n_units + 1);
    for (size_t r = 0; r < t->n_rows; r++) {
        for (size_t k = 1; k <= 8; k++) {
            const lg_cell *c = lg_table_cell(t, r, k);
            assert_false(c->flags & LG_CELL_NUMBER);
            assert_string_equal(c->text ? c->text : "", "");
        }
        assert_true(lg_table_cell(t, r, 10)->flags & LG_CELL_NUMBER);
    }
    /* the total of October: 汇总's 合计 rate */
    assert_true(lg_table_cell(t, t->n_rows - 1, 9)->flags & LG_CELL_NUMBER);
}

int main(void)
{
    lg_xml_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(figures_flags_and_chart, setup, lgt_month_teardown),
        cmocka_unit_test_setup_teardown(no_rate_column_no_chart, setup, lgt_month_teardown),
        cmocka_unit_test_setup_teardown(problem_rows, setup, lgt_month_teardown),
        cmocka_unit_test_setup_teardown(no_problems_says_none, setup, lgt_month_teardown),
        cmocka_unit_test_setup_teardown(trend_leaves_months_without_reports_blank, setup,
                                        lgt_month_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
