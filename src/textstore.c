/* O_TMPFILE, MADV_DONTNEED, mkstemp */
#define _GNU_SOURCE
#include "textstore.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The file is mapped in segments of SEGMENT bytes of address space, each
 * mapped once and never moved, so that a text's address stays what it was
 * when it was added. A segment's part of the file is allocated CHUNK bytes
 * at a time as texts fill it (posix_fallocate, so that a full disk is an
 * error here, not a SIGBUS when a page is written). A text that does not fit
 * in what is left of a segment starts the next one; one longer than a
 * segment (past any limit of input_limits.h) goes to the arena. */
enum {
    SEGMENT = 64 << 20,
    CHUNK = 1 << 20,
    TRIM_EVERY = 8 << 20, /* while adding: written pages are given back this often */
};

typedef struct segment {
    char *base;
    size_t used, allocated;
} segment;

struct lg_textstore {
    lg_arena *arena;
    int fd;          /* -1: every text goes to the arena */
    bool used_file;  /* some text went to the file */
    segment *segs;
    size_t n_segs;
    size_t written;  /* bytes added to the file since the last trim */
};

int lg_open_unlinked(const char *dir)
{
    int fd = -1;
#ifdef O_TMPFILE
    fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0)
        return fd;
#endif
    /* A file system without O_TMPFILE: a named file, unlinked at once. A
     * kill between the two calls can leave it: it is named as the outputs'
     * temporary files are (outfile.c), so the next build sweeps it away. */
    char *path = lg_xasprintf("%s/.texts-XXXXXX.ledgerc-tmp", dir);
    fd = mkostemps(path, (int)strlen(".ledgerc-tmp"), O_CLOEXEC);
    if (fd >= 0 && unlink(path) != 0) {
        close(fd);
        fd = -1;
    }
    free(path);
    return fd;
}

lg_textstore *lg_textstore_new(lg_arena *a, const char *dir)
{
    lg_textstore *ts = lg_xcalloc(1, sizeof *ts);
    ts->arena = a;
    ts->fd = dir ? lg_open_unlinked(dir) : -1;
    return ts;
}

void lg_textstore_free(lg_textstore *ts)
{
    if (!ts)
        return;
    for (size_t i = 0; i < ts->n_segs; i++)
        munmap(ts->segs[i].base, SEGMENT);
    free(ts->segs);
    if (ts->fd >= 0)
        close(ts->fd);
    free(ts);
}

/* From now on texts go to the arena; those in the file stay valid. */
static void give_up_file(lg_textstore *ts)
{
    close(ts->fd);
    ts->fd = -1;
}

/* The segment with room for N bytes, or NULL when the file cannot take
 * them (the store then gives up its file). */
static segment *room_for(lg_textstore *ts, size_t n)
{
    segment *s = ts->n_segs ? &ts->segs[ts->n_segs - 1] : NULL;
    if (!s || SEGMENT - s->used < n) {
        off_t at = (off_t)ts->n_segs * SEGMENT;
        void *base = mmap(NULL, SEGMENT, PROT_READ | PROT_WRITE, MAP_SHARED, ts->fd, at);
        if (base == MAP_FAILED) {
            give_up_file(ts);
            return NULL;
        }
        ts->segs = lg_xrealloc(ts->segs, (ts->n_segs + 1) * sizeof *ts->segs);
        s = &ts->segs[ts->n_segs++];
        *s = (segment){base, 0, 0};
    }
    while (s->allocated - s->used < n) {
        off_t at = (off_t)(s - ts->segs) * SEGMENT + (off_t)s->allocated;
        if (posix_fallocate(ts->fd, at, CHUNK) != 0) {
            give_up_file(ts);
            return NULL;
        }
        s->allocated += CHUNK;
    }
    return s;
}

const char *lg_textstore_add(lg_textstore *ts, const char *text, size_t n)
{
    if (n == 0)
        return "";
    segment *s = ts->fd >= 0 && n < SEGMENT ? room_for(ts, n + 1) : NULL;
    if (!s)
        return lg_arena_strndup(ts->arena, text, n);
    char *p = s->base + s->used;
    memcpy(p, text, n);
    p[n] = '\0';
    s->used += n + 1;
    ts->used_file = true;
    /* What was written stays resident until trimmed: loading a month of
     * texts trims as it goes. */
    if ((ts->written += n + 1) >= TRIM_EVERY) {
        lg_textstore_trim(ts);
        ts->written = 0;
    }
    return p;
}

void lg_textstore_trim(const lg_textstore *ts)
{
    if (!ts)
        return;
    /* For a shared mapping of a file MADV_DONTNEED only unmaps the pages: a
     * page written is kept in the page cache (and so in the file), and the
     * next read maps it again. */
    for (size_t i = 0; i < ts->n_segs; i++)
        if (ts->segs[i].allocated)
            madvise(ts->segs[i].base, ts->segs[i].allocated, MADV_DONTNEED);
}

/* Rows read texts in another order than they were added (by task; texts
 * are stored by unit), and the kernel maps the pages around each one read
 * (fault-around, 64 KB): a few hundred rows map megabytes. */
void lg_textstore_tick(const lg_textstore *ts, size_t i)
{
    if (i % 64 == 63)
        lg_textstore_trim(ts);
}

bool lg_textstore_in_file(const lg_textstore *ts)
{
    return ts->fd >= 0 || ts->used_file;
}

size_t lg_textstore_file_bytes(const lg_textstore *ts)
{
    size_t n = 0;
    for (size_t i = 0; i < ts->n_segs; i++)
        n += ts->segs[i].used;
    return n;
}
