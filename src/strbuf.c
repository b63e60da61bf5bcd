#include "strbuf.h"

#include <string.h>

#include "arena.h"

void lg_strbuf_add(lg_strbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = lg_xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void lg_strbuf_puts(lg_strbuf *b, const char *s)
{
    lg_strbuf_add(b, s, strlen(s));
}

const char *lg_strbuf_str(const lg_strbuf *b)
{
    return b->s ? b->s : "";
}
