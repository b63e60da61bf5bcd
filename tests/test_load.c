/* Loader tests: the seed month (input/) and tests/data/good load into the model
 * they describe; every file under tests/data/bad fails with exactly the
 * diagnostics written beside it.
 *
 * Bad cases, found by listing tests/data/bad (with it as the working
 * directory, so that paths in messages are short and stable):
 *   NAME.xml      a plan; NAME.expected holds the diagnostics of lg_plan_load
 *   NAME/         a folder NAME/reports/2022-10/ of reports against the good
 *                 plan; NAME.expected holds the diagnostics of lg_month_load */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen */
#include <dirent.h>
#include <limits.h>
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

#include "load.h"
#include "xmlload.h"

#define GOOD LG_TEST_DATA "/good"
#define BAD LG_TEST_DATA "/bad"

/* Every diagnostic in D as lg_diags_print writes it. The caller frees. */
static char *diags_text(const lg_diags *d)
{
    char *out = lg_xstrdup("");
    for (size_t i = 0; i < d->count; i++) {
        char *line = lg_diag_format(&d->items[i]);
        char *next = lg_xasprintf("%s%s\n", out, line);
        free(line);
        free(out);
        out = next;
    }
    return out;
}

/* The whole file, or NULL. The caller frees. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0, n;
    do {
        if (cap - len < 4096)
            buf = lg_xrealloc(buf, cap = cap * 2 + 4096);
        n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
    } while (n > 0);
    fclose(f);
    buf[len] = '\0';
    return buf;
}

static void assert_no_diags(const lg_diags *d)
{
    if (d->count) {
        char *s = diags_text(d);
        print_error("unexpected diagnostics:\n%s", s);
        free(s);
        fail();
    }
}

static const lg_task *task(const lg_plan *p, long no)
{
    const lg_task *t = lg_plan_find_task(p, no);
    assert_non_null(t);
    return t;
}

static const lg_entry *entry(const lg_report *r, long no)
{
    const lg_entry *e = lg_report_find_entry(r, no);
    assert_non_null(e);
    return e;
}

/* The seed ledger's example: what the unit ledger of kjj is built from. */
static void seed_example(void **state)
{
    (void)state;
    lg_diags d = {0};
    lg_plan *p = lg_plan_load(LG_SOURCE_DIR "/input/plan.xml", &d);
    assert_no_diags(&d);
    assert_non_null(p);
    assert_int_equal(p->year, 2022);
    assert_string_equal(p->title, "2022年度《政府工作报告》落实情况台账");
    assert_int_equal(p->n_units, 1);
    assert_string_equal(p->units[0].id, "kjj");
    assert_string_equal(p->units[0].name, "市科技局");
    assert_int_equal(p->n_tasks, 11);
    for (size_t i = 1; i < p->n_tasks; i++)
        assert_true(p->tasks[i - 1].no < p->tasks[i].no);
    assert_string_equal(task(p, 139)->due_label, "2022年12月底前");
    assert_string_equal(task(p, 1)->owner_label, "市直政府系统各单位");
    assert_true(task(p, 1)->shared);
    assert_string_equal(task(p, 1)->due_label, "长期推进");
    assert_string_equal(task(p, 140)->due_label, "2024年12月底前");
    assert_string_equal(task(p, 145)->owner_label, "市科技局");
    assert_string_equal(task(p, 145)->text, "全社会研发经费投入强度达到1.41%。");

    lg_month *m = lg_month_load(p, LG_SOURCE_DIR "/input", 2022, 10, &d);
    assert_no_diags(&d);
    assert_non_null(m);
    const lg_report *r = m->reports[0];
    assert_non_null(r);
    assert_ptr_equal(r->unit, &p->units[0]);
    assert_int_equal(r->year, 2022);
    assert_int_equal(r->month, 10);
    assert_int_equal(r->n_entries, 11);
    const lg_entry *e = entry(r, 145);
    assert_string_equal(e->progress, "目前，2022年市级科技计划项目已申报211项，正在持续组织企业"
                                     "积极申报，引导加大研发投入。");
    assert_string_equal(e->plan, "持续推进市级科技计划项目申报工作，申报工作结束后将按程序组织"
                             "项目立项。");
    assert_string_equal(e->remark, "");
    assert_true(e->on_schedule);
    assert_false(e->completed);
    /* full-width digits are text, kept as written */
    assert_non_null(strstr(entry(r, 139)->progress, "８个关键技术需求"));
    lg_plan_free(p);
    lg_diags_free(&d);
}

