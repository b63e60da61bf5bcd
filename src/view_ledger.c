/* The ledger views: a unit's own ledger, every unit's ledger one after the
 * other (by unit), and the city-wide ledger (by task). They differ in which
 * rows they list and in what order; a row's cells come from one function. */
#include "view.h"

#include <stdio.h>
#include <stdlib.h>

#include "arena.h"
#include "status.h"

char *lg_view_title(const lg_month *m, const char *title_format)
{
    return lg_format_fields(title_format, m->plan->title, m->year, m->month, NULL, NULL);
}

/* The cell a column shows for task T, reported on in entry E (NULL: not
 * reported), or completed before (DONE: the 已完成 text, else NULL).
 * UNIT_CELL and TASK_CELL are what the 单位 and 工作任务 columns show. */
static lg_cell cell_for(lg_field field, const lg_task *t, const char *unit_cell,
                        const char *task, const lg_entry *e, const char *done)
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
        return (lg_cell){.text = ""};
    }
}

/* The 状态 cell of U's row for T: the status's name, marked for attention
 * (LG_CELL_BEHIND) when 逾期, 滞后 or 未报送, or escalated. */
static lg_cell status_cell(lg_arena *a, const lg_month *m, const lg_task *t, const lg_unit *u)
{
    const lg_status_rules *r = lg_status_rules_of(m);
    lg_status s = lg_status_of(m, t, u, r);
    bool attention = s.escalated || s.kind == LG_STATUS_OVERDUE || s.kind == LG_STATUS_BEHIND ||
                     s.kind == LG_STATUS_UNREPORTED;
    return (lg_cell){lg_status_label(a, s, r), attention ? LG_CELL_BEHIND : LG_CELL_PLAIN};
}

static void add_entry_row(lg_table *tbl, const lg_month *m, const lg_task *t, const lg_unit *u,
                          const char *unit_cell, const char *task)
{
    const lg_entry *e = lg_month_entry(m, t, u);
    int done_month = lg_month_done(m, t, u);
    const char *done = done_month ? lg_done_label(tbl->arena, m->year, done_month) : NULL;
    lg_cell *row = lg_table_add_row(tbl);
    for (size_t c = 0; c < tbl->n_columns; c++)
        row[c] = tbl->columns[c].field == LG_FIELD_STATUS
                     ? status_cell(tbl->arena, m, t, u)
                     : cell_for(tbl->columns[c].field, t, unit_cell, task, e, done);
}

/* Adds the rows of U's tasks that are (or are not) shared; returns how many. */
static size_t add_tasks(lg_table *tbl, const lg_month *m, const lg_unit *u, bool shared)
{
    const lg_plan *p = m->plan;
    size_t n = 0;
    for (size_t i = 0; i < p->n_tasks; i++) {
        const lg_task *t = &p->tasks[i];
        if (t->shared == shared && lg_task_owned_by(t, u)) {
            add_entry_row(tbl, m, t, u, lg_task_unit_label(t, u), t->numbered);
            n++;
        }
    }
    return n;
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
 * the number of rows. With GROUPS, each part is a group. */
static size_t add_unit_rows(lg_table *tbl, const lg_month *m, const lg_unit *u, bool groups)
{
    size_t start = tbl->n_rows;
    size_t shared = add_tasks(tbl, m, u, true);
    if (shared && groups)
        lg_table_add_group(tbl, shared_label(m->plan, u), start, start + shared - 1);
    size_t own = add_tasks(tbl, m, u, false);
    if (own && groups)
        lg_table_add_group(tbl, u->name, start + shared, start + shared + own - 1);
    return shared + own;
}

lg_table *lg_view_unit(lg_arena *a, const lg_month *m, const lg_unit *u,
                       const lg_view_layout *layout, const char *title_format)
{
    char *title = lg_view_title(m, title_format);
    lg_table *t = lg_table_new(a, u->name, title, layout);
    t->texts = m->plan->texts;
    free(title);
    lg_table_reserve(t, lg_month_unit_stats(m, u).owned);
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
    lg_table *t = lg_table_new(a, "分单位台账", title, layout);
    t->texts = m->plan->texts;
    free(title);
    lg_table_reserve(t, rows_by_task(m->plan));
    for (size_t i = 0; i < m->plan->n_units; i++) {
        const lg_unit *u = &m->plan->units[i];
        size_t start = t->n_rows;
        size_t n = add_unit_rows(t, m, u, false);
        if (n)
            lg_table_add_group(t, u->name, start, start + n - 1)->new_page = true;
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
    lg_table_reserve(t, rows_by_task(p));
    lg_table_reserve_groups(t, p->n_tasks);
    for (size_t i = 0; i < p->n_tasks; i++) {
        const lg_task *task = &p->tasks[i];
        size_t start = t->n_rows;
        /* one row per reporting unit, in plan order */
        for (size_t k = 0; k < p->n_units; k++)
            if (lg_task_owned_by(task, &p->units[k]))
                add_entry_row(t, m, task, &p->units[k], p->units[k].name, task->numbered);
        if (t->n_rows > start) /* a bookmark: the numbered task */
            lg_table_add_group(t, task->numbered, start, t->n_rows - 1);
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
