/* The ledger views: a unit's own ledger, every unit's ledger one after the
 * other (by unit), and the city-wide ledger (by task). They differ in which
 * rows they list and in what order; a row's cells come from one function. */
#include "view.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "status.h"

char *lg_view_title(const lg_month *m, const char *title_format)
{
    return lg_format_fields(title_format, m->plan->title, m->year, m->month, NULL, NULL);
}

/* A figure in 1/LG_DECIMAL_ONE, as written: 62.5, 80, -1.25. */
static const char *figure(lg_arena *a, long long v)
{
    long long whole = (v < 0 ? -v : v) / LG_DECIMAL_ONE, frac = (v < 0 ? -v : v) % LG_DECIMAL_ONE;
    char digits[8] = "";
    if (frac) {
        snprintf(digits, sizeof digits, ".%04lld", frac);
        for (size_t k = strlen(digits); digits[k - 1] == '0'; k--)
            digits[k - 1] = '\0';
    }
    return lg_arena_printf(a, "%s%lld%s", v < 0 ? "-" : "", whole, digits);
}

const char *lg_view_figure(lg_arena *a, const lg_task *t, long long v)
{
    return t->target.growth ? lg_arena_printf(a, "增长%s%%", figure(a, v))
                            : lg_arena_printf(a, "%s%s", figure(a, v), t->target.unit);
}

/* A section as its heading reads: 一、聚焦深化对外开放. */
static const char *section_label(lg_arena *a, const lg_section *s)
{
    return lg_arena_printf(a, "%s、%s", s->no, s->title);
}

/* The section whose rows are being added to a ledger: a band row heading
 * them and a group over them (a bookmark), of LEVEL. */
typedef struct section_run {
    const lg_section *s; /* NULL: none */
    size_t group;        /* its group in the table */
    unsigned level;
} section_run;

/* Ends the open section of RUN at the table's last row. */
static void section_close(lg_table *tbl, section_run *run)
{
    if (run->s)
        tbl->groups[run->group].row1 = tbl->n_rows - 1;
    run->s = NULL;
}

/* Before the rows of task T: when T is in another section than the one open,
 * ends that one and begins T's, with its band. A ledger's part heads each of
 * its sections once, before the first of its tasks there. */
static void section_enter(lg_table *tbl, section_run *run, const lg_task *t)
{
    if (t->section == run->s)
        return;
    section_close(tbl, run);
    if (!t->section)
        return;
    const char *label = section_label(tbl->arena, t->section);
    size_t row = lg_table_add_band(tbl, label);
    lg_group *g = lg_table_add_group(tbl, label, row, row);
    g->level = run->level;
    g->band = true;
    run->s = t->section;
    run->group = tbl->n_groups - 1;
}

/* The 牵头单位 or 配合单位 cell of T. */
static const char *role_cell(lg_arena *a, const lg_task *t, bool lead)
{
    const lg_unit *l = lg_task_lead(t);
    if (!l)
        return lead ? t->owner_label : "";
    if (lead)
        return l->name;
    const char *s = "";
    for (size_t k = 0; k < t->n_owners; k++)
        if (t->owners[k] != l)
            s = lg_arena_printf(a, "%s%s%s", s, *s ? "、" : "", t->owners[k]->name);
    return s;
}

/* The cells of the fields of sections, roles and targets (see cell_for);
 * MONTH is the month reported on. */
