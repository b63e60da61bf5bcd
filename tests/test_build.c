/* The pipeline (build.c) on tests/data/check for 2022-10: which files a build
 * writes for which views and formats, and nothing else; the month's warnings,
 * ordered by unit; the same bytes with one worker and with two; an input
 * error writes nothing and leaves earlier outputs as they were; and
 * SOURCE_DATE_EPOCH. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, open_memstream, setenv */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "lgtest.h"
#include "arena.h"
#include "build.h"
#include "xmlload.h"

typedef struct fixture {
    char dir[64];
} fixture;

static int setup(void **state)
{
    lg_xml_init();
    fixture *f = calloc(1, sizeof *f);
    strcpy(f->dir, "/tmp/test_build.XXXXXX");
    *state = f;
    return mkdtemp(f->dir) ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (getenv("LG_TEST_KEEP")) /* LG_TEST_KEEP=1 keeps the files to look at */
        fprintf(stderr, "kept %s\n", f->dir);
    else
        lgt_sh("rm -rf '%s'", f->dir);
    free(f);
    return 0;
}

/* Builds the check month into F->dir/NAME; returns lg_build's result and
 * puts what it logged in *LOG (the caller frees). */
static bool build(fixture *f, const char *name, int year, unsigned formats, unsigned views,
                  unsigned jobs, lg_diags *d, char **log)
{
    char *out = lg_xasprintf("%s/%s", f->dir, name);
    size_t len;
    FILE *logf = open_memstream(log, &len);
    lg_build_opts o = {.input_dir = LG_TEST_DATA "/check",
                       .template_path = LG_SOURCE_DIR "/templates/ledger.xml",
                       .out_dir = out, .year = year, .month = 10, .formats = formats,
                       .views = views, .created = 1667260800, .jobs = jobs, .log = logf};
    bool ok = lg_build(&o, d);
    fclose(logf);
    free(out);
    return ok;
}

/* Every view, both formats: the two ledgers and each unit's, listed in the
 * log, and the folder's month (.ledgerc-month), no other file (no temporary
 * one) in the folder; the warnings of `ledgerc check`, in unit order. */
static void whole_month(void **state)
{
    fixture *f = *state;
    lg_diags d = {0};
    char *log;
    assert_true(build(f, "all", 2022, LG_FORMAT_XLSX | LG_FORMAT_PDF, LG_VIEW_ALL, 1, &d, &log));
    assert_int_equal(lg_diags_count(&d, LG_ERROR), 0);
    char *files = lgt_run("cd '%s/all' && find . -type f | sort", f->dir);
    assert_string_equal(files, "./.ledgerc-month\n./SHA256SUMS\n./ledger.pdf\n./ledger.xlsx\n"
                               "./units/a.pdf\n./units/a.xlsx\n./units/b.pdf\n./units/b.xlsx\n"
                               "./units/c.pdf\n./units/c.xlsx\n");
    free(files);
    /* the manifest lists every other file, with its checksum */
    char *sums = lgt_run("cd '%s/all' && sha256sum --strict -c SHA256SUMS", f->dir);
    assert_string_equal(sums, "ledger.pdf: OK\nledger.xlsx: OK\nunits/a.pdf: OK\nunits/a.xlsx: OK\n"
                              "units/b.pdf: OK\nunits/b.xlsx: OK\nunits/c.pdf: OK\nunits/c.xlsx: OK\n");
    free(sums);
    /* the log lists the same files */
    char *sorted = lg_xasprintf("%s/log", f->dir);
    FILE *lf = fopen(sorted, "w");
    fputs(log, lf);
    fclose(lf);
    char *listed = lgt_run("sed 's|^%s/all/|./|' '%s' | sort", f->dir, sorted);
    assert_string_equal(listed, "./ledger.pdf\n./ledger.xlsx\n./units/a.pdf\n./units/a.xlsx\n"
                                "./units/b.pdf\n./units/b.xlsx\n./units/c.pdf\n./units/c.xlsx\n");
    free(listed);
    free(sorted);
    free(log);
    static const char *const kinds[] = {"stale",          "behind-no-remark", "overdue",
                                        "missing-entry",  "empty-progress",   "missing-glyph",
                                        "missing-report"};
    static const char *const units[] = {"a", "a", "a", "a", "b", "b", "c"};
    assert_int_equal(d.count, 7);
    for (size_t i = 0; i < 7; i++) {
        assert_int_equal(d.items[i].severity, LG_WARNING);
        assert_string_equal(d.items[i].kind, kinds[i]);
        assert_string_equal(d.items[i].unit, units[i]);
    }
    /* the workbook's sheets, in order */
    char *sheets = lgt_run("unzip -p '%s/all/ledger.xlsx' xl/workbook.xml | grep -o '<sheet name=\"[^\"]*\"'",
                       f->dir);
    assert_string_equal(sheets, "<sheet name=\"通报\"\n<sheet name=\"汇总\"\n<sheet name=\"各单位序时进度达标率\"\n"
                                "<sheet name=\"年度趋势\"\n<sheet name=\"各单位序时进度达标率年度趋势\"\n"
                                "<sheet name=\"全市台账\"\n<sheet name=\"分单位台账\"\n"
                                "<sheet name=\"数据\"\n<sheet name=\"问题清单\"\n");
    free(sheets);
    lg_diags_free(&d);
}

