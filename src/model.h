/* The ledger model: the year's task plan and one month's reports, as loaded
 * from the input files. Everything lives in the plan's arena, but for the long
 * texts, which are in its text store (textstore.h). The model needs
 * no library: views read it, loaders fill it. */
#ifndef LG_MODEL_H
#define LG_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "textstore.h"

typedef struct lg_unit {
    const char *id;   /* [a-z0-9_-]+, unique; names its files */
    const char *name; /* as printed */
    size_t index;     /* position in <units>: the order of every consolidated output */
    long line;        /* line of its <unit> element */
    int since, until; /* the months of the plan's year it holds in: 1-12 (all year by default) */
} lg_unit;

typedef enum { LG_DUE_ONGOING, LG_DUE_MONTH, LG_DUE_YEAR } lg_due_kind;

/* A heading that groups tasks: <section no="一" title="…">. */
typedef struct lg_section {
    const char *no;    /* as written: 一, 二 … */
    const char *title; /* as written */
    size_t index;      /* position among the plan's sections */
    long line;
} lg_section;

/* The figures of quantitative tasks are kept exactly, in units of
 * 1/LG_DECIMAL_ONE: 62.5 is 625000. */
#define LG_DECIMAL_PLACES 4
#define LG_DECIMAL_ONE 10000LL

/* What a quantitative task must reach (<target>): a cumulative amount
 * (VALUE in UNIT, e.g. 80 亿元) or, when GROWTH, a growth in percent. */
typedef struct lg_target {
    bool set;      /* the task has a <target> */
    bool growth;   /* kind="growth": VALUE is a percentage */
    long long value;        /* in 1/LG_DECIMAL_ONE */
    const char *value_text; /* as written: "80", "6.2" */
    const char *unit;       /* as written, "" when absent; "%" for growth */
    long line;
} lg_target;

typedef struct lg_task {
    long no;             /* positive, unique */
    bool shared;         /* owners="*": every unit reports on it */
    lg_unit **owners;    /* for a task that is not shared, in the order written */
    size_t n_owners;
    const char *owner_label; /* 单位 cell in a unit's ledger; derived when not given */
    lg_due_kind due_kind;
    int due_year, due_month; /* due_month is 12 for LG_DUE_YEAR */
    const char *due_label;   /* 时限要求 cell; derived when not given */
    const char *numbered;    /* 工作任务 cell: "{no}.{text}", in the plan's text store */
    const char *text;        /* the task without its number: the tail of numbered */
    long line;
    int since, until;        /* the months of the plan's year it holds in: 1-12 */
    bool label_derived;      /* owner_label was made from the owners' names */
    const lg_section *section; /* the <section> it is written in, or NULL */
    size_t lead;             /* the lead owner (牵头单位): owners[lead]; 0 for a shared task */
    bool lead_written;       /* lead= was written: the plan has roles (lead-missing) */
    const char *leader;      /* 牵头领导, NULL when not written */
    lg_target target;        /* target.set for a quantitative task */
} lg_task;

/* Paragraph texts are joined with '\n': one string per cell. They are kept
 * in the plan's text store (textstore.h). */
typedef struct lg_entry {
    const lg_task *task;
    bool on_schedule;
    bool completed;
    bool reopens; /* completed="no" written: reopens a task completed in an earlier month */
    const char *progress, *plan, *remark;
    const char *problems; /* 存在问题; "" when not written */
    /* A quantitative task's figure (<actual>): then on_schedule is computed
     * (lg_on_schedule) and STATED is what the unit wrote. */
    bool has_actual;
    long long actual;        /* in 1/LG_DECIMAL_ONE */
    const char *actual_text; /* as written */
    bool stated;
    long line;
    const char *cell; /* imported from a form: the cell it came from ("F8"), else NULL */
} lg_entry;

typedef struct lg_report {
    const lg_unit *unit;
    int year, month;
    const char *file;
    long line; /* of the <report> element */
    const char *form, *sheet; /* imported from a form: its file's name and sheet, else NULL */
    lg_entry *entries; /* sorted by task number */
    size_t n_entries;
} lg_report;

typedef struct lg_plan {
    lg_arena *arena;
    lg_textstore *texts; /* the long texts of the plan and of its reports */
    const char *file;
    int year;
    const char *title;
    lg_unit *units; /* in plan order */
    size_t n_units;
    lg_task *tasks; /* sorted by number */
    size_t n_tasks;
    lg_section *sections; /* in the order written; none in a plan without them */
    size_t n_sections;
    /* A plan amended during the year (since/until on a unit or task) holds
     * several versions of a unit or task, each for its months: it is only
     * used through lg_plan_at. MONTH is 0 for the plan as written, else the
     * month of the plan as it stood (BASE is the plan as written). */
    bool amended;
    int month;
    const struct lg_plan *base;
    struct lg_plan **at; /* 13 slots: lg_plan_at's, made on demand */
} lg_plan;

/** The plan P (as written) as it stood in MONTH (1-12) of its year: the units
 * and the versions of tasks that hold that month, every owner a unit of that
 * month. P itself when it was never amended. Made once per month, in P's
 * arena (its texts in P's store); freed with P. */
lg_plan *lg_plan_at(const lg_plan *p, int month);

/** One month: the plan and, for each unit (by index), its report or NULL when
 * the unit sent none. Reports live in the plan's arena, their texts in the
 * plan's text store.
 *
 * What the earlier months of the year say is attached by
 * lg_month_set_earlier: EARLIER[k] is month k+1 (NULL when not loaded), and
 * DONE[unit index * n_tasks + task index] is the month (1-12) in which the
 * unit reported the task completed, when that was before this month and not
 * reopened since; 0 otherwise. DONE is NULL when nothing is attached: then
 * no task was completed before. */
