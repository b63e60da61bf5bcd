/* The limits on input (src/input_limits.h, README "Limits"): each case makes a
 * file just past one limit, in a temporary folder, and checks that loading it
 * fails with exactly the message that names the file, the line and the limit;
 * files at the limit load. Files of megabytes are made here rather than
 * committed under tests/data/bad. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, ftruncate */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "input_limits.h"
#include "load.h"
#include "template.h"
#include "xmlload.h"

/* ---- making files ---------------------------------------------------------- */

typedef struct buf {
    char *s;
    size_t len, cap;
} buf;

static void add(buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = lg_xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

/* Adds a string literal. */
#define ADDS(b, lit) add(b, lit, sizeof lit - 1)

static void addf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void addf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[4096];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < sizeof tmp);
    add(b, tmp, (size_t)n);
}

static void repeat(buf *b, const char *s, size_t times)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < times; i++)
        add(b, s, n);
}

static void write_buf(const char *path, buf *b)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b->s, 1, b->len, f), b->len);
    assert_int_equal(fclose(f), 0);
    free(b->s);
    memset(b, 0, sizeof *b);
}

static const char *const decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
static const char *const plan_head = "<plan year=\"2022\" title=\"2022年度台账\">\n";
static const char *const units_kjj = "<units>\n<unit id=\"kjj\" name=\"市科技局\"/>\n</units>\n";

/* A plan with the unit kjj and task 139, whose text is TEXT. */
static void plan_with_text(const char *path, const char *text)
{
    buf b = {0};
    addf(&b, "%s%s%s<tasks>\n<task no=\"139\" owners=\"kjj\" due=\"2022-12\">", decl, plan_head,
         units_kjj);
    add(&b, text, strlen(text));
    ADDS(&b, "</task>\n</tasks>\n</plan>\n");
    write_buf(path, &b);
}

/* N copies of the UTF-8 character C, as a string. The caller frees. */
static char *chars(const char *c, size_t n)
{
    buf b = {0};
    repeat(&b, c, n);
    ADDS(&b, "");
    return b.s;
}

/* reports/2022-10/ of the folder DIR, made. */
static char *reports_dir(const char *dir)
{
    char *r = lg_xasprintf("%s/reports", dir);
    mkdir(dir, 0777);
    mkdir(r, 0777);
    char *m = lg_xasprintf("%s/2022-10", r);
    mkdir(m, 0777);
    free(r);
    return m;
}

/* ---- checking -------------------------------------------------------------- */

/* Every diagnostic of D, one a line. The caller frees. */
static char *diags_text(const lg_diags *d)
{
    buf b = {0};
    ADDS(&b, "");
    for (size_t i = 0; i < d->count; i++) {
        char *line = lg_diag_format(&d->items[i]);
        addf(&b, "%.4000s\n", line);
        free(line);
    }
    return b.s;
}

static void assert_diags(const lg_diags *d, const char *expected)
{
    char *got = diags_text(d);
    if (strcmp(got, expected) != 0) {
        print_error("--- expected\n%s--- got\n%.20000s", expected, got);
        fail();
    }
    free(got);
}

/* Loads the plan at PATH and checks that it fails with EXPECTED. */
static void assert_plan_fails(const char *path, const char *expected)
{
    lg_diags d = {0};
    lg_plan *p = lg_plan_load(path, &d);
    assert_null(p);
    assert_diags(&d, expected);
    lg_diags_free(&d);
}

static void assert_plan_loads(const char *path)
{
    lg_diags d = {0};
    lg_plan *p = lg_plan_load(path, &d);
    if (!p) {
        char *got = diags_text(&d);
        print_error("%s did not load:\n%.4000s", path, got);
        free(got);
        fail();
    }
    lg_plan_free(p);
    lg_diags_free(&d);
}

/* Loads the month of folder DIR against tests/data/good/plan.xml and checks
 * that it fails with EXPECTED. */
static void assert_month_fails(const char *dir, const char *expected)
{
    lg_diags d = {0};
    lg_plan *p = lg_plan_load(LG_TEST_DATA "/good/plan.xml", &d);
    assert_non_null(p);
    lg_month_load(p, dir, 2022, 10, &d);
    assert_diags(&d, expected);
    lg_plan_free(p);
    lg_diags_free(&d);
}

