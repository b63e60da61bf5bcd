/* The encodings of ledger input: what is taken and decoded into UTF-8, and
 * what is refused on which line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"
#include "xml_encoding.h"

/* Decodes the LEN bytes at IN; returns the UTF-8 text (the caller frees) or
 * NULL, with the diagnostics in D. */
static char *decode(const char *in, size_t len, lg_diags *d)
{
    char *bytes = lg_xmalloc(len + 1);
    memcpy(bytes, in, len);
    bytes[len] = '\0';
    size_t n = 0;
    char *text = lg_xml_decode("r.xml", bytes, len, &n, d);
    if (text != bytes)
        free(bytes);
    if (text)
        assert_int_equal(n, strlen(text));
    return text;
}

#define DECODE(lit, d) decode(lit, sizeof lit - 1, d)

static void utf8(void **state)
{
    (void)state;
    lg_diags d = {0};
    char *t = DECODE("\xEF\xBB\xBF<?xml version=\"1.0\"?><a>中文</a>", &d);
    assert_string_equal(t, "<?xml version=\"1.0\"?><a>中文</a>"); /* no BOM */
    free(t);
    t = DECODE("<?xml version='1.0' encoding='us-ascii'?><a>中</a>", &d);
    assert_non_null(t); /* ASCII that holds UTF-8 means UTF-8 */
    free(t);
    assert_int_equal(d.count, 0);

    t = DECODE("<a>\n\n\xD6\xD0</a>", &d); /* GBK bytes, no declaration */
    assert_null(t);
    assert_int_equal(d.count, 1);
    assert_int_equal(d.items[0].line, 3);
    assert_non_null(strstr(d.items[0].message, "not valid UTF-8 (bytes D6 D0 3C 2F)"));
    lg_diags_free(&d);
}

static void gb18030(void **state)
{
    (void)state;
    lg_diags d = {0};
    char *t = DECODE("<?xml version=\"1.0\" encoding=\"GBK\"?><a>\xD6\xD0\xCE\xC4</a>", &d);
    assert_string_equal(t, "<?xml version=\"1.0\" encoding=\"GBK\"?><a>中文</a>");
    free(t);
    assert_int_equal(d.count, 0);
    /* labelled GBK, saved as UTF-8 */
    t = DECODE("<?xml version=\"1.0\" encoding=\"GB2312\"?><a>中文</a>", &d);
    assert_null(t);
    assert_int_equal(d.count, 1);
    assert_non_null(strstr(d.items[0].message, "it is saved as UTF-8"));
    lg_diags_free(&d);
}

static void utf16_and_32(void **state)
{
    (void)state;
    lg_diags d = {0};
    char *t = DECODE("\xFF\xFE<\0a\0>\0-N\x87\x65<\0/\0a\0>\0", &d); /* 中文 */
    assert_string_equal(t, "<a>中文</a>");
    free(t);
    assert_int_equal(d.count, 0);
    t = DECODE("\xFF\xFE\0\0<\0\0\0", &d);
    assert_null(t);
    assert_non_null(strstr(d.items[0].message, "UTF-32"));
    t = DECODE("<?xml version=\"1.0\" encoding=\"latin1\"?><a/>", &d);
    assert_null(t);
    assert_int_equal(d.count, 2);
    assert_non_null(strstr(d.items[1].message, "encoding=\"latin1\""));
    lg_diags_free(&d);
}

static void lines(void **state)
{
    (void)state;
    assert_int_equal(lg_line_at("a\nb\nc", 0), 1);
    assert_int_equal(lg_line_at("a\nb\nc", 2), 2);
    assert_int_equal(lg_line_at("a\nb\nc", 5), 3);
    assert_true(lg_xml_is_space('\r'));
    assert_false(lg_xml_is_space('x'));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8),
        cmocka_unit_test(gb18030),
        cmocka_unit_test(utf16_and_32),
        cmocka_unit_test(lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
