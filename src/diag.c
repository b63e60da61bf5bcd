#include "diag.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "i18n.h"
#include "lang.h"

/* Every kind of diagnostic, grouped by where it is found. */
static const lg_diag_kind kinds[] = {
    /* the month's reports, as check and build judge them */
    {"missing-report", "未报送", LG_WARNING},
    {"missing-entry", "缺项", LG_WARNING},
    {"empty-progress", "进展为空", LG_WARNING},
    {"stale", "照抄上月", LG_WARNING},
    {"behind-no-remark", "否但无说明", LG_WARNING},
    {"overdue", "逾期未完成", LG_WARNING},
    {"schedule-mismatch", "序时进度与数值不符", LG_WARNING},
    {"lead-missing", "牵头单位未报送", LG_WARNING},
    {"actual-down", "累计值下降", LG_WARNING},
    {"actual-high", "完成值异常", LG_WARNING},
    {"missing-glyph", "缺字", LG_WARNING},
    {"done-entry", "已完成任务又填报", LG_WARNING},
    {"earlier-report", "以前月份报告有误", LG_WARNING},
    /* the plan and the reports as files */
    {"xml-syntax", "格式错误", LG_ERROR},
    {"encoding", "编码错误", LG_ERROR},
    {"schema", "结构错误", LG_ERROR},
    {"missing-element", "缺少元素", LG_ERROR},
    {"missing-attribute", "缺少属性", LG_ERROR},
    {"unknown-attribute", "未知属性", LG_ERROR},
    {"too-large", "文件过大", LG_ERROR},
    {"doctype", "含文档类型声明", LG_ERROR},
    {"too-long", "文字过长", LG_ERROR},
    {"too-many", "数量过多", LG_ERROR},
    {"too-many-errors", "错误过多", LG_ERROR},
    {"file-name", "文件名不符", LG_ERROR},
    {"bad-year", "年度有误", LG_ERROR},
    {"bad-period", "月份有误", LG_ERROR},
    {"wrong-period", "月份不符", LG_ERROR},
    {"bad-due", "完成时限有误", LG_ERROR},
    {"bad-lead", "牵头单位有误", LG_ERROR},
    {"bad-target", "目标有误", LG_ERROR},
    {"bad-actual", "完成值有误", LG_ERROR},
    {"bad-owners", "责任单位有误", LG_ERROR},
    {"bad-task-number", "任务序号有误", LG_ERROR},
    {"bad-unit-id", "单位代码有误", LG_ERROR},
    {"bad-yes-no", "是否填写有误", LG_ERROR},
    {"duplicate-entry", "重复填报", LG_ERROR},
    {"duplicate-owner", "重复责任单位", LG_ERROR},
    {"duplicate-task", "重复任务", LG_ERROR},
    {"duplicate-unit", "重复单位", LG_ERROR},
    {"empty-label", "标签为空", LG_ERROR},
    {"empty-name", "名称为空", LG_ERROR},
    {"empty-text", "任务内容为空", LG_ERROR},
    {"empty-title", "标题为空", LG_ERROR},
    {"no-tasks", "无任务", LG_ERROR},
    {"no-units", "无单位", LG_ERROR},
    {"not-owner", "非责任单位", LG_ERROR},
    {"unknown-task", "未知任务", LG_ERROR},
    {"unknown-unit", "未知单位", LG_ERROR},
    {"period", "月份", LG_ERROR},
    {"bad-month", "起止月份有误", LG_ERROR},
    {"owner-months", "责任单位存续月份不符", LG_ERROR},
    {"no-month", "缺少该月报告文件夹", LG_ERROR},
    /* the forms units fill in, and their import */
    {"form-empty", "未填写", LG_WARNING},
    {"form-blank", "空白填报表", LG_ERROR},
    {"form-old", "以前月份的填报表", LG_ERROR},
    {"form-row", "插入的行有内容", LG_ERROR},
    {"form-rows-moved", "行被插入或删除", LG_WARNING},
    {"not-a-form", "不是填报表", LG_WARNING},
    {"not-written", "未导入", LG_ERROR},
    {"form-locked", "填报表受保护", LG_ERROR},
    {"form-meta", "填报表信息有误", LG_ERROR},
    {"form-period", "填报表月份不符", LG_ERROR},
    {"form-sheet", "工作表有误", LG_ERROR},
    {"form-task", "任务有误", LG_ERROR},
    {"form-twice", "重复填报表", LG_ERROR},
    {"form-unit", "填报单位有误", LG_ERROR},
    {"form-value", "填写内容有误", LG_ERROR},
    {"form-version", "填报表版本不符", LG_ERROR},
    {"form-yes-no", "是否填写有误", LG_ERROR},
    {"report-exists", "报告已存在", LG_ERROR},
    {"xlsx", "表格文件有误", LG_ERROR},
    {"xlsx-cell", "单元格有误", LG_ERROR},
    {"xlsx-format", "表格格式有误", LG_ERROR},
    {"xlsx-limit", "表格超出限制", LG_ERROR},
    {"xlsx-part", "表格部件有误", LG_ERROR},
    {"xlsx-rows", "行数有误", LG_ERROR},
    {"xlsx-xml", "表格内容有误", LG_ERROR},
    /* the template */
    {"template-font", "模板字体有误", LG_ERROR},
    {"template-margins", "模板页边距有误", LG_ERROR},
    {"template-view", "模板视图有误", LG_ERROR},
    {"template-width", "模板列宽有误", LG_ERROR},
    /* writing and verifying the outputs */
    {"io", "读写失败", LG_ERROR},
    {"write", "无法写出", LG_ERROR},
    {"locked", "另一次运行正在写入", LG_ERROR},
    {"history", "历史记录有误", LG_ERROR},
    {"output", "输出失败", LG_ERROR},
    {"pdf-write", "PDF写出失败", LG_ERROR},
    {"pdfa-read", "PDF读取失败", LG_ERROR},
    {"verify", "校验不通过", LG_ERROR},
    {"pdfa-CLAUSE", "不符合PDF/A", LG_ERROR}, /* the clause of ISO 19005-2, e.g. pdfa-6.2.2 */
    {"manifest", "校验清单有误", LG_ERROR},
    {"manifest-changed", "文件已改动", LG_ERROR},
    {"manifest-missing", "文件缺失", LG_ERROR},
    {"manifest-unlisted", "文件未列入清单", LG_ERROR},
    {"environment", "运行环境有误", LG_ERROR},
    {"internal", "内部错误", LG_ERROR},
    {"error", "错误", LG_ERROR},
};