/* ---- the limits ------------------------------------------------------------- */

/* 64 MB a file: refused before parsing, at the line where 64 MB is passed. */
static void file_size(void **state)
{
    (void)state;
    FILE *f = fopen("big.xml", "wb");
    assert_non_null(f);
    fprintf(f, "%s%s%s<tasks>\n<task no=\"1\" owners=\"kjj\" due=\"ongoing\">", decl, plan_head,
            units_kjj);
    fclose(f);
    /* the rest is a hole of zeros: no disk space, and no line feed */
    assert_int_equal(truncate("big.xml", LG_MAX_FILE_BYTES + 1), 0);
    assert_plan_fails("big.xml",
                      "big.xml:7: error: the file is larger than 64 MB, the most ledgerc reads "
                      "(it passes 64 MB on this line); ledger input is far smaller: is it the "
                      "right file?\n");
    /* exactly 64 MB is read (and then fails on its zeros) */
    assert_int_equal(truncate("big.xml", LG_MAX_FILE_BYTES), 0);
    assert_plan_fails("big.xml", "big.xml:7: error: this line holds a NUL character (byte 0), "
                                 "which no text file has: the file is damaged, or it is not a "
                                 "text file\n");
    unlink("big.xml");
}

/* A 20 MB text node: libxml2's limit of 10,000,000 bytes, in our words. */
static void text_node_20mb(void **state)
{
    (void)state;
    char *text = chars("进", 7 * 1000 * 1000); /* 21 MB */
    plan_with_text("node.xml", text);
    free(text);
    assert_plan_fails("node.xml",
                      "node.xml:7: error: a text starting on this line is longer than "
                      "10,000,000 bytes, the most the XML reader takes; a ledger text holds at "
                      "most 100,000 characters\n");
    unlink("node.xml");

    char *dir = reports_dir("node");
    char *path = lg_xasprintf("%s/kjj.xml", dir);
    buf b = {0};
    addf(&b, "%s<report unit=\"kjj\" period=\"2022-10\">\n<entry task=\"139\" "
             "on-schedule=\"yes\">\n<progress>\n",
         decl);
    repeat(&b, "展", 7 * 1000 * 1000);
    ADDS(&b, "</progress>\n<plan/>\n<remark/>\n</entry>\n</report>\n");
    write_buf(path, &b);
    assert_month_fails("node",
                       "node/reports/2022-10/kjj.xml:5: error: a text starting on this line is "
                       "longer than 10,000,000 bytes, the most the XML reader takes; a ledger "
                       "text holds at most 100,000 characters\n");
    unlink(path);
    free(path);
    free(dir);
}

/* 100,000 characters a text: a task's text, an entry's progress. */
static void text_length(void **state)
{
    (void)state;
    char *text = chars("务", LG_MAX_TEXT_CHARS);
    plan_with_text("text.xml", text);
    assert_plan_loads("text.xml");
    free(text);
    text = chars("务", LG_MAX_TEXT_CHARS + 1);
    plan_with_text("text.xml", text);
    free(text);
    assert_plan_fails("text.xml", "text.xml:7: error: task 139: its text is 100,001 characters "
                                  "long; a text may be at most 100,000\n");
    unlink("text.xml");

    char *dir = reports_dir("text");
    char *path = lg_xasprintf("%s/kjj.xml", dir);
    buf b = {0};
    addf(&b, "%s<report unit=\"kjj\" period=\"2022-10\">\n<entry task=\"139\" "
             "on-schedule=\"yes\">\n<progress>\n",
         decl);
    /* paragraphs count with the line feeds that join them */
    for (int i = 0; i < 10; i++) {
        ADDS(&b, "<p>");
        repeat(&b, "展", LG_MAX_TEXT_CHARS / 10 - 1);
        ADDS(&b, "</p>\n");
    }
    ADDS(&b, "<p>完</p>\n</progress>\n<plan/>\n<remark/>\n</entry>\n</report>\n");
    write_buf(path, &b);
    assert_month_fails("text", "text/reports/2022-10/kjj.xml:4: error: entry for task 139: "
                               "<progress> is 100,001 characters long; a text may be at most "
                               "100,000\n");
    unlink(path);
    free(path);
    free(dir);
}

