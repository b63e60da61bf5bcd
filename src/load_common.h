/* What the two loaders (load_plan.c, load_report.c) share (load_common.c). */
#ifndef LG_LOAD_COMMON_H
#define LG_LOAD_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "model.h"

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

/** Parses S, a decimal number as a plan or report writes it ("80", "62.5",
 * "-1.3": ASCII digits, at most LG_DECIMAL_PLACES of them after one '.', at
 * most 10 in all, a '-' only when NEGATIVE_OK), into *V in units of
 * 1/LG_DECIMAL_ONE, exactly; false when it is not one. */
bool lg_load_decimal(const char *s, bool negative_ok, long long *v);

/** Sorts the diagnostics of D from index FIRST on by line, keeping the order
 * of those on one line: a file's problems are listed top to bottom. */
void lg_load_sort_diags(lg_diags *d, size_t first);

#endif
