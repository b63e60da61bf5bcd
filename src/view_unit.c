#include "view.h"

#include <stdlib.h>

#include "arena.h"

char *lg_view_title(const lg_month *m, const char *title_format)
{
    return lg_format_fields(title_format, m->plan->title, m->year, m->month, NULL, NULL);
}

/* The text a column shows for task T in U's ledger, given U's entry E (or NULL). */
static lg_cell cell_for(lg_arena *a, lg_field field, const lg_task *t, const lg_unit *u,
                        const lg_entry *e)
{
    switch (field) {
    case LG_FIELD_UNIT:
        return (lg_cell){t->shared && t->owner_label ? t->owner_label : u->name, 0};
    case LG_FIELD_TASK:
        return (lg_cell){lg_arena_printf(a, "%ld.%s", t->no, t->text), 0};
    case LG_FIELD_DUE:
        return (lg_cell){t->due_label, 0};
    case LG_FIELD_PROGRESS:
        return e ? (lg_cell){e->progress, 0} : (lg_cell){"未报送", LG_CELL_MISSING};
    case LG_FIELD_PLAN:
        return (lg_cell){e ? e->plan : "", 0};
    case LG_FIELD_ON_SCHEDULE:
        if (!e)
            return (lg_cell){"", 0};
        return e->on_schedule ? (lg_cell){"是", 0} : (lg_cell){"否", LG_CELL_BEHIND};
    case LG_FIELD_REMARK:
        return (lg_cell){e ? e->remark : "", 0};
    }
    return (lg_cell){"", 0};
}

/* Adds the rows of U's tasks that are (or are not) shared; returns how many. */
static size_t add_tasks(lg_arena *a, lg_table *tbl, const lg_month *m, const lg_unit *u,
                        bool shared)
{
    const lg_plan *p = m->plan;
    const lg_report *r = m->reports[u->index];
    size_t n = 0;
    for (size_t i = 0; i < p->n_tasks; i++) {
        const lg_task *t = &p->tasks[i];
        if (t->shared != shared || !lg_task_owned_by(t, u))
            continue;
        const lg_entry *e = lg_report_find_entry(r, t->no);
        lg_cell *row = lg_table_add_row(tbl);
        for (size_t c = 0; c < tbl->n_columns; c++)
            row[c] = cell_for(a, tbl->columns[c].field, t, u, e);
        n++;
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

lg_table *lg_view_unit(lg_arena *a, const lg_month *m, const lg_unit *u,
                       const lg_view_layout *layout, const char *title_format)
{
    char *title = lg_view_title(m, title_format);
    lg_table *t = lg_table_new(a, u->name, title, layout);
    free(title);
    size_t shared = add_tasks(a, t, m, u, true);
    if (shared)
        lg_table_add_group(t, shared_label(m->plan, u), 0, shared - 1);
    size_t own = add_tasks(a, t, m, u, false);
    if (own)
        lg_table_add_group(t, u->name, shared, shared + own - 1);
    lg_table_merge_equal(t);
    return t;
}