/* Only what was asked for: the summary as XLSX is ledger.xlsx alone, with
 * the summary, its chart and the problem list. */
static void chosen_views_and_formats(void **state)
{
    fixture *f = *state;
    lg_diags d = {0};
    char *log;
    assert_true(build(f, "summary", 2022, LG_FORMAT_XLSX, LG_VIEW_SUMMARY, 1, &d, &log));
    char *want = lg_xasprintf("%s/summary/ledger.xlsx\n", f->dir);
    assert_string_equal(log, want);
    free(want);
    free(log);
    char *files = lgt_run("cd '%s/summary' && find . -type f | sort", f->dir);
    assert_string_equal(files, "./.ledgerc-month\n./SHA256SUMS\n./ledger.xlsx\n");
    free(files);
    char *sheets = lgt_run("unzip -p '%s/summary/ledger.xlsx' xl/workbook.xml | grep -o '<sheet name=\"[^\"]*\"'",
                       f->dir);
    assert_string_equal(sheets, "<sheet name=\"通报\"\n<sheet name=\"汇总\"\n<sheet name=\"各单位序时进度达标率\"\n"
                                "<sheet name=\"年度趋势\"\n<sheet name=\"各单位序时进度达标率年度趋势\"\n"
                                "<sheet name=\"问题清单\"\n");
    free(sheets);
    lg_diags_free(&d);

    assert_true(build(f, "units", 2022, LG_FORMAT_PDF, LG_VIEW_UNITS, 1, &d, &log));
    free(log);
    files = lgt_run("cd '%s/units' && find . -type f | sort", f->dir);
    assert_string_equal(files, "./.ledgerc-month\n./SHA256SUMS\n./units/a.pdf\n./units/b.pdf\n./units/c.pdf\n");
    free(files);
    lg_diags_free(&d);
}

/* One worker or two (in the sanitizer build both run in one process, see
 * build.c): every file the same, byte for byte. */
static void same_bytes_whatever_the_workers(void **state)
{
    fixture *f = *state;
    lg_diags d = {0};
    char *log;
    assert_true(build(f, "one", 2022, LG_FORMAT_XLSX | LG_FORMAT_PDF, LG_VIEW_ALL, 1, &d, &log));
    free(log);
    lg_diags_free(&d); /* the problem list is every diagnostic in D */
    assert_true(build(f, "two", 2022, LG_FORMAT_XLSX | LG_FORMAT_PDF, LG_VIEW_ALL, 2, &d, &log));
    free(log);
    lgt_sh("diff -r '%s/one' '%s/two'", f->dir, f->dir);
    lg_diags_free(&d);
}

/* An error in the input (a period outside the plan's year): nothing is
 * written, the earlier outputs are as they were, the message says what to do. */
static void input_error_writes_nothing(void **state)
{
    fixture *f = *state;
    lg_diags d = {0};
    char *log;
    assert_true(build(f, "out", 2022, LG_FORMAT_XLSX, LG_VIEW_ALL, 1, &d, &log));
    free(log);
    lg_diags_free(&d);
    char *before = lgt_run("cd '%s/out' && find . -type f | sort | xargs sha256sum", f->dir);
    assert_false(build(f, "out", 2023, LG_FORMAT_XLSX, LG_VIEW_ALL, 1, &d, &log));
    assert_string_equal(log, "");
    free(log);
    assert_int_equal(lg_diags_count(&d, LG_ERROR), 1);
    char *msg = lg_diag_format(&d.items[0]);
    assert_string_equal(msg, LG_TEST_DATA "/check/plan.xml: error: the plan is for 2022 but the "
                             "period asked for is 2023-10; give a period of the plan's year, "
                             "or the plan of 2023");
    free(msg);
    char *after = lgt_run("cd '%s/out' && find . -type f | sort | xargs sha256sum", f->dir);
    assert_string_equal(after, before);
    free(after);
    free(before);
    lg_diags_free(&d);
}

static void source_date_epoch(void **state)
{
    (void)state;
    lg_diags d = {0};
    time_t t = 0;
    setenv("SOURCE_DATE_EPOCH", "1667260800", 1);
    assert_true(lg_build_time(&t, &d));
    assert_int_equal(t, 1667260800);
    setenv("SOURCE_DATE_EPOCH", "2022-11-01", 1);
    assert_false(lg_build_time(&t, &d));
    char *msg = lg_diag_format(&d.items[0]);
    assert_string_equal(msg, "ledgerc: error: SOURCE_DATE_EPOCH=\"2022-11-01\" is not a number "
                             "of seconds since 1970; set it to one (e.g. $(date +%s)) or unset it");
    free(msg);
    unsetenv("SOURCE_DATE_EPOCH");
    time_t before = time(NULL);
    assert_true(lg_build_time(&t, &d));
    assert_true(t >= before && t <= time(NULL));
    assert_int_equal(d.count, 1);
    lg_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(whole_month, setup, teardown),
        cmocka_unit_test_setup_teardown(chosen_views_and_formats, setup, teardown),
        cmocka_unit_test_setup_teardown(same_bytes_whatever_the_workers, setup, teardown),
        cmocka_unit_test_setup_teardown(input_error_writes_nothing, setup, teardown),
        cmocka_unit_test(source_date_epoch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
