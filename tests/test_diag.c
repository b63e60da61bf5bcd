/* Diagnostics in two languages: the user's (gettext; the tests run in the C
 * locale, so English) and the 问题清单's Chinese; the one table of kinds, each
 * documented in README.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "lang.h"

static void message_in_both_languages(void **state)
{
    (void)state;
    lg_diags d = {0};
    lg_diag *g = lg_diags_add(&d, LG_WARNING, "stale", "reports/2022-10/a.xml", 3,
                              "task %ld: the progress is word for word the same as in the "
                              "%04d-%02d report; was last month's text copied?",
                              7L, 2022, 9);
    assert_string_equal(g->message, "task 7: the progress is word for word the same as in the "
                                    "2022-09 report; was last month's text copied?");
    assert_string_equal(g->message_zh,
                        "任务7：进展情况与2022年9月的报告一字不差，是否照抄了上月的内容？");
    /* a message with no translation is the same in both */
    g = lg_diags_add(&d, LG_ERROR, "io", NULL, 0, "no such message %d", 5);
    assert_string_equal(g->message_zh, "no such message 5");
    lg_diag *c = lg_diags_add_copy(&d, &d.items[0]);
    assert_string_equal(c->message_zh, d.items[0].message_zh);
    assert_string_equal(c->file, "reports/2022-10/a.xml");
    lg_diags_free(&d);
    assert_string_equal(lg_zh("error"), "错误");
    assert_string_equal(lg_zh(""), "");
}

static void kinds_are_unique_and_found(void **state)
{
    (void)state;
    size_t n;
    const lg_diag_kind *k = lg_diag_kinds(&n);
    assert_true(n > 50);
    for (size_t i = 0; i < n; i++) {
        assert_ptr_equal(lg_diag_kind_find(k[i].key), &k[i]);
        assert_true(strlen(k[i].zh) > 0);
    }
    assert_string_equal(lg_diag_kind_find("stale")->zh, "照抄上月");
    assert_int_equal(lg_diag_kind_find("stale")->severity, LG_WARNING);
    assert_null(lg_diag_kind_find("no-such-kind"));
    assert_string_equal(lg_diag_kind_find("pdfa-6.2.2")->key, "pdfa-CLAUSE");
    assert_null(lg_diag_kind_find("pdfa-"));
}

/* README.md's table lists every kind of the code's table, with its Chinese name
 * and severity, and no other. */
static void readme_documents_every_kind(void **state)
{
    (void)state;
    FILE *f = fopen(LG_SOURCE_DIR "/README.md", "r");
    assert_non_null(f);
    char line[512];
    size_t rows = 0, n;
    const lg_diag_kind *k = lg_diag_kinds(&n);
    bool *seen = calloc(n, sizeof *seen);
    bool in_table = false;
    while (fgets(line, sizeof line, f)) {
        char key[64];
        if (strcmp(line, "| kind | 类别 | severity |\n") == 0)
            in_table = true;
        else if (line[0] != '|')
            in_table = false;
        if (!in_table || sscanf(line, "| `%63[a-zA-Z0-9-]` |", key) != 1)
            continue;
        rows++;
        const lg_diag_kind *found = lg_diag_kind_find(key);
        if (!found)
            fail_msg("README.md documents the kind %s, which the code does not have", key);
        char want[256];
        snprintf(want, sizeof want, "| `%s` | %s | %s |\n", found->key, found->zh,
                 found->severity == LG_ERROR ? "error" : "warning");
        assert_string_equal(line, want);
        seen[found - k] = true;
    }
    fclose(f);
    for (size_t i = 0; i < n; i++)
        if (!seen[i])
            fail_msg("README.md does not document the kind %s", k[i].key);
    assert_int_equal(rows, n);
    free(seen);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(message_in_both_languages),
        cmocka_unit_test(kinds_are_unique_and_found),
        cmocka_unit_test(readme_documents_every_kind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
