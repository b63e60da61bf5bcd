/* Loaders: plan.xml and reports/YYYY-MM/<unit-id>.xml into the model, checked
 * against the schema and every rule of the input contract
 * (docs/input-format.md). */
#ifndef LG_LOAD_H
#define LG_LOAD_H

#include "diag.h"
#include "model.h"

/** Loads PATH (a plan.xml). Every problem of the file is added to D as an
 * error; returns NULL when there was any. The plan owns its arena; free it
 * with lg_plan_free. */
lg_plan *lg_plan_load(const char *path, lg_diags *d);
void lg_plan_free(lg_plan *p);

/** lg_plan_load, with the long texts of the plan and of every report loaded
 * into it kept in an unlinked temporary file in the folder TEXT_DIR rather
 * than in memory (textstore.h). lg_plan_load keeps them in memory; so does
 * this when TEXT_DIR is NULL or no file can be made there. The strings are
 * the same either way. */
lg_plan *lg_plan_load_spilled(const char *path, const char *text_dir, lg_diags *d);

/** Loads the report at PATH for the month YEAR-MONTH into the plan's arena
 * (its texts into the plan's text store).
 * Adds an error to D per problem (schema, unknown unit, a unit or period that
 * does not match the file's name and folder, a task the unit does not own,
 * an entry twice …) and returns NULL when there was any. */
lg_report *lg_report_load(lg_plan *p, const char *path, int year, int month, lg_diags *d);

/** Loads every report of INPUT_DIR/reports/YYYY-MM/ into the plan's arena. A
 * missing folder or a missing unit file is not an error: its reports[] slot is
 * NULL. So is the slot of a report that had errors; all errors of all files
 * are added to D, which the caller checks before using the month. */
lg_month *lg_month_load(lg_plan *p, const char *input_dir, int year, int month, lg_diags *d);

/** A month of P with no report yet, in P's arena. */
lg_month *lg_month_new(lg_plan *p, int year, int month);

/** Loads months 1 .. M->month - 1 of M's year from INPUT_DIR into P's arena
 * and attaches them to M (lg_month_set_earlier): what tasks were completed
 * before, and the texts of earlier months. Each earlier month is attached
 * its own earlier months too, so that its figures are as its ledger showed. Their own problems are not M's
 * (they were reported in their month), but a unit's report that exists and
 * does not load adds a warning to D, since a completion in it is not known. */
void lg_month_load_earlier(lg_plan *p, lg_month *m, const char *input_dir, lg_diags *d);

#include "load_common.h" /* what both loaders share */

#endif
