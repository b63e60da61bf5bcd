/* The fill-in form (填报表) of a unit for a month: the unit's tasks in ledger
 * order, what is known filled in and locked (the task, its due label, and
 * what the unit promised last month), and the cells the unit fills in left
 * open: 进展情况, 存在问题, 下个月工作计划, 是否达到序时进度 (a drop-down of
 * 是/否/已完成: a unit reports a task completed there), 备注. The row of a task
 * completed in an earlier month shows 已完成（YYYY年M月） and is locked.
 *
 * A quantitative task (one with a <target>) shows its target (目标, locked:
 * 80亿元, 增长6.2%) and takes its figure cumulative to the month (累计完成) in
 * a cell that holds only a number, in the target's unit. A unit none of whose
 * tasks has a target gets a form without these two columns.
 *
 * The table carries what `ledgerc import` needs to read the form back
 * without guessing (see form_protocol.h): the unit, the period, the field of each
 * column and the task of each row, as meta that the XLSX renderer puts on a
 * hidden, protected sheet. */
#include "view.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "form_protocol.h"

static const char *const yes_no[] = {LG_FORM_YES, LG_FORM_NO, LG_FORM_DONE};

/* Room to write in: a row is at least this many lines tall, however short its
 * task. (Rows and columns can be resized in the protected sheet.) */
#define FORM_MIN_LINES 5

/* Whether a column of FIELD is filled in by the unit. */
static bool is_input(lg_field field)
{
    return field == LG_FIELD_PROGRESS || field == LG_FIELD_PLAN ||
           field == LG_FIELD_ON_SCHEDULE || field == LG_FIELD_REMARK ||
           field == LG_FIELD_PROBLEMS;
}

/* The 累计完成 cell of task T: a figure to fill in for a quantitative task
 * (a growth may be negative), else nothing, locked. */
static lg_cell actual_cell(const lg_task *t)
{
    if (!t->target.set)
        return (lg_cell){.text = ""};
    unsigned sign = t->target.growth ? LG_CELL_INPUT_SIGNED : 0;
    return (lg_cell){.text = "", .flags = LG_CELL_INPUT | LG_CELL_INPUT_FIGURE | sign};
}

/* The cell of column FIELD for task T in U's form, in arena A; PREV is U's
 * entry for T last month, or NULL; DONE the 已完成 text of a task completed
 * before (its row is all locked), or NULL. */
static lg_cell cell_for(lg_arena *a, lg_field field, const lg_task *t, const lg_unit *u,
                        const lg_entry *prev, const char *done)
{
    if (done && field == LG_FIELD_PROGRESS)
        return (lg_cell){.text = done};
    if (done && field == LG_FIELD_ON_SCHEDULE)
        return (lg_cell){.text = LG_FORM_DONE};
    if (done && (is_input(field) || field == LG_FIELD_ACTUAL))
        return (lg_cell){.text = ""};
    if (is_input(field))
        return (lg_cell){.text = "", .flags = LG_CELL_INPUT};
    switch (field) {
    case LG_FIELD_ACTUAL:
        return actual_cell(t);
    case LG_FIELD_TARGET:
        return (lg_cell){.text = t->target.set ? lg_view_figure(a, t, t->target.value) : ""};
    case LG_FIELD_UNIT:
        return (lg_cell){.text = lg_task_unit_label(t, u)};
    case LG_FIELD_TASK:
        return (lg_cell){.text = t->numbered};
    case LG_FIELD_DUE:
        return (lg_cell){.text = t->due_label};
    case LG_FIELD_PROMISED_PLAN:
        return (lg_cell){.text = prev ? prev->plan : ""};
    default:
        return (lg_cell){.text = ""};
    }
}

/* Adds the rows of U's tasks that are (or are not) shared, their keys (the
 * task numbers) to KEYS and, for a task completed before month M (NULL:
 * none), its month to DONE; returns how many. */
static size_t add_tasks(lg_arena *a, lg_table *tbl, const lg_plan *p, const lg_month *m,
                        const lg_unit *u, const lg_report *prev, bool shared, const char **keys,
                        const char **done)
{
    size_t n = 0;
    for (size_t i = 0; i < p->n_tasks; i++) {
        const lg_task *t = &p->tasks[i];
        if (t->shared != shared || !lg_task_owned_by(t, u))
            continue;
        const lg_entry *e = lg_report_find_entry(prev, t->no);
        int done_month = m ? lg_month_done(m, t, u) : 0;
        const char *label = done_month ? lg_done_label(a, m->year, done_month) : NULL;
        keys[tbl->n_rows] = lg_arena_printf(a, "%ld", t->no);
        done[tbl->n_rows] =
            done_month ? lg_arena_printf(a, "%04d-%02d", m->year, done_month) : "";
        lg_cell *row = lg_table_add_row(tbl);
        for (size_t c = 0; c < tbl->n_columns; c++)
            row[c] = cell_for(a, tbl->columns[c].field, t, u, e, label);
        n++;
    }
    return n;
}

