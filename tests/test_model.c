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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unit_label),
        cmocka_unit_test(locations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