static void good_plan(void **state)
{
    (void)state;
    lg_diags d = {0};
    lg_plan *p = lg_plan_load(GOOD "/plan.xml", &d);
    assert_no_diags(&d);
    assert_non_null(p);
    assert_string_equal(p->file, GOOD "/plan.xml");
    assert_int_equal(p->n_units, 3);
    assert_string_equal(p->units[1].id, "fgw");
    assert_int_equal(p->units[1].index, 1);
    assert_int_equal(p->units[1].line, 7);

    /* written 150, 1, 139, 160, 170: stored by number */
    long order[] = {1, 139, 150, 160, 170};
    assert_int_equal(p->n_tasks, 5);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(p->tasks[i].no, order[i]);

    const lg_task *t = task(p, 1);
    assert_true(t->shared);
    assert_int_equal(t->due_kind, LG_DUE_ONGOING);
    assert_string_equal(t->due_label, "长期推进");
    assert_int_equal(t->line, 12);

    t = task(p, 139);
    assert_false(t->shared);
    assert_int_equal(t->n_owners, 1);
    assert_string_equal(t->owners[0]->id, "kjj");
    assert_string_equal(t->owner_label, "市科技局");
    assert_int_equal(t->due_kind, LG_DUE_MONTH);
    assert_int_equal(t->due_year, 2022);
    assert_int_equal(t->due_month, 12);
    assert_string_equal(t->due_label, "2022年12月底前");
    assert_string_equal(t->text, "落实好“揭榜挂帅”制，技术合同年交易额超过４０亿元（ASCII run: "
                                 "R&D 1.41%）。");

    t = task(p, 150); /* given labels win over derived ones */
    assert_string_equal(t->due_label, "2023年内完成主体工程");
    assert_string_equal(t->owner_label, "市发展改革委、市科技局");
    assert_true(lg_task_owned_by(t, lg_plan_find_unit(p, "kjj")));
    assert_false(lg_task_owned_by(t, lg_plan_find_unit(p, "jyj")));

    t = task(p, 160); /* owners in the order written, not the order of <units> */
    assert_int_equal(t->due_kind, LG_DUE_YEAR);
    assert_int_equal(t->due_year, 2023);
    assert_int_equal(t->due_month, 12);
    assert_string_equal(t->due_label, "2023年底前");
    assert_string_equal(t->owner_label, "市教育局、市发展改革委");

    t = task(p, 170); /* no leading zero in the month; text trimmed */
    assert_string_equal(t->due_label, "2022年6月底前");
    assert_string_equal(t->text, "落实《中华人民共和国教育法》，推进“双减”工作。");
    lg_plan_free(p);
    lg_diags_free(&d);
}