/* 1,000 characters an attribute; 100,000 for owners. */
static void attribute_length(void **state)
{
    (void)state;
    buf b = {0};
    char *name = chars("局", LG_MAX_ATTR_CHARS + 1);
    addf(&b, "%s%s<units>\n<unit id=\"kjj\" name=\"", decl, plan_head);
    add(&b, name, strlen(name));
    free(name);
    ADDS(&b, "\"/>\n</units>\n<tasks>\n<task no=\"139\" owners=\"");
    /* 50,000 ids "kjj" is 199,999 characters: owners is not quoted back */
    for (int i = 0; i < 50000; i++)
        add(&b, i ? " kjj" : "kjj", i ? 4 : 3);
    ADDS(&b, "\" due=\"2022-12\">任务。</task>\n</tasks>\n</plan>\n");
    write_buf("attr.xml", &b);
    assert_plan_fails("attr.xml",
                      "attr.xml:4: error: unit \"kjj\": name is 1,001 characters long; it may be "
                      "at most 1,000\n"
                      "attr.xml:7: error: task 139: owners is 199,999 characters long; it may be "
                      "at most 100,000\n");
    unlink("attr.xml");
}

/* 2,000 units, 50,000 tasks in a plan. */
static void units_and_tasks(void **state)
{
    (void)state;
    for (long extra = 0; extra <= 1; extra++) {
        buf b = {0};
        addf(&b, "%s%s<units>\n", decl, plan_head); /* <units> is line 3 */
        for (long i = 1; i <= LG_MAX_UNITS + extra; i++)
            addf(&b, "<unit id=\"u%ld\" name=\"单位%ld\"/>\n", i, i);
        ADDS(&b, "</units>\n<tasks>\n");
        for (long i = 1; i <= LG_MAX_TASKS + extra; i++)
            addf(&b, "<task no=\"%ld\" owners=\"u%ld\" due=\"ongoing\">任务。</task>\n", i,
                 i % LG_MAX_UNITS + 1);
        ADDS(&b, "</tasks>\n</plan>\n");
        write_buf("many.xml", &b);
        if (!extra) {
            assert_plan_loads("many.xml");
            continue;
        }
        /* unit 2,001 is on line 3 + 2,001; task 50,001 two lines after the units */
        char *expected = lg_xasprintf(
            "many.xml:%ld: error: the plan has more than 2,000 units, the most ledgerc takes; "
            "a province has about 400\n"
            "many.xml:%ld: error: the plan has more than 50,000 tasks, the most ledgerc takes; "
            "a province has about 3,000\n",
            3 + LG_MAX_UNITS + 1, 3 + LG_MAX_UNITS + 1 + 2 + LG_MAX_TASKS + 1);
        assert_plan_fails("many.xml", expected);
        free(expected);
    }
    unlink("many.xml");
}

/* 100,000 ledger rows: a task counts once per owner, a shared one per unit. */
static void ledger_rows(void **state)
{
    (void)state;
    for (long extra = 0; extra <= 1; extra++) {
        buf b = {0};
        addf(&b, "%s%s<units>\n", decl, plan_head);
        for (int i = 1; i <= 100; i++)
            addf(&b, "<unit id=\"u%d\" name=\"单位%d\"/>\n", i, i);
        ADDS(&b, "</units>\n<tasks>\n");
        /* 999 shared tasks (99,900 rows), then 100 + EXTRA rows of one owner each */
        for (int i = 1; i <= 999; i++)
            addf(&b, "<task no=\"%d\" owners=\"*\" due=\"ongoing\">任务。</task>\n", i);
        for (int i = 1; i <= 100 + extra; i++)
            addf(&b, "<task no=\"%d\" owners=\"u%d\" due=\"ongoing\">任务。</task>\n", 1000 + i,
                 i % 100 + 1);
        ADDS(&b, "</tasks>\n</plan>\n");
        write_buf("rows.xml", &b);
        if (!extra) {
            assert_plan_loads("rows.xml");
            continue;
        }
        /* the 1,100th task is on line 3 + 100 units + 2 + 1,100 */
        assert_plan_fails("rows.xml",
                          "rows.xml:1205: error: with this task the plan makes more than "
                          "100,000 ledger rows, the most ledgerc builds (a task makes a row for "
                          "each owner, owners=\"*\" one for each unit); a province's plan makes "
                          "about 45,000\n");
    }
    unlink("rows.xml");
}

