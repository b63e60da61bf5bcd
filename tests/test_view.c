/* The unit ledger view: rows, order, cells, merges and groups, from the model. */
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

static int setup_seed(void **state)
{
    return lgt_month_setup(state, LG_SOURCE_DIR "/input", 2022, 10);
}

/* The same plan for a month with no reports at all. */
static int setup_unreported(void **state)
{
    return lgt_month_setup(state, LG_SOURCE_DIR "/input", 2022, 11);
}


static const lg_table *unit_table(fixture *f, const char *id)
{
    const lg_unit *u = lg_plan_find_unit(f->plan, id);
    assert_non_null(u);
    return lg_view_unit(f->arena, f->month, u, lg_template_view(f->tpl, "unit"),
                        f->tpl->title_format);
}

static const char *text(const lg_table *t, size_t row, size_t col)
{
    return lg_table_cell(t, row, col)->text;
}

static void seed_rows_in_ledger_order(void **state)
{
    const lg_table *t = unit_table(*state, "kjj");
    assert_string_equal(t->title, "2022年度《政府工作报告》落实情况台账（2022.10）");
    assert_int_equal(t->n_columns, 7);
    assert_int_equal(t->n_rows, 11);
    static const long order[] = {1, 2, 3, 4, 139, 140, 141, 142, 143, 144, 145};
    for (size_t r = 0; r < 11; r++) {
        char prefix[16];
        snprintf(prefix, sizeof prefix, "%ld.", order[r]);
        assert_memory_equal(text(t, r, 1), prefix, strlen(prefix));
    }
    assert_string_equal(text(t, 0, 0), "市直政府系统各单位");
    assert_string_equal(text(t, 4, 0), "市科技局");
    assert_string_equal(text(t, 4, 1), "139.落实好揭榜挂帅制，优化项目管理机制，实行结题验收备案制，"
                                       "为科研人员松绑减负赋权。");
    assert_string_equal(text(t, 0, 2), "长期推进");
    assert_string_equal(text(t, 5, 2), "2024年12月底前");
    assert_string_equal(text(t, 10, 3), "目前，2022年市级科技计划项目已申报211项，正在持续组织企业积极"
                                        "申报，引导加大研发投入。");
    assert_string_equal(text(t, 3, 4), "计划完成编制2023年部门预算");
    assert_string_equal(text(t, 7, 5), "是");
    assert_string_equal(text(t, 7, 6), "");
}

static void seed_unit_column_merges_per_group(void **state)
{
    const lg_table *t = unit_table(*state, "kjj");
    assert_int_equal(t->n_merges, 2);
    assert_int_equal(t->merges[0].col, 0);
    assert_int_equal(t->merges[0].row0, 0);
    assert_int_equal(t->merges[0].row1, 3);
    assert_int_equal(t->merges[1].row0, 4);
    assert_int_equal(t->merges[1].row1, 10);
    assert_int_equal(t->n_groups, 2);
    assert_string_equal(t->groups[0].label, "市直政府系统各单位");
    assert_string_equal(t->groups[1].label, "市科技局");
    assert_int_equal(t->groups[1].row0, 4);
    assert_int_equal(t->groups[1].row1, 10);
    assert_ptr_equal(lg_table_merge_at(t, 2, 0), &t->merges[0]);
    assert_null(lg_table_merge_at(t, 2, 1));
}

static void missing_report_shows_unreported(void **state)
{
    const lg_table *t = unit_table(*state, "kjj");
    assert_string_equal(t->title, "2022年度《政府工作报告》落实情况台账（2022.11）");
    assert_int_equal(t->n_rows, 11);
    for (size_t r = 0; r < t->n_rows; r++) {
        assert_string_equal(text(t, r, 3), "未报送");
        assert_true(lg_table_cell(t, r, 3)->flags & LG_CELL_MISSING);
        assert_string_equal(text(t, r, 4), "");
        assert_string_equal(text(t, r, 5), "");
    }
    /* the task columns are still there: the row is listed, only its report is missing */
    assert_string_equal(text(t, 4, 2), "2022年12月底前");
}

/* Merging is hierarchical: a run in a merging column never crosses a run
 * boundary of a merging column to its left. */
static void merge_runs_nest_inside_left_runs(void **state)
{
    (void)state;
    lg_arena *a = lg_arena_new();
    lg_column cols[3] = {
        {.field = LG_FIELD_UNIT, .header = "a", .merge = true},
        {.field = LG_FIELD_DUE, .header = "b", .merge = true},
        {.field = LG_FIELD_REMARK, .header = "c", .merge = false},
    };
    lg_view_layout layout = {"test", cols, 3};
    lg_table *t = lg_table_new(a, "t", "title", &layout);
    static const char *data[][3] = {
        {"x", "p", "1"}, {"x", "p", "1"}, {"y", "p", "1"}, {"y", "q", "1"}, {"y", "q", "1"},
    };
    for (size_t r = 0; r < 5; r++) {
        lg_cell *row = lg_table_add_row(t);
        for (size_t c = 0; c < 3; c++)
            row[c].text = data[r][c];
    }
    lg_table_merge_equal(t);
    /* column 0: x over 0-1, y over 2-4; column 1: p over 0-1 (not 0-2), q over 3-4 */
    assert_int_equal(t->n_merges, 4);
    lg_merge want[] = {{0, 1, 0}, {2, 4, 0}, {0, 1, 1}, {3, 4, 1}};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(t->merges[i].row0, want[i].row0);
        assert_int_equal(t->merges[i].row1, want[i].row1);
        assert_int_equal(t->merges[i].col, want[i].col);
    }
    lg_arena_free(a);
}

static void title_format_fields(void **state)
{
    (void)state;
    char *s = lg_format_fields("{title}（{year}.{month}）第{page}页共{pages}页", "台账", 2022, 3,
                               "&P", "&N");
    assert_string_equal(s, "台账（2022.03）第&P页共&N页");
    free(s);
}

int main(void)
{
    lg_xml_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(seed_rows_in_ledger_order, setup_seed, lgt_month_teardown),
        cmocka_unit_test_setup_teardown(seed_unit_column_merges_per_group, setup_seed, lgt_month_teardown),
        cmocka_unit_test_setup_teardown(missing_report_shows_unreported, setup_unreported,
                                        lgt_month_teardown),
        cmocka_unit_test(merge_runs_nest_inside_left_runs),
        cmocka_unit_test(title_format_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