static void good_month(void **state)
{
    (void)state;
    lg_diags d = {0};
    lg_plan *p = lg_plan_load(GOOD "/plan.xml", &d);
    assert_non_null(p);
    /* the folder also holds README.txt and ._kjj.xml, which are skipped */
    lg_month *m = lg_month_load(p, GOOD "/", 2022, 10, &d);
    assert_no_diags(&d);
    assert_non_null(m);
    assert_ptr_equal(m->plan, p);
    assert_int_equal(m->year, 2022);
    assert_int_equal(m->month, 10);

    const lg_report *kjj = m->reports[0], *fgw = m->reports[1];
    assert_non_null(kjj);
    assert_non_null(fgw);
    assert_null(m->reports[2]); /* jyj sent nothing: not an error */
    assert_string_equal(kjj->file, GOOD "/reports/2022-10/kjj.xml");

    /* written 139, 1, 150: stored by number */
    assert_int_equal(kjj->n_entries, 3);
    assert_int_equal(kjj->entries[0].task->no, 1);
    assert_int_equal(kjj->entries[1].task->no, 139);
    assert_int_equal(kjj->entries[2].task->no, 150);
    const lg_entry *e = entry(kjj, 139);
    assert_ptr_equal(e->task, task(p, 139));
    assert_int_equal(e->line, 3);
    assert_string_equal(e->progress, "面向全市征集“揭榜挂帅”项目需求，梳理出８个关键技术难题。");
    assert_string_equal(e->remark, "");
    assert_true(e->on_schedule);
    assert_false(e->completed);
    e = entry(kjj, 150);
    assert_false(e->on_schedule);
    assert_true(e->completed);
    assert_string_equal(e->plan, "");
    assert_string_equal(e->remark, "受疫情影响，进度滞后。");
    assert_false(entry(kjj, 1)->completed); /* the default */
    assert_null(lg_report_find_entry(kjj, 160));

    /* <p> paragraphs: each trimmed, joined with '\n' */
    e = entry(fgw, 160);
    assert_string_equal(e->progress, "一是完成１２所学校选址。\n二是启动“新建、改扩建”工程招标。");
    assert_string_equal(e->plan, "完成招标。");
    lg_plan_free(p);
    lg_diags_free(&d);
}

static void missing_month_folder(void **state)
{
    (void)state;
    lg_diags d = {0};
    lg_plan *p = lg_plan_load(GOOD "/plan.xml", &d);
    assert_non_null(p);
    lg_month *m = lg_month_load(p, GOOD, 2022, 11, &d);
    assert_no_diags(&d);
    assert_non_null(m);
    for (size_t i = 0; i < p->n_units; i++)
        assert_null(m->reports[i]);
    lg_plan_free(p);
    lg_diags_free(&d);
}

/* The plan as it stood in May and in June (tests/data/amended): units and
 * task versions of the month, owners of that month's units, a renamed
 * owner's new name in a derived owner label; a plan never amended is itself. */
static void plan_as_it_stood(void **state)
{
    (void)state;
    lg_diags d = {0};
    lg_plan *p = lg_plan_load(LG_TEST_DATA "/amended/plan.xml", &d);
    assert_no_diags(&d);
    assert_non_null(p);
    assert_true(p->amended);
    const lg_plan *may = lg_plan_at(p, 5), *june = lg_plan_at(p, 6);
    assert_ptr_equal(lg_plan_at(p, 6), june); /* made once */
    assert_int_equal(may->n_units, 3);
    assert_string_equal(may->units[0].name, "市发展改革委");
    assert_string_equal(may->units[1].id, "czj");
    assert_int_equal(june->n_units, 3);
    assert_string_equal(june->units[0].id, "kjj");
    assert_string_equal(june->units[1].name, "市发展和改革委员会");
    assert_string_equal(june->units[2].id, "sjj");
    for (size_t i = 0; i < june->n_units; i++)
        assert_int_equal(june->units[i].index, i);
    assert_int_equal(may->n_tasks, 5);
    assert_int_equal(june->n_tasks, 4);
    assert_null(lg_plan_find_task(june, 4));
    assert_string_equal(lg_plan_find_task(may, 2)->owner_label, "市发展改革委、市科技局");
    assert_string_equal(lg_plan_find_task(june, 2)->owner_label, "市发展和改革委员会、市科技局");
    const lg_task *t3 = lg_plan_find_task(june, 3);
    assert_ptr_equal(t3->owners[0], lg_plan_find_unit(june, "sjj"));
    assert_string_equal(t3->due_label, "2022年12月底前");
    assert_string_equal(lg_plan_find_task(may, 3)->due_label, "2022年9月底前");
    assert_string_equal(lg_plan_find_task(may, 5)->text, "原来的文字。");
    assert_string_equal(lg_plan_find_task(june, 5)->numbered, "5.修订后的文字。");
    assert_true(lg_task_owned_by(lg_plan_find_task(june, 1), lg_plan_find_unit(june, "sjj")));
    lg_plan_free(p);

    lg_plan *plain = lg_plan_load(GOOD "/plan.xml", &d);
    assert_non_null(plain);
    assert_false(plain->amended);
    assert_ptr_equal(lg_plan_at(plain, 6), plain);
    lg_plan_free(plain);
    lg_diags_free(&d);
}

