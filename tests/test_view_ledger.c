/* The consolidated ledgers (view_ledger.c): 分单位台账 (by unit) and 全市台账
 * (by task) of tests/data/check for 2022-10, cell by cell: which rows, in
 * what order, what each cell says and how it stands out, the merges and the
 * groups (bookmarks and new pages). The unit ledger is in test_view.c. */
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

#define TITLE "2022年度《政府工作报告》落实情况台账（2022.10）"
#define SHARED_LABEL "市直政府系统各单位"
#define T1 "1.共同任务。"
#define T2 "2.上半年完成的任务。"
#define T3 "3.年底完成的任务。"
#define T4 "4.年内完成的任务。"
#define GLYPH "\xf4\x8f\xbf\xbd" /* U+10FFFD, as in b.xml */

typedef lgt_month fixture;

static int setup(void **state)
{
    return lgt_month_setup(state, LG_TEST_DATA "/check", 2022, 10);
}


/* Row R of T is exactly the N_COLS texts of WANT. */
static void assert_row(const lg_table *t, size_t r, const char *const *want)
{
    for (size_t c = 0; c < t->n_columns; c++)
        if (strcmp(lg_table_cell(t, r, c)->text, want[c]) != 0)
            fail_msg("row %zu, column %zu (%s): \"%s\", not \"%s\"", r, c, t->columns[c].header,
                     lg_table_cell(t, r, c)->text, want[c]);
}

/* The flags of every cell of T, as want[row][col], the status they show
 * aside (assert_statuses). */
static void assert_flags(const lg_table *t, const unsigned want[][7])
{
    const unsigned status = LG_CELL_STATUS | LG_CELL_ESCALATED | 0xFu << LG_CELL_STATUS_SHIFT;
    for (size_t r = 0; r < t->n_rows; r++)
        for (size_t c = 0; c < t->n_columns; c++)
            if ((lg_table_cell(t, r, c)->flags & ~status) != want[r][c])
                fail_msg("row %zu, column %zu: flags %u, not %u", r, c,
                         lg_table_cell(t, r, c)->flags & ~status, want[r][c]);
}

/* Each row of T shows its status WANT[row] in column COL and in no other
 * cell, under the month's rules (the template's). */
static void assert_statuses(const lg_table *t, const lg_month *m, size_t col,
                            const lg_status_kind *want)
{
    assert_ptr_equal(t->status, lg_status_rules_of(m));
    for (size_t r = 0; r < t->n_rows; r++)
        for (size_t c = 0; c < t->n_columns; c++) {
            lg_status s;
            bool shown = lg_cell_status(lg_table_cell(t, r, c), &s);
            if (shown != (c == col))
                fail_msg("row %zu, column %zu: %s a status", r, c, shown ? "shows" : "lacks");
            if (shown && (s.kind != want[r] || s.escalated))
                fail_msg("row %zu: status %s%s, not %s", r, lg_status_key(s.kind),
                         s.escalated ? " (escalated)" : "", lg_status_key(want[r]));
        }
}

#define DONE LG_STATUS_DONE
#define UNREP LG_STATUS_UNREPORTED
#define OVER LG_STATUS_OVERDUE
#define NORMAL LG_STATUS_NORMAL

static void assert_merges(const lg_table *t, const lg_merge *want, size_t n)
{
    assert_int_equal(t->n_merges, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(t->merges[i].row0, want[i].row0);
        assert_int_equal(t->merges[i].row1, want[i].row1);
        assert_int_equal(t->merges[i].col, want[i].col);
    }
}

typedef struct group {
    const char *label;
    size_t row0, row1;
    bool new_page;
    unsigned level;
    bool band;
} group;

static void assert_groups(const lg_table *t, const group *want, size_t n)
{
    assert_int_equal(t->n_groups, n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(t->groups[i].label, want[i].label);
        assert_int_equal(t->groups[i].row0, want[i].row0);
        assert_int_equal(t->groups[i].row1, want[i].row1);
        assert_int_equal(t->groups[i].new_page, want[i].new_page);
        assert_int_equal(t->groups[i].level, want[i].level);
        assert_int_equal(t->groups[i].band, want[i].band);
    }
}

