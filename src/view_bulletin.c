/* The 通报: the month at a glance for leadership, the first page of ledger.pdf
 * and the first sheet of ledger.xlsx. One row per section: the totals by
 * status, the top and bottom units by rate, the units that sent no report,
 * the escalated rows, and last (the longest) every 逾期 row. Statuses and ranks come from status.c. */
#include "view.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "status.h"
#include "strbuf.h"

/* How many units the top and the bottom of the ranking name. */
#define BULLETIN_RANKED 5
/* How many rows the 连续滞后 and 逾期 sections list on the first page; the
 * rest follow in sections of their own after the chart, named at the end of
 * the first: with the sections above and the ranking chart of 60 units, so
 * many fill the first A4 page of the shipped template. */
#define BULLETIN_LISTED 8
/* How many rows each row of those rest lists names: a province's list of
 * thousands stays within what a spreadsheet cell holds (32,767 characters). */
#define BULLETIN_PER_ROW 50

static lg_column bulletin_columns[] = {
    {LG_FIELD_KIND, "项目", 40, LG_ALIGN_CENTER, false, false},
    {LG_FIELD_MESSAGE, "情况", 233, LG_ALIGN_LEFT, false, false},
};

const lg_view_layout *lg_view_bulletin_layout(void)
{
    static const lg_view_layout layout = {"bulletin", bulletin_columns,
                                          sizeof bulletin_columns / sizeof bulletin_columns[0]};
    return &layout;
}

static void add_section(lg_table *t, const char *head, const char *text, unsigned flags)
{
    lg_cell *row = lg_table_add_row(t);
    row[0] = (lg_cell){head, LG_CELL_STRONG};
    row[1] = (lg_cell){text, flags};
}

/* S's text copied into A, S freed. */
static const char *take(lg_arena *a, lg_strbuf *s)
{
    const char *text = lg_arena_printf(a, "%s", lg_strbuf_str(s));
    free(s->s);
    *s = (lg_strbuf){0};
    return text;
}

static const char *percent(lg_arena *a, size_t on, size_t owned)
{
    return lg_arena_printf(a, "%.1f%%", owned ? 100.0 * (double)on / (double)owned : 0.0);
}

static const char *totals(lg_arena *a, const lg_month *m, const lg_standing *u)
{
    const lg_plan *p = m->plan;
    const lg_status_rules *r = lg_status_rules_of(m);
    lg_status_counts c = {{0}, 0};
    size_t rows = 0, on = 0;
    for (size_t i = 0; i < p->n_units; i++) {
        for (int k = 0; k < LG_STATUS_COUNT; k++)
            c.n[k] += u[i].c.n[k];
        c.escalated += u[i].c.escalated;
        rows += u[i].s.owned;
        on += u[i].s.on_schedule;
    }
    lg_strbuf s = {0};
    lg_strbuf_puts(&s, lg_arena_printf(a, "%zu个单位负责%zu项任务，共%zu条落实情况：", p->n_units,
                                       p->n_tasks, rows));
    static const lg_status_kind order[] = {LG_STATUS_DONE,   LG_STATUS_NORMAL,
                                           LG_STATUS_DUE_SOON, LG_STATUS_BEHIND,
                                           LG_STATUS_OVERDUE, LG_STATUS_UNREPORTED};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
        lg_strbuf_puts(&s, lg_arena_printf(a, "%s%s%zu条", k ? "，" : "", r->names[order[k]],
                                           c.n[order[k]]));
    lg_strbuf_puts(&s, lg_arena_printf(a, "；其中%s%zu条。序时进度达标率%s。", r->escalated_name,
                                       c.escalated, percent(a, on, rows)));
    return take(a, &s);
}

/* Units FROM .. TO - 1 of the ranking, a rank at a time: the units that
 * share it (equal rate and 逾期, status.c), its rate and its 逾期. */
