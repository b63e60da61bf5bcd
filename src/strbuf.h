/* A growing string: text put together piece by piece (XMP packets, cell
 * texts read from XLSX). Always NUL-terminated once anything is added. */
#ifndef LG_STRBUF_H
#define LG_STRBUF_H

#include <stddef.h>

typedef struct lg_strbuf {
    char *s;     /* malloc'd; NULL until the first add */
    size_t len;  /* bytes before the NUL */
    size_t cap;  /* bytes allocated */
} lg_strbuf;

/** Appends the N bytes at S (which may hold NULs). */
void lg_strbuf_add(lg_strbuf *b, const char *s, size_t n);
/** Appends the string S. */
void lg_strbuf_puts(lg_strbuf *b, const char *s);
/** The text so far: "" when nothing was added. Valid until the next add. */
const char *lg_strbuf_str(const lg_strbuf *b);

#endif
