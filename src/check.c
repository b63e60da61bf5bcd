#define _POSIX_C_SOURCE 200809L /* access */
#include "check.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "i18n.h"
#include "input_path.h"
#include "utf8.h"

/* Adds a warning about unit U (or none) and task NO (or 0). */
#define WARN(d, kind, file, line, u, no, ...) \
    about(lg_diags_add((d), LG_WARNING, (kind), (file), (line), __VA_ARGS__), (u), (no))

static void about(lg_diag *g, const lg_unit *u, long task)
{
    lg_diag_set_unit(g, u ? u->id : NULL, task);
    lg_diag_set_unit_name(g, u ? u->name : NULL);
}

/* Warns about characters of TEXT that would print as boxes. WHAT is the
 * message: with task NO it takes (NO, the character, its code), else (the
 * character, its code). */
static void check_glyphs(lg_layout *l, const lg_font *font, const char *text, const char *file,
                         long line, const lg_unit *u, long no, const char *what, lg_diags *d)
{
    uint32_t cs[8];
    size_t n = lg_layout_missing_chars(l, font, text, cs, 8);
    for (size_t i = 0; i < n && i < 8; i++) {
        char utf8[8] = {0};
        uint32_t c = cs[i];
        lg_utf8_encode(c, utf8);
        if (no)
            WARN(d, "missing-glyph", file, line, u, no, what, no, utf8, (unsigned)c);
        else
            WARN(d, "missing-glyph", file, line, u, no, what, utf8, (unsigned)c);
    }
}

static void check_plan_glyphs(const lg_plan *p, lg_layout *l, const lg_font *font, lg_diags *d)
{
    for (size_t i = 0; i < p->n_units; i++) {
        const lg_unit *u = &p->units[i];
        check_glyphs(l, font, u->name, p->file, u->line, u, 0,
                     N_("the unit's name has the character \"%s\" (U+%04X), which no font of the "
                        "template's body font list has: it would print as an empty box; write it "
                        "another way, or install a font that has it and add it to the family list "
                        "of the template's body font"),
                     d);
    }
    for (size_t i = 0; i < p->n_tasks; i++) {
        const lg_task *t = &p->tasks[i];
        check_glyphs(l, font, t->text, p->file, t->line, NULL, t->no,
                     N_("task %ld: its text has the character \"%s\" (U+%04X), which no font of "
                        "the template's body font list has: it would print as an empty box; write "
                        "it another way, or install a font that has it and add it to the family "
                        "list of the template's body font"),
                     d);
        if (i % 512 == 511)
            lg_textstore_trim(p->texts); /* the texts read stay in the store's file */
    }
}

/* The latest earlier report of the year whose progress for E's task is E's,
 * word for word, or NULL. EARLIER holds N reports, oldest first (NULLs for
 * months without one). */
static const lg_report *stale_in(const lg_entry *e, const lg_report *const *earlier, size_t n)
{
    for (size_t k = n; *e->progress && k-- > 0;) {
        const lg_entry *pe = lg_report_find_entry(earlier[k], e->task->no);
        if (pe && strcmp(pe->progress, e->progress) == 0)
            return earlier[k];
    }
    return NULL;
}

/* The figure of a quantitative task's entry E: what the unit said against what
 * the figures say, a cumulative figure that went down since the latest
 * earlier report with one (EARLIER as for stale_in), and a figure far above
 * the target (more than ten times it: 亿 typed for 万). */
