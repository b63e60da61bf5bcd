/* The summary (汇总): where each unit stands this month, with totals and a
 * chart of the on-schedule rate; and the problem list (问题清单). */
#include "view.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "status.h"

/* The figure a summary column shows, or -1 when the column is not a figure. */
static double figure(lg_field f, const lg_standing *u)
{
    const lg_unit_stats *s = &u->s;
    switch (f) {
    case LG_FIELD_TASKS: return (double)s->owned;
    case LG_FIELD_REPORTED: return (double)s->reported;
    case LG_FIELD_ON_SCHEDULE_COUNT: return (double)s->on_schedule;
    case LG_FIELD_BEHIND_COUNT: return (double)s->behind;
    case LG_FIELD_UNREPORTED: return (double)s->unreported;
    case LG_FIELD_OVERDUE: return (double)s->overdue;
    case LG_FIELD_COMPLETED: return (double)s->completed;
    case LG_FIELD_ON_SCHEDULE_RATE:
        return s->owned ? (double)s->on_schedule / (double)s->owned : 0;
    case LG_FIELD_STATUS_DONE: return (double)u->c.n[LG_STATUS_DONE];
    case LG_FIELD_STATUS_UNREPORTED: return (double)u->c.n[LG_STATUS_UNREPORTED];
    case LG_FIELD_STATUS_OVERDUE: return (double)u->c.n[LG_STATUS_OVERDUE];
    case LG_FIELD_STATUS_BEHIND: return (double)u->c.n[LG_STATUS_BEHIND];
    case LG_FIELD_STATUS_DUE_SOON: return (double)u->c.n[LG_STATUS_DUE_SOON];
    case LG_FIELD_STATUS_NORMAL: return (double)u->c.n[LG_STATUS_NORMAL];
    case LG_FIELD_ESCALATED: return (double)u->c.escalated;
    default: return -1;
    }
}

/* The figures that need the office's attention when not 0. */
static bool attention(lg_field f)
{
    return f == LG_FIELD_BEHIND_COUNT || f == LG_FIELD_OVERDUE || f == LG_FIELD_UNREPORTED ||
           f == LG_FIELD_STATUS_UNREPORTED || f == LG_FIELD_STATUS_OVERDUE ||
           f == LG_FIELD_STATUS_BEHIND || f == LG_FIELD_ESCALATED;
}

static void fill_row(lg_table *t, const lg_standing *u, unsigned flags)
{
    lg_cell *row = lg_table_add_row(t);
    for (size_t c = 0; c < t->n_columns; c++) {
        lg_field f = t->columns[c].field;
        row[c].flags = flags;
        if (f == LG_FIELD_UNIT) {
            row[c].text = u->name;
            continue;
        }
        double v = f == LG_FIELD_RANK ? (u->rank ? (double)u->rank : -1) : figure(f, u);
        if (v < 0)
            continue;
        lg_cell_set_number(t, &row[c], v, f == LG_FIELD_ON_SCHEDULE_RATE);
        if (attention(f) && v > 0)
            row[c].flags |= LG_CELL_BEHIND;
    }
}

static long column_of(const lg_table *t, lg_field f)
{
    for (size_t c = 0; c < t->n_columns; c++)
        if (t->columns[c].field == f)
            return (long)c;
    return -1;
}

/* Each of the N units' names (rows 0..N-1) leads to its part of the by-unit ledger. */
static void add_links(lg_table *t, const lg_standing *u, size_t n)
{
    long col = column_of(t, LG_FIELD_UNIT);
    if (col < 0 || !n)
        return;
    lg_link *links = lg_arena_alloc(t->arena, n * sizeof *links);
    for (size_t i = 0; i < n; i++)
        links[i] = (lg_link){i, (size_t)col, LG_VIEW_BY_UNIT_NAME, u[i].name};
    t->links = links;
    t->n_links = n;
}