const lg_diag_kind *lg_diag_kinds(size_t *n)
{
    *n = sizeof kinds / sizeof kinds[0];
    return kinds;
}

/* Whether KEY is of the kind whose key is K: the same, or K ends in "-CLAUSE"
 * and KEY has K's start then a clause. */
static bool key_is(const char *k, const char *key)
{
    const char *var = strstr(k, "-CLAUSE");
    if (!var)
        return strcmp(k, key) == 0;
    size_t n = (size_t)(var - k) + 1;
    return strncmp(k, key, n) == 0 && key[n] != '\0';
}

const lg_diag_kind *lg_diag_kind_find(const char *key)
{
    for (size_t i = 0; key && i < sizeof kinds / sizeof kinds[0]; i++)
        if (key_is(kinds[i].key, key))
            return &kinds[i];
    return NULL;
}

lg_diag *lg_diags_vadd(lg_diags *d, lg_severity sev, const char *kind, const char *file,
                       long line, const char *fmt, va_list ap)
{
    if (d->count == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->items = lg_xrealloc(d->items, d->cap * sizeof *d->items);
    }
    lg_diag *g = &d->items[d->count++];
    memset(g, 0, sizeof *g);
    g->severity = sev;
    g->kind = lg_xstrdup(kind ? kind : "error");
    g->file = file ? lg_xstrdup(file) : NULL;
    g->line = line;
    va_list zh;
    va_copy(zh, ap);
    g->message = lg_xvasprintf(_(fmt), ap);
    g->message_zh = lg_xvasprintf(lg_zh(fmt), zh);
    va_end(zh);
    return g;
}