static void check_actual(const lg_month *m, const lg_report *r, const lg_entry *e,
                         const lg_report *const *earlier, size_t n, lg_diags *d)
{
    const lg_unit *u = r->unit;
    const lg_task *t = e->task;
    long no = t->no;
    if (e->stated == e->on_schedule)
        ;
    else if (!t->target.growth && e->on_schedule)
        WARN(d, "schedule-mismatch", r->file, e->line, u, no,
             "task %ld: on-schedule=\"no\", but the actual %s%s of the target %s%s is not "
             "below the elapsed share of the year (%d/12): the ledger shows 是; correct "
             "on-schedule or the figure",
             no, e->actual_text, t->target.unit, t->target.value_text, t->target.unit,
             m->month);
    else if (!t->target.growth)
        WARN(d, "schedule-mismatch", r->file, e->line, u, no,
             "task %ld: on-schedule=\"yes\", but the actual %s%s of the target %s%s is "
             "below the elapsed share of the year (%d/12): the ledger shows 否; correct "
             "on-schedule or the figure",
             no, e->actual_text, t->target.unit, t->target.value_text, t->target.unit,
             m->month);
    else if (e->on_schedule)
        WARN(d, "schedule-mismatch", r->file, e->line, u, no,
             "task %ld: on-schedule=\"no\", but the growth %s%% is not below the target "
             "%s%%: the ledger shows 是; correct on-schedule or the figure",
             no, e->actual_text, t->target.value_text);
    else
        WARN(d, "schedule-mismatch", r->file, e->line, u, no,
             "task %ld: on-schedule=\"yes\", but the growth %s%% is below the target %s%%: "
             "the ledger shows 否; correct on-schedule or the figure",
             no, e->actual_text, t->target.value_text);
    if (t->target.growth)
        return;
    for (size_t k = n; k-- > 0;) {
        const lg_entry *pe = lg_report_find_entry(earlier[k], no);
        if (!pe || !pe->has_actual)
            continue;
        if (pe->actual > e->actual)
            WARN(d, "actual-down", r->file, e->line, u, no,
                 "task %ld: the actual %s%s is less than the %s%s reported for %04d-%02d; "
                 "the figure is cumulative from January, so it does not go down: correct "
                 "one of them",
                 no, e->actual_text, t->target.unit, pe->actual_text, t->target.unit,
                 earlier[k]->year, earlier[k]->month);
        break;
    }
    if (e->actual > 10 * t->target.value)
        WARN(d, "actual-high", r->file, e->line, u, no,
             "task %ld: the actual %s%s is more than ten times the target %s%s; is the "
             "figure in %s (not, say, in 万 for 亿)?",
             no, e->actual_text, t->target.unit, t->target.value_text, t->target.unit,
             t->target.unit);
}

static void check_entry(const lg_month *m, const lg_report *r, const lg_entry *e,
                        const lg_report *const *earlier, size_t n_earlier, lg_layout *l,
                        const lg_font *font, lg_diags *d)
{
    const lg_unit *u = r->unit;
    long no = e->task->no;
    const lg_report *same = stale_in(e, earlier, n_earlier);
    if (!*e->progress)
        WARN(d, "empty-progress", r->file, e->line, u, no,
             "task %ld: the progress (进展情况) is empty; the ledger will show an empty cell", no);
    else if (same && same->year * 12 + same->month + 1 == m->year * 12 + m->month)
        WARN(d, "stale", r->file, e->line, u, no,
             "task %ld: the progress is word for word the same as in the %04d-%02d report; "
             "was last month's text copied?",
             no, same->year, same->month);
    else if (same)
        WARN(d, "stale", r->file, e->line, u, no,
             "task %ld: the progress is word for word the same as in the %04d-%02d report; "
             "was that month's text copied?",
             no, same->year, same->month);
    /* a figure that says 否 against the unit's 是 is schedule-mismatch's */
    if (!e->on_schedule && !*e->remark && !(e->has_actual && e->stated))
        WARN(d, "behind-no-remark", r->file, e->line, u, no,
             "task %ld is behind schedule (on-schedule=\"no\") but the remark (备注) is empty; "
             "say why it is behind",
             no);
    if (lg_task_overdue(e->task, e, m->year, m->month))
        WARN(d, "overdue", r->file, e->line, u, no,
             "task %ld was due %s and is not reported completed", no, e->task->due_label);
    if (e->has_actual)
        check_actual(m, r, e, earlier, n_earlier, d);
    if (l) {
        static const char *whats[] = {
            N_("task %ld: its progress (进展情况) has the character \"%s\" (U+%04X), which "
               "no font of the template's body font list has: it would print as an empty "
               "box; write it another way, or install a font that has it and add it to "
               "the family list of the template's body font"),
            N_("task %ld: its plan (下一步计划) has the character \"%s\" (U+%04X), which no "
               "font of the template's body font list has: it would print as an empty "
               "box; write it another way, or install a font that has it and add it to "
               "the family list of the template's body font"),
            N_("task %ld: its remark (备注) has the character \"%s\" (U+%04X), which no "
               "font of the template's body font list has: it would print as an empty "
               "box; write it another way, or install a font that has it and add it to "
               "the family list of the template's body font"),
        };
        const char *texts[] = {e->progress, e->plan, e->remark};
        for (int i = 0; i < 3; i++)
            check_glyphs(l, font, texts[i], r->file, e->line, u, no, whats[i], d);
    }
}

/* Task T, whose lead unit U sent no entry: warns when one of the cooperating
 * units did (the lead collects their work and reports it). */
static void check_lead(const lg_month *m, const lg_task *t, const lg_unit *u, lg_diags *d)
{
    for (size_t k = 0; k < t->n_owners; k++) {
        const lg_unit *o = t->owners[k];
        const lg_report *r = m->reports[o->index];
        const lg_entry *e = o == u ? NULL : lg_report_find_entry(r, t->no);
        if (!e)
            continue;
        WARN(d, "lead-missing", r->file, e->line, u, t->no,
             "task %ld: the lead unit %s sent no entry for %04d-%02d, but %s, a cooperating "
             "unit, did; the lead unit reports the task and collects its cooperating units' "
             "work",
             t->no, u->name, m->year, m->month, o->name);
        return;
    }
}