/* 50,000 entries in a report. */
static void entries(void **state)
{
    (void)state;
    char *dir = reports_dir("entries");
    char *path = lg_xasprintf("%s/kjj.xml", dir);
    buf b = {0};
    addf(&b, "%s<report unit=\"kjj\" period=\"2022-10\">\n", decl);
    for (long i = 0; i <= LG_MAX_ENTRIES; i++)
        ADDS(&b, "<entry task=\"139\" on-schedule=\"yes\"><progress/><plan/><remark/></entry>\n");
    ADDS(&b, "</report>\n");
    write_buf(path, &b);
    lg_diags d = {0};
    lg_plan *p = lg_plan_load(LG_TEST_DATA "/good/plan.xml", &d);
    lg_month_load(p, "entries", 2022, 10, &d);
    /* the entries are all for task 139, and so are listed as second entries
     * up to the limit of messages; the limit of entries comes last, by line */
    char *got = diags_text(&d);
    assert_non_null(strstr(got, "entries/reports/2022-10/kjj.xml:50003: error: the report has "
                                "more than 50,000 entries, the most ledgerc takes (a plan has "
                                "at most 50,000 tasks)\n"));
    free(got);
    lg_plan_free(p);
    lg_diags_free(&d);
    unlink(path);
    free(path);
    free(dir);
}

/* 500,000 elements a file: stopped while parsing, before the tree is built. */
static void elements(void **state)
{
    (void)state;
    char *dir = reports_dir("elements");
    char *path = lg_xasprintf("%s/kjj.xml", dir);
    buf b = {0};
    addf(&b, "%s<report unit=\"kjj\" period=\"2022-10\">\n<entry task=\"139\" "
             "on-schedule=\"yes\">\n<progress>\n",
         decl);
    /* elements 1-3 are above; the 500,001st is the 499,998th <p/>, on line 4 + 499,998 */
    repeat(&b, "<p/>\n", (size_t)LG_MAX_ELEMENTS);
    ADDS(&b, "</progress>\n<plan/>\n<remark/>\n</entry>\n</report>\n");
    write_buf(path, &b);
    assert_month_fails("elements",
                       "elements/reports/2022-10/kjj.xml:500002: error: the file has more than "
                       "500,000 elements, the most ledgerc reads in one file; a province's plan "
                       "or report has far fewer: is it the right file?\n");
    unlink(path);
    free(path);
    free(dir);
}

/* 50 attributes a tag: libxml2 2.9's duplicate check grows with their square. */
static void attributes(void **state)
{
    (void)state;
    buf b = {0};
    addf(&b, "%s<plan year=\"2022\" title=\"t\"\n", decl);
    for (int i = 0; i < 200000; i++)
        addf(&b, " a%d=\"\"", i);
    ADDS(&b, ">\n</plan>\n");
    write_buf("attrs.xml", &b);
    assert_plan_fails("attrs.xml", "attrs.xml:2: error: a tag on this line has more than 50 "
                                   "attributes, the most ledgerc reads; ledger elements have at "
                                   "most 5\n");
    unlink("attrs.xml");
}

