/* The 通报 (view_bulletin.c) from tests/data/check, 2022-10, with September
 * attached: every section's heading and text; and from tests/data/ties, its
 * top and bottom five ending inside a tie. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "load.h"
#include "lgtest.h"
#include "view.h"
#include "xmlload.h"

typedef lgt_month fixture;

static int setup(void **state)
{
    return lgt_year_setup(state, LG_TEST_DATA "/check", 2022, 10);
}

/* 市甲局: 1 正常, 2 逾期 (due June, 否), 4 未报送 (in September too: escalated);
 * 市乙局: 1 and 3 正常, 4 已完成; 市丙局: 1 未报送 (no report in either month).
 * Three units: all of them in the top five, no bottom section. */
static void sections(void **state)
{
    fixture *f = *state;
    const lg_table *t = lg_view_bulletin(f->arena, f->month, f->tpl->title_format);
    assert_string_equal(t->name, "通报");
    assert_string_equal(t->title, "2022年度《政府工作报告》落实情况台账（2022.10）通报");
    static const char *const want[][2] = {
        {"总体情况", "3个单位负责4项任务，共7条落实情况：已完成1条，正常3条，临期0条，滞后0条，"
                     "逾期1条，未报送2条；其中连续滞后2条。序时进度达标率57.1%。"},
        {"达标率前3名", "第1名 市乙局 100.0%（逾期0条）；第2名 市甲局 33.3%（逾期1条）；"
                        "第3名 市丙局 0.0%（逾期0条）"},
        {"达标率排名\n（达标率相同时逾期少者在前；各状态条数见“汇总”）", ""},
        {"未报送单位（1个）", "市丙局"},
        {"连续滞后（2条）", "任务1 市丙局（未报送）；任务4 市甲局（未报送）"},
        {"逾期任务（1条）", "任务2 市甲局（2022年6月底前）"},
    };
    assert_int_equal(t->n_rows, sizeof want / sizeof want[0]);
    for (size_t r = 0; r < t->n_rows; r++)
        for (size_t c = 0; c < 2; c++)
            if (strcmp(lg_table_cell(t, r, c)->text, want[r][c]) != 0)
                fail_msg("row %zu, column %zu: \"%s\", not \"%s\"", r, c,
                         lg_table_cell(t, r, c)->text, want[r][c]);
    assert_int_equal(lg_table_cell(t, 3, 1)->flags, LG_CELL_BEHIND);
    assert_int_equal(lg_table_cell(t, 2, 1)->flags, 0);

    /* the ranking chart in the cell beside 达标率排名: every unit, ranked */
    const lg_cell_chart *cc = t->cell_chart;
    assert_non_null(cc);
    assert_int_equal(cc->row, 2);
    assert_int_equal(cc->col, 1);
    assert_int_equal(cc->n, 3);
    static const char *const names[] = {"市乙局", "市甲局", "市丙局"};
    static const double rates[] = {1.0, 1.0 / 3, 0};
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(cc->labels[i], names[i]);
        assert_true(cc->values[i] > rates[i] - 1e-9 && cc->values[i] < rates[i] + 1e-9);
        assert_int_equal(cc->ranks[i], i + 1);
    }
}

static int setup_ties(void **state)
{
    return lgt_year_setup(state, LG_TEST_DATA "/ties", 2022, 10);
}

/* Seven units tied first, two eighth, four tenth: the top five names all
 * seven, the bottom five the two eighth as well (never a tie cut in two,
 * never a unit left out of its rank), each rank once with its units. */
static void ties(void **state)
{
    fixture *f = *state;
    const lg_table *t = lg_view_bulletin(f->arena, f->month, f->tpl->title_format);
    assert_string_equal(lg_table_cell(t, 1, 0)->text, "达标率前5名");
    assert_string_equal(lg_table_cell(t, 1, 1)->text,
                        "第1名（7个单位并列） 市甲局、市乙局、市丙局、市丁局、市戊局、市己局、"
                        "市庚局 100.0%（逾期0条）");
    assert_string_equal(lg_table_cell(t, 2, 0)->text, "达标率后5名");
    assert_string_equal(lg_table_cell(t, 2, 1)->text,
                        "第8名（2个单位并列） 市辛局、市壬局 50.0%（逾期0条）；"
                        "第10名（4个单位并列） 市癸局、市子局、市丑局、市寅局 0.0%（逾期0条）");
}

int main(void)
{
    lg_xml_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(sections, setup, lgt_month_teardown),
        cmocka_unit_test_setup_teardown(ties, setup_ties, lgt_month_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