static const char *ranking(lg_arena *a, const lg_standing *u, size_t from, size_t to)
{
    lg_strbuf s = {0};
    for (size_t i = from, j; i < to; i = j) {
        for (j = i + 1; j < to && u[j].rank == u[i].rank;)
            j++;
        lg_strbuf_puts(&s, lg_arena_printf(a, "%s第%zu名", i > from ? "；" : "", u[i].rank));
        if (j - i > 1)
            lg_strbuf_puts(&s, lg_arena_printf(a, "（%zu个单位并列）", j - i));
        for (size_t k = i; k < j; k++)
            lg_strbuf_puts(&s, lg_arena_printf(a, "%s%s", k > i ? "、" : " ", u[k].name));
        lg_strbuf_puts(&s, lg_arena_printf(a, " %s（逾期%zu条）",
                                           percent(a, u[i].s.on_schedule, u[i].s.owned),
                                           u[i].c.n[LG_STATUS_OVERDUE]));
    }
    return take(a, &s);
}

/* Where a list of the ranking that ends (or, with BACK, begins) at place
 * I of U (N units) takes in the whole of a tie: every unit of the rank
 * there, as far as LIMIT. */
static size_t whole_ties(const lg_standing *u, size_t n, size_t i, bool back, size_t limit)
{
    if (back)
        while (i > limit && i < n && u[i - 1].rank == u[i].rank)
            i--;
    else
        while (i < limit && i > 0 && u[i].rank == u[i - 1].rank)
            i++;
    return i;
}

/* The rows of M whose status is KIND (or, with ESCALATED, that are
 * escalated): "任务12 市甲局（2022年6月底前）；…", plan order, from the
 * FROM-th to before the TO-th; *N counts them all. */
static const char *rows_of(lg_arena *a, const lg_month *m, lg_status_kind kind, bool escalated,
                           size_t from, size_t to, size_t *n)
{
    const lg_status_rules *r = lg_status_rules_of(m);
    const lg_plan *p = m->plan;
    lg_strbuf s = {0};
    *n = 0;
    for (size_t i = 0; i < p->n_tasks; i++) {
        const lg_task *t = &p->tasks[i];
        for (size_t k = 0; k < p->n_units; k++) {
            const lg_unit *u = &p->units[k];
            if (!lg_task_owned_by(t, u))
                continue;
            lg_status st = lg_status_of(m, t, u, NULL);
            if (escalated ? !st.escalated : st.kind != kind)
                continue;
            const char *note = escalated ? r->names[st.kind] : t->due_label;
            if (*n >= from && *n < to)
                lg_strbuf_puts(&s, lg_arena_printf(a, "%s任务%ld %s（%s）", *n > from ? "；" : "",
                                                   t->no, u->name, note));
            ++*n;
        }
    }
    return *n > from ? take(a, &s) : "无";
}

static const char *unreported_units(lg_arena *a, const lg_month *m, size_t *n)
{
    lg_strbuf s = {0};
    *n = 0;
    for (size_t i = 0; i < m->plan->n_units; i++)
        if (!m->reports[i])
            lg_strbuf_puts(&s, lg_arena_printf(a, "%s%s", (*n)++ ? "、" : "",
                                               m->plan->units[i].name));
    return *n ? take(a, &s) : "无";
}

/* The ranking chart of N units U, in the cell (ROW, 1): every unit, ranked. */
static const lg_cell_chart *ranking_chart(lg_arena *a, const lg_standing *u, size_t n,
                                          size_t row)
{
    const char **labels = lg_arena_alloc(a, (n + 1) * sizeof *labels);
    double *values = lg_arena_alloc(a, (n + 1) * sizeof *values);
    size_t *ranks = lg_arena_alloc(a, (n + 1) * sizeof *ranks);
    for (size_t i = 0; i < n; i++) {
        labels[i] = u[i].name;
        values[i] = u[i].s.owned ? (double)u[i].s.on_schedule / (double)u[i].s.owned : 0;
        ranks[i] = u[i].rank;
    }
    lg_cell_chart *c = lg_arena_alloc(a, sizeof *c);
    *c = (lg_cell_chart){row, 1, "单位", "序时进度达标率", labels, values, ranks, n};
    return c;
}