/* 1,000 problems a file, then one line saying that more may follow. */
static void errors_per_file(void **state)
{
    (void)state;
    buf b = {0};
    addf(&b, "%s%s%s<tasks>\n", decl, plan_head, units_kjj);
    for (int i = 1; i <= 1500; i++)
        addf(&b, "<task no=\"%d\" owners=\"kjj\" due=\"soon\">任务。</task>\n", i);
    ADDS(&b, "</tasks>\n</plan>\n");
    write_buf("errors.xml", &b);
    lg_diags d = {0};
    assert_null(lg_plan_load("errors.xml", &d));
    assert_int_equal(d.count, LG_MAX_ERRORS_PER_FILE + 1);
    char *last = lg_diag_format(&d.items[d.count - 1]);
    assert_string_equal(last, "errors.xml: error: more problems may follow: ledgerc lists at "
                              "most 1,000 for one file; correct these and run again");
    free(last);
    char *first = lg_diag_format(&d.items[0]);
    assert_string_equal(first, "errors.xml:7: error: task 1: due \"soon\" is not a due date; "
                               "write \"ongoing\", a month as YYYY-MM (e.g. \"2022-12\") or a "
                               "year as YYYY (e.g. \"2023\")");
    free(first);
    lg_diags_free(&d);
    unlink("errors.xml");
}

/* 512 MB the reports of a month together. */
static void month_size(void **state)
{
    (void)state;
    char *dir = reports_dir("month");
    /* sparse files of 70 MB: each is too large by itself, and the eighth
     * passes 512 MB; the ninth is not read */
    const char *names[] = {"a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9"};
    char *expected = lg_xstrdup("");
    for (size_t i = 0; i < 9; i++) {
        char *path = lg_xasprintf("%s/%s.xml", dir, names[i]);
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        fclose(f);
        assert_int_equal(truncate(path, 70L * 1024 * 1024), 0);
        char *line =
            i < 7 ? lg_xasprintf("%s:1: error: the file is larger than 64 MB, the most ledgerc "
                                 "reads (it passes 64 MB on this line); ledger input is far "
                                 "smaller: is it the right file?\n",
                                 path)
            : i == 7 ? lg_xasprintf("%s:1: error: with this file the reports of 2022-10 are "
                                    "larger than 512 MB together, the most ledgerc reads for a "
                                    "month; a province's reports take a few megabytes: is it "
                                    "the right folder?\n",
                                    path)
                     : lg_xstrdup("");
        char *e = lg_xasprintf("%s%s", expected, line);
        free(expected);
        free(line);
        expected = e;
        free(path);
    }
    assert_month_fails("month", expected);
    free(expected);
    for (size_t i = 0; i < 9; i++) {
        char *path = lg_xasprintf("%s/%s.xml", dir, names[i]);
        unlink(path);
        free(path);
    }
    free(dir);
}

/* The template is read through the same reader, with the same limits. */
static void template_limits(void **state)
{
    (void)state;
    buf b = {0};
    addf(&b, "%s<template>\n", decl);
    repeat(&b, "<x>", 300);
    ADDS(&b, "\n</template>\n");
    write_buf("deep.xml", &b);
    lg_diags d = {0};
    assert_null(lg_template_load("deep.xml", &d));
    assert_diags(&d, "deep.xml:3: error: elements are nested more than 256 levels deep here, "
                     "the most the XML reader takes; ledger input nests at most 4 levels\n");
    lg_diags_free(&d);
    unlink("deep.xml");
}

/* Removes the folder DIR and what the tests left in it. */
static void remove_tree(const char *dir)
{
    char *cmd = lg_xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    free(cmd);
}

int main(void)
{
    lg_xml_init();
    const char *tmp = getenv("TMPDIR");
    char *dir = lg_xasprintf("%s/ledgerc-limits-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir) || chdir(dir) != 0) {
        perror(dir);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(file_size),        cmocka_unit_test(text_node_20mb),
        cmocka_unit_test(text_length),      cmocka_unit_test(attribute_length),
        cmocka_unit_test(units_and_tasks),  cmocka_unit_test(ledger_rows),
        cmocka_unit_test(entries),          cmocka_unit_test(elements),
        cmocka_unit_test(attributes),       cmocka_unit_test(errors_per_file),
        cmocka_unit_test(month_size),       cmocka_unit_test(template_limits),
    };
    int failed = cmocka_run_group_tests_name("limits", tests, NULL, NULL);
    if (chdir("/") != 0)
        perror("/");
    remove_tree(dir);
    free(dir);
    return failed ? 1 : 0;
}
