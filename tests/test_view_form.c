/* The fill-in form (view_form.c) of 市甲局 in tests/data/check for 2022-11:
 * its rows and locked cells, the cells to fill in, the 是/否 drop-down, and
 * the meta and row keys that `ledgerc import` reads back (forms.h). The
 * keys are spelled out: forms already sent out carry them. */
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


/* 市甲局's form for 2022-11, with its 2022-10 report as last month's (or none). */
static const lg_table *form_of_a(fixture *f, bool with_prev)
{
    const lg_unit *u = lg_plan_find_unit(f->plan, "a");
    assert_non_null(u);
    const lg_report *prev = with_prev ? f->month->reports[u->index] : NULL;
    return lg_view_form(f->arena, f->plan, 2022, 11, u, prev, NULL,
                        lg_template_view(f->tpl, "form"), f->tpl->title_format);
}

enum { I = LG_CELL_INPUT };

/* The shared task, then its own, each locked but for the four cells to fill
 * in; 本月计划（上月填报） is what 市甲局 wrote as next month's plan in October
 * (task 4 it left out: empty). */
static void rows_and_cells(void **state)
{
    fixture *f = *state;
    const lg_table *t = form_of_a(f, true);
    assert_string_equal(t->name, "市甲局");
    assert_string_equal(t->title,
                        "2022年度《政府工作报告》落实情况台账（2022.11）\n填报单位：市甲局");
    assert_int_equal(t->n_columns, 8); /* no 目标, 累计完成: no task has a target */
    static const char *const want[3][3] = {
        {"1.共同任务。", "长期推进", "继续推进。"},
        {"2.上半年完成的任务。", "2022年6月底前", "加快推进。"},
        {"4.年内完成的任务。", "2022年底前", ""},
    };
    static const unsigned flags[8] = {0, 0, 0, I, I, I, I, I};
    assert_int_equal(t->n_rows, 3);
    for (size_t r = 0; r < 3; r++)
        for (size_t c = 0; c < 8; c++) {
            const lg_cell *cell = lg_table_cell(t, r, c);
            assert_string_equal(cell->text, c < 3 ? want[r][c] : "");
            assert_int_equal(cell->flags, flags[c]);
        }
    assert_int_equal(t->n_merges, 0); /* every task's cells read back one by one */
    assert_int_equal(t->n_groups, 2);
    assert_int_equal(t->groups[0].row0, 0);
    assert_int_equal(t->groups[0].row1, 0);
    assert_int_equal(t->groups[1].row0, 1);
    assert_int_equal(t->groups[1].row1, 2);
    assert_string_equal(t->groups[1].label, "市甲局");

    /* Without last month's report, nothing was promised. */
    t = form_of_a(f, false);
    for (size_t r = 0; r < 3; r++)
        assert_string_equal(lg_table_cell(t, r, 2)->text, "");
}

/* What import reads back: the meta in order, one key (the task number) per
 * row, the drop-down on 是否达到序时进度 only, the sheet protected, room
 * to write. */
static void form_protocol(void **state)
{
    fixture *f = *state;
    const lg_table *t = form_of_a(f, true);
    const lg_form *form = t->form;
    assert_non_null(form);
    assert_true(form->protect);
    assert_int_equal(form->min_lines, 5);
    static const char *const meta[][2] = {
        {"ledgerc-form", "2"},
        {"unit", "a"},
        {"period", "2022-11"},
        {"columns", "task due promised-plan progress problems plan on-schedule remark"},
        {"unit-name", "市甲局"},
    };
    assert_int_equal(form->n_meta, 5);
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(form->meta[i].key, meta[i][0]);
        assert_string_equal(form->meta[i].value, meta[i][1]);
    }
    static const char *const keys[] = {"1", "2", "4"};
    for (size_t r = 0; r < 3; r++)
        assert_string_equal(form->row_keys[r], keys[r]);
    for (size_t c = 0; c < 8; c++) {
        if (c != 6) {
            assert_int_equal(form->choices[c].n, 0);
            continue;
        }
        assert_int_equal(form->choices[c].n, 3);
        assert_string_equal(form->choices[c].items[0], "是");
        assert_string_equal(form->choices[c].items[1], "否");
        assert_string_equal(form->choices[c].items[2], "已完成");
    }
}

