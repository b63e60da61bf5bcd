/* What both loaders share: task numbers, and a file's diagnostics kept in
 * order, without libxml2's wording where the loader says it better. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "input_limits.h"
#include "load_common.h"

static void task_numbers(void **state)
{
    (void)state;
    long no = -1;
    assert_true(lg_task_no_parse("139", &no));
    assert_int_equal(no, 139);
    assert_true(lg_task_no_parse("9223372036854775807", &no));
    assert_int_equal(no, 9223372036854775807L);
    no = 5;
    static const char *const bad[] = {"0", "012", "-1", "+1", "1a", " 1", "", "9223372036854775808"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(lg_task_no_parse(bad[i], &no));
    assert_false(lg_task_no_parse(NULL, &no));
    assert_int_equal(no, 5); /* untouched */
}

static void diagnostics(void **state)
{
    (void)state;
    lg_diags d = {0};
    lg_diags_add(&d, LG_ERROR, "other", "x.xml", 1, "before the file");
    size_t first = d.count;
    lg_diags_add(&d, LG_ERROR, "schema", "p.xml", 9, "Element task failed to validate");
    lg_diags_add(&d, LG_ERROR, "unknown-unit", "p.xml", 9, "task 1: unit \"x\"");
    lg_diags_add(&d, LG_ERROR, "schema", "p.xml", 3, "Element unit failed");
    lg_diags_add(&d, LG_ERROR, "missing", "p.xml", 3, "unit: no id");
    lg_diags_add(&d, LG_ERROR, "schema", "p.xml", 20, "Element task failed");
    lg_load_drop_schema_diags(&d, first, 3, 9, "failed");
    assert_int_equal(d.count, 4); /* the schema's lines 3 and 9 dropped */
    lg_load_sort_diags(&d, first);
    assert_string_equal(d.items[0].message, "before the file");
    assert_string_equal(d.items[1].kind, "missing");
    assert_string_equal(d.items[2].kind, "unknown-unit");
    assert_int_equal(d.items[3].line, 20);
    lg_load_note_truncated(&d, first, "p.xml");
    assert_int_equal(d.count, 4); /* far from the limit: nothing said */
    while (d.count - first < (size_t)LG_MAX_ERRORS_PER_FILE)
        lg_diags_add(&d, LG_ERROR, "x", "p.xml", 1, "more");
    lg_load_note_truncated(&d, first, "p.xml");
    assert_string_equal(d.items[d.count - 1].kind, "too-many-errors");
    assert_non_null(strstr(d.items[d.count - 1].message, "at most 1,000 for one file"));
    lg_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(task_numbers),
        cmocka_unit_test(diagnostics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
