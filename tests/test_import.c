/* `ledgerc import` (import.c): forms written by lg_forms for tests/data/check,
 * filled in by python3-openpyxl as a unit's program would, read back into
 * reports: the report's exact text, the messages (form, sheet, cell) of a
 * bad 是否 cell, a changed locked cell, a form of another month, and the
 * writing: a report replaced only with force, the old one kept. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, popen */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lgtest.h"
#include "arena.h"
#include "forms.h"
#include "import.h"
#include "load.h"
#include "xmlload.h"

#ifndef LG_PYTHON
#define LG_PYTHON "/usr/bin/python3"
#endif

typedef struct fixture {
    char dir[64];
    char *input;   /* a copy of tests/data/check's plan, without reports */
    char *form;    /* 市甲局's empty form for 2022-11 */
    lg_plan *plan;
} fixture;

static int setup(void **state)
{
    lg_xml_init();
    fixture *f = calloc(1, sizeof *f);
    strcpy(f->dir, "/tmp/test_import.XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    f->input = lg_xasprintf("%s/in", f->dir);
    lgt_sh("mkdir '%s' && cp " LG_TEST_DATA "/check/plan.xml '%s/'", f->input, f->input);
    lg_diags d = {0};
    char *out = lg_xasprintf("%s/out", f->dir);
    lg_forms_opts o = {.input_dir = LG_TEST_DATA "/check",
                       .template_path = LG_SOURCE_DIR "/templates/ledger.xml",
                       .out_dir = out, .year = 2022, .month = 11, .created = 1667260800};
    bool ok = lg_forms(&o, &d);
    char *plan = lg_xasprintf("%s/plan.xml", f->input);
    f->plan = lg_plan_load(plan, &d);
    lg_diags_print(&d, stderr);
    lg_diags_free(&d);
    free(plan);
    f->form = lg_xasprintf("%s/forms/a.xlsx", out);
    free(out);
    *state = f;
    return ok && f->plan ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (getenv("LG_TEST_KEEP"))
        fprintf(stderr, "kept %s\n", f->dir);
    else
        lgt_sh("rm -rf '%s'", f->dir);
    lg_plan_free(f->plan);
    free(f->input);
    free(f->form);
    free(f);
    return 0;
}

/* Fills in F's form as NAME.xlsx: CELLS are "A1=text" pairs on sheet 市甲局
 * (text may hold line breaks). Returns its path; the caller frees. */
static char *fill(fixture *f, const char *name, const char *const *cells, size_t n)
{
    char *path = lg_xasprintf("%s/%s.xlsx", f->dir, name);
    char *args = lg_xstrdup("");
    for (size_t i = 0; i < n; i++) {
        char *next = lg_xasprintf("%s '%s'", args, cells[i]);
        free(args);
        args = next;
    }
    lgt_sh(LG_PYTHON " -c 'import sys, openpyxl\n"
                 "wb = openpyxl.load_workbook(sys.argv[1])\n"
                 "for a in sys.argv[3:]:\n"
                 "    ref, v = a.split(\"=\", 1)\n"
                 "    wb[\"市甲局\"][ref].value = v\n"
                 "wb.save(sys.argv[2])' '%s' '%s'%s",
       f->form, path, args);
    free(args);
    return path;
}

/* The form's rows: task 1 on row 3, 2 on row 4, 4 on row 5; columns D to H
 * are 进展情况, 存在问题, 下个月工作计划, 是否达到序时进度, 备注 (the plan has no
 * targets: no 目标 and 累计完成). */
static const char *const filled[] = {
    "D3=第一段。\n第二段。", "F3=继续推进。", "G3=是",
    "D4=推进中。",          "E4=资金到位慢。", "F4=加快推进。", "G4=否", "H4=资金未到位。",
};

static char *messages(const lg_diags *d)
{
    char *all = lg_xstrdup("");
    for (size_t i = 0; i < d->count; i++) {
        char *m = lg_diag_format(&d->items[i]);
        char *next = lg_xasprintf("%s%s\n", all, m);
        free(all);
        free(m);
        all = next;
    }
    return all;
}

/* The report made from a filled-in form: every filled cell, line breaks as
 * paragraphs; the task left empty is a warning naming its cell, and is left
 * out. */
static void form_to_report(void **state)
{
    fixture *f = *state;
    char *form = fill(f, "filled", filled, sizeof filled / sizeof filled[0]);
    lg_diags d = {0};
    const lg_unit *u = NULL;
    int year = 0, month = 0;
    char *xml = lg_import_form(f->plan, form, NULL, &u, &year, &month, &d);
    assert_non_null(xml);
    assert_string_equal(u->id, "a");
    assert_int_equal(year, 2022);
    assert_int_equal(month, 11);
    assert_string_equal(xml,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<!-- Imported by ledgerc from a filled-in form (ledgerc import). -->\n"
        "<report unit=\"a\" period=\"2022-11\" form=\"filled.xlsx\" sheet=\"市甲局\">\n"
        "  <entry task=\"1\" on-schedule=\"yes\" cell=\"D3\">\n"
        "    <progress>\n"
        "      <p>第一段。</p>\n"
        "      <p>第二段。</p>\n"
        "    </progress>\n"
        "    <plan>继续推进。</plan>\n"
        "    <remark/>\n"
        "  </entry>\n"
        "  <entry task=\"2\" on-schedule=\"no\" cell=\"D4\">\n"
        "    <progress>推进中。</progress>\n"
        "    <problems>资金到位慢。</problems>\n"
        "    <plan>加快推进。</plan>\n"
        "    <remark>资金未到位。</remark>\n"
        "  </entry>\n"
        "</report>\n");
    char *got = messages(&d);
    char *want = lg_xasprintf(
        "%s: warning: sheet \"市甲局\", cell D5: task 4 was not filled in; it is left out of "
        "the report, and the ledger shows 未报送\n",
        form);
    assert_string_equal(got, want);
    free(want);
    free(got);
    free(xml);
    free(form);
    lg_diags_free(&d);
}

/* Bad cells: each an error naming the form, sheet and cell; no report. */
static void bad_cells_named(void **state)
{
    fixture *f = *state;
    const char *const cells[] = {"D3=推进。", "F3=继续。", "G3=基本是",
                                 "A4=2.改过的任务。", "D4=推进。", "F4=继续。", "G4=是"};
    char *form = fill(f, "bad", cells, sizeof cells / sizeof cells[0]);
    lg_diags d = {0};
    const lg_unit *u = NULL;
    int year = 0, month = 0;
    assert_null(lg_import_form(f->plan, form, NULL, &u, &year, &month, &d));
    char *got = messages(&d);
    char *want = lg_xasprintf(
        "%s: error: sheet \"市甲局\", cell G3: task 1: 是否达到序时进度 is \"基本是\"; write 是, "
        "否 or 已完成 (or choose one from the drop-down)\n"
        "%s: error: sheet \"市甲局\", cell A4: task 2: 工作任务 was changed to \"2.改过的任务。\"; "
        "it is locked and must read \"2.上半年完成的任务。\" as in the plan; undo the change, or "
        "fill in a new form\n"
        "%s: warning: sheet \"市甲局\", cell D5: task 4 was not filled in; it is left out of "
        "the report, and the ledger shows 未报送\n",
        form, form, form);
    assert_string_equal(got, want);
    free(want);
    free(got);
    free(form);
    lg_diags_free(&d);
}

/* --period: a form of another month is refused, naming where it says so. */
static void other_month_refused(void **state)
{
    fixture *f = *state;
    char *form = fill(f, "november", filled, sizeof filled / sizeof filled[0]);
    lg_import_opts o = {.input_dir = f->input, .year = 2022, .month = 12};
    lg_diags d = {0};
    const lg_unit *u = NULL;
    int year = 0, month = 0;
    assert_null(lg_import_form(f->plan, form, &o, &u, &year, &month, &d));
    assert_int_equal(lg_diags_count(&d, LG_ERROR), 1);
    assert_string_equal(d.items[0].kind, "form-period");
    assert_string_equal(d.items[0].file, form);
    assert_non_null(strstr(d.items[0].message, "2022-11"));
    assert_non_null(strstr(d.items[0].message, "2022-12"));
    free(form);
    lg_diags_free(&d);
}

static char *slurp(const char *path)
{
    FILE *in = fopen(path, "rb");
    if (!in)
        return NULL;
    char *buf = lg_xcalloc(1, 65536);
    size_t n = fread(buf, 1, 65535, in);
    buf[n] = '\0';
    fclose(in);
    return buf;
}

/* lg_import writes the report under reports/2022-11/; a different form for
 * the same month is refused (and nothing changes) unless forced, and then
 * the old report is kept as .bak-1. */
static void import_writes_replaces_only_with_force(void **state)
{
    fixture *f = *state;
    char *first = fill(f, "first", filled, sizeof filled / sizeof filled[0]);
    const char *const changed_cells[] = {"D3=改过的进展。", "F3=继续推进。", "G3=否"};
    char *second = fill(f, "second", changed_cells, 3);
    char *report = lg_xasprintf("%s/reports/2022-11/a.xml", f->input);
    lg_import_opts o = {.input_dir = f->input};
    lg_diags d = {0};
    assert_true(lg_import(&o, (const char *const[]){first}, 1, NULL, &d));
    assert_int_equal(lg_diags_count(&d, LG_ERROR), 0);
    char *before = slurp(report);
    assert_non_null(before);
    assert_non_null(strstr(before, "<remark>资金未到位。</remark>"));

    lg_diags_free(&d);
    assert_false(lg_import(&o, (const char *const[]){second}, 1, NULL, &d));
    char *got = messages(&d);
    char *want = lg_xasprintf("%s: error: the report of 2022-11, %s, is already there and "
                              "says otherwise; to replace it, import with --force --period "
                              "2022-11 (the old report is kept as %s.bak-N)\n",
                              second, report, report);
    assert_non_null(strstr(got, want));
    char *now = slurp(report);
    assert_string_equal(now, before);
    free(now);
    free(want);
    free(got);

    /* --force alone does not name the month */
    lg_diags_free(&d);
    o.force = true;
    assert_false(lg_import(&o, (const char *const[]){second}, 1, NULL, &d));
    now = slurp(report);
    assert_string_equal(now, before);
    free(now);
    char *bak0 = lg_xasprintf("%s.bak-1", report);
    assert_null(slurp(bak0));
    free(bak0);

    lg_diags_free(&d);
    o.year = 2022;
    o.month = 11;
    assert_true(lg_import(&o, (const char *const[]){second}, 1, NULL, &d));
    char *bak = lg_xasprintf("%s.bak-1", report);
    char *kept = slurp(bak);
    assert_non_null(kept);
    assert_string_equal(kept, before);
    now = slurp(report);
    assert_non_null(strstr(now, "<progress>改过的进展。</progress>"));
    assert_non_null(strstr(now, "<entry task=\"1\" on-schedule=\"no\" cell=\"D3\">"));
    free(now);
    free(kept);
    free(bak);
    free(before);
    free(report);
    free(first);
    free(second);
    lg_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(form_to_report, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_cells_named, setup, teardown),
        cmocka_unit_test_setup_teardown(other_month_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(import_writes_replaces_only_with_force, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