/* 市丙局 owns only the shared task: one row, one group. */
static void one_shared_task(void **state)
{
    fixture *f = *state;
    const lg_unit *u = lg_plan_find_unit(f->plan, "c");
    const lg_table *t = lg_view_form(f->arena, f->plan, 2022, 12, u, NULL, NULL,
                                     lg_template_view(f->tpl, "form"), f->tpl->title_format);
    assert_int_equal(t->n_rows, 1);
    assert_string_equal(lg_table_cell(t, 0, 0)->text, "1.共同任务。");
    assert_int_equal(t->n_groups, 1);
    assert_string_equal(t->form->meta[1].value, "c");
    assert_string_equal(t->form->meta[2].value, "2022-12");
    assert_string_equal(t->form->row_keys[0], "1");
}

/* 市统计局's form for November in tests/data/sections: tasks 3 (80亿元) and
 * 4 (a growth of 5.5% since June), so 目标 and 累计完成 are there: the target
 * shown and locked, the figure to fill in, which only a growth may take
 * below 0; the shared task 1 has no target: nothing to fill in there, nor
 * in 市发展和改革委员会's task 2. */
static void quantitative_tasks(void **state)
{
    (void)state;
    lg_diags d = {0};
    lg_plan *full = lg_plan_load(LG_TEST_DATA "/sections/plan.xml", &d);
    assert_non_null(full);
    const lg_plan *p = lg_plan_at(full, 11);
    lg_template *tpl = lg_template_load(LG_SOURCE_DIR "/templates/ledger.xml", &d);
    assert_int_equal(d.count, 0);
    lg_arena *a = lg_arena_new();
    const lg_view_layout *layout = lg_template_view(tpl, "form");
    const lg_table *t = lg_view_form(a, p, 2022, 11, lg_plan_find_unit(p, "tjj"), NULL, NULL,
                                     layout, tpl->title_format);
    assert_int_equal(t->n_columns, 10);
    assert_string_equal(t->form->meta[3].value, "task due promised-plan target actual progress "
                                                "problems plan on-schedule remark");
    assert_int_equal(t->n_rows, 3); /* the shared task 1, 3, 4 */
    static const char *const targets[] = {"", "80亿元", "增长5.5%"};
    enum { F = LG_CELL_INPUT | LG_CELL_INPUT_FIGURE };
    static const unsigned actual[] = {0, F, F | LG_CELL_INPUT_SIGNED};
    for (size_t r = 0; r < 3; r++) {
        assert_string_equal(lg_table_cell(t, r, 3)->text, targets[r]);
        assert_int_equal(lg_table_cell(t, r, 3)->flags, 0);
        assert_string_equal(lg_table_cell(t, r, 4)->text, "");
        assert_int_equal(lg_table_cell(t, r, 4)->flags, actual[r]);
        assert_int_equal(lg_table_cell(t, r, 6)->flags, I); /* 存在问题 */
    }

    t = lg_view_form(a, p, 2022, 11, lg_plan_find_unit(p, "fgw"), NULL, NULL, layout,
                     tpl->title_format);
    assert_int_equal(t->n_rows, 3);
    assert_string_equal(lg_table_cell(t, 1, 0)->text, "2.建设科技创新平台。");
    assert_string_equal(lg_table_cell(t, 1, 3)->text, "");
    assert_int_equal(lg_table_cell(t, 1, 4)->flags, 0);
    assert_int_equal(lg_table_cell(t, 2, 4)->flags, F);
    lg_arena_free(a);
    lg_template_free(tpl);
    lg_plan_free(full);
    lg_diags_free(&d);
}

int main(void)
{
    lg_xml_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(rows_and_cells, setup, lgt_month_teardown),
        cmocka_unit_test_setup_teardown(form_protocol, setup, lgt_month_teardown),
        cmocka_unit_test_setup_teardown(one_shared_task, setup, lgt_month_teardown),
        cmocka_unit_test(quantitative_tasks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
