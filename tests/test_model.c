/* The model's rules that every view and import share. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "model.h"

/* The 单位 cell: a shared task's owner-label, else the unit's own name. */
static void unit_label(void **state)
{
    (void)state;
    lg_unit kjj = {.id = "kjj", .name = "市科技局"};
    lg_unit *owners[] = {&kjj};
    lg_task own = {.owners = owners, .n_owners = 1, .owner_label = "市科技局等"};
    lg_task shared = {.shared = true, .owner_label = "各区县政府"};
    lg_task shared_unlabelled = {.shared = true};
    assert_string_equal(lg_task_unit_label(&own, &kjj), "市科技局");
    assert_string_equal(lg_task_unit_label(&shared, &kjj), "各区县政府");
    assert_string_equal(lg_task_unit_label(&shared_unlabelled, &kjj), "市科技局");
    assert_true(lg_task_owned_by(&own, &kjj));
    assert_true(lg_task_owned_by(&shared, &kjj));
    lg_unit other = {.id = "fgw", .name = "市发改委"};
    assert_false(lg_task_owned_by(&own, &other));
}

/* Where an entry is, for the 问题清单: relative to the input folder, or the
 * form's file, sheet and cell. */
static void locations(void **state)
{
    (void)state;
    lg_report xml = {.file = "/tmp/x/city/reports/2022-10/u001.xml", .line = 2};
    lg_entry e = {.line = 8};
    char *s = lg_entry_location(&xml, &e);
    assert_string_equal(s, "reports/2022-10/u001.xml:8");
    free(s);
    s = lg_report_location(&xml);
    assert_string_equal(s, "reports/2022-10/u001.xml:2");
    free(s);
    lg_report bare = {.file = "reports/2022-10/u001.xml"};
    s = lg_report_location(&bare);
    assert_string_equal(s, "reports/2022-10/u001.xml");
    free(s);

    lg_report form = {.file = "/tmp/x/city/reports/2022-10/u001.xml", .line = 3,
                      .form = "u001.xlsx", .sheet = "市科技局"};
    lg_entry cell = {.line = 4, .cell = "F8"};
    s = lg_entry_location(&form, &cell);
    assert_string_equal(s, "u001.xlsx，工作表“市科技局”，单元格 F8");
    free(s);
    s = lg_report_location(&form);
    assert_string_equal(s, "u001.xlsx，工作表“市科技局”");
    free(s);
}

/* A month of plan P whose one unit's report has entries E (N of them), or no
 * report when N is 0. */
static lg_month month_of(const lg_plan *p, int month, lg_report *r, lg_entry *e, size_t n,
                         const lg_report **slot)
{
    *r = (lg_report){.unit = &p->units[0], .year = 2022, .month = month, .entries = e,
                     .n_entries = n};
    *slot = n ? r : NULL;
    return (lg_month){.plan = p, .year = 2022, .month = month, .reports = slot};
}

/* Completion that sticks: task 1 (due 2022-03) completed in March shows done
 * from April, whatever a later entry says but completed="no", which reopens
 * it; done counts as reported, on schedule and completed, never overdue. */