/* Sections, lead units, leaders and targets (tests/data/sections), also in
 * the plan as it stood before and after task 4 was revised in June. */
static void plan_sections(void **state)
{
    (void)state;
    lg_diags d = {0};
    lg_plan *p = lg_plan_load(LG_TEST_DATA "/sections/plan.xml", &d);
    assert_no_diags(&d);
    assert_non_null(p);
    assert_int_equal(p->n_sections, 2);
    assert_string_equal(p->sections[0].no, "一");
    assert_string_equal(p->sections[0].title, "聚焦深化对外开放，推动经济高质量发展");
    assert_string_equal(p->sections[1].no, "二");
    assert_int_equal(p->sections[1].index, 1);
    assert_int_equal(p->sections[1].line, 14);
    const lg_plan *may = lg_plan_at(p, 5), *june = lg_plan_at(p, 6);
    const lg_task *t1 = lg_plan_find_task(may, 1), *t2 = lg_plan_find_task(may, 2),
                  *t3 = lg_plan_find_task(may, 3), *t5 = lg_plan_find_task(may, 5);
    assert_null(t1->section);
    assert_null(lg_task_lead(t1)); /* shared: no lead */
    assert_ptr_equal(t2->section, &p->sections[0]);
    assert_ptr_equal(lg_task_lead(t2), lg_plan_find_unit(may, "kjj"));
    assert_string_equal(t2->leader, "张三");
    assert_false(t2->target.set);
    assert_ptr_equal(lg_task_lead(t3), lg_plan_find_unit(may, "fgw")); /* the first owner */
    assert_true(t3->target.set);
    assert_false(t3->target.growth);
    assert_true(t3->target.value == 800000);
    assert_string_equal(t3->target.unit, "亿元");
    assert_string_equal(t3->text, "完成固定资产投资80亿元。"); /* <target> is not text */
    assert_null(t5->section);
    assert_null(t5->leader);
    const lg_task *may4 = lg_plan_find_task(may, 4), *june4 = lg_plan_find_task(june, 4);
    assert_ptr_equal(may4->section, &p->sections[1]);
    assert_true(may4->target.growth);
    assert_true(may4->target.value == 62000);
    assert_string_equal(may4->target.unit, "%");
    assert_ptr_equal(lg_task_lead(may4), lg_plan_find_unit(may, "tjj"));
    assert_ptr_equal(lg_task_lead(june4), lg_plan_find_unit(june, "kjj"));
    assert_true(june4->target.value == 55000);
    assert_string_equal(june4->target.value_text, "5.5");
    lg_plan_free(p);
    lg_diags_free(&d);
}

/* The reports of tests/data/sections: 存在问题, and 是否达到序时进度 computed from
 * <actual> (October: 10/12 of the year elapsed), the unit's own word kept. */
static void computed_schedule(void **state)
{
    (void)state;
    lg_diags d = {0};
    lg_plan *p = lg_plan_load(LG_TEST_DATA "/sections/plan.xml", &d);
    assert_non_null(p);
    lg_month *m = lg_month_load(lg_plan_at(p, 10), LG_TEST_DATA "/sections", 2022, 10, &d);
    assert_no_diags(&d);
    const lg_plan *oct = m->plan;
    const lg_report *fgw = m->reports[lg_plan_find_unit(oct, "fgw")->index];
    const lg_report *tjj = m->reports[lg_plan_find_unit(oct, "tjj")->index];
    const lg_report *kjj = m->reports[lg_plan_find_unit(oct, "kjj")->index];
    const lg_entry *e = lg_report_find_entry(fgw, 3); /* 62.5 of 80 < 10/12 */
    assert_true(e->has_actual);
    assert_true(e->actual == 625000);
    assert_string_equal(e->actual_text, "62.5");
    assert_true(e->stated);
    assert_false(e->on_schedule);
    assert_string_equal(e->problems, "两个项目开工延后。");
    assert_int_equal(lg_completion_rate(e->task, e->actual), 781);
    e = lg_report_find_entry(tjj, 3); /* 70 of 80 ≥ 10/12 */
    assert_true(e->on_schedule);
    assert_int_equal(lg_completion_rate(e->task, e->actual), 875);
    e = lg_report_find_entry(kjj, 4); /* growth 5.8 ≥ 5.5 */
    assert_false(e->stated);
    assert_true(e->on_schedule);
    assert_int_equal(lg_completion_rate(e->task, e->actual), -1);
    assert_string_equal(e->problems, "部分企业订单不足。\n能耗指标偏紧。");
    e = lg_report_find_entry(kjj, 5);
    assert_false(e->has_actual);
    assert_string_equal(e->problems, "");
    /* exactly at the elapsed share: 200 of 240 in October is on schedule */
    lg_task t = {.target = {.set = true, .value = 240 * LG_DECIMAL_ONE}};
    assert_true(lg_on_schedule(&t, 200 * LG_DECIMAL_ONE, 10));
    assert_false(lg_on_schedule(&t, 200 * LG_DECIMAL_ONE - 1, 10));
    lg_plan_free(p);
    lg_diags_free(&d);
}

