/* The model's rules that every view and import share. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unit_label),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
