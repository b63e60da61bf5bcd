/* Where an input folder's files are, with or without trailing slashes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "input_path.h"

static void expect(char *got, const char *want)
{
    assert_string_equal(got, want);
    free(got);
}

static void plan_path(void **state)
{
    (void)state;
    expect(lg_input_plan_path("input"), "input/plan.xml");
    expect(lg_input_plan_path("input/"), "input/plan.xml");
    expect(lg_input_plan_path("a/b//"), "a/b/plan.xml");
    expect(lg_input_plan_path("/"), "/plan.xml");
    expect(lg_input_plan_path("///"), "/plan.xml");
}

static void month_dir(void **state)
{
    (void)state;
    expect(lg_input_month_dir("input", 2022, 10), "input/reports/2022-10");
    expect(lg_input_month_dir("input//", 2022, 3), "input/reports/2022-03");
    expect(lg_input_month_dir("/", 2022, 12), "/reports/2022-12");
    expect(lg_input_report_path("in/", 2022, 1, "kjj"), "in/reports/2022-01/kjj.xml");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plan_path),
        cmocka_unit_test(month_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