static void assert_plans_equal(const lg_plan *a, const lg_plan *b)
{
    assert_int_equal(a->year, b->year);
    assert_string_equal(a->title, b->title);
    assert_int_equal(a->n_units, b->n_units);
    for (size_t i = 0; i < a->n_units; i++) {
        assert_string_equal(a->units[i].id, b->units[i].id);
        assert_string_equal(a->units[i].name, b->units[i].name);
    }
    assert_int_equal(a->n_tasks, b->n_tasks);
    for (size_t i = 0; i < a->n_tasks; i++) {
        const lg_task *x = &a->tasks[i], *y = &b->tasks[i];
        assert_int_equal(x->no, y->no);
        assert_string_equal(x->text, y->text);
        assert_string_equal(x->due_label, y->due_label);
        if (x->owner_label || y->owner_label)
            assert_string_equal(x->owner_label, y->owner_label);
    }
}

static void assert_reports_equal(const lg_report *a, const lg_report *b)
{
    assert_int_equal(a->n_entries, b->n_entries);
    for (size_t i = 0; i < a->n_entries; i++) {
        const lg_entry *x = &a->entries[i], *y = &b->entries[i];
        assert_int_equal(x->task->no, y->task->no);
        assert_string_equal(x->progress, y->progress);
        assert_string_equal(x->plan, y->plan);
        assert_string_equal(x->remark, y->remark);
    }
}

/* Unit offices send GB18030 and GBK files; they must read as their UTF-8
 * twins do, characters outside GBK (four-byte GB18030) included. */
static void legacy_encodings(void **state)
{
    (void)state;
    lg_diags d = {0};
    lg_plan *utf8 = lg_plan_load(GOOD "/encoding/utf8/plan.xml", &d);
    lg_plan *gb = lg_plan_load(GOOD "/encoding/gb18030/plan.xml", &d);
    assert_no_diags(&d);
    assert_non_null(utf8);
    assert_non_null(gb);
    assert_plans_equal(utf8, gb);
    assert_non_null(strstr(task(gb, 150)->text, "（含𠮷字、㐀字、€符号）"));

    lg_report *ru = lg_report_load(utf8, GOOD "/encoding/utf8/kjj.xml", 2022, 10, &d);
    lg_report *rg = lg_report_load(utf8, GOOD "/encoding/gb18030/kjj.xml", 2022, 10, &d);
    lg_report *rk = lg_report_load(utf8, GOOD "/encoding/gbk/kjj.xml", 2022, 10, &d);
    assert_no_diags(&d);
    assert_non_null(ru);
    assert_non_null(rg);
    assert_non_null(rk);
    assert_reports_equal(ru, rg);
    assert_reports_equal(ru, rk);
    assert_string_equal(entry(rk, 1)->progress, "坚持把学习贯彻《习近平谈治国理政》作为首要政治任务。");
    lg_plan_free(utf8);
    lg_plan_free(gb);
    lg_diags_free(&d);
}