lg_table *lg_view_summary(lg_arena *a, const lg_month *m, const lg_view_layout *layout,
                          const char *title_format)
{
    char *title = lg_view_title(m, title_format);
    lg_table *t = lg_table_new(a, "汇总", lg_arena_printf(a, "%s汇总", title), layout);
    free(title);
    const lg_plan *p = m->plan;
    lg_standing *u = lg_rank_units(a, m);
    lg_standing total = {.name = "合计"};
    for (size_t i = 0; i < p->n_units; i++) {
        fill_row(t, &u[i], 0);
        total.s.owned += u[i].s.owned;
        total.s.reported += u[i].s.reported;
        total.s.on_schedule += u[i].s.on_schedule;
        total.s.behind += u[i].s.behind;
        total.s.unreported += u[i].s.unreported;
        total.s.overdue += u[i].s.overdue;
        total.s.completed += u[i].s.completed;
        for (int k = 0; k < LG_STATUS_COUNT; k++)
            total.c.n[k] += u[i].c.n[k];
        total.c.escalated += u[i].c.escalated;
    }
    fill_row(t, &total, LG_CELL_STRONG);
    add_links(t, u, p->n_units);

    long label = column_of(t, LG_FIELD_UNIT), value = column_of(t, LG_FIELD_ON_SCHEDULE_RATE);
    if (label >= 0 && value >= 0 && p->n_units) {
        lg_chart *c = lg_arena_alloc(a, sizeof *c);
        *c = (lg_chart){"各单位序时进度达标率", (size_t)label, (size_t)value, 0,
                        p->n_units - 1, false, 0};
        t->chart = c;
    }
    return t;
}

/* A month column of the trend: narrow enough for twelve beside the units. */
#define TREND_MONTH_MM 17

/* The on-schedule rate of the unit with id ID in month M, or -1 when it is
 * not a unit of that month's plan or owns no task then. */
static double rate_in(const lg_month *m, const char *id)
{
    const lg_unit *u = m ? lg_plan_find_unit(m->plan, id) : NULL;
    if (!u)
        return -1;
    lg_unit_stats s = lg_month_unit_stats(m, u);
    return s.owned ? (double)s.on_schedule / (double)s.owned : -1;
}

/* Whether any unit reported in month M: a month nobody reported in (its
 * folder missing or empty, e.g. before ledgerc was used) has no rates, which
 * the trend leaves blank rather than showing 0%. */
static bool any_report(const lg_month *m)
{
    for (size_t i = 0; m && i < m->plan->n_units; i++)
        if (m->reports[i])
            return true;
    return false;
}

/* The total's rate in month M, or -1 without tasks. */
static double total_rate(const lg_month *m)
{
    size_t owned = 0, on = 0;
    for (size_t i = 0; m && i < m->plan->n_units; i++) {
        lg_unit_stats s = lg_month_unit_stats(m, &m->plan->units[i]);
        owned += s.owned;
        on += s.on_schedule;
    }
    return owned ? (double)on / (double)owned : -1;
}

lg_table *lg_view_trend(lg_arena *a, const lg_month *m, const lg_view_layout *summary,
                        const char *title_format)
{
    size_t n = (size_t)m->month;
    lg_view_layout *layout = lg_arena_alloc(a, sizeof *layout);
    lg_column *cols = lg_arena_alloc(a, (n + 1) * sizeof *cols);
    long unit_col = -1;
    for (size_t c = 0; c < summary->n_columns && unit_col < 0; c++)
        if (summary->columns[c].field == LG_FIELD_UNIT)
            unit_col = (long)c;
    cols[0] = unit_col >= 0 ? summary->columns[unit_col]
                            : (lg_column){LG_FIELD_UNIT, "单位", 50, LG_ALIGN_LEFT, false, false};
    for (size_t k = 1; k <= n; k++)
        cols[k] = (lg_column){LG_FIELD_ON_SCHEDULE_RATE, lg_arena_printf(a, "%zu月", k),
                              TREND_MONTH_MM, LG_ALIGN_CENTER, false, false};
    *layout = (lg_view_layout){"trend", cols, n + 1};

    char *title = lg_view_title(m, title_format);
    lg_table *t = lg_table_new(a, "年度趋势", lg_arena_printf(a, "%s年度趋势", title), layout);
    free(title);
    const lg_plan *p = m->plan;
    for (size_t i = 0; i <= p->n_units; i++) {
        lg_cell *row = lg_table_add_row(t);
        bool total = i == p->n_units;
        row[0] = (lg_cell){.text = total ? "合计" : p->units[i].name,
                           .flags = total ? LG_CELL_STRONG : 0};
        for (size_t k = 1; k <= n; k++) {
            const lg_month *mk = k == n ? m : m->earlier ? m->earlier[k - 1] : NULL;
            double v = !any_report(mk) ? -1 : total ? total_rate(mk) : rate_in(mk, p->units[i].id);
            row = lg_table_cell(t, i, 0); /* adding numbers may move the cells */
            row[k].flags = total ? LG_CELL_STRONG : 0;
            if (v >= 0)
                lg_cell_set_number(t, &row[k], v, true);
        }
    }
    if (p->n_units) {
        lg_chart *c = lg_arena_alloc(a, sizeof *c);
        *c = (lg_chart){"各单位序时进度达标率年度趋势", 0, 1, 0, p->n_units - 1, true, n};
        t->chart = c;
    }
    return t;
}

