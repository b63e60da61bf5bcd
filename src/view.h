/* Views: the model turned into tables, once, for every renderer. */
#ifndef LG_VIEW_H
#define LG_VIEW_H

#include "diag.h"
#include "model.h"
#include "table.h"
#include "template.h"

/* In every ledger view below, a plan's sections head their tasks: before the
 * first task of each section in each part (a unit's shared tasks, its own,
 * a leader's), a band row (lg_table_add_band) saying 「一、title」, and a
 * group over the band and the section's rows (lg_group.band) one bookmark
 * level below the part's (in the city-wide ledger, the tasks' groups one
 * level below their section's). A plan without sections has none. */

/** The unit ledger of U for month M: the shared tasks, then the unit's own,
 * each in task number order, laid out by the template's "unit" view; under
 * a task the plan names U the lead of (lead=), the rows of its cooperating
 * units. A task
 * without an entry shows 未报送. The table lives in arena A. */
lg_table *lg_view_unit(lg_arena *a, const lg_month *m, const lg_unit *u,
                       const lg_view_layout *layout, const char *title_format);

/* The name of lg_view_by_unit's table, which the summary links to. */
#define LG_VIEW_BY_UNIT_NAME "分单位台账"

/** Every unit's ledger in plan order, each a group (labelled with the unit's
 * name) that starts a new page; a unit without rows has none. */
lg_table *lg_view_by_unit(lg_arena *a, const lg_month *m, const lg_view_layout *layout,
                          const char *title_format);

/** The city-wide ledger (全市台账): tasks in number order, each a group of one
 * row per reporting unit in plan order; the template says which columns merge
 * over a group (工作任务, 时限要求). */
lg_table *lg_view_by_task(lg_arena *a, const lg_month *m, const lg_view_layout *layout,
                          const char *title_format);

/** 分管领导台账: for each leader (牵头领导) named in the plan, in the order of
 * their first task, the rows of the tasks they lead as the city-wide ledger
 * shows them; each leader a group (a bookmark) that starts a new page. Tasks
 * without a leader are not in it. */
lg_table *lg_view_by_leader(lg_arena *a, const lg_month *m, const lg_view_layout *layout,
                            const char *title_format);

/** The data sheet (数据): one row per task and reporting unit, in the order
 * of the city-wide ledger, for filtering and sorting. Its columns are fixed
 * (lg_view_data_layout), not the template's: 单位代码, 单位, 任务号 (a number),
 * 工作任务 (without its number), 时限要求, 进展情况 (未报送 when not reported),
 * 下个月工作计划, 是否达到序时进度, 备注, 已完成 (是/否; empty when not
 * reported). No merges, no title; the table is a list (lg_table.list). */
lg_table *lg_view_data(lg_arena *a, const lg_month *m);

/** The columns of the data sheet: a static layout. */
const lg_view_layout *lg_view_data_layout(void);

/** The summary (汇总): one row per unit in plan order with its figures
 * (lg_unit_stats, as the template's summary columns choose), a total row,
 * and a chart of the on-schedule rate by unit when the view has that column.
 * Each unit's name links to its part of the by-unit ledger
 * (LG_VIEW_BY_UNIT_NAME). */
lg_table *lg_view_summary(lg_arena *a, const lg_month *m, const lg_view_layout *layout,
                          const char *title_format);

/** The year's trend (年度趋势) of month M, whose earlier months are attached
 * (lg_month_load_earlier): a row per unit of M and a total, a column per
 * month from January to M, each the unit's on-schedule rate (达到序时进度 /
 * 任务数) that month, blank when the unit was not in that month's plan or when
 * nobody reported that month (no data, not 0%); and a
 * line chart of the units' rows. The unit column is SUMMARY's (the summary
 * view's layout); the month columns are made here. */
lg_table *lg_view_trend(lg_arena *a, const lg_month *m, const lg_view_layout *summary,
                        const char *title_format);

/** The 通报 (view_bulletin.c): one row per section (项目, 情况) for leadership:
 * the month's totals by status and the rate, the top and bottom five units by
 * rank (lg_rank_units), the ranking chart of every unit (lg_table.cell_chart),
 * the units that sent no report, the escalated rows (任务N 单位（状态）) and the
 * 逾期 rows (任务N 单位（时限）), each list its first rows, and after them,
 * where a list is longer, its rest in a section of its own （续）, which the
 * first names. Fixed columns (lg_view_bulletin_layout). */
lg_table *lg_view_bulletin(lg_arena *a, const lg_month *m, const char *title_format);
const lg_view_layout *lg_view_bulletin_layout(void);

/** The problem list (问题清单): one row per diagnostic of D, in its order, in
 * Chinese whatever the locale (an official page): the kind's Chinese name
 * (lg_diag_kind), message_zh, and the file relative to INPUT_DIR (lg_view_location).
 * Its cells point to D's strings: D must outlive the table. */
lg_table *lg_view_problems(lg_arena *a, const lg_month *m, const lg_diags *d,
                           const char *input_dir, const lg_view_layout *layout,
                           const char *title_format);

/** Where G is, as the 问题清单 shows it: its file relative to INPUT_DIR, and
 * ":LINE" when known; a file outside INPUT_DIR by its name alone, so that no
 * machine path reaches an official page. NULL when G names no file. Made in A. */
const char *lg_view_location(lg_arena *a, const lg_diag *g, const char *input_dir);

/** V (in 1/LG_DECIMAL_ONE) as a figure of task T's kind, as the ledgers show
 * it: 62.5亿元, or 增长5.8% for a growth target. In arena A. */
const char *lg_view_figure(lg_arena *a, const lg_task *t, long long v);

/** The fill-in form (填报表) of U for the month YEAR-MONTH of plan P: U's tasks
 * in ledger order, task, due label and last month's plan (from PREV, U's
 * report of the month before, or NULL) locked, the cells to fill in flagged
 * LG_CELL_INPUT, 是否达到序时进度 a drop-down of 是/否/已完成, and the meta that
 * import reads back (see forms.h). M is the month YEAR-MONTH with its
 * earlier months attached (lg_month_load_earlier), or NULL: the row of a task
 * completed before it shows 已完成（YYYY年M月）, all locked, and is marked done
 * on the hidden sheet. The table lives in arena A. */
lg_table *lg_view_form(lg_arena *a, const lg_plan *p, int year, int month, const lg_unit *u,
                       const lg_report *prev, const lg_month *m,
                       const lg_view_layout *layout, const char *title_format);

/** The history of task TASK_NO (ledgerc history): for each of the N months
 * MONTHS (January on, each with its earlier months attached by
 * lg_month_set_earlier, each compiled from its own plan), a row per unit that
 * reports on the task that month (only UNIT_ID's when it is not NULL), in
 * month and then plan order: the task as it stood, the month, the unit, the
 * progress (已完成（YYYY年M月） once completed before, 未报送 when there is no
 * entry), next month's plan, 是/否, the completion (本月完成, 已完成) and the
 * remark. No rows when the task never held. The table, named 任务N, lives in
 * arena A. */
lg_table *lg_view_history(lg_arena *a, const lg_month *const *months, size_t n, long task_no,
                          const char *unit_id, const lg_view_layout *layout,
                          const char *title_format);

/** The ledger title for the month: the template's title format filled in. */
char *lg_view_title(const lg_month *m, const char *title_format);

#endif