enum { M = LG_CELL_MISSING, B = LG_CELL_BEHIND };

/* 全市台账: tasks in number order, under each one row per owner in plan
 * order (a shared task: every unit, 市丙局 without a report included);
 * 工作任务 and 时限要求 merge over a task's rows. */
static void by_task_rows_cells_merges_groups(void **state)
{
    fixture *f = *state;
    const lg_table *t = lg_view_by_task(f->arena, f->month, lg_template_view(f->tpl, "by-task"),
                                        f->tpl->title_format);
    assert_string_equal(t->name, "全市台账");
    assert_string_equal(t->title, TITLE);
    assert_int_equal(t->n_columns, 7);
    static const char *const want[][7] = {
        {T1, "长期推进", "市甲局", "按计划推进。", "继续推进。", "是", ""},
        {T1, "长期推进", "市乙局", "", "继续推进。", "是", ""},
        {T1, "长期推进", "市丙局", "未报送", "", "", ""},
        {T2, "2022年6月底前", "市甲局", "尚未完成。", "加快推进。", "否", ""},
        {T3, "2022年12月底前", "市乙局", "完成" GLYPH "设备采购。", "验收。", "是", ""},
        {T4, "2022年底前", "市甲局", "未报送", "", "", ""},
        {T4, "2022年底前", "市乙局", "已完成。", "无。", "是", ""},
    };
    assert_int_equal(t->n_rows, 7);
    for (size_t r = 0; r < 7; r++)
        assert_row(t, r, want[r]);
    static const unsigned flags[7][7] = {
        {0}, {0}, {0, 0, 0, M}, {0, 0, 0, 0, 0, B}, {0}, {0, 0, 0, M}, {0},
    };
    assert_flags(t, flags);
    /* on each row's 是否达到序时进度 cell */
    static const lg_status_kind statuses[7] = {NORMAL, NORMAL, UNREP, OVER, NORMAL, UNREP, DONE};
    assert_statuses(t, f->month, 5, statuses);
    /* column by column, each in row order */
    static const lg_merge merges[] = {{0, 2, 0}, {5, 6, 0}, {0, 2, 1}, {5, 6, 1}};
    assert_merges(t, merges, 4);
    static const group groups[] = {
        {T1, 0, 2, false, 0, false},
        {T2, 3, 3, false, 0, false},
        {T3, 4, 4, false, 0, false},
        {T4, 5, 6, false, 0, false},
    };
    assert_groups(t, groups, 4);
    assert_null(t->chart);
    assert_null(t->form);
}

/* 分单位台账: every unit's ledger in plan order, each on new pages: its
 * shared tasks (单位 shows the owner-label), then its own (the unit's name,
 * merged over its rows). */
static void by_unit_rows_cells_merges_groups(void **state)
{
    fixture *f = *state;
    const lg_table *t = lg_view_by_unit(f->arena, f->month, lg_template_view(f->tpl, "unit"),
                                        f->tpl->title_format);
    assert_string_equal(t->name, "分单位台账");
    assert_string_equal(t->title, TITLE);
    static const char *const want[][7] = {
        {SHARED_LABEL, T1, "长期推进", "按计划推进。", "继续推进。", "是", ""},
        {"市甲局", T2, "2022年6月底前", "尚未完成。", "加快推进。", "否", ""},
        {"市甲局", T4, "2022年底前", "未报送", "", "", ""},
        {SHARED_LABEL, T1, "长期推进", "", "继续推进。", "是", ""},
        {"市乙局", T3, "2022年12月底前", "完成" GLYPH "设备采购。", "验收。", "是", ""},
        {"市乙局", T4, "2022年底前", "已完成。", "无。", "是", ""},
        {SHARED_LABEL, T1, "长期推进", "未报送", "", "", ""},
    };
    assert_int_equal(t->n_rows, 7);
    for (size_t r = 0; r < 7; r++)
        assert_row(t, r, want[r]);
    static const unsigned flags[7][7] = {
        {0}, {0, 0, 0, 0, 0, B}, {0, 0, 0, M}, {0}, {0}, {0}, {0, 0, 0, M},
    };
    assert_flags(t, flags);
    static const lg_status_kind statuses[7] = {NORMAL, OVER, UNREP, NORMAL, NORMAL, DONE, UNREP};
    assert_statuses(t, f->month, 5, statuses);
    static const lg_merge merges[] = {{1, 2, 0}, {4, 5, 0}};
    assert_merges(t, merges, 2);
    static const group groups[] = {
        {"市甲局", 0, 2, true, 0, false},
        {"市乙局", 3, 5, true, 0, false},
        {"市丙局", 6, 6, true, 0, false},
    };
    assert_groups(t, groups, 3);
}

