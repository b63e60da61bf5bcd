/* What both loaders share (load_common.h): task numbers, a file's
 * diagnostics, and attributes. */
#include "load_common.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "input_limits.h"
#include "xmlload.h"

bool lg_task_no_parse(const char *s, long *no)
{
    if (!s || *s < '1' || *s > '9')
        return false;
    long v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        int digit = *s - '0';
        if (v > (LONG_MAX - digit) / 10)
            return false;
        v = v * 10 + digit;
    }
    *no = v;
    return true;
}

/* ---- a file's diagnostics ---------------------------------------------------- */

void lg_load_drop_schema_diags(lg_diags *d, size_t first, long from, long to,
                               const char *containing)
{
    size_t kept = first;
    for (size_t i = first; i < d->count; i++) {
        lg_diag *g = &d->items[i];
        if (strcmp(g->kind, "schema") == 0 && (g->line == 0 || (g->line >= from && g->line <= to)) &&
            (!containing || strstr(g->message, containing)))
            lg_diag_clear(g);
        else
            d->items[kept++] = *g;
    }
    d->count = kept;
}

void lg_load_note_truncated(lg_diags *d, size_t first, const char *path)
{
    if (d->count - first < (size_t)LG_MAX_ERRORS_PER_FILE)
        return;
    char b[32];
    lg_diags_add(d, LG_ERROR, "too-many-errors", path, 0,
                 "more problems may follow: ledgerc lists at most %s for one file; "
                 "correct these and run again",
                 lg_thousands(LG_MAX_ERRORS_PER_FILE, b));
}

void lg_load_sort_diags(lg_diags *d, size_t first)
{
    /* Insertion sort: stable, and a file has few diagnostics. */
    for (size_t i = first + 1; i < d->count; i++) {
        lg_diag g = d->items[i];
        size_t j = i;
        for (; j > first && d->items[j - 1].line > g.line; j--)
            d->items[j] = d->items[j - 1];
        d->items[j] = g;
    }
}

/* ---- attributes, as both loaders check them ---------------------------------- */

bool lg_load_decimal(const char *s, bool negative_ok, long long *v)
{
    const char *p = s;
    bool negative = *p == '-' && negative_ok;
    p += negative;
    long long whole = 0;
    int digits = 0, places = -1; /* places: digits after the point, -1 before it */
    for (; *p; p++) {
        if (*p == '.' && places < 0 && digits > 0) {
            places = 0;
            continue;
        }
        if (*p < '0' || *p > '9' || ++digits > 10 || places >= LG_DECIMAL_PLACES)
            return false;
        whole = whole * 10 + (*p - '0');
        places += places >= 0;
    }
    if (digits == 0 || places == 0) /* "", "-", "5." */
        return false;
    for (int k = places < 0 ? 0 : places; k < LG_DECIMAL_PLACES; k++)
        whole *= 10;
    *v = negative ? -whole : whole;
    return true;
}

long lg_load_attr_limit(const char *name)
{
    return strcmp(name, "owners") == 0 ? LG_MAX_OWNERS_CHARS : LG_MAX_ATTR_CHARS;
}

const char *lg_load_attr(lg_arena *a, xmlNodePtr n, const char *name)
{
    xmlAttrPtr at = xmlHasNsProp(n, (const xmlChar *)name, NULL);
    if (!at || lg_xml_attr_too_long(at, lg_load_attr_limit(name)))
        return NULL;
    return lg_xml_attr(a, n, name);
}

/* An error of the attribute check, unless the file has as many as it lists. */
static void attr_error(lg_diags *d, size_t first, const char *file, long line, const char *kind,
                       const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void attr_error(lg_diags *d, size_t first, const char *file, long line, const char *kind,
                       const char *fmt, ...)
{
    if (d->count - first >= (size_t)LG_MAX_ERRORS_PER_FILE)
        return; /* lg_load_note_truncated says so */
    va_list ap;
    va_start(ap, fmt);
    lg_diags_vadd(d, LG_ERROR, kind, file, line, fmt, ap);
    va_end(ap);
}

void lg_load_check_attrs(lg_diags *d, size_t first, const char *file, xmlNodePtr n,
                         const char *who, const lg_attr_spec *spec)
{
    long line = lg_xml_line(n);
    size_t before = d->count;
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        const lg_attr_spec *s = spec;
        while (s->name && !(!a->ns && xmlStrEqual(a->name, (const xmlChar *)s->name)))
            s++;
        if (s->name) {
            size_t chars = lg_xml_attr_too_long(a, lg_load_attr_limit(s->name));
            char b1[32], b2[32];
            if (chars)
                attr_error(d, first, file, line, "too-long",
                           "%s: %s is %s characters long; it may be at most %s", who, s->name,
                           lg_thousands((long)chars, b1),
                           lg_thousands(lg_load_attr_limit(s->name), b2));
            continue;
        }
        char *known = lg_xstrdup("");
        for (s = spec; s->name; s++) {
            char *k = lg_xasprintf("%s%s%s", known, *known ? ", " : "", s->name);
            free(known);
            known = k;
        }
        attr_error(d, first, file, line, "unknown-attribute",
                   "%s: unknown attribute \"%s%s%s\"; remove it or correct its name (%s%s)", who,
                   a->ns && a->ns->prefix ? (const char *)a->ns->prefix : "",
                   a->ns && a->ns->prefix ? ":" : "", (const char *)a->name,
                   *known ? "allowed: " : "this element takes no attributes", known);
        free(known);
    }
    for (const lg_attr_spec *s = spec; s->name; s++)
        if (s->example && !xmlHasNsProp(n, (const xmlChar *)s->name, NULL))
            attr_error(d, first, file, line, "missing-attribute",
                       "%s has no \"%s\" attribute; add one, e.g. %s=\"%s\"", who, s->name,
                       s->name, s->example);
    if (d->count > before)
        lg_load_drop_schema_diags(d, first, line, line, "attribute");
}
