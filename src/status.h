/* The status of a ledger row (亮灯): one home for the rule that says whether a
 * unit's task is 已完成, 未报送, 逾期, 滞后, 临期 or 正常 in a month, and whether it
 * is escalated (滞后 or 未报送 several months in a row). Every view that shows
 * a status (the 数据 sheet's 状态 column, 汇总's counts) asks lg_status_of. */
#ifndef LG_STATUS_H
#define LG_STATUS_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "model.h"

/* In the order of precedence: when several apply, the first is the row's. */
typedef enum {
    LG_STATUS_DONE,       /* 已完成: completed this month or before (lg_month_done) */
    LG_STATUS_UNREPORTED, /* 未报送: no entry this month */
    LG_STATUS_OVERDUE,    /* 逾期: due month passed, not completed (lg_task_overdue) */
    LG_STATUS_BEHIND,     /* 滞后: the entry says 否 */
    LG_STATUS_DUE_SOON,   /* 临期: due this month or within the window after it */
    LG_STATUS_NORMAL,     /* 正常 */
    LG_STATUS_COUNT
} lg_status_kind;

/* Names, colours and thresholds of the statuses. */
typedef struct lg_status_rules {
    const char *names[LG_STATUS_COUNT]; /* as printed: 已完成 … */
    unsigned colours[LG_STATUS_COUNT];  /* 0xRRGGBB fills */
    const char *escalated_name;         /* 连续滞后 */
    unsigned escalated_colour;
    int due_window;      /* months after this one that count as 临期 (default 1) */
    int escalate_months; /* 滞后 or 未报送 this many months in a row escalates (default 2) */
} lg_status_rules;

/** The defaults documented in README ("Status"). A static object. */
const lg_status_rules *lg_status_defaults(void);

/** The rules M is compiled with: M->rules, else the defaults. */
const lg_status_rules *lg_status_rules_of(const lg_month *m);

typedef struct lg_status {
    lg_status_kind kind;
    bool escalated;
} lg_status;

/** The status of unit U's row for task T in month M under rules R (NULL:
 * lg_status_rules_of(M)). T and U are of M's plan; the escalation looks at the months
 * attached to M (lg_month_set_earlier), matching units by id and tasks by
 * number; a month not loaded, one in which no unit reported at all, or one in
 * which the row was neither 滞后 nor 未报送 (or did not exist) breaks the run. */
lg_status lg_status_of(const lg_month *m, const lg_task *t, const lg_unit *u,
                       const lg_status_rules *r);

/** How many of unit U's rows in month M have each status, and how many are
 * escalated. */
typedef struct lg_status_counts {
    size_t n[LG_STATUS_COUNT];
    size_t escalated;
} lg_status_counts;

lg_status_counts lg_status_count(const lg_month *m, const lg_unit *u, const lg_status_rules *r);

/** Where a unit stands in a month: its figures, the counts of its rows'
 * statuses (default rules), its rank (0 for a total). */
typedef struct lg_standing {
    const char *name;
    size_t index; /* in plan order */
    lg_unit_stats s;
    lg_status_counts c;
    size_t rank;
} lg_standing;

/** The units of M's plan ranked: by on-schedule rate (lg_unit_stats:
 * on_schedule / owned, compared exactly; 0 for a unit that owns nothing),
 * ties by fewer 逾期, then in plan order; equal rate and 逾期, equal rank (1,
 * 2, 2, 4). n_units of them, in A. */
lg_standing *lg_rank_units(lg_arena *a, const lg_month *m);

/** The English key of status K, as `check --format json` writes it: "done",
 * "unreported", "overdue", "behind", "due-soon", "normal". */
const char *lg_status_key(lg_status_kind k);

/** Sets the status (and escalation) of the row each diagnostic of D names
 * (unit and task of M's plan, the unit reporting on the task). */
void lg_diags_set_status(lg_diags *d, const lg_month *m, const lg_status_rules *r);

/** What a status cell shows: the name, followed by the escalation's name in
 * brackets when escalated ("滞后（连续滞后）"). A static or R-owned string for the
 * plain names; the escalated form is made in A. */
const char *lg_status_label(lg_arena *a, lg_status s, const lg_status_rules *r);

#endif