/* PATH relative to DIR when it lies inside it, else its last component. */
static const char *relative(const char *path, const char *dir)
{
    size_t n = dir ? strlen(dir) : 0;
    while (n > 1 && dir[n - 1] == '/')
        n--;
    if (n > 0 && strncmp(path, dir, n) == 0 && (path[n] == '/' || dir[n - 1] == '/')) {
        const char *rest = path + n;
        while (*rest == '/')
            rest++;
        if (*rest)
            return rest;
    }
    if (path[0] != '/' && strncmp(path, "../", 3) != 0 && strstr(path, "/../") == NULL)
        return path; /* already relative to where ledgerc ran, inside it */
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

const char *lg_view_location(lg_arena *a, const lg_diag *g, const char *input_dir)
{
    if (!g->file)
        return NULL;
    const char *file = relative(g->file, input_dir);
    return g->line > 0 ? lg_arena_printf(a, "%s:%ld", file, g->line) : file;
}

/* The 状态 of the row a diagnostic names, as the ledgers show it; empty for
 * one that names no row. */
static lg_cell problem_status(lg_arena *a, const lg_month *m, const lg_diag *g)
{
    const lg_unit *u = g->unit ? lg_plan_find_unit(m->plan, g->unit) : NULL;
    const lg_task *t = g->task ? lg_plan_find_task(m->plan, g->task) : NULL;
    if (!u || !t || !lg_task_owned_by(t, u))
        return (lg_cell){.text = ""};
    return (lg_cell){.text = lg_status_label(a, lg_status_of(m, t, u, NULL), lg_status_rules_of(m))};
}

lg_table *lg_view_problems(lg_arena *a, const lg_month *m, const lg_diags *d,
                           const char *input_dir, const lg_view_layout *layout,
                           const char *title_format)
{
    char *title = lg_view_title(m, title_format);
    lg_table *t = lg_table_new(a, "问题清单", lg_arena_printf(a, "%s问题清单", title), layout);
    free(title);
    lg_table_reserve(t, d->count);
    for (size_t i = 0; i < d->count; i++) {
        const lg_diag *g = &d->items[i];
        const lg_unit *u = g->unit ? lg_plan_find_unit(m->plan, g->unit) : NULL;
        lg_cell *row = lg_table_add_row(t);
        for (size_t c = 0; c < t->n_columns; c++) {
            lg_cell *cell = &row[c];
            switch (t->columns[c].field) {
            case LG_FIELD_UNIT:
                cell->text = u ? u->name : g->unit ? g->unit : "";
                break;
            case LG_FIELD_TASK:
                if (g->task)
                    lg_cell_set_number(t, cell, (double)g->task, false);
                break;
            case LG_FIELD_SEVERITY:
                cell->text = g->severity == LG_ERROR ? "错误" : "警告";
                cell->flags = g->severity == LG_ERROR ? LG_CELL_BEHIND : 0;
                break;
            case LG_FIELD_KIND: {
                const lg_diag_kind *k = lg_diag_kind_find(g->kind);
                cell->text = k ? k->zh : "其他";
                break;
            }
            case LG_FIELD_LOCATION:
                if (g->file)
                    cell->text = lg_view_location(a, g, input_dir);
                break;
            case LG_FIELD_MESSAGE:
                cell->text = g->message_zh ? g->message_zh : g->message;
                break;
            case LG_FIELD_STATUS:
                *cell = problem_status(a, m, g);
                break;
            default:
                break;
            }
        }
    }
    if (!d->count && t->n_columns) {
        /* a month without problems says so (as the 通报's empty lists do),
         * not a page of headings alone */
        size_t say = 0;
        for (size_t c = 0; c < t->n_columns; c++)
            if (t->columns[c].field == LG_FIELD_MESSAGE)
                say = c;
        lg_table_add_row(t)[say].text = "无";
    }
    return t;
}
