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

/** Parses a task number as the input writes it: ASCII digits, no sign, no
 * leading zero, at least 1 and at most LONG_MAX. False (and *NO untouched)
 * when S is anything else, NULL included. */
bool lg_task_no_parse(const char *s, long *no);

/* Helpers the loaders share. Some problems are reported twice: by the
 * schema, as libxml2 words them ("Element task failed to validate
 * attributes"), and by the loader, which can name the attribute or element
 * and say how to fix it. The loader keeps its own message and drops
 * libxml2's. */

/** Removes from D the schema diagnostics (kind "schema") added since index
 * FIRST whose line is in FROM..TO, or unknown (0), and whose message
 * contains CONTAINING (any message when it is NULL). */
void lg_load_drop_schema_diags(lg_diags *d, size_t first, long from, long to,
                               const char *containing);

/** Adds a last error for the file PATH when it has as many diagnostics (from
 * index FIRST on) as one file may list (LG_MAX_ERRORS_PER_FILE): the loaders
 * and xmlload.c stop adding them there. */
void lg_load_note_truncated(lg_diags *d, size_t first, const char *path);

/* The attributes an element may have. A required one has an example value,
 * which the message for a missing attribute shows; an optional one has NULL.
 * A list ends with {NULL, NULL}. */
typedef struct lg_attr_spec {
    const char *name, *example;
} lg_attr_spec;

struct _xmlNode; /* libxml2's element, seen only by the loaders */

/** The most characters attribute NAME may hold (input_limits.h). */
long lg_load_attr_limit(const char *name);

/** The value of attribute NAME of N copied into A; NULL when it is absent or
 * longer than its limit (lg_load_check_attrs reports that), so that no rule
 * quotes or parses a value of megabytes. */
const char *lg_load_attr(lg_arena *a, struct _xmlNode *n, const char *name);

/** Adds an error to D for each unknown or missing attribute of N (WHO names
 * it in messages) and each value longer than its limit, as errors of FILE
 * whose first diagnostic is D's FIRST. The schema rejects unknown and missing
 * attributes too, but libxml2 does not say which attribute is missing, so its
 * message for the element is dropped. */
void lg_load_check_attrs(lg_diags *d, size_t first, const char *file, struct _xmlNode *n,
                         const char *who, const lg_attr_spec *spec);

/** Sorts the diagnostics of D from index FIRST on by line, keeping the order
 * of those on one line: a file's problems are listed top to bottom. */
void lg_load_sort_diags(lg_diags *d, size_t first);

#endif