static lg_cell plan_cell(lg_arena *a, lg_field field, const lg_task *t, const lg_entry *e,
                         int month)
{
    bool amount = t->target.set && !t->target.growth;
    bool figures = e && e->has_actual;
    switch (field) {
    case LG_FIELD_SECTION:
        return (lg_cell){.text = t->section ? section_label(a, t->section) : ""};
    case LG_FIELD_LEAD:
    case LG_FIELD_SUPPORT:
        return (lg_cell){.text = role_cell(a, t, field == LG_FIELD_LEAD)};
    case LG_FIELD_LEADER:
        return (lg_cell){.text = t->leader ? t->leader : ""};
    case LG_FIELD_PROBLEMS:
        return (lg_cell){.text = e ? e->problems : ""};
    case LG_FIELD_TARGET:
        return (lg_cell){.text = t->target.set ? lg_view_figure(a, t, t->target.value) : ""};
    case LG_FIELD_ACTUAL:
        return (lg_cell){.text = figures ? lg_view_figure(a, t, e->actual) : ""};
    case LG_FIELD_RATE: {
        long r = amount && figures ? lg_completion_rate(t, e->actual) : -1;
        return (lg_cell){.text = r < 0 ? "" : lg_arena_printf(a, "%ld.%ld%%", r / 10, r % 10)};
    }
    case LG_FIELD_ELAPSED: {
        long r = (month * 1000 + 6) / 12; /* tenths of a percent, rounded half up */
        return (lg_cell){.text = amount ? lg_arena_printf(a, "%ld.%ld%%", r / 10, r % 10) : ""};
    }
    default:
        return (lg_cell){.text = ""};
    }
}

/* The cell a column shows for task T, reported on in entry E (NULL: not
 * reported), or completed before (DONE: the 已完成 text, else NULL).
 * UNIT_CELL and TASK_CELL are what the 单位 and 工作任务 columns show. */
static lg_cell cell_for(lg_arena *a, int month, lg_field field, const lg_task *t,
                        const char *unit_cell, const char *task, const lg_entry *e,
                        const char *done)
{
    if (done && field == LG_FIELD_PROGRESS)
        return (lg_cell){.text = done};
    if (done && (field == LG_FIELD_ON_SCHEDULE || field == LG_FIELD_DONE))
        return (lg_cell){.text = "是"};
    switch (field) {
    case LG_FIELD_UNIT:
        return (lg_cell){.text = unit_cell};
    case LG_FIELD_TASK:
        return (lg_cell){.text = task};
    case LG_FIELD_DUE:
        return (lg_cell){.text = t->due_label};
    case LG_FIELD_PROGRESS:
        return e ? (lg_cell){.text = e->progress} : (lg_cell){"未报送", LG_CELL_MISSING};
    case LG_FIELD_PLAN:
        return (lg_cell){.text = e ? e->plan : ""};
    case LG_FIELD_ON_SCHEDULE:
        if (!e)
            return (lg_cell){.text = ""};
        return e->on_schedule ? (lg_cell){.text = "是"} : (lg_cell){"否", LG_CELL_BEHIND};
    case LG_FIELD_REMARK:
        return (lg_cell){.text = e ? e->remark : ""};
    case LG_FIELD_TASK_TEXT:
        return (lg_cell){.text = t->text};
    case LG_FIELD_DONE:
        return (lg_cell){.text = !e ? "" : e->completed ? "是" : "否"};
    default:
        return plan_cell(a, field, t, e, month);
    }
}

/* The 状态 cell of a row of status S: the status's name, marked for attention
 * (LG_CELL_BEHIND) when 逾期, 滞后 or 未报送, or escalated. */
static lg_cell status_cell(lg_arena *a, lg_status s, const lg_status_rules *r)
{
    bool attention = s.escalated || s.kind == LG_STATUS_OVERDUE || s.kind == LG_STATUS_BEHIND ||
                     s.kind == LG_STATUS_UNREPORTED;
    return (lg_cell){lg_status_label(a, s, r), attention ? LG_CELL_BEHIND : LG_CELL_PLAIN};
}

/* The column whose cell shows a ledger row's status (filled and marked,
 * README "Status"): its 是否达到序时进度 cell; in a view without one, its
 * 单位 cell when that is the row's own (not merged); else none (SIZE_MAX).
 * A 状态 cell shows it too. */
