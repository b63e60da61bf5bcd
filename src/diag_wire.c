#include "diag_wire.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"

/* A null string is sent as this length. */
#define NULL_STR UINT32_MAX

/* The strings of a diagnostic, in the order they are sent. */
enum { S_KIND, S_FILE, S_UNIT, S_UNIT_NAME, S_MESSAGE, S_MESSAGE_ZH, S_N };

void lg_wire_put_u32(FILE *f, uint32_t v)
{
    fwrite(&v, sizeof v, 1, f);
}

bool lg_wire_get_u32(FILE *f, uint32_t *v)
{
    return fread(v, sizeof *v, 1, f) == 1;
}

static void put_str(FILE *f, const char *s)
{
    lg_wire_put_u32(f, s ? (uint32_t)strlen(s) : NULL_STR);
    if (s)
        fwrite(s, 1, strlen(s), f);
}

/* A string sent by put_str; *S is NULL for a null one. The caller frees. */
static bool get_str(FILE *f, char **s)
{
    uint32_t n;
    *s = NULL;
    if (!lg_wire_get_u32(f, &n))
        return false;
    if (n == NULL_STR)
        return true;
    *s = lg_xmalloc((size_t)n + 1);
    (*s)[n] = '\0';
    return fread(*s, 1, n, f) == n;
}

void lg_wire_put_diags(FILE *f, const lg_diags *d)
{
    lg_wire_put_u32(f, (uint32_t)d->count);
    for (size_t k = 0; k < d->count; k++) {
        const lg_diag *g = &d->items[k];
        lg_wire_put_u32(f, g->severity);
        lg_wire_put_u32(f, (uint32_t)(g->line > 0 ? g->line : 0));
        lg_wire_put_u32(f, (uint32_t)(g->task > 0 ? g->task : 0));
        put_str(f, g->kind);
        put_str(f, g->file);
        put_str(f, g->unit);
        put_str(f, g->unit_name);
        put_str(f, g->message);
        put_str(f, g->message_zh);
    }
}

bool lg_wire_get_diags(FILE *f, lg_diags *d)
{
    uint32_t count;
    if (!lg_wire_get_u32(f, &count))
        return false;
    for (uint32_t k = 0; k < count; k++) {
        uint32_t sev, line, task;
        char *s[S_N] = {NULL};
        bool got = lg_wire_get_u32(f, &sev) && lg_wire_get_u32(f, &line) &&
                   lg_wire_get_u32(f, &task);
        for (int i = 0; got && i < S_N; i++)
            got = get_str(f, &s[i]);
        if (got) {
            lg_diag *g = lg_diags_add(d, sev == LG_ERROR ? LG_ERROR : LG_WARNING, s[S_KIND],
                                      s[S_FILE], line, "%s", s[S_MESSAGE] ? s[S_MESSAGE] : "");
            lg_diag_set_unit(g, s[S_UNIT], task);
            lg_diag_set_unit_name(g, s[S_UNIT_NAME]);
            if (s[S_MESSAGE_ZH]) {
                free(g->message_zh);
                g->message_zh = lg_xstrdup(s[S_MESSAGE_ZH]);
            }
        }
        for (int i = 0; i < S_N; i++)
            free(s[i]);
        if (!got)
            return false;
    }
    return true;
}
