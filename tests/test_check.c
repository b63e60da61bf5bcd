/* The month's warnings: one case of each kind (tests/data/check), with the
 * exact message (in the C locale's English, and the 问题清单's Chinese), file,
 * line, unit and task, ordered by unit. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "build.h"
#include "check.h"
#include "xmlload.h"

static void every_kind_once(void **state)
{
    (void)state;
    assert_int_equal(chdir(LG_TEST_DATA "/check"), 0);
    lg_diags d = {0};
    lg_build_check(".", LG_SOURCE_DIR "/templates/ledger.xml", 2022, 10, &d);
    static const struct {
        const char *kind, *unit;
        long task;
        const char *text, *zh;
    } want[] = {
        {"stale", "a", 1,
         "./reports/2022-10/a.xml:3: warning: task 1: the progress is word for word the same "
         "as in the 2022-09 report; was last month's text copied?",
         "任务1：进展情况与2022年9月的报告一字不差，是否照抄了上月的内容？"},
        {"behind-no-remark", "a", 2,
         "./reports/2022-10/a.xml:8: warning: task 2 is behind schedule (on-schedule=\"no\") "
         "but the remark (备注) is empty; say why it is behind",
         "任务2未达到序时进度（填“否”），但备注为空；请在备注中说明原因"},
        {"overdue", "a", 2,
         "./reports/2022-10/a.xml:8: warning: task 2 was due 2022年6月底前 and is not reported "
         "completed",
         "任务2的完成时限为2022年6月底前，尚未报告完成"},
        {"missing-entry", "a", 4,
         "./reports/2022-10/a.xml:2: warning: task 4: 市甲局's report has no entry for it; the "
         "ledger shows 未报送",
         "任务4：市甲局的报告中没有该任务，台账中显示为未报送"},
        {"empty-progress", "b", 1,
         "./reports/2022-10/b.xml:3: warning: task 1: the progress (进展情况) is empty; the "
         "ledger will show an empty cell",
         "任务1：进展情况为空，台账中该格将为空白"},
        {"missing-glyph", "b", 3,
         "./reports/2022-10/b.xml:8: warning: task 3: its progress (进展情况) has the character "
         "\"\xf4\x8f\xbf\xbd\" (U+10FFFD), which no font of the template's body font list has: "
         "it would print as an empty box; write it another way, or install a font that has it "
         "and add it to the family list of the template's body font",
         "任务3：进展情况中的字符“\xf4\x8f\xbf\xbd”（编码10FFFD）没有模板正文字体列表中的字体能"
         "显示，打印出来将是空框；请换一种写法，或安装含有该字的字体并将其加入模板正文字体的family列表"},
        {"missing-report", "c", 0,
         "ledgerc: warning: 市丙局 sent no report for 2022-10 (expected "
         "reports/2022-10/c.xml in the input folder); tasks shown 未报送: 1",
         "市丙局未报送2022年10月的报告（输入文件夹中应有reports/2022-10/c.xml），1项任务显示为"
         "未报送"},
    };
    size_t n = sizeof want / sizeof want[0];
    for (size_t i = 0; i < d.count && i < n; i++) {
        char *got = lg_diag_format(&d.items[i]);
        assert_string_equal(got, want[i].text);
        assert_string_equal(d.items[i].message_zh, want[i].zh);
        assert_string_equal(d.items[i].kind, want[i].kind);
        assert_string_equal(d.items[i].unit, want[i].unit);
        assert_int_equal(d.items[i].task, want[i].task);
        free(got);
    }
    assert_int_equal(d.count, n);
    lg_diags_free(&d);
}

/* The figures of quantitative tasks (tests/data/quant): a unit's 是 against a
 * growth below target, a cumulative figure that went down since September,
 * a lead unit without an entry while a cooperating unit sent one, and a
 * figure more than ten times its target. */
static void quantitative_checks(void **state)
{
    (void)state;
    assert_int_equal(chdir(LG_TEST_DATA "/quant"), 0);
    lg_diags d = {0};
    lg_build_check(".", LG_SOURCE_DIR "/templates/ledger.xml", 2022, 10, &d);
    static const struct {
        const char *kind, *unit;
        long task;
        const char *text, *zh;
    } want[] = {
        {"actual-down", "a", 1,
         "./reports/2022-10/a.xml:3: warning: task 1: the actual 45亿元 is less than the 50亿元 "
         "reported for 2022-09; the figure is cumulative from January, so it does not go "
         "down: correct one of them",
         "任务1：完成值45亿元小于2022年9月报送的50亿元；该数值为自1月起的累计数，不应下降，请更正"
         "其中之一"},
        {"schedule-mismatch", "a", 2,
         "./reports/2022-10/a.xml:10: warning: task 2: on-schedule=\"yes\", but the growth "
         "5.0% is below the target 6%: the ledger shows 否; correct on-schedule or the figure",
         "任务2：填报为达到序时进度（“是”），但增长5.0%低于目标6%，台账显示为“否”；请更正是否达到"
         "序时进度或完成值"},
        {"lead-missing", "b", 1,
         "./reports/2022-10/a.xml:3: warning: task 1: the lead unit 市乙局 sent no entry for "
         "2022-10, but 市甲局, a cooperating unit, did; the lead unit reports the task and "
         "collects its cooperating units' work",
         "任务1：牵头单位市乙局未报送2022年10月的情况，而配合单位市甲局已报送；牵头单位应汇总配合"
         "单位的工作并报送该任务"},
        {"missing-entry", "b", 1,
         "./reports/2022-10/b.xml:2: warning: task 1: 市乙局's report has no entry for it; the "
         "ledger shows 未报送",
         "任务1：市乙局的报告中没有该任务，台账中显示为未报送"},
        {"actual-high", "b", 3,
         "./reports/2022-10/b.xml:3: warning: task 3: the actual 1200万元 is more than ten "
         "times the target 10万元; is the figure in 万元 (not, say, in 万 for 亿)?",
         "任务3：完成值1200万元超过目标10万元的十倍；数值的单位是否为万元（是否把“亿”误作“万”）？"},
    };
    size_t n = sizeof want / sizeof want[0];
    for (size_t i = 0; i < d.count && i < n; i++) {
        char *got = lg_diag_format(&d.items[i]);
        assert_string_equal(got, want[i].text);
        assert_string_equal(d.items[i].message_zh, want[i].zh);
        assert_string_equal(d.items[i].kind, want[i].kind);
        assert_string_equal(d.items[i].unit, want[i].unit);
        assert_int_equal(d.items[i].task, want[i].task);
        free(got);
    }
    assert_int_equal(d.count, n);
    lg_diags_free(&d);
}

