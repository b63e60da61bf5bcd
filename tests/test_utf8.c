/* UTF-8: encoding code points, checking sequences, counting characters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "utf8.h"

static void encoding(void **state)
{
    (void)state;
    static const struct {
        uint32_t c;
        const char *utf8;
    } cases[] = {{0x41, "A"},           {0x7F, "\x7F"},          {0xA9, "\xC2\xA9"},
                 {0x7FF, "\xDF\xBF"},   {0x4E2D, "中"},          {0xFFFF, "\xEF\xBF\xBF"},
                 {0x20000, "\xF0\xA0\x80\x80"}, {0x10FFFF, "\xF4\x8F\xBF\xBF"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[4];
        size_t n = lg_utf8_encode(cases[i].c, out);
        assert_int_equal(n, strlen(cases[i].utf8));
        assert_memory_equal(out, cases[i].utf8, n);
        /* and it reads back as one valid sequence */
        assert_int_equal(lg_utf8_sequence((const unsigned char *)out, n), n);
    }
}

static size_t seq(const char *s)
{
    return lg_utf8_sequence((const unsigned char *)s, strlen(s));
}

static void sequences(void **state)
{
    (void)state;
    assert_int_equal(seq("中文"), 3);
    assert_int_equal(seq("\x80"), 0);             /* a stray continuation */
    assert_int_equal(seq("\xE4\xB8"), 0);         /* cut short */
    assert_int_equal(seq("\xE4\x41\x41"), 0);     /* not continued */
    assert_int_equal(seq("\xC0\xAF"), 0);         /* overlong '/' */
    assert_int_equal(seq("\xE0\x80\xAF"), 0);     /* overlong */
    assert_int_equal(seq("\xF0\x80\x80\xAF"), 0); /* overlong */
    assert_int_equal(seq("\xED\xA0\x80"), 0);     /* a surrogate */
    assert_int_equal(seq("\xF4\x90\x80\x80"), 0); /* past U+10FFFF */
    assert_int_equal(seq("\xF5\x80\x80\x80"), 0);
}

static void counting(void **state)
{
    (void)state;
    assert_int_equal(lg_utf8_length(""), 0);
    assert_int_equal(lg_utf8_length("a中\xF0\xA0\x80\x80"), 3);
    assert_int_equal(lg_utf8_char_len("中"), 3);
    assert_int_equal(lg_utf8_char_len("\xF0\xA0\x80\x80"), 4);
    assert_int_equal(lg_utf8_char_len("a"), 1);
    assert_int_equal(lg_utf8_char_len("\xE4\xB8"), 2); /* cut short at the NUL */
    assert_true(lg_utf8_is_cont(0x80));
    assert_false(lg_utf8_is_cont(0xC2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(encoding),
        cmocka_unit_test(sequences),
        cmocka_unit_test(counting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
