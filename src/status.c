#include "status.h"

#include <stdlib.h>

static const lg_status_rules defaults = {
    .names = {"已完成", "未报送", "逾期", "滞后", "临期", "正常"},
    .colours = {0x9DC3E6, 0xBFBFBF, 0xFF7C80, 0xFFD966, 0xFFF2CC, 0xA9D08E},
    .escalated_name = "连续滞后",
    .escalated_colour = 0xC00000,
    .due_window = 1,
    .escalate_months = 2,
};

const lg_status_rules *lg_status_defaults(void)
{
    return &defaults;
}

const lg_status_rules *lg_status_rules_of(const lg_month *m)
{
    return m->rules ? m->rules : &defaults;
}

/* The months from YEAR-MONTH to T's due month: 0 when due in that month,
 * negative once past; INT_MAX-like large for a task with no due month. */
static int months_left(const lg_task *t, int year, int month)
{
    if (t->due_kind == LG_DUE_ONGOING)
        return 1 << 20;
    return t->due_year * 12 + t->due_month - (year * 12 + month);
}

/* The status of the row without its escalation. */
static lg_status_kind kind_of(const lg_month *m, const lg_task *t, const lg_unit *u,
                              const lg_status_rules *r)
{
    if (lg_month_done(m, t, u))
        return LG_STATUS_DONE;
    const lg_entry *e = lg_month_entry(m, t, u);
    if (e && e->completed)
        return LG_STATUS_DONE;
    if (!e)
        return LG_STATUS_UNREPORTED;
    if (lg_task_overdue(t, e, m->year, m->month))
        return LG_STATUS_OVERDUE;
    if (!e->on_schedule)
        return LG_STATUS_BEHIND;
    int left = months_left(t, m->year, m->month);
    if (left >= 0 && left <= r->due_window)
        return LG_STATUS_DUE_SOON;
    return LG_STATUS_NORMAL;
}

static bool red(lg_status_kind k)
{
    return k == LG_STATUS_BEHIND || k == LG_STATUS_UNREPORTED;
}

/* True when some unit reported in EM: a month before the office collected
 * reports (every month of the year is loaded, folder or not) escalates nothing. */
static bool collected(const lg_month *em)
{
    for (size_t i = 0; i < em->plan->n_units; i++)
        if (em->reports[i])
            return true;
    return false;
}

/* True when the row of unit ID for task NO was 滞后 or 未报送 in month EM. */
static bool red_in(const lg_month *em, const char *id, long no, const lg_status_rules *r)
{
    if (!em || !collected(em))
        return false;
    const lg_unit *u = lg_plan_find_unit(em->plan, id);
    const lg_task *t = lg_plan_find_task(em->plan, no);
    if (!u || !t || !lg_task_owned_by(t, u))
        return false;
    return red(kind_of(em, t, u, r));
}

lg_status lg_status_of(const lg_month *m, const lg_task *t, const lg_unit *u,
                       const lg_status_rules *r)
{
    if (!r)
        r = lg_status_rules_of(m);
    lg_status s = {kind_of(m, t, u, r), false};
    if (!red(s.kind) || r->escalate_months < 1)
        return s;
    int run = 1; /* months in a row, this one included */
    for (int k = m->month - 1; run < r->escalate_months && k >= 1; k--) {
        const lg_month *em = m->earlier ? m->earlier[k - 1] : NULL;
        if (!red_in(em, u->id, t->no, r))
            break;
        run++;
    }
    s.escalated = run >= r->escalate_months;
    return s;
}

const char *lg_status_label(lg_arena *a, lg_status s, const lg_status_rules *r)
{
    if (!r)
        r = &defaults;
    if (!s.escalated)
        return r->names[s.kind];
    return lg_arena_printf(a, "%s（%s）", r->names[s.kind], r->escalated_name);
}

lg_status_counts lg_status_count(const lg_month *m, const lg_unit *u, const lg_status_rules *r)
{
    lg_status_counts c = {{0}, 0};
    const lg_plan *p = m->plan;
    for (size_t i = 0; i < p->n_tasks; i++) {
        if (!lg_task_owned_by(&p->tasks[i], u))
            continue;
        lg_status s = lg_status_of(m, &p->tasks[i], u, r);
        c.n[s.kind]++;
        c.escalated += s.escalated;
    }
    return c;
}

const char *lg_status_key(lg_status_kind k)
{
    static const char *const keys[LG_STATUS_COUNT] = {"done",   "unreported", "overdue",
                                                      "behind", "due-soon",   "normal"};
    return keys[k];
}

void lg_diags_set_status(lg_diags *d, const lg_month *m, const lg_status_rules *r)
{
    for (size_t i = 0; i < d->count; i++) {
        lg_diag *g = &d->items[i];
        const lg_unit *u = g->unit ? lg_plan_find_unit(m->plan, g->unit) : NULL;
        const lg_task *t = g->task ? lg_plan_find_task(m->plan, g->task) : NULL;
        if (!u || !t || !lg_task_owned_by(t, u))
            continue;
        lg_status s = lg_status_of(m, t, u, r);
        g->status = lg_status_key(s.kind);
        g->escalated = s.escalated;
    }
}

/* Rate against rate, exactly, by cross-multiplication; then fewer 逾期 first.
 * 0 when they rank equal. */
static int rank_cmp(const lg_standing *a, const lg_standing *b)
{
    size_t ra = a->s.owned ? a->s.on_schedule * (b->s.owned ? b->s.owned : 1) : 0;
    size_t rb = b->s.owned ? b->s.on_schedule * (a->s.owned ? a->s.owned : 1) : 0;
    if (ra != rb)
        return ra > rb ? -1 : 1;
    size_t oa = a->c.n[LG_STATUS_OVERDUE], ob = b->c.n[LG_STATUS_OVERDUE];
    return oa == ob ? 0 : oa < ob ? -1 : 1;
}

/* By rank, then in plan order. */
static int by_rank(const void *pa, const void *pb)
{
    const lg_standing *a = pa, *b = pb;
    int c = rank_cmp(a, b);
    if (c)
        return c;
    return a->index < b->index ? -1 : a->index > b->index;
}

lg_standing *lg_rank_units(lg_arena *a, const lg_month *m)
{
    const lg_plan *p = m->plan;
    lg_standing *u = lg_arena_alloc(a, (p->n_units + 1) * sizeof *u);
    for (size_t i = 0; i < p->n_units; i++)
        u[i] = (lg_standing){p->units[i].name, i, lg_month_unit_stats(m, &p->units[i]),
                             lg_status_count(m, &p->units[i], NULL), 0};
    if (p->n_units)
        qsort(u, p->n_units, sizeof *u, by_rank);
    for (size_t i = 0; i < p->n_units; i++)
        u[i].rank = i && rank_cmp(&u[i - 1], &u[i]) == 0 ? u[i - 1].rank : i + 1;
    return u;
}
