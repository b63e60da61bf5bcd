#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

lg_diag *lg_diags_vadd(lg_diags *d, lg_severity sev, const char *kind, const char *file,
                       long line, const char *fmt, va_list ap)
{
    if (d->count == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->items = lg_xrealloc(d->items, d->cap * sizeof *d->items);
    }
    lg_diag *g = &d->items[d->count++];
    memset(g, 0, sizeof *g);
    g->severity = sev;
    g->kind = lg_xstrdup(kind ? kind : "error");
    g->file = file ? lg_xstrdup(file) : NULL;
    g->line = line;
    g->message = lg_xvasprintf(fmt, ap);
    return g;
}

lg_diag *lg_diags_add(lg_diags *d, lg_severity sev, const char *kind, const char *file,
                      long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lg_diag *g = lg_diags_vadd(d, sev, kind, file, line, fmt, ap);
    va_end(ap);
    return g;
}

void lg_diag_set_unit(lg_diag *g, const char *unit_id, long task)
{
    free(g->unit);
    g->unit = unit_id ? lg_xstrdup(unit_id) : NULL;
    g->task = task;
}

void lg_diag_set_unit_name(lg_diag *g, const char *name)
{
    free(g->unit_name);
    g->unit_name = name ? lg_xstrdup(name) : NULL;
}

size_t lg_diags_count(const lg_diags *d, lg_severity sev)
{
    size_t n = 0;
    for (size_t i = 0; i < d->count; i++)
        n += d->items[i].severity == sev;
    return n;
}

char *lg_diag_format(const lg_diag *g)
{
    const char *sev = g->severity == LG_ERROR ? "error" : "warning";
    if (g->file && g->line > 0)
        return lg_xasprintf("%s:%ld: %s: %s", g->file, g->line, sev, g->message);
    if (g->file)
        return lg_xasprintf("%s: %s: %s", g->file, sev, g->message);
    return lg_xasprintf("ledgerc: %s: %s", sev, g->message);
}

void lg_diags_print(const lg_diags *d, FILE *out)
{
    for (size_t i = 0; i < d->count; i++) {
        char *s = lg_diag_format(&d->items[i]);
        fprintf(out, "%s\n", s);
        free(s);
    }
}

void lg_diag_clear(lg_diag *g)
{
    free(g->kind);
    free(g->file);
    free(g->unit);
    free(g->unit_name);
    free(g->message);
}

void lg_diags_truncate(lg_diags *d, size_t count)
{
    while (d->count > count)
        lg_diag_clear(&d->items[--d->count]);
}

void lg_diags_free(lg_diags *d)
{
    lg_diags_truncate(d, 0);
    free(d->items);
    memset(d, 0, sizeof *d);
}

/* A JSON string: UTF-8 passes through, quotes, backslashes and controls are
 * escaped. */
static void json_string(const char *s, FILE *out)
{
    if (!s) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", out);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

void lg_diags_write_json(const lg_diags *d, FILE *out)
{
    fputs("[", out);
    for (size_t i = 0; i < d->count; i++) {
        const lg_diag *g = &d->items[i];
        fputs(i ? ",\n {" : "\n {", out);
        fprintf(out, "\"severity\": \"%s\", \"kind\": ", g->severity == LG_ERROR ? "error" : "warning");
        json_string(g->kind, out);
        fputs(", \"unit\": ", out);
        json_string(g->unit, out);
        if (g->task)
            fprintf(out, ", \"task\": %ld", g->task);
        else
            fputs(", \"task\": null", out);
        fputs(", \"file\": ", out);
        json_string(g->file, out);
        if (g->line > 0)
            fprintf(out, ", \"line\": %ld", g->line);
        else
            fputs(", \"line\": null", out);
        fputs(", \"message\": ", out);
        json_string(g->message, out);
        fputs("}", out);
    }
    fputs(d->count ? "\n]\n" : "]\n", out);
}
