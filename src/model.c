#include "model.h"

#include <stdlib.h>
#include <string.h>

/* The unit of UNITS (N of them) whose id is ID, or NULL. */
static lg_unit *unit_at(lg_unit *units, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(units[i].id, id) == 0)
            return &units[i];
    return NULL;
}

lg_plan *lg_plan_at(const lg_plan *p, int month)
{
    if (!p->amended)
        return (lg_plan *)p;
    if (p->at[month])
        return p->at[month];
    lg_plan *q = lg_arena_alloc(p->arena, sizeof *q);
    *q = *p;
    q->amended = false;
    q->month = month;
    q->base = p;
    q->units = lg_arena_alloc(p->arena, (p->n_units + 1) * sizeof *q->units);
    q->n_units = 0;
    for (size_t i = 0; i < p->n_units; i++)
        if (p->units[i].since <= month && month <= p->units[i].until) {
            lg_unit *u = &q->units[q->n_units];
            *u = p->units[i];
            u->index = q->n_units++;
        }
    q->tasks = lg_arena_alloc(p->arena, (p->n_tasks + 1) * sizeof *q->tasks);
    q->n_tasks = 0;
    for (size_t i = 0; i < p->n_tasks; i++) {
        const lg_task *t = &p->tasks[i];
        if (t->since > month || month > t->until)
            continue;
        lg_task *c = &q->tasks[q->n_tasks++];
        *c = *t;
        c->owners = lg_arena_alloc(p->arena, (t->n_owners + 1) * sizeof *c->owners);
        c->n_owners = 0;
        /* The loader checked that every owner is a unit of each month the task holds. */
        for (size_t k = 0; k < t->n_owners; k++) {
            lg_unit *u = unit_at(q->units, q->n_units, t->owners[k]->id);
            if (u)
                c->owners[c->n_owners++] = u;
        }
        if (c->label_derived) { /* a renamed owner is printed by its new name */
            c->owner_label = NULL;
            lg_task_derive_labels(p->arena, c);
        }
    }
    p->at[month] = q;
    return q;
}

const lg_unit *lg_plan_find_unit(const lg_plan *p, const char *id)
{
    for (size_t i = 0; i < p->n_units; i++)
        if (strcmp(p->units[i].id, id) == 0)
            return &p->units[i];
    return NULL;
}

const lg_task *lg_plan_find_task(const lg_plan *p, long no)
{
    size_t lo = 0, hi = p->n_tasks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->tasks[mid].no < no)
            lo = mid + 1;
        else if (p->tasks[mid].no > no)
            hi = mid;
        else
            return &p->tasks[mid];
    }
    return NULL;
}

const lg_entry *lg_report_find_entry(const lg_report *r, long task_no)
{
    if (!r)
        return NULL;
    size_t lo = 0, hi = r->n_entries;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        long no = r->entries[mid].task->no;
        if (no < task_no)
            lo = mid + 1;
        else if (no > task_no)
            hi = mid;
        else
            return &r->entries[mid];
    }
    return NULL;
}

const char *lg_task_unit_label(const lg_task *t, const lg_unit *u)
{
    return t->shared && t->owner_label ? t->owner_label : u->name;
}

bool lg_on_schedule(const lg_task *t, long long actual, int month)
{
    if (t->target.growth)
        return actual >= t->target.value;
    /* both at most 10^14 (lg_load_decimal): the products fit */
    return actual * 12 >= t->target.value * month;
}

long lg_completion_rate(const lg_task *t, long long actual)
{
    if (t->target.growth || t->target.value <= 0)
        return -1;
    /* an amount's actual is not negative (the loader checks), and at most
     * 10^14 (lg_load_decimal): the product fits */
    return (long)((actual * 2000 + t->target.value) / (2 * t->target.value));
}

const lg_unit *lg_task_lead(const lg_task *t)
{
    return t->shared || t->lead >= t->n_owners ? NULL : t->owners[t->lead];
}