static size_t status_column(const lg_table *t)
{
    size_t unit = SIZE_MAX;
    for (size_t c = 0; c < t->n_columns; c++)
        if (t->columns[c].field == LG_FIELD_ON_SCHEDULE)
            return c;
        else if (t->columns[c].field == LG_FIELD_UNIT && !t->columns[c].merge)
            unit = c;
    return unit;
}

static void add_entry_row(lg_table *tbl, const lg_month *m, const lg_task *t, const lg_unit *u,
                          const char *unit_cell, const char *task)
{
    const lg_entry *e = lg_month_entry(m, t, u);
    int done_month = lg_month_done(m, t, u);
    const char *done = done_month ? lg_done_label(tbl->arena, m->year, done_month) : NULL;
    const lg_status_rules *r = lg_status_rules_of(m);
    lg_status s = lg_status_of(m, t, u, r);
    size_t shows = status_column(tbl);
    lg_cell *row = lg_table_add_row(tbl);
    for (size_t c = 0; c < tbl->n_columns; c++) {
        lg_field field = tbl->columns[c].field;
        row[c] = field == LG_FIELD_STATUS
                     ? status_cell(tbl->arena, s, r)
                     : cell_for(tbl->arena, m->month, field, t, unit_cell, task, e, done);
        if (c == shows || field == LG_FIELD_STATUS) {
            lg_cell_set_status(&row[c], s);
            tbl->status = r;
        }
    }
}

/* Ends group G, added at row START before its rows were: over those rows,
 * or taken away when there are none (no group was added after it then). */
static void group_end(lg_table *tbl, size_t g, size_t start)
{
    if (tbl->n_rows > start)
        tbl->groups[g].row1 = tbl->n_rows - 1;
    else
        tbl->n_groups = g;
}

/* Adds the rows of U's tasks that are (or are not) shared, each section's
 * under its band (a group of level 1); returns how many rows, bands
 * included. When COOPERATING, a task the plan names U the lead of (lead=) is
 * followed by the rows of its cooperating units, in the order of its owners:
 * the lead collects their work. */
static size_t add_tasks(lg_table *tbl, const lg_month *m, const lg_unit *u, bool shared,
                        bool cooperating)
{
    const lg_plan *p = m->plan;
    size_t start = tbl->n_rows;
    section_run run = {.level = 1};
    for (size_t i = 0; i < p->n_tasks; i++) {
        const lg_task *t = &p->tasks[i];
        if (t->shared != shared || !lg_task_owned_by(t, u))
            continue;
        section_enter(tbl, &run, t);
        add_entry_row(tbl, m, t, u, lg_task_unit_label(t, u), t->numbered);
        if (!cooperating || !t->lead_written || lg_task_lead(t) != u)
            continue;
        for (size_t k = 0; k < t->n_owners; k++)
            if (t->owners[k] != u)
                add_entry_row(tbl, m, t, t->owners[k], t->owners[k]->name, t->numbered);
    }
    section_close(tbl, &run);
    return tbl->n_rows - start;
}

/* The bookmark of the shared tasks: the first one's owner-label. */
static const char *shared_label(const lg_plan *p, const lg_unit *u)
{
    for (size_t i = 0; i < p->n_tasks; i++)
        if (p->tasks[i].shared && p->tasks[i].owner_label)
            return p->tasks[i].owner_label;
    return u->name;
}

/* U's ledger rows appended to TBL: the shared tasks, then its own. Returns
 * the number of rows. With GROUPS (U's own ledger), each part is a group, and
 * the tasks U leads show their cooperating units' rows under U's. */
static size_t add_unit_rows(lg_table *tbl, const lg_month *m, const lg_unit *u, bool groups)
{
    size_t start = tbl->n_rows, g = tbl->n_groups;
    if (groups) /* before its sections' groups */
        lg_table_add_group(tbl, shared_label(m->plan, u), start, start);
    add_tasks(tbl, m, u, true, false);
    if (groups)
        group_end(tbl, g, start);
    size_t own = tbl->n_rows, h = tbl->n_groups;
    if (groups)
        lg_table_add_group(tbl, u->name, own, own);
    add_tasks(tbl, m, u, false, groups);
    if (groups)
        group_end(tbl, h, own);
    return tbl->n_rows - start;
}