static void task_numbers(void **state)
{
    (void)state;
    long no = -1;
    assert_true(lg_task_no_parse("1", &no));
    assert_int_equal(no, 1);
    assert_true(lg_task_no_parse("9223372036854775807", &no));
    assert_true(no == LONG_MAX);
    no = -1;
    const char *bad[] = {NULL, "", "0", "00", "007", "+5", "-5", " 5", "5 ", "5a", "1.0",
                         "１３９", "9223372036854775808", "99999999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (lg_task_no_parse(bad[i], &no))
            fail_msg("accepted \"%s\"", bad[i] ? bad[i] : "(null)");
    }
    assert_int_equal(no, -1);
}

/* A plan written to a temporary file by WRITE(F, ARG); its path, which the
 * caller unlinks and frees. */
static char *temp_plan(void (*write)(FILE *f, void *arg), void *arg)
{
    char *path = lg_xstrdup("/tmp/lg-test-load-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    write(f, arg);
    assert_int_equal(fclose(f), 0);
    return path;
}

enum { BIG_TASKS = 20000 }; /* four lines each: the last ones are past line 65,535 */

static void write_big_plan(FILE *f, void *arg)
{
    (void)arg;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"        /* 1 */
          "<plan year=\"2022\" title=\"t\">\n"                     /* 2 */
          "  <units><unit id=\"kjj\" name=\"n\"/></units>\n"       /* 3 */
          "  <!-- <task> in a comment -->\n"                       /* 4 */
          "  <tasks><?pi <task>?>\n", f);                          /* 5 */
    for (int i = 1; i <= BIG_TASKS; i++) /* task i starts on line 2 + 4 i */
        fprintf(f, "    <task no=\"%d\" owners=\"kjj\" due=\"2022-12\">\n"
                   "      <![CDATA[a<b]]> &amp; &#x4E2D;%d\n\n    </task>\n",
                i, i);
    fputs("    <task no=\"7\" owners=\"kjx\" due=\"2022-12\">x</task>\n"
          "  </tasks>\n</plan>\n", f);
}

/* A plan far larger than the others is streamed (lg_xml_stream), one task
 * at a time: texts, lines (past 65,535 too) and messages are those of the
 * whole document's tree. */
static void streamed_plan(void **state)
{
    (void)state;
    char *path = temp_plan(write_big_plan, NULL);
    lg_diags d = {0};
    assert_null(lg_plan_load(path, &d));
    long last = 2 + 4L * (BIG_TASKS + 1);
    assert_int_equal(d.count, 2);
    assert_int_equal(d.items[0].line, last);
    assert_string_equal(d.items[0].message,
                        "task 7: owner \"kjx\" is not a unit in <units>; add it there or "
                        "correct the id");
    assert_int_equal(d.items[1].line, last);
    assert_string_equal(d.items[1].message,
                        "task 7 appears twice (first at line 30); give each task its own number");
    lg_diags_free(&d);
    unlink(path);
    free(path);
}

static lg_xml_step count_start(void *arg, xmlNodePtr n, int depth)
{
    (void)n;
    ++*(int *)arg;
    return depth < 2 ? LG_XML_DESCEND : LG_XML_EXPAND;
}

static void count_subtree(void *arg, xmlNodePtr n, int depth)
{
    (void)arg;
    (void)n;
    assert_int_equal(depth, 2);
}

/* What lg_xml_stream leaves to the whole tree: a DOCTYPE (even in a
 * comment), a file that does not follow the schema, one not well formed. */
static void stream_or_tree(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        lg_xml_streamed want;
    } cases[] = {
        {GOOD "/plan.xml", LG_XML_STREAMED},
        {GOOD "/encoding/gb18030/plan.xml", LG_XML_STREAMED},
        {BAD "/plan-doctype-xxe.xml", LG_XML_USE_TREE},
        {BAD "/plan-unknown-element.xml", LG_XML_USE_TREE},
        {BAD "/plan-not-well-formed.xml", LG_XML_USE_TREE},
        {BAD "/plan-bad-encoding.xml", LG_XML_FAILED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        lg_diags d = {0};
        int elements = 0;
        lg_xml_visitor v = {count_start, count_subtree, &elements};
        assert_int_equal(lg_xml_stream(cases[i].file, "plan", &v, &d), cases[i].want);
        assert_int_equal(d.count, cases[i].want == LG_XML_FAILED);
        if (cases[i].want == LG_XML_STREAMED)
            assert_true(elements > 3);
        lg_diags_free(&d);
    }
}

