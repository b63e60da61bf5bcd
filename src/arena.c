#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(size_t size)
{
    fprintf(stderr, "ledgerc: fatal: out of memory (allocating %zu bytes)\n", size);
    abort();
}

void *lg_xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        out_of_memory(size);
    return p;
}

void *lg_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        out_of_memory(n * size);
    return p;
}

void *lg_xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    if (!q)
        out_of_memory(size);
    return q;
}

char *lg_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(lg_xmalloc(n), s, n);
}

/* printf into a new string of *LEN bytes. */
static char *vformat(const char *fmt, va_list ap, size_t *len)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        n = 0;
    char *s = lg_xmalloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    *len = (size_t)n;
    return s;
}

char *lg_xvasprintf(const char *fmt, va_list ap)
{
    size_t len;
    return vformat(fmt, ap, &len);
}

char *lg_xasprintf(const char *fmt, ...)
{
    va_list ap;
    size_t len;
    va_start(ap, fmt);
    char *s = vformat(fmt, ap, &len);
    va_end(ap);
    return s;
}

/* Blocks are chained; big requests get a block of their own so that the
 * current block's free tail is not wasted. */
typedef struct block {
    struct block *next;
    size_t used, size;
    max_align_t data[];
} block;

struct lg_arena {
    block *head;
};

enum { BLOCK_SIZE = 64 * 1024 };

lg_arena *lg_arena_new(void)
{
    return lg_xcalloc(1, sizeof(lg_arena));
}

void lg_arena_free(lg_arena *a)
{
    if (!a)
        return;
    for (block *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(a);
}

void *lg_arena_alloc(lg_arena *a, size_t size)
{
    const size_t align = sizeof(max_align_t);
    size = (size + align - 1) / align * align;
    block *b = a->head;
    if (!b || b->size - b->used < size) {
        size_t cap = size > BLOCK_SIZE / 4 ? size : BLOCK_SIZE;
        block *nb = lg_xmalloc(sizeof(block) + cap);
        nb->used = 0;
        nb->size = cap;
        if (b && cap != BLOCK_SIZE) {
            /* keep the current block at the head: it still has room */
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            a->head = nb;
        }
        b = nb;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    return memset(p, 0, size);
}

void *lg_arena_regrow(lg_arena *a, const void *items, size_t n, size_t cap, size_t size)
{
    void *p = lg_arena_alloc(a, cap * size);
    if (n)
        memcpy(p, items, n * size);
    return p;
}

char *lg_arena_strndup(lg_arena *a, const char *s, size_t n)
{
    char *p = lg_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *lg_arena_strdup(lg_arena *a, const char *s)
{
    return lg_arena_strndup(a, s, strlen(s));
}

char *lg_arena_printf(lg_arena *a, const char *fmt, ...)
{
    va_list ap;
    size_t len;
    va_start(ap, fmt);
    char *tmp = vformat(fmt, ap, &len);
    va_end(ap);
    char *s = lg_arena_strndup(a, tmp, len);
    free(tmp);
    return s;
}