lg_table *lg_view_unit(lg_arena *a, const lg_month *m, const lg_unit *u,
                       const lg_view_layout *layout, const char *title_format)
{
    char *title = lg_view_title(m, title_format);
    lg_table *t = lg_table_new(a, u->name, title, layout);
    t->texts = m->plan->texts;
    t->owner = u->name;
    free(title);
    lg_table_reserve(t, lg_month_unit_stats(m, u).owned + 2 * m->plan->n_sections);
    add_unit_rows(t, m, u, true);
    lg_table_merge_equal(t);
    return t;
}

/* The rows of the by-task and by-unit ledgers: one per (task, reporting unit). */
static size_t rows_by_task(const lg_plan *p)
{
    size_t n = 0;
    for (size_t i = 0; i < p->n_tasks; i++)
        n += p->tasks[i].shared ? p->n_units : p->tasks[i].n_owners;
    return n;
}

lg_table *lg_view_by_unit(lg_arena *a, const lg_month *m, const lg_view_layout *layout,
                          const char *title_format)
{
    char *title = lg_view_title(m, title_format);
    lg_table *t = lg_table_new(a, LG_VIEW_BY_UNIT_NAME, title, layout);
    t->texts = m->plan->texts;
    free(title);
    lg_table_reserve(t, rows_by_task(m->plan) + 2 * m->plan->n_units * m->plan->n_sections);
    for (size_t i = 0; i < m->plan->n_units; i++) {
        const lg_unit *u = &m->plan->units[i];
        size_t start = t->n_rows, g = t->n_groups;
        /* before its sections' groups */
        lg_table_add_group(t, u->name, start, start)->new_page = true;
        add_unit_rows(t, m, u, false);
        group_end(t, g, start);
    }
    lg_table_merge_equal(t);
    return t;
}

lg_table *lg_view_by_task(lg_arena *a, const lg_month *m, const lg_view_layout *layout,
                          const char *title_format)
{
    char *title = lg_view_title(m, title_format);
    lg_table *t = lg_table_new(a, "全市台账", title, layout);
    t->texts = m->plan->texts;
    free(title);
    const lg_plan *p = m->plan;
    lg_table_reserve(t, rows_by_task(p) + p->n_sections);
    lg_table_reserve_groups(t, p->n_tasks + p->n_sections);
    section_run run = {.level = 0};
    for (size_t i = 0; i < p->n_tasks; i++) {
        const lg_task *task = &p->tasks[i];
        section_enter(t, &run, task);
        size_t start = t->n_rows;
        /* one row per reporting unit, in plan order */
        for (size_t k = 0; k < p->n_units; k++)
            if (lg_task_owned_by(task, &p->units[k]))
                add_entry_row(t, m, task, &p->units[k], p->units[k].name, task->numbered);
        if (t->n_rows > start) /* a bookmark: the numbered task, under its section's */
            lg_table_add_group(t, task->numbered, start, t->n_rows - 1)->level = run.s ? 1 : 0;
    }
    section_close(t, &run);
    lg_table_merge_equal(t);
    return t;
}

/* The rows of task T in the city-wide ledger: one per reporting unit, in
 * plan order. Returns how many. */
static size_t add_task_rows(lg_table *t, const lg_month *m, const lg_task *task)
{
    const lg_plan *p = m->plan;
    size_t n = 0;
    for (size_t k = 0; k < p->n_units; k++)
        if (lg_task_owned_by(task, &p->units[k])) {
            add_entry_row(t, m, task, &p->units[k], p->units[k].name, task->numbered);
            n++;
        }
    return n;
}

