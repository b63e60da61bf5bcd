/* The month's problems that are not errors: what `ledgerc check` lists and the
 * 问题清单 sheet shows, so that the office can chase units before publishing. */
#ifndef LG_CHECK_H
#define LG_CHECK_H

#include "diag.h"
#include "layout.h"
#include "model.h"

/** Adds a warning to D for each: a unit with no report file (missing-report),
 * a task without an entry (missing-entry), progress word for word the same
 * as the unit's in an earlier month of the year (stale; the months attached
 * to M by lg_month_load_earlier, else PREV: last month, or NULL), an entry
 * for a task completed in an earlier month that does not reopen it
 * (done-entry; a task completed before is otherwise not checked), 否 with an
 * empty remark (behind-no-remark), a task due before the month and not
 * completed (overdue), an empty progress text (empty-progress), a character
 * no configured font can show in FONT (missing-glyph; skipped when L is NULL).
 * Every warning names its unit and task. INPUT_DIR names the expected report
 * files. */
void lg_check_month(const lg_month *m, const lg_month *prev, const char *input_dir,
                    lg_layout *l, const lg_font *font, lg_diags *d);

/** Orders D by unit in plan order (problems of no unit first), keeping the
 * order within a unit. */
void lg_diags_sort_by_unit(lg_diags *d, const lg_plan *p);

#endif