/* The section HEAD（N条） of the rows of KIND (or escalated), the first
 * BULLETIN_LISTED of them, saying where the rest are; returns N. */
static size_t add_rows_section(lg_table *t, const lg_month *m, const char *head,
                               lg_status_kind kind, bool escalated)
{
    lg_arena *a = t->arena;
    size_t n;
    const char *text = rows_of(a, m, kind, escalated, 0, BULLETIN_LISTED, &n);
    if (n > BULLETIN_LISTED)
        text = lg_arena_printf(a, "%s；其余%zu条见下文“%s（续）”", text, n - BULLETIN_LISTED, head);
    add_section(t, lg_arena_printf(a, "%s（%zu条）", head, n), text, n ? LG_CELL_BEHIND : 0);
    return n;
}

/* The rest of that section, when it has more rows than BULLETIN_LISTED:
 * BULLETIN_PER_ROW of them a row, the first row headed HEAD（续）, the others
 * with an empty head (they go on from the row above). */
static void add_rows_rest(lg_table *t, const lg_month *m, const char *head, lg_status_kind kind,
                          bool escalated, size_t n)
{
    for (size_t from = BULLETIN_LISTED; from < n; from += BULLETIN_PER_ROW) {
        size_t all;
        add_section(t, from == BULLETIN_LISTED ? lg_arena_printf(t->arena, "%s（续）", head) : "",
                    rows_of(t->arena, m, kind, escalated, from, from + BULLETIN_PER_ROW, &all),
                    LG_CELL_BEHIND);
    }
}

lg_table *lg_view_bulletin(lg_arena *a, const lg_month *m, const char *title_format)
{
    char *title = lg_view_title(m, title_format);
    lg_table *t = lg_table_new(a, "通报", lg_arena_printf(a, "%s通报", title),
                               lg_view_bulletin_layout());
    free(title);
    const lg_plan *p = m->plan;
    const lg_standing *u = lg_rank_units(a, m);
    /* The first and the last five places, each with the whole of a tie it
     * ends in (a tie is never cut in two): the bottom none of the top. */
    size_t n_units = p->n_units;
    size_t top = n_units < BULLETIN_RANKED ? n_units : BULLETIN_RANKED;
    size_t top_end = whole_ties(u, n_units, top, false, n_units);
    size_t bottom = n_units > top_end ? n_units - top_end : 0;
    if (bottom > BULLETIN_RANKED)
        bottom = BULLETIN_RANKED;
    add_section(t, "总体情况", totals(a, m, u), 0);
    add_section(t, lg_arena_printf(a, "达标率前%zu名", top), ranking(a, u, 0, top_end), 0);
    if (bottom)
        add_section(t, lg_arena_printf(a, "达标率后%zu名", bottom),
                    ranking(a, u, whole_ties(u, n_units, n_units - bottom, true, top_end),
                            n_units),
                    0);
    if (p->n_units) {
        add_section(t, "达标率排名\n（达标率相同时逾期少者在前；各状态条数见“汇总”）", "", 0);
        t->cell_chart = ranking_chart(a, u, p->n_units, t->n_rows - 1);
    }
    size_t n;
    const char *text = unreported_units(a, m, &n);
    add_section(t, lg_arena_printf(a, "未报送单位（%zu个）", n), text, n ? LG_CELL_BEHIND : 0);
    const char *escalated = lg_status_rules_of(m)->escalated_name;
    size_t n_escalated = add_rows_section(t, m, escalated, 0, true);
    size_t n_overdue = add_rows_section(t, m, "逾期任务", LG_STATUS_OVERDUE, false);
    /* after the chart, on the next page: the lists' rest */
    add_rows_rest(t, m, escalated, 0, true, n_escalated);
    add_rows_rest(t, m, "逾期任务", LG_STATUS_OVERDUE, false, n_overdue);
    return t;
}
