/* Memory: an out-of-memory abort wrapper and a bump arena that owns a model. */
#ifndef LG_ARENA_H
#define LG_ARENA_H

#include <stdarg.h>
#include <stddef.h>

/** malloc/realloc/strdup that abort the program when memory runs out. The caller frees. */
void *lg_xmalloc(size_t size);
void *lg_xcalloc(size_t n, size_t size);
void *lg_xrealloc(void *p, size_t size);
char *lg_xstrdup(const char *s);
/** printf into a new string; the caller frees it. */
char *lg_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *lg_xvasprintf(const char *fmt, va_list ap);

typedef struct lg_arena lg_arena;

/** A new empty arena; free it, and everything allocated from it, with lg_arena_free. */
lg_arena *lg_arena_new(void);
void lg_arena_free(lg_arena *a);
/** Zeroed memory, aligned for any type, owned by the arena. */
void *lg_arena_alloc(lg_arena *a, size_t size);
/** A new block for CAP items of SIZE bytes holding a copy of the first N of
 * ITEMS: how an array in the arena grows (a block cannot grow in place; the
 * old one stays until the arena is freed, so callers that know their size
 * reserve it). */
void *lg_arena_regrow(lg_arena *a, const void *items, size_t n, size_t cap, size_t size);
char *lg_arena_strdup(lg_arena *a, const char *s);
char *lg_arena_strndup(lg_arena *a, const char *s, size_t n);
char *lg_arena_printf(lg_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
