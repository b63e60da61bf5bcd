/* strbuf.c: a growing string keeps every byte added, in order, NUL-terminated. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "strbuf.h"

static void empty_reads_as_empty_string(void **state)
{
    (void)state;
    lg_strbuf b = {0};
    assert_string_equal(lg_strbuf_str(&b), "");
    lg_strbuf_add(&b, "", 0);
    assert_non_null(b.s);
    assert_int_equal(b.len, 0);
    assert_string_equal(lg_strbuf_str(&b), "");
    free(b.s);
}

/* 10,000 pieces: every growth keeps what was there. */
static void grows_keeping_every_byte(void **state)
{
    (void)state;
    lg_strbuf b = {0};
    for (int i = 0; i < 10000; i++)
        lg_strbuf_puts(&b, i % 2 ? "任务" : "a");
    assert_int_equal(b.len, 5000 * (1 + 6));
    for (size_t i = 0, at = 0; i < 10000; i++) {
        const char *want = i % 2 ? "任务" : "a";
        assert_memory_equal(b.s + at, want, strlen(want));
        at += strlen(want);
    }
    assert_int_equal(b.s[b.len], '\0');
    free(b.s);
}

static void keeps_nul_bytes(void **state)
{
    (void)state;
    lg_strbuf b = {0};
    lg_strbuf_add(&b, "a\0b", 3);
    lg_strbuf_add(&b, "c", 1);
    assert_int_equal(b.len, 4);
    assert_memory_equal(b.s, "a\0bc", 5);
    free(b.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_reads_as_empty_string),
        cmocka_unit_test(grows_keeping_every_byte),
        cmocka_unit_test(keeps_nul_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