/* A pair of lg_month.done: its cell and the month (1-12) it was completed in. */
typedef struct lg_done {
    size_t cell;
    int month;
} lg_done;

typedef struct lg_month {
    const lg_plan *plan;
    int year, month;
    const lg_report **reports; /* n_units of them */
    const struct lg_month *const *earlier; /* month - 1 of them, or NULL */
    /* The (unit, task) pairs completed in an earlier month, sorted by cell
     * (unit index * n_tasks + task index): a province's plan has millions of
     * pairs, a few of them completed, in each of the year's months. */
    const struct lg_done *done;
    size_t n_done;
    const struct lg_status_rules *rules; /* the template's (status.h); NULL: the defaults */
} lg_month;

/** Attaches EARLIER (months 1 .. M->month - 1 of M's year, in order; an
 * element may be NULL) to M and works out which tasks were completed in
 * them: a completed="yes" entry completes a task from the month after; a
 * later entry with completed="no" reopens it; any other later entry leaves
 * it completed, in the month first reported. DONE lives in the plan's arena. */
void lg_month_set_earlier(lg_month *m, const lg_month *const *earlier);

/** The month (1-12) of M's year in which U reported T completed, when that
 * was before M and M's entry (if any) does not reopen it; else 0. Such a task
 * shows 已完成（YYYY年M月）, is neither 未报送 nor overdue, and counts as reported,
 * on schedule and completed. */
int lg_month_done(const lg_month *m, const lg_task *t, const lg_unit *u);

/** The entry of U for T that M's ledger shows: NULL when U sent none, or
 * when the task was completed before (lg_month_done). */
const lg_entry *lg_month_entry(const lg_month *m, const lg_task *t, const lg_unit *u);

/** Whether ACTUAL (cumulative to MONTH, in 1/LG_DECIMAL_ONE) reaches T's
 * target on schedule: for an amount, ACTUAL ÷ target is at least the elapsed
 * share of the year, MONTH ÷ 12 (compared exactly: ACTUAL × 12 ≥ target ×
 * MONTH); for a growth, ACTUAL (a percentage) is at least the target. T has a
 * target. */
bool lg_on_schedule(const lg_task *t, long long actual, int month);

/** ACTUAL ÷ T's target as 完成率 in tenths of a percent, rounded half up
 * (62.5 of 80 is 781: 78.1%); for a growth target, -1 (no share). */
long lg_completion_rate(const lg_task *t, long long actual);

/** Lookups; NULL when absent. */
const lg_unit *lg_plan_find_unit(const lg_plan *p, const char *id);

/** Where entry E of report R is, as an official reads it: "FORM.xlsx，工作表“SHEET”，
 *  单元格 F8" for a report imported from a form, else "reports/2022-10/kjj.xml:12"
 *  relative to the input folder (never an absolute path). The caller frees. */
char *lg_entry_location(const lg_report *r, const lg_entry *e);

/** Where report R is, as lg_entry_location says it without an entry:
 *  "FORM.xlsx，工作表“SHEET”", or "reports/2022-10/kjj.xml:LINE" (the line of
 *  <report>). The caller frees. */
char *lg_report_location(const lg_report *r);
const lg_task *lg_plan_find_task(const lg_plan *p, long no);
const lg_entry *lg_report_find_entry(const lg_report *r, long task_no);
/** True when the unit reports on the task (it is an owner, or the task is shared). */
bool lg_task_owned_by(const lg_task *t, const lg_unit *u);
/** T's lead unit (牵头单位): the owner its lead= names, else its first owner;
 * NULL for a shared task. */
const lg_unit *lg_task_lead(const lg_task *t);
/** What the 单位 cell of U's ledger and form shows for T, and what import
 * expects there: a shared task's owner-label, else U's name. */
const char *lg_task_unit_label(const lg_task *t, const lg_unit *u);

/** Fills in the derived labels: 长期推进, 2022年12月底前, 2023年底前, and the owners' names
 * joined by 、. Called by the plan loader. */
void lg_task_derive_labels(lg_arena *a, lg_task *t);

/** True when T was due before the month YEAR-MONTH began and E (this month's
 * entry, or NULL when there is none) does not say it is completed. */
bool lg_task_overdue(const lg_task *t, const lg_entry *e, int year, int month);

/* Where a unit stands in a month: the summary's figures. */
typedef struct lg_unit_stats {
    size_t owned;       /* tasks it reports on */
    size_t reported;    /* of those, with an entry this month */
    size_t on_schedule; /* entries saying 是 */
    size_t behind;      /* entries saying 否 */
    size_t unreported;  /* owned - reported */
    size_t overdue;     /* see lg_task_overdue; a missing entry is not completed */
    size_t completed;   /* entries saying completed="yes", and tasks completed before */
} lg_unit_stats;

/** The figures of unit U in month M. */
lg_unit_stats lg_month_unit_stats(const lg_month *m, const lg_unit *u);

/** 已完成（YEAR年MONTH月）, in A: what a task completed in that month shows. */
const char *lg_done_label(lg_arena *a, int year, int month);

/** The month before YEAR-MONTH. */
void lg_period_prev(int *year, int *month);

/** Parses "YYYY-MM" into year and month; false when it is not a valid period. */
bool lg_period_parse(const char *s, int *year, int *month);

#endif