/* A month without any report: every row of both ledgers says 未报送. */
static void nothing_reported(void **state)
{
    fixture *f = *state;
    lg_diags d = {0};
    lg_month *m = lg_month_load(f->plan, LG_TEST_DATA "/check", 2022, 11, &d);
    assert_non_null(m);
    const lg_table *ts[2] = {
        lg_view_by_task(f->arena, m, lg_template_view(f->tpl, "by-task"), f->tpl->title_format),
        lg_view_by_unit(f->arena, m, lg_template_view(f->tpl, "unit"), f->tpl->title_format),
    };
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(ts[i]->title, "2022年度《政府工作报告》落实情况台账（2022.11）");
        assert_int_equal(ts[i]->n_rows, 7);
        for (size_t r = 0; r < 7; r++) {
            const lg_cell *c = lg_table_cell(ts[i], r, 3);
            assert_string_equal(c->text, "未报送");
            assert_int_equal(c->flags, LG_CELL_MISSING);
            assert_string_equal(lg_table_cell(ts[i], r, 5)->text, "");
        }
    }
    lg_diags_free(&d);
}

#define SEC1 "一、聚焦深化对外开放，推动经济高质量发展"
#define SEC2 "二、聚焦民生福祉"

/* Row R of T is a band saying TEXT: in its first cell, the others empty. */
static void assert_band(const lg_table *t, size_t r, const char *text)
{
    assert_true(lg_table_is_band(t, r));
    assert_string_equal(lg_table_cell(t, r, 0)->text, text);
    for (size_t c = 1; c < t->n_columns; c++)
        assert_string_equal(lg_table_cell(t, r, c)->text, "");
}

/* No merge of T takes in a band: a band is a row of its own. */
static void assert_bands_unmerged(const lg_table *t)
{
    for (size_t i = 0; i < t->n_merges; i++)
        for (size_t r = t->merges[i].row0; r <= t->merges[i].row1; r++)
            if (lg_table_is_band(t, r))
                fail_msg("merge %zu (rows %zu-%zu, column %zu) takes in band row %zu", i,
                         t->merges[i].row0, t->merges[i].row1, t->merges[i].col, r);
}

/* The fields of sections, roles and targets, in the 全市台账 of the two
 * templates made for them (templates/fengong.xml, templates/zhibiao.xml)
 * over tests/data/sections in 2022-10. */