/* An amount behind the elapsed share that its unit calls 是, and a growth
 * above target that its unit calls 否 (tests/data/sections). */
static void amount_mismatch(void **state)
{
    (void)state;
    assert_int_equal(chdir(LG_TEST_DATA "/sections"), 0);
    lg_diags d = {0};
    lg_build_check(".", LG_SOURCE_DIR "/templates/ledger.xml", 2022, 10, &d);
    assert_int_equal(d.count, 2);
    char *got = lg_diag_format(&d.items[0]);
    assert_string_equal(got, "./reports/2022-10/fgw.xml:13: warning: task 3: on-schedule=\"yes\", "
                             "but the actual 62.5亿元 of the target 80亿元 is below the elapsed "
                             "share of the year (10/12): the ledger shows 否; correct "
                             "on-schedule or the figure");
    free(got);
    assert_string_equal(d.items[0].message_zh,
                        "任务3：填报为达到序时进度（“是”），但完成值62.5亿元占目标80亿元的比例低于"
                        "时间进度（10/12），台账显示为“否”；请更正是否达到序时进度或完成值");
    got = lg_diag_format(&d.items[1]);
    assert_string_equal(got, "./reports/2022-10/kjj.xml:14: warning: task 4: on-schedule=\"no\", "
                             "but the growth 5.8% is not below the target 5.5%: the ledger "
                             "shows 是; correct on-schedule or the figure");
    free(got);
    lg_diags_free(&d);
}

/* The first month has no last month: nothing is stale; a task due in the year
 * is not overdue before the year ends, nor one completed. */
static void overdue_rules(void **state)
{
    (void)state;
    lg_task t = {.no = 1, .due_kind = LG_DUE_MONTH, .due_year = 2022, .due_month = 9};
    lg_entry done = {.task = &t, .completed = true}, open = {.task = &t};
    assert_false(lg_task_overdue(&t, &open, 2022, 9));
    assert_true(lg_task_overdue(&t, &open, 2022, 10));
    assert_true(lg_task_overdue(&t, NULL, 2022, 10));
    assert_false(lg_task_overdue(&t, &done, 2022, 10));
    t.due_kind = LG_DUE_YEAR;
    t.due_month = 12;
    assert_false(lg_task_overdue(&t, NULL, 2022, 12));
    assert_true(lg_task_overdue(&t, NULL, 2023, 1));
    t.due_kind = LG_DUE_ONGOING;
    assert_false(lg_task_overdue(&t, NULL, 2030, 1));
}

static void json_is_escaped(void **state)
{
    (void)state;
    lg_diags d = {0};
    lg_diag *g = lg_diags_add(&d, LG_ERROR, "bad-value", "a\"b.xml", 7, "say \"x\"\\\n");
    lg_diag_set_unit(g, "kjj", 139);
    g->status = "behind"; /* the row's status (lg_diags_set_status) */
    g->escalated = true;
    lg_diags_add(&d, LG_WARNING, "missing-report", NULL, 0, "none");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    lg_diags_write_json(&d, f);
    fclose(f);
    assert_string_equal(buf,
                        "[\n {\"severity\": \"error\", \"kind\": \"bad-value\", \"unit\": \"kjj\", "
                        "\"task\": 139, \"status\": \"behind\", \"escalated\": true, "
                        "\"file\": \"a\\\"b.xml\", \"line\": 7, \"message\": "
                        "\"say \\\"x\\\"\\\\\\n\"},\n {\"severity\": \"warning\", \"kind\": "
                        "\"missing-report\", \"unit\": null, \"task\": null, \"status\": null, "
                        "\"file\": null, "
                        "\"line\": null, \"message\": \"none\"}\n]\n");
    free(buf);
    lg_diags_free(&d);
}

int main(void)
{
    lg_xml_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_kind_once),
        cmocka_unit_test(quantitative_checks),
        cmocka_unit_test(amount_mismatch),
        cmocka_unit_test(overdue_rules),
        cmocka_unit_test(json_is_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