static void completion_sticks(void **state)
{
    (void)state;
    lg_unit u = {.id = "a", .name = "市甲局"};
    lg_task tasks[] = {{.no = 1, .shared = true, .due_kind = LG_DUE_MONTH, .due_year = 2022,
                        .due_month = 3},
                       {.no = 2, .shared = true, .due_kind = LG_DUE_ONGOING}};
    lg_plan p = {.arena = lg_arena_new(), .year = 2022, .units = &u, .n_units = 1,
                 .tasks = tasks, .n_tasks = 2};
    lg_entry march_e[] = {{.task = &tasks[0], .on_schedule = true, .completed = true},
                          {.task = &tasks[1], .on_schedule = true}};
    lg_entry april_e[] = {{.task = &tasks[0], .on_schedule = false, .progress = "又写了"}};
    lg_entry may_e[] = {{.task = &tasks[0], .on_schedule = false, .reopens = true}};
    lg_report rs[6];
    const lg_report *slots[6];
    lg_month jan = month_of(&p, 1, &rs[0], NULL, 0, &slots[0]);
    lg_month mar = month_of(&p, 3, &rs[1], march_e, 2, &slots[1]);
    lg_month apr = month_of(&p, 4, &rs[2], april_e, 1, &slots[2]);
    lg_month may = month_of(&p, 5, &rs[3], may_e, 1, &slots[3]);
    lg_month jun = month_of(&p, 6, &rs[4], NULL, 0, &slots[4]);
    const lg_month *year[] = {&jan, NULL, &mar, &apr, &may};

    lg_month_set_earlier(&mar, year);
    assert_int_equal(lg_month_done(&mar, &tasks[0], &u), 0); /* done this month: its entry shows */
    assert_ptr_equal(lg_month_entry(&mar, &tasks[0], &u), &march_e[0]);

    lg_month_set_earlier(&apr, year);
    assert_int_equal(lg_month_done(&apr, &tasks[0], &u), 3);
    assert_null(lg_month_entry(&apr, &tasks[0], &u)); /* April's entry does not reopen it */
    lg_unit_stats s = lg_month_unit_stats(&apr, &u);
    assert_int_equal(s.owned, 2);
    assert_int_equal(s.reported, 1);
    assert_int_equal(s.on_schedule, 1);
    assert_int_equal(s.behind, 0);
    assert_int_equal(s.unreported, 1);
    assert_int_equal(s.overdue, 0);
    assert_int_equal(s.completed, 1);

    lg_month_set_earlier(&may, year); /* May's own entry reopens it */
    assert_int_equal(lg_month_done(&may, &tasks[0], &u), 0);
    assert_ptr_equal(lg_month_entry(&may, &tasks[0], &u), &may_e[0]);

    lg_month_set_earlier(&jun, year); /* reopened in May: open, and overdue */
    assert_int_equal(lg_month_done(&jun, &tasks[0], &u), 0);
    s = lg_month_unit_stats(&jun, &u);
    assert_int_equal(s.completed, 0);
    assert_int_equal(s.overdue, 1);
    assert_int_equal(s.unreported, 2);

    jun.done = NULL; /* nothing attached: nothing done */
    assert_int_equal(lg_month_done(&jun, &tasks[0], &u), 0);
    assert_string_equal(lg_done_label(p.arena, 2022, 3), "已完成（2022年3月）");
    lg_arena_free(p.arena);
}

/* A task reported completed twice (March, then April again) counts from
 * the first: in July it was completed in March. */
static void first_completion_counts(void **state)
{
    (void)state;
    lg_unit u = {.id = "a", .name = "市甲局"};
    lg_task tasks[] = {{.no = 1, .shared = true, .due_kind = LG_DUE_MONTH, .due_year = 2022,
                        .due_month = 12}};
    lg_plan p = {.arena = lg_arena_new(), .year = 2022, .units = &u, .n_units = 1,
                 .tasks = tasks, .n_tasks = 1};
    lg_entry march_e[] = {{.task = &tasks[0], .on_schedule = true, .completed = true}};
    lg_entry april_e[] = {{.task = &tasks[0], .on_schedule = true, .completed = true}};
    lg_report rs[3];
    const lg_report *slots[3];
    lg_month mar = month_of(&p, 3, &rs[0], march_e, 1, &slots[0]);
    lg_month apr = month_of(&p, 4, &rs[1], april_e, 1, &slots[1]);
    lg_month jul = month_of(&p, 7, &rs[2], NULL, 0, &slots[2]);
    const lg_month *year[] = {NULL, NULL, &mar, &apr, NULL, NULL};
    lg_month_set_earlier(&jul, year);
    assert_int_equal(lg_month_done(&jul, &tasks[0], &u), 3);
    lg_arena_free(p.arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unit_label),
        cmocka_unit_test(locations),
        cmocka_unit_test(completion_sticks),
        cmocka_unit_test(first_completion_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
