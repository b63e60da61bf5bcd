#include "model.h"

#include <stdlib.h>
#include <string.h>

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

void lg_month_set_earlier(lg_month *m, const lg_month *const *earlier)
{
    const lg_plan *p = m->plan;
    m->earlier = earlier;
    m->done = lg_arena_alloc(p->arena, p->n_units * p->n_tasks + 1);
    memset(m->done, 0, p->n_units * p->n_tasks + 1);
    for (int k = 0; k + 1 < m->month; k++) {
        if (!earlier[k])
            continue;
        for (size_t i = 0; i < p->n_units; i++) {
            const lg_report *r = earlier[k]->reports[i];
            for (size_t j = 0; r && j < r->n_entries; j++) {
                const lg_entry *e = &r->entries[j];
                unsigned char *d = &m->done[i * p->n_tasks + (size_t)(e->task - p->tasks)];
                if (e->completed && !*d)
                    *d = (unsigned char)(k + 1);
                else if (e->reopens)
                    *d = 0;
            }
        }
    }
}

int lg_month_done(const lg_month *m, const lg_task *t, const lg_unit *u)
{
    if (!m->done)
        return 0;
    const lg_plan *p = m->plan;
    int done = m->done[u->index * p->n_tasks + (size_t)(t - p->tasks)];
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
