/* Diagnostics: every problem found in the input, with the file and line that
 * caused it, collected so that a user can fix them all in one pass. */
#ifndef LG_DIAG_H
#define LG_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum { LG_ERROR, LG_WARNING } lg_severity;

typedef struct lg_diag {
    lg_severity severity;
    char *kind;    /* a short machine name of the rule, e.g. "unknown-unit" */
    char *file;    /* the input file, or NULL */
    long line;     /* 1-based, or 0 when not known */
    char *unit;    /* the unit id concerned, or NULL */
    char *unit_name; /* its name as printed, or NULL */
    long task;     /* the task number concerned, or 0 */
    char *message; /* what is wrong and how to fix it, in the user's language */
    char *message_zh; /* the same in Chinese, for the 问题清单 an official reads */
    const char *status; /* the status key of its (task, unit) row (status.h), static; or NULL */
    bool escalated;     /* with STATUS: the row is escalated */
} lg_diag;

/* A kind of diagnostic: its English key (check --format json's "kind", listed in
 * README.md), its Chinese name (the 问题清单's 类别) and the severity it is
 * reported with. */
typedef struct lg_diag_kind {
    const char *key, *zh;
    lg_severity severity;
} lg_diag_kind;

/** The table of every kind, in the order README.md lists them; *N is set to
 * its length. */
const lg_diag_kind *lg_diag_kinds(size_t *n);
/** The kind whose key is KEY, or NULL. A key of the table ending in "-CLAUSE"
 * stands for every key with its start and a clause ("pdfa-6.2.2"). */
const lg_diag_kind *lg_diag_kind_find(const char *key);

typedef struct lg_diags {
    lg_diag *items;
    size_t count, cap;
} lg_diags;

/** Adds a diagnostic; the strings are copied. FMT is the English message (a
 * msgid of po/zh_CN.po): the message is FMT translated to the user's language
 * (gettext), message_zh to Chinese (lg_zh), both formatted with the arguments. Returns it so that the caller can
 * set unit and task (lg_diag_set_unit). The pointer is valid until the next add. */
lg_diag *lg_diags_add(lg_diags *d, lg_severity sev, const char *kind, const char *file,
                      long line, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/** lg_diags_add with the arguments of the message in AP. */
lg_diag *lg_diags_vadd(lg_diags *d, lg_severity sev, const char *kind, const char *file,
                       long line, const char *fmt, va_list ap);
/** Adds a copy of G (all its fields) to D. */
lg_diag *lg_diags_add_copy(lg_diags *d, const lg_diag *g);
void lg_diag_set_unit(lg_diag *diag, const char *unit_id, long task);
/** Sets the name of the diagnostic's unit, for listings grouped by unit. */
void lg_diag_set_unit_name(lg_diag *diag, const char *name);
size_t lg_diags_count(const lg_diags *d, lg_severity sev);
/** Prints each as "FILE:LINE: error: MESSAGE" (GNU style), in the order added. */
void lg_diags_print(const lg_diags *d, FILE *out);
/** Formats one diagnostic as lg_diags_print would, without the newline; the caller frees. */
char *lg_diag_format(const lg_diag *diag);
/** Writes D as a JSON array of objects {"severity", "kind", "unit", "task",
 * "file", "line", "message"} (absent values as null), one object a line. */
void lg_diags_write_json(const lg_diags *d, FILE *out);

/** Drops the diagnostics added after the first COUNT. */
void lg_diags_truncate(lg_diags *d, size_t count);
/** Frees the strings of G, which is then to be dropped from its list. */
void lg_diag_clear(lg_diag *g);
void lg_diags_free(lg_diags *d);

#endif
