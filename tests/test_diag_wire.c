/* Diagnostics through a pipe: what a worker found reaches the parent whole,
 * and a pipe cut short says so. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "diag_wire.h"

static void round_trip(void **state)
{
    (void)state;
    lg_diags d = {0};
    lg_diag *g = lg_diags_add(&d, LG_ERROR, "unknown-unit", "plan.xml", 17,
                              "task 139: unit \"%s\" is not in <units>", "kjx");
    lg_diag_set_unit(g, "kjx", 139);
    lg_diag_set_unit_name(g, "市科技局");
    lg_diags_add(&d, LG_WARNING, "overdue", NULL, 0,
                 "task %ld was due %s and is not reported completed", 3L, "2022年6月底前");
    FILE *f = tmpfile();
    assert_non_null(f);
    lg_wire_put_diags(f, &d);
    lg_wire_put_u32(f, 7);
    rewind(f);

    lg_diags got = {0};
    assert_true(lg_wire_get_diags(f, &got));
    assert_int_equal(got.count, 2);
    for (size_t i = 0; i < 2; i++) {
        char *a = lg_diag_format(&d.items[i]), *b = lg_diag_format(&got.items[i]);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
    assert_int_equal(got.items[0].severity, LG_ERROR);
    assert_string_equal(got.items[0].kind, "unknown-unit");
    assert_int_equal(got.items[0].line, 17);
    assert_string_equal(got.items[0].unit, "kjx");
    /* the 问题清单's Chinese travels with the message */
    assert_string_equal(got.items[1].message_zh, "任务3的完成时限为2022年6月底前，尚未报告完成");
    assert_string_equal(got.items[0].unit_name, "市科技局");
    assert_int_equal(got.items[0].task, 139);
    assert_int_equal(got.items[1].severity, LG_WARNING);
    assert_null(got.items[1].file);
    assert_null(got.items[1].unit);
    uint32_t v;
    assert_true(lg_wire_get_u32(f, &v));
    assert_int_equal(v, 7);
    assert_false(lg_wire_get_u32(f, &v)); /* the end */
    assert_false(lg_wire_get_diags(f, &got));
    fclose(f);
    lg_diags_free(&got);
    lg_diags_free(&d);
}

/* A writer that died half-way: what came whole is kept, and the read fails. */
static void cut_short(void **state)
{
    (void)state;
    lg_diags d = {0};
    lg_diags_add(&d, LG_ERROR, "a", "f.xml", 1, "first");
    lg_diags_add(&d, LG_ERROR, "b", "f.xml", 2, "second, cut");
    FILE *f = tmpfile();
    lg_wire_put_diags(f, &d);
    long full = ftell(f);
    char *buf = malloc((size_t)full);
    rewind(f);
    assert_int_equal(fread(buf, 1, (size_t)full, f), full);
    fclose(f);
    f = tmpfile();
    fwrite(buf, 1, (size_t)full - 3, f);
    rewind(f);
    lg_diags got = {0};
    assert_false(lg_wire_get_diags(f, &got));
    assert_int_equal(got.count, 1);
    assert_string_equal(got.items[0].message, "first");
    fclose(f);
    free(buf);
    lg_diags_free(&got);
    lg_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip),
        cmocka_unit_test(cut_short),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