/* The field names of the columns, space-separated: what import reads to
 * find each column. */
static const char *column_fields(lg_arena *a, const lg_view_layout *layout)
{
    size_t len = 1;
    for (size_t c = 0; c < layout->n_columns; c++) {
        const char *name = lg_field_name(layout->columns[c].field);
        len += strlen(name ? name : "-") + 1;
    }
    char *s = lg_arena_alloc(a, len);
    for (size_t c = 0; c < layout->n_columns; c++) {
        const char *name = lg_field_name(layout->columns[c].field);
        if (c)
            strcat(s, " ");
        strcat(s, name ? name : "-");
    }
    return s;
}

/* LAYOUT without its 目标 and 累计完成 columns when none of U's tasks in P has
 * a target; else LAYOUT. */
static const lg_view_layout *columns_for(lg_arena *a, const lg_plan *p, const lg_unit *u,
                                         const lg_view_layout *layout)
{
    for (size_t i = 0; i < p->n_tasks; i++)
        if (p->tasks[i].target.set && lg_task_owned_by(&p->tasks[i], u))
            return layout;
    lg_view_layout *l = lg_arena_alloc(a, sizeof *l);
    *l = *layout;
    l->columns = lg_arena_alloc(a, (layout->n_columns + 1) * sizeof *l->columns);
    l->n_columns = 0;
    for (size_t c = 0; c < layout->n_columns; c++) {
        lg_field f = layout->columns[c].field;
        if (f != LG_FIELD_TARGET && f != LG_FIELD_ACTUAL)
            l->columns[l->n_columns++] = layout->columns[c];
    }
    return l;
}

lg_table *lg_view_form(lg_arena *a, const lg_plan *p, int year, int month, const lg_unit *u,
                       const lg_report *prev, const lg_month *m,
                       const lg_view_layout *layout, const char *title_format)
{
    layout = columns_for(a, p, u, layout);
    char *period_title = lg_format_fields(title_format, p->title, year, month, NULL, NULL);
    char *title = lg_xasprintf("%s\n填报单位：%s", period_title, u->name);
    lg_table *t = lg_table_new(a, u->name, title, layout);
    t->texts = p->texts;
    free(title);
    free(period_title);

    size_t owned = 0;
    for (size_t i = 0; i < p->n_tasks; i++)
        owned += lg_task_owned_by(&p->tasks[i], u);
    const char **keys = lg_arena_alloc(a, (owned + 1) * sizeof *keys);
    const char **done = lg_arena_alloc(a, (owned + 1) * sizeof *done);
    size_t shared = add_tasks(a, t, p, m, u, prev, true, keys, done);
    if (shared)
        lg_table_add_group(t, u->name, 0, shared - 1);
    size_t own = add_tasks(a, t, p, m, u, prev, false, keys, done);
    if (own)
        lg_table_add_group(t, u->name, shared, shared + own - 1);
    /* No lg_table_merge_equal: every row stays its own, so that each task's
     * cells to fill in are separate and read back one by one. */

    lg_choices *choices = lg_arena_alloc(a, (layout->n_columns + 1) * sizeof *choices);
    for (size_t c = 0; c < layout->n_columns; c++)
        if (layout->columns[c].field == LG_FIELD_ON_SCHEDULE)
            choices[c] = (lg_choices){yes_no, 3};

    lg_meta *meta = lg_arena_alloc(a, 5 * sizeof *meta);
    size_t n = 0;
    meta[n++] = (lg_meta){LG_FORM_KEY_VERSION, LG_FORM_VERSION};
    meta[n++] = (lg_meta){LG_FORM_KEY_UNIT, lg_arena_strdup(a, u->id)};
    meta[n++] = (lg_meta){LG_FORM_KEY_PERIOD, lg_arena_printf(a, "%04d-%02d", year, month)};
    meta[n++] = (lg_meta){LG_FORM_KEY_COLUMNS, column_fields(a, layout)};
    meta[n++] = (lg_meta){LG_FORM_KEY_UNIT_NAME, lg_arena_strdup(a, u->name)};

    lg_form *f = lg_arena_alloc(a, sizeof *f);
    *f = (lg_form){.protect = true, .choices = choices, .meta = meta, .n_meta = n,
                   .row_keys = keys, .row_done = done, .min_lines = FORM_MIN_LINES};
    t->form = f;
    return t;
}