lg_diag *lg_diags_add(lg_diags *d, lg_severity sev, const char *kind, const char *file,
                      long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lg_diag *g = lg_diags_vadd(d, sev, kind, file, line, fmt, ap);
    va_end(ap);
    return g;
}

lg_diag *lg_diags_add_copy(lg_diags *d, const lg_diag *g)
{
    lg_diag *c = lg_diags_add(d, g->severity, g->kind, g->file, g->line, "%s", g->message);
    free(c->message_zh);
    c->message_zh = lg_xstrdup(g->message_zh ? g->message_zh : g->message);
    lg_diag_set_unit(c, g->unit, g->task);
    lg_diag_set_unit_name(c, g->unit_name);
    c->status = g->status;
    c->escalated = g->escalated;
    return c;
}

void lg_diag_set_unit(lg_diag *g, const char *unit_id, long task)
{
    free(g->unit);
    g->unit = unit_id ? lg_xstrdup(unit_id) : NULL;
    g->task = task;
}

void lg_diag_set_unit_name(lg_diag *g, const char *name)
{
    free(g->unit_name);
    g->unit_name = name ? lg_xstrdup(name) : NULL;
}

size_t lg_diags_count(const lg_diags *d, lg_severity sev)
{
    size_t n = 0;
    for (size_t i = 0; i < d->count; i++)
        n += d->items[i].severity == sev;
    return n;
}

char *lg_diag_format(const lg_diag *g)
{
    const char *sev = g->severity == LG_ERROR ? _("error") : _("warning");
    if (g->file && g->line > 0)
        return lg_xasprintf("%s:%ld: %s: %s", g->file, g->line, sev, g->message);
    if (g->file)
        return lg_xasprintf("%s: %s: %s", g->file, sev, g->message);
    return lg_xasprintf("ledgerc: %s: %s", sev, g->message);
}

void lg_diags_print(const lg_diags *d, FILE *out)
{
    for (size_t i = 0; i < d->count; i++) {
        char *s = lg_diag_format(&d->items[i]);
        fprintf(out, "%s\n", s);
        free(s);
    }
}

void lg_diag_clear(lg_diag *g)
{
    free(g->kind);
    free(g->file);
    free(g->unit);
    free(g->unit_name);
    free(g->message);
    free(g->message_zh);
}

void lg_diags_truncate(lg_diags *d, size_t count)
{
    while (d->count > count)
        lg_diag_clear(&d->items[--d->count]);
}

void lg_diags_free(lg_diags *d)
{
    lg_diags_truncate(d, 0);
    free(d->items);
    memset(d, 0, sizeof *d);
}

/* A JSON string: UTF-8 passes through, quotes, backslashes and controls are
 * escaped. */
static void json_string(const char *s, FILE *out)
{
    if (!s) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", out);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

void lg_diags_write_json(const lg_diags *d, FILE *out)
{
    fputs("[", out);
    for (size_t i = 0; i < d->count; i++) {
        const lg_diag *g = &d->items[i];
        fputs(i ? ",\n {" : "\n {", out);
        fprintf(out, "\"severity\": \"%s\", \"kind\": ", g->severity == LG_ERROR ? "error" : "warning");
        json_string(g->kind, out);
        fputs(", \"unit\": ", out);
        json_string(g->unit, out);
        if (g->task)
            fprintf(out, ", \"task\": %ld", g->task);
        else
            fputs(", \"task\": null", out);
        fputs(", \"status\": ", out);
        json_string(g->status, out);
        if (g->status)
            fprintf(out, ", \"escalated\": %s", g->escalated ? "true" : "false");
        fputs(", \"file\": ", out);
        json_string(g->file, out);
        if (g->line > 0)
            fprintf(out, ", \"line\": %ld", g->line);
        else
            fputs(", \"line\": null", out);
        fputs(", \"message\": ", out);
        json_string(g->message, out);
        fputs("}", out);
    }
    fputs(d->count ? "\n]\n" : "]\n", out);
}