static void check_unit(const lg_month *m, const lg_unit *u, const lg_report *const *earlier,
                       size_t n_earlier, const char *input_dir, lg_layout *l,
                       const lg_font *font, lg_diags *d)
{
    const lg_plan *p = m->plan;
    const lg_report *r = m->reports[u->index];
    char *path = lg_input_report_path(input_dir, m->year, m->month, u->id);
    /* a report there but in error is not a missing one: its errors say what is wrong */
    bool unread = !r && access(path, F_OK) == 0;
    free(path);
    if (!r && !unread) {
        lg_unit_stats st = lg_month_unit_stats(m, u);
        if (st.owned) {
            /* named relative to INPUT_DIR ("" gives "/reports/..."), not under
             * it: the 问题清单 shows no machine path */
            char *want = lg_input_report_path("", m->year, m->month, u->id);
            WARN(d, "missing-report", NULL, 0, u, 0,
                 "%s sent no report for %04d-%02d (expected %s in the input folder); tasks "
                 "shown 未报送: %zu",
                 u->name, m->year, m->month, want + 1, st.owned);
            free(want);
        }
    }
    if (unread)
        return;
    for (size_t i = 0; i < p->n_tasks; i++) {
        const lg_task *t = &p->tasks[i];
        if (!lg_task_owned_by(t, u))
            continue;
        const lg_entry *e = lg_report_find_entry(r, t->no);
        int done = lg_month_done(m, t, u);
        if (done && e && !e->completed)
            WARN(d, "done-entry", r->file, e->line, u, t->no,
                 "task %ld was reported completed in %04d-%02d; the ledger shows %s and not "
                 "this entry; to reopen the task write completed=\"no\" on it",
                 t->no, m->year, done, lg_done_label(m->plan->arena, m->year, done));
        if (done)
            continue;
        if (e) {
            check_entry(m, r, e, earlier, n_earlier, l, font, d);
            continue;
        }
        /* only where the plan names lead units: a plan without roles does not
         * say that its first owners collect the others' work */
        if (t->lead_written && lg_task_lead(t) == u)
            check_lead(m, t, u, d);
        if (r)
            WARN(d, "missing-entry", r->file, r->line, u, t->no,
                 "task %ld: %s's report has no entry for it; the ledger shows 未报送", t->no,
                 u->name);
        if (lg_task_overdue(t, NULL, m->year, m->month))
            WARN(d, "overdue", r ? r->file : p->file, r ? r->line : t->line, u, t->no,
                 "task %ld was due %s and is not reported completed", t->no, t->due_label);
    }
}

void lg_check_month(const lg_month *m, const lg_month *prev, const char *input_dir,
                    lg_layout *l, const lg_font *font, lg_diags *d)
{
    if (l)
        check_plan_glyphs(m->plan, l, font, d);
    /* Copied texts are looked for in every earlier month of the year. */
    size_t n = m->earlier ? (size_t)m->month - 1 : prev != NULL;
    const lg_report **earlier = lg_xcalloc(n + 1, sizeof *earlier);
    for (size_t i = 0; i < m->plan->n_units; i++) {
        for (size_t k = 0; k < n; k++) {
            /* that month's plan may list other units: matched by id */
            const lg_month *em = m->earlier ? m->earlier[k] : prev;
            const lg_unit *eu = em ? lg_plan_find_unit(em->plan, m->plan->units[i].id) : NULL;
            earlier[k] = eu ? em->reports[eu->index] : NULL;
        }
        check_unit(m, &m->plan->units[i], earlier, n, input_dir, l, font, d);
        lg_textstore_trim(m->plan->texts);
    }
    free(earlier);
}

static size_t unit_rank(const lg_plan *p, const lg_diag *g)
{
    if (!g->unit)
        return 0;
    const lg_unit *u = lg_plan_find_unit(p, g->unit);
    return u ? u->index + 1 : 0;
}

typedef struct ranked {
    size_t rank, pos;
    lg_diag g;
} ranked;

static int ranked_cmp(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

void lg_diags_sort_by_unit(lg_diags *d, const lg_plan *p)
{
    ranked *r = lg_xmalloc((d->count + 1) * sizeof *r);
    for (size_t i = 0; i < d->count; i++)
        r[i] = (ranked){unit_rank(p, &d->items[i]), i, d->items[i]};
    qsort(r, d->count, sizeof *r, ranked_cmp);
    for (size_t i = 0; i < d->count; i++)
        d->items[i] = r[i].g;
    free(r);
}