static void plan_fields(void **state)
{
    (void)state;
    lg_diags d = {0};
    lg_plan *p = lg_plan_load(LG_TEST_DATA "/sections/plan.xml", &d);
    assert_non_null(p);
    lg_month *m = lg_month_load(lg_plan_at(p, 10), LG_TEST_DATA "/sections", 2022, 10, &d);
    lg_template *fg = lg_template_load(LG_SOURCE_DIR "/templates/fengong.xml", &d);
    lg_template *zb = lg_template_load(LG_SOURCE_DIR "/templates/zhibiao.xml", &d);
    assert_int_equal(d.count, 0);
    lg_arena *a = lg_arena_new();
    const lg_table *t = lg_view_by_task(a, m, lg_template_view(fg, "by-task"), fg->title_format);
    assert_int_equal(t->n_columns, 9);
    static const char *const fw[][9] = {
        {"1.坚持依法行政。", "", "市直政府系统各单位", "", "长期推进", "市发展和改革委员会",
         "依法行政工作稳步推进。", "", "继续推进。"},
        {"2.建设科技创新平台。", "张三", "市科技局", "市发展和改革委员会", "2022年12月底前",
         "市科技局", "科技创新平台完成主体建设。", "配套资金到位较慢。", "推动平台投入运营。"},
        {"3.完成固定资产投资80亿元。", "李四", "市发展和改革委员会", "市统计局",
         "2022年12月底前", "市发展和改革委员会", "1-10月完成固定资产投资62.5亿元。",
         "两个项目开工延后。", "加快项目开工。"},
    };
    assert_int_equal(t->n_rows, 12);
    assert_row(t, 0, fw[0]);
    assert_band(t, 3, SEC1);
    assert_row(t, 5, fw[1]);
    assert_row(t, 6, fw[2]);
    assert_band(t, 8, SEC2);
    /* bookmarks: each section, its tasks under it; task 1 and 5 outside any */
    static const group tg[] = {
        {"1.坚持依法行政。", 0, 2, false, 0, false},
        {SEC1, 3, 7, false, 0, true},
        {"2.建设科技创新平台。", 4, 5, false, 1, false},
        {"3.完成固定资产投资80亿元。", 6, 7, false, 1, false},
        {SEC2, 8, 10, false, 0, true},
        {"4.规模以上工业增加值增长5.5%。", 9, 10, false, 1, false},
        {"5.不在任何方面的任务。", 11, 11, false, 0, false},
    };
    assert_groups(t, tg, 7);
    assert_bands_unmerged(t);
    /* no 是否达到序时进度 column: the status on the row's own 报送单位 cell (none on a band) */
    for (size_t r = 0; r < t->n_rows; r++)
        for (size_t c = 0; c < t->n_columns && !lg_table_is_band(t, r); c++) {
            lg_status st;
            assert_int_equal(lg_cell_status(lg_table_cell(t, r, c), &st), c == 5);
        }
    t = lg_view_by_task(a, m, lg_template_view(zb, "by-task"), zb->title_format);
    static const char *const zw[][8] = {
        {"3.完成固定资产投资80亿元。", "80亿元", "市发展和改革委员会", "62.5亿元", "78.1%",
         "83.3%", "否", "两个项目开工延后。"},
        {"3.完成固定资产投资80亿元。", "80亿元", "市统计局", "70亿元", "87.5%", "83.3%", "是",
         ""},
        {"4.规模以上工业增加值增长5.5%。", "增长5.5%", "市科技局", "增长5.8%", "", "", "是",
         "部分企业订单不足。\n能耗指标偏紧。"},
        {"5.不在任何方面的任务。", "", "市科技局", "", "", "", "是", ""},
    };
    assert_row(t, 6, zw[0]);
    assert_row(t, 7, zw[1]);
    assert_row(t, 9, zw[2]);
    assert_row(t, 11, zw[3]);
    /* 分管领导台账: 张三's tasks 2 and 4, then 李四's task 3, each leader a new page */
    t = lg_view_by_leader(a, m, lg_template_view(fg, "by-task"), fg->title_format);
    assert_string_equal(t->name, "分管领导台账");
    static const char *const bl[][2] = {
        {SEC1, ""},
        {"2.建设科技创新平台。", "市发展和改革委员会"},
        {"2.建设科技创新平台。", "市科技局"},
        {SEC2, ""},
        {"4.规模以上工业增加值增长5.5%。", "市科技局"},
        {"4.规模以上工业增加值增长5.5%。", "市统计局"},
        {SEC1, ""},
        {"3.完成固定资产投资80亿元。", "市发展和改革委员会"},
        {"3.完成固定资产投资80亿元。", "市统计局"},
    };
    assert_int_equal(t->n_rows, 9);
    for (size_t r = 0; r < 9; r++) {
        if (r % 3 == 0) {
            assert_band(t, r, bl[r][0]);
            continue;
        }
        assert_string_equal(lg_table_cell(t, r, 0)->text, bl[r][0]);
        assert_string_equal(lg_table_cell(t, r, 5)->text, bl[r][1]);
        assert_string_equal(lg_table_cell(t, r, 1)->text, r < 6 ? "张三" : "李四");
    }
    /* each leader's sections under the leader, again under each leader */
    static const group leaders[] = {
        {"张三", 0, 5, true, 0, false}, {SEC1, 0, 2, false, 1, true},
        {SEC2, 3, 5, false, 1, true},  {"李四", 6, 8, true, 0, false},
        {SEC1, 6, 8, false, 1, true},
    };
    assert_groups(t, leaders, 5);
    assert_bands_unmerged(t);
    /* 市科技局's own ledger: under tasks 2 and 4, which it leads, the rows of
     * their cooperating units; not under task 1 (shared) nor 5 (its alone) */
    t = lg_view_unit(a, m, lg_plan_find_unit(m->plan, "kjj"), lg_template_view(fg, "unit"),
                     fg->title_format);
    static const char *const ku[][2] = {
        {"1.坚持依法行政。", "市直政府系统各单位"},
        {SEC1, ""},
        {"2.建设科技创新平台。", "市科技局"},
        {"2.建设科技创新平台。", "市发展和改革委员会"},
        {SEC2, ""},
        {"4.规模以上工业增加值增长5.5%。", "市科技局"},
        {"4.规模以上工业增加值增长5.5%。", "市统计局"},
        {"5.不在任何方面的任务。", "市科技局"},
    };
    assert_int_equal(t->n_rows, 8);
    for (size_t r = 0; r < 8; r++) {
        if (r == 1 || r == 4) {
            assert_band(t, r, ku[r][0]);
            continue;
        }
        assert_string_equal(lg_table_cell(t, r, 0)->text, ku[r][0]);
        assert_string_equal(lg_table_cell(t, r, 5)->text, ku[r][1]);
    }
    assert_string_equal(lg_table_cell(t, 3, 6)->text, "配合做好平台用地保障。");
    /* the parts, each section under its part */
    static const group parts[] = {
        {"市直政府系统各单位", 0, 0, false, 0, false}, {"市科技局", 1, 7, false, 0, false},
        {SEC1, 1, 3, false, 1, true},                  {SEC2, 4, 6, false, 1, true},
    };
    assert_groups(t, parts, 4);
    assert_bands_unmerged(t);
    /* 分单位台账: each unit's part begins a page, its sections under it */
    t = lg_view_by_unit(a, m, lg_template_view(fg, "unit"), fg->title_format);
    assert_int_equal(t->n_rows, 15); /* fgw: 1, 一 2 3; kjj: 1, 一 2, 二 4 5; tjj: 1, 一 3, 二 4 */
    static const group units[] = {
        {"市发展和改革委员会", 0, 3, true, 0, false}, {SEC1, 1, 3, false, 1, true},
        {"市科技局", 4, 9, true, 0, false},           {SEC1, 5, 6, false, 1, true},
        {SEC2, 7, 8, false, 1, true},                  {"市统计局", 10, 14, true, 0, false},
        {SEC1, 11, 12, false, 1, true},                {SEC2, 13, 14, false, 1, true},
    };
    assert_groups(t, units, 8);
    assert_bands_unmerged(t);
    assert_band(t, 13, SEC2);
    assert_string_equal(lg_table_cell(t, 14, 0)->text, "4.规模以上工业增加值增长5.5%。");
    lg_arena_free(a);
    lg_template_free(fg);
    lg_template_free(zb);
    lg_plan_free(p);
    lg_diags_free(&d);
}

int main(void)
{
    lg_xml_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(by_task_rows_cells_merges_groups, setup, lgt_month_teardown),
        cmocka_unit_test_setup_teardown(by_unit_rows_cells_merges_groups, setup, lgt_month_teardown),
        cmocka_unit_test_setup_teardown(nothing_reported, setup, lgt_month_teardown),
        cmocka_unit_test(plan_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