lg_table *lg_view_by_leader(lg_arena *a, const lg_month *m, const lg_view_layout *layout,
                            const char *title_format)
{
    char *title = lg_view_title(m, title_format);
    lg_table *t = lg_table_new(a, "分管领导台账", title, layout);
    t->texts = m->plan->texts;
    free(title);
    const lg_plan *p = m->plan;
    /* each leader once, in the order of their first task */
    for (size_t i = 0; i < p->n_tasks; i++) {
        const char *leader = p->tasks[i].leader;
        bool seen = !leader;
        for (size_t j = 0; j < i && !seen; j++)
            seen = p->tasks[j].leader && strcmp(p->tasks[j].leader, leader) == 0;
        if (seen)
            continue;
        size_t start = t->n_rows, g = t->n_groups;
        /* before its sections' groups */
        lg_table_add_group(t, leader, start, start)->new_page = true;
        section_run run = {.level = 1};
        for (size_t k = i; k < p->n_tasks; k++)
            if (p->tasks[k].leader && strcmp(p->tasks[k].leader, leader) == 0) {
                section_enter(t, &run, &p->tasks[k]);
                add_task_rows(t, m, &p->tasks[k]);
            }
        section_close(t, &run);
        group_end(t, g, start);
    }
    lg_table_merge_equal(t);
    return t;
}

/* The data sheet's columns: widths for reading on screen, short ones centred. */
static lg_column data_columns[] = {
    {LG_FIELD_UNIT_ID, "单位代码", 18, LG_ALIGN_CENTER, false, false},
    {LG_FIELD_UNIT, "单位", 26, LG_ALIGN_CENTER, false, false},
    {LG_FIELD_TASK_NO, "任务号", 14, LG_ALIGN_CENTER, false, false},
    {LG_FIELD_TASK_TEXT, "工作任务", 60, LG_ALIGN_LEFT, false, false},
    {LG_FIELD_DUE, "时限要求", 20, LG_ALIGN_CENTER, false, false},
    {LG_FIELD_PROGRESS, "进展情况", 90, LG_ALIGN_LEFT, false, false},
    {LG_FIELD_PLAN, "下个月工作计划", 60, LG_ALIGN_LEFT, false, false},
    {LG_FIELD_ON_SCHEDULE, "是否达到序时进度", 20, LG_ALIGN_CENTER, false, false},
    {LG_FIELD_REMARK, "备注", 36, LG_ALIGN_LEFT, false, false},
    {LG_FIELD_DONE, "已完成", 14, LG_ALIGN_CENTER, false, false},
    {LG_FIELD_STATUS, "状态", 24, LG_ALIGN_CENTER, false, false},
};

const lg_view_layout *lg_view_data_layout(void)
{
    static const lg_view_layout layout = {"data", data_columns,
                                          sizeof data_columns / sizeof data_columns[0]};
    return &layout;
}

lg_table *lg_view_data(lg_arena *a, const lg_month *m)
{
    const lg_plan *p = m->plan;
    lg_table *t = lg_table_new(a, "数据", "", lg_view_data_layout());
    t->texts = p->texts;
    t->list = true;
    lg_table_reserve(t, rows_by_task(p));
    for (size_t i = 0; i < p->n_tasks; i++) {
        const lg_task *task = &p->tasks[i];
        for (size_t k = 0; k < p->n_units; k++) {
            const lg_unit *u = &p->units[k];
            if (!lg_task_owned_by(task, u))
                continue;
            add_entry_row(t, m, task, u, u->name, task->numbered);
            lg_cell *row = lg_table_cell(t, t->n_rows - 1, 0);
            for (size_t c = 0; c < t->n_columns; c++)
                if (t->columns[c].field == LG_FIELD_UNIT_ID)
                    row[c].text = u->id;
                else if (t->columns[c].field == LG_FIELD_TASK_NO)
                    lg_cell_set_number(t, &row[c], (double)task->no, false);
        }
    }
    return t;
}