/* One bad case: its name is the file or folder under tests/data/bad. */
static void bad_case(void **state)
{
    const char *name = *state;
    size_t len = strlen(name);
    bool is_plan = len > 4 && strcmp(name + len - 4, ".xml") == 0;
    char *expected_path = lg_xasprintf("%.*s.expected", (int)(is_plan ? len - 4 : len), name);
    char *expected = slurp(expected_path);
    if (!expected)
        fail_msg("%s is missing", expected_path);

    lg_diags d = {0};
    if (is_plan) {
        lg_plan *p = lg_plan_load(name, &d);
        assert_null(p);
    } else {
        lg_diags pd = {0};
        /* relative, as messages quote the plan's path */
        lg_plan *p = lg_plan_load("../good/plan.xml", &pd);
        assert_non_null(p);
        lg_diags_free(&pd);
        assert_non_null(lg_month_load(p, name, 2022, 10, &d));
        assert_true(lg_diags_count(&d, LG_ERROR) > 0);
        lg_plan_free(p);
    }
    char *got = diags_text(&d);
    if (strcmp(got, expected) != 0) {
        print_error("%s: diagnostics differ.\n--- expected\n%s--- got\n%s", name, expected, got);
        fail();
    }
    assert_true(d.count > 0);
    for (size_t i = 0; i < d.count; i++)
        assert_int_equal(d.items[i].severity, LG_ERROR);
    /* the XXE case: nothing of the file named in the entity may leak out */
    assert_null(strstr(got, "root:"));
    free(got);
    free(expected);
    free(expected_path);
    lg_diags_free(&d);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The bad cases: every NAME.xml and NAME/ in the current directory. */
static char **list_bad_cases(size_t *n)
{
    DIR *dh = opendir(".");
    assert_non_null(dh);
    char **names = NULL;
    *n = 0;
    for (struct dirent *de; (de = readdir(dh));) {
        struct stat st;
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || stat(de->d_name, &st) != 0)
            continue;
        if (!S_ISDIR(st.st_mode) && !(len > 4 && strcmp(de->d_name + len - 4, ".xml") == 0))
            continue;
        names = lg_xrealloc(names, (*n + 1) * sizeof *names);
        names[(*n)++] = lg_xstrdup(de->d_name);
    }
    closedir(dh);
    qsort(names, *n, sizeof *names, by_name);
    return names;
}

int main(void)
{
    lg_xml_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(seed_example),     cmocka_unit_test(good_plan),
        cmocka_unit_test(good_month),       cmocka_unit_test(missing_month_folder),
        cmocka_unit_test(legacy_encodings), cmocka_unit_test(task_numbers),
        cmocka_unit_test(streamed_plan),    cmocka_unit_test(stream_or_tree),
        cmocka_unit_test(plan_as_it_stood), cmocka_unit_test(plan_sections),
        cmocka_unit_test(computed_schedule),
    };
    int failed = cmocka_run_group_tests_name("load", tests, NULL, NULL);

    /* Paths in the expected messages are relative to tests/data/bad. */
    if (chdir(BAD) != 0) {
        perror(BAD);
        return 1;
    }
    size_t n;
    char **names = list_bad_cases(&n);
    struct CMUnitTest *bad = lg_xcalloc(n, sizeof *bad);
    for (size_t i = 0; i < n; i++) {
        bad[i].name = names[i];
        bad[i].test_func = bad_case;
        bad[i].initial_state = names[i];
    }
    if (n < 30) {
        fprintf(stderr, "only %zu bad cases under %s\n", n, BAD);
        failed++;
    }
    failed += _cmocka_run_group_tests("load_bad", bad, n, NULL, NULL);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(bad);
    return failed ? 1 : 0;
}
