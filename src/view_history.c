/* A task's history over the year (ledgerc history): its months as rows, each
 * from that month's plan and reports, cells as the ledger shows them. */
#include "view.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"

/* The cell of column FIELD for T and U in month M, whose entry is E (NULL:
 * none) and which was completed before in month DONE (0: not). */
static lg_cell cell_for(lg_arena *a, lg_field field, const lg_month *m, const lg_task *t,
                        const lg_unit *u, const lg_entry *e, int done)
{
    switch (field) {
    case LG_FIELD_TASK:
        return (lg_cell){.text = t->numbered};
    case LG_FIELD_DUE:
        return (lg_cell){.text = t->due_label};
    case LG_FIELD_MONTH:
        return (lg_cell){.text = lg_arena_printf(a, "%d年%d月", m->year, m->month)};
    case LG_FIELD_UNIT:
        return (lg_cell){.text = u->name};
    case LG_FIELD_PROGRESS:
        if (done)
            return (lg_cell){.text = lg_done_label(a, m->year, done)};
        return e ? (lg_cell){.text = e->progress} : (lg_cell){"未报送", LG_CELL_MISSING};
    case LG_FIELD_PLAN:
        return (lg_cell){.text = e ? e->plan : ""};
    case LG_FIELD_ON_SCHEDULE:
        if (done)
            return (lg_cell){.text = "是"};
        if (!e)
            return (lg_cell){.text = ""};
        return e->on_schedule ? (lg_cell){.text = "是"} : (lg_cell){"否", LG_CELL_BEHIND};
    case LG_FIELD_COMPLETED:
        if (done)
            return (lg_cell){.text = "已完成"};
        return (lg_cell){.text = e && e->completed ? "本月完成" : ""};
    case LG_FIELD_REMARK:
        return (lg_cell){.text = e ? e->remark : ""};
    default:
        return (lg_cell){.text = ""};
    }
}

lg_table *lg_view_history(lg_arena *a, const lg_month *const *months, size_t n, long task_no,
                          const char *unit_id, const lg_view_layout *layout,
                          const char *title_format)
{
    const lg_month *last = months[n - 1];
    char *period_title = lg_view_title(last, title_format);
    char *title = lg_xasprintf("%s\n任务%ld：%d年1月至%d月", period_title, task_no, last->year,
                               last->month);
    lg_table *tbl = lg_table_new(a, lg_arena_printf(a, "任务%ld", task_no), title, layout);
    tbl->texts = last->plan->texts;
    free(title);
    free(period_title);
    const lg_task *first = NULL;
    for (size_t k = 0; k < n; k++) {
        const lg_month *m = months[k];
        const lg_task *t = lg_plan_find_task(m->plan, task_no);
        for (size_t i = 0; t && i < m->plan->n_units; i++) {
            const lg_unit *u = &m->plan->units[i];
            if (!lg_task_owned_by(t, u) || (unit_id && strcmp(u->id, unit_id) != 0))
                continue;
            const lg_entry *e = lg_month_entry(m, t, u);
            int done = lg_month_done(m, t, u);
            lg_cell *row = lg_table_add_row(tbl);
            for (size_t c = 0; c < tbl->n_columns; c++)
                row[c] = cell_for(a, tbl->columns[c].field, m, t, u, e, done);
            first = first ? first : t;
        }
    }
    if (first) /* a bookmark: the task */
        lg_table_add_group(tbl, first->numbered, 0, tbl->n_rows - 1);
    lg_table_merge_equal(tbl);
    return tbl;
}