bool lg_task_owned_by(const lg_task *t, const lg_unit *u)
{
    if (t->shared)
        return true;
    for (size_t i = 0; i < t->n_owners; i++)
        if (t->owners[i] == u)
            return true;
    return false;
}

void lg_task_derive_labels(lg_arena *a, lg_task *t)
{
    if (!t->due_label) {
        switch (t->due_kind) {
        case LG_DUE_ONGOING:
            t->due_label = "长期推进";
            break;
        case LG_DUE_MONTH:
            t->due_label = lg_arena_printf(a, "%d年%d月底前", t->due_year, t->due_month);
            break;
        case LG_DUE_YEAR:
            t->due_label = lg_arena_printf(a, "%d年底前", t->due_year);
            break;
        }
    }
    if (!t->owner_label && !t->shared && t->n_owners == 1) {
        t->owner_label = t->owners[0]->name; /* most tasks: no copy */
    } else if (!t->owner_label && !t->shared) {
        size_t len = 1;
        for (size_t i = 0; i < t->n_owners; i++)
            len += strlen(t->owners[i]->name) + strlen("、");
        char *s = lg_arena_alloc(a, len);
        for (size_t i = 0; i < t->n_owners; i++) {
            if (i)
                strcat(s, "、");
            strcat(s, t->owners[i]->name);
        }
        t->owner_label = s;
    }
}

bool lg_period_parse(const char *s, int *year, int *month)
{
    if (strlen(s) != 7 || s[4] != '-')
        return false;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (s[i] < '0' || s[i] > '9'))
            return false;
    int y = atoi(s), m = atoi(s + 5);
    if (y < 1900 || m < 1 || m > 12)
        return false;
    *year = y;
    *month = m;
    return true;
}

bool lg_task_overdue(const lg_task *t, const lg_entry *e, int year, int month)
{
    if (t->due_kind == LG_DUE_ONGOING || (e && e->completed))
        return false;
    /* due_month is 12 for a task due within a year */
    return t->due_year * 12 + t->due_month < year * 12 + month;
}

const char *lg_done_label(lg_arena *a, int year, int month)
{
    return lg_arena_printf(a, "已完成（%d年%d月）", year, month);
}

void lg_period_prev(int *year, int *month)
{
    if (--*month == 0) {
        *month = 12;
        --*year;
    }
}

/* An entry of an earlier month that completes or reopens a pair, in the
 * order the months and their entries are read (SEQ). */
typedef struct done_event {
    size_t cell, seq;
    int month; /* 1-12 */
    bool completed, reopens;
} done_event;

