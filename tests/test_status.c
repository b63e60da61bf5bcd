/* The status of a row (status.c) from tests/data/check, 2022-10, with
 * September attached (lg_month_load_earlier): every row's status and
 * escalation, the precedence of 已完成 and 未报送, the 临期 window and the
 * escalation's count as rules passed in, the labels and the counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "load.h"
#include "lgtest.h"
#include "status.h"

typedef lgt_month fixture;

static int setup(void **state)
{
    return lgt_year_setup(state, LG_TEST_DATA "/check", 2022, 10);
}

static lg_status status(const fixture *f, const char *unit, long task, const lg_status_rules *r)
{
    const lg_unit *u = lg_plan_find_unit(f->plan, unit);
    const lg_task *t = lg_plan_find_task(f->plan, task);
    assert_non_null(u);
    assert_non_null(t);
    return lg_status_of(f->month, t, u, r);
}

/* September: a reports task 1 only; b and c send nothing. October: a reports
 * 1 (是) and 2 (否, due 2022-06), leaves out 4; b reports 1, 3 and 4
 * (completed); c sends nothing. */
static void every_row(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *unit;
        long task;
        lg_status_kind kind;
        bool escalated;
    } want[] = {
        {"a", 1, LG_STATUS_NORMAL, false},
        {"a", 2, LG_STATUS_OVERDUE, false},    /* 否 too, but 逾期 comes first; not red */
        {"a", 4, LG_STATUS_UNREPORTED, true},  /* left out in September and October */
        {"b", 1, LG_STATUS_NORMAL, false},
        {"b", 3, LG_STATUS_NORMAL, false},     /* due in December: not within one month */
        {"b", 4, LG_STATUS_DONE, false},
        {"c", 1, LG_STATUS_UNREPORTED, true},  /* no report in September or October */
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        lg_status s = status(f, want[i].unit, want[i].task, NULL);
        if (s.kind != want[i].kind || s.escalated != want[i].escalated)
            fail_msg("%s %ld: status %d escalated %d, not %d %d", want[i].unit, want[i].task,
                     s.kind, s.escalated, want[i].kind, want[i].escalated);
    }
}

/* A window of two months makes b's task 3 (due December) 临期; an escalation
 * after three months in a row escalates nothing (September and October only). */
static void rules_from_the_template(void **state)
{
    fixture *f = *state;
    lg_status_rules r = *lg_status_defaults();
    r.due_window = 2;
    r.escalate_months = 3;
    assert_int_equal(status(f, "b", 3, &r).kind, LG_STATUS_DUE_SOON);
    assert_int_equal(status(f, "b", 1, &r).kind, LG_STATUS_NORMAL); /* ongoing */
    assert_false(status(f, "a", 4, &r).escalated);
    assert_false(status(f, "c", 1, &r).escalated);
    r.escalate_months = 1;
    assert_true(status(f, "a", 4, &r).escalated);
    assert_false(status(f, "a", 1, &r).escalated);
}

static void labels_and_counts(void **state)
{
    fixture *f = *state;
    lg_status s = status(f, "a", 4, NULL);
    assert_string_equal(lg_status_label(f->arena, s, NULL), "未报送（连续滞后）");
    s = status(f, "a", 2, NULL);
    assert_string_equal(lg_status_label(f->arena, s, NULL), "逾期");
    lg_status_counts c = lg_status_count(f->month, lg_plan_find_unit(f->plan, "a"), NULL);
    size_t want[LG_STATUS_COUNT] = {[LG_STATUS_NORMAL] = 1, [LG_STATUS_OVERDUE] = 1,
                                    [LG_STATUS_UNREPORTED] = 1};
    for (int k = 0; k < LG_STATUS_COUNT; k++)
        assert_int_equal(c.n[k], want[k]);
    assert_int_equal(c.escalated, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_row, setup, lgt_month_teardown),
        cmocka_unit_test_setup_teardown(rules_from_the_template, setup, lgt_month_teardown),
        cmocka_unit_test_setup_teardown(labels_and_counts, setup, lgt_month_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