static int by_cell_then_seq(const void *a, const void *b)
{
    const done_event *x = a, *y = b;
    if (x->cell != y->cell)
        return x->cell < y->cell ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void lg_month_set_earlier(lg_month *m, const lg_month *const *earlier)
{
    const lg_plan *p = m->plan;
    m->earlier = earlier;
    done_event *ev = NULL;
    size_t n = 0, cap = 0;
    for (int k = 0; k + 1 < m->month; k++) {
        if (!earlier[k])
            continue;
        /* That month may have been compiled from another version of the plan:
         * units and tasks are matched by id and number. */
        const lg_plan *ep = earlier[k]->plan;
        for (size_t ei = 0; ei < ep->n_units; ei++) {
            const lg_report *r = earlier[k]->reports[ei];
            const lg_unit *u = r ? lg_plan_find_unit(p, ep->units[ei].id) : NULL;
            for (size_t j = 0; u && j < r->n_entries; j++) {
                const lg_entry *e = &r->entries[j];
                const lg_task *t = e->completed || e->reopens ? lg_plan_find_task(p, e->task->no)
                                                              : NULL;
                if (!t)
                    continue;
                if (n == cap) {
                    cap = cap ? 2 * cap : 256;
                    ev = lg_xrealloc(ev, cap * sizeof *ev);
                }
                ev[n] = (done_event){u->index * p->n_tasks + (size_t)(t - p->tasks), n, k + 1,
                                     e->completed, e->reopens};
                n++;
            }
        }
    }
    /* Each pair's entries in month order: the first completion counts, a
     * later reopening undoes it. */
    if (n)
        qsort(ev, n, sizeof *ev, by_cell_then_seq);
    lg_done *done = lg_arena_alloc(p->arena, (n ? n : 1) * sizeof *done);
    size_t n_done = 0;
    for (size_t i = 0; i < n;) {
        int month = 0;
        size_t cell = ev[i].cell;
        for (; i < n && ev[i].cell == cell; i++) {
            if (ev[i].completed && !month)
                month = ev[i].month;
            else if (ev[i].reopens)
                month = 0;
        }
        if (month)
            done[n_done++] = (lg_done){cell, month};
    }
    free(ev);
    m->done = done;
    m->n_done = n_done;
}

int lg_month_done(const lg_month *m, const lg_task *t, const lg_unit *u)
{
    if (!m->done)
        return 0;
    const lg_plan *p = m->plan;
    size_t cell = u->index * p->n_tasks + (size_t)(t - p->tasks), lo = 0, hi = m->n_done;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->done[mid].cell < cell)
            lo = mid + 1;
        else
            hi = mid;
    }
    int done = lo < m->n_done && m->done[lo].cell == cell ? m->done[lo].month : 0;
    if (done) {
        const lg_entry *e = lg_report_find_entry(m->reports[u->index], t->no);
        if (e && e->reopens)
            return 0;
    }
    return done;
}

const lg_entry *lg_month_entry(const lg_month *m, const lg_task *t, const lg_unit *u)
{
    if (lg_month_done(m, t, u))
        return NULL;
    return lg_report_find_entry(m->reports[u->index], t->no);
}

lg_unit_stats lg_month_unit_stats(const lg_month *m, const lg_unit *u)
{
    lg_unit_stats s = {0};
    const lg_plan *p = m->plan;
    for (size_t i = 0; i < p->n_tasks; i++) {
        const lg_task *t = &p->tasks[i];
        if (!lg_task_owned_by(t, u))
            continue;
        s.owned++;
        if (lg_month_done(m, t, u)) {
            s.reported++;
            s.on_schedule++;
            s.completed++;
            continue;
        }
        const lg_entry *e = lg_month_entry(m, t, u);
        if (e) {
            s.reported++;
            s.on_schedule += e->on_schedule;
            s.behind += !e->on_schedule;
            s.completed += e->completed;
        }
        s.overdue += lg_task_overdue(t, e, m->year, m->month);
    }
    s.unreported = s.owned - s.reported;
    return s;
}

/* The last three parts of PATH, "reports/YYYY-MM/UNIT.xml": the report's
 * place in the input folder, whatever folder that is. */
static const char *in_input(const char *path)
{
    const char *s = path + strlen(path);
    for (int parts = 0; s > path; s--)
        if (s[-1] == '/' && ++parts == 3)
            break;
    return s;
}

char *lg_report_location(const lg_report *r)
{
    if (r->form)
        return r->sheet ? lg_xasprintf("%s，工作表“%s”", r->form, r->sheet) : lg_xstrdup(r->form);
    return r->line > 0 ? lg_xasprintf("%s:%ld", in_input(r->file), r->line)
                       : lg_xstrdup(in_input(r->file));
}

char *lg_entry_location(const lg_report *r, const lg_entry *e)
{
    if (r->form && e->cell) {
        char *at = lg_report_location(r);
        char *s = lg_xasprintf("%s，单元格 %s", at, e->cell);
        free(at);
        return s;
    }
    if (r->form)
        return lg_report_location(r);
    return e->line > 0 ? lg_xasprintf("%s:%ld", in_input(r->file), e->line)
                       : lg_report_location(r);
}
