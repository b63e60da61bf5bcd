/* An LD_PRELOAD library that counts how often ledgerc lays text out, for the
 * benchmark's profile (bench/profile). Not linked into anything.
 *
 *   LAYOUT_COUNT_OUT=FILE LD_PRELOAD=liblayout_count.so ledgerc build ...
 *
 * src/layout.c lays a cell out with pango_layout_set_text, then
 * pango_layout_get_line_count, which is where Pango itemizes, shapes and
 * breaks the text; when 避头尾 is violated it sets stricter attributes and
 * asks again, which lays the whole text out a second time. This library
 * interposes those three calls (ledgerc calls them through the PLT) and
 * records, per layout computation, the text and width, and the thread CPU
 * time spent in it. At exit (and at _exit, which build -j's forked workers
 * use) each process appends a summary to FILE (default stderr):
 *
 *   pid N                    the process, then its figures:
 *
 *   layouts N cpu S          first layouts of a text, and their CPU seconds
 *   relayouts N cpu S        second layouts after 避头尾 attributes
 *   keys N                   distinct (text, width) pairs laid out
 *   short_first N cpu S      layouts of texts under 40 bytes at a width for the first time,
 *   short_repeated N cpu S   ... of one laid out before at that width (a cache would save these),
 *   long_first, long_repeated  the same for texts of 40 bytes or more
 *   long_keys N              ... of texts of 40 bytes or more (one per cell, in practice)
 *   long_hist K:N ...        how many long (text, width) pairs were laid out K times
 *   long_texts_hist K:N ...  the same ignoring the width (XLSX and PDF widths differ)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pango/pango.h>

#define LONG_TEXT 40

/* ---- a counting hash table of 64-bit keys ---------------------------------- */

typedef struct counts {
    uint64_t *key; /* 0: empty */
    uint32_t *n;
    size_t cap, used;
} counts;

/* Counts K once more; returns how many times it was counted before. */
static uint32_t counts_add(counts *c, uint64_t k)
{
    if (!k)
        k = 1;
    if (2 * (c->used + 1) > c->cap) {
        counts old = *c;
        c->cap = c->cap ? 2 * c->cap : 1 << 16;
        c->key = calloc(c->cap, sizeof *c->key);
        c->n = calloc(c->cap, sizeof *c->n);
        c->used = 0;
        for (size_t i = 0; i < old.cap; i++)
            if (old.key[i]) {
                size_t j = old.key[i] & (c->cap - 1);
                while (c->key[j])
                    j = (j + 1) & (c->cap - 1);
                c->key[j] = old.key[i];
                c->n[j] = old.n[i];
                c->used++;
            }
        free(old.key);
        free(old.n);
    }
    size_t j = k & (c->cap - 1);
    while (c->key[j] && c->key[j] != k)
        j = (j + 1) & (c->cap - 1);
    if (!c->key[j]) {
        c->key[j] = k;
        c->used++;
    }
    return c->n[j]++;
}

static void counts_hist(FILE *f, const char *name, const counts *c)
{
    size_t hist[9] = {0}; /* 1..7, 8 or more */
    for (size_t i = 0; i < c->cap; i++)
        if (c->key[i])
            hist[c->n[i] < 8 ? c->n[i] : 8]++;
    fprintf(f, "%s", name);
    for (int k = 1; k <= 8; k++)
        if (hist[k])
            fprintf(f, " %d%s:%zu", k, k == 8 ? "+" : "", hist[k]);
    fputc('\n', f);
}

static uint64_t fnv1a(const char *s, uint64_t h)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}

/* ---- state ----------------------------------------------------------------- */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static counts keys, long_keys, long_texts;
static size_t n_layouts, n_relayouts;
static double layout_cpu, relayout_cpu;
/* Layouts by [long text][laid out before at this width], and their CPU time:
 * the repeated ones are what a cache of laid-out texts would save. */
static size_t n_kind[2][2];
static double cpu_kind[2][2];

/* Per layout object: 0 fresh text, 1 laid out, 2 attributes changed since.
 * A small direct-mapped table by address; a collision only misfiles one
 * layout, and src/layout.c uses each layout right after setting it. */
#define SLOTS 4096
static struct {
    const void *layout;
    int state;
} slot[SLOTS];

static int *state_of(const void *layout)
{
    size_t i = ((uintptr_t)layout >> 4) % SLOTS;
    if (slot[i].layout != layout) {
        slot[i].layout = layout;
        slot[i].state = 0;
    }
    return &slot[i].state;
}

static double thread_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- the interposed calls --------------------------------------------------- */

void pango_layout_set_text(PangoLayout *layout, const char *text, int length)
{
    static void (*real)(PangoLayout *, const char *, int);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, __func__); /* POSIX's idiom */
    real(layout, text, length);
    pthread_mutex_lock(&lock);
    *state_of(layout) = 0;
    pthread_mutex_unlock(&lock);
}

void pango_layout_set_attributes(PangoLayout *layout, PangoAttrList *attrs)
{
    static void (*real)(PangoLayout *, PangoAttrList *);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, __func__); /* POSIX's idiom */
    real(layout, attrs);
    pthread_mutex_lock(&lock);
    int *st = state_of(layout);
    if (*st == 1)
        *st = 2;
    pthread_mutex_unlock(&lock);
}

int pango_layout_get_line_count(PangoLayout *layout)
{
    static int (*real)(PangoLayout *);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, __func__); /* POSIX's idiom */
    pthread_mutex_lock(&lock);
    int st = *state_of(layout);
    pthread_mutex_unlock(&lock);
    double t0 = thread_cpu();
    int n = real(layout);
    double dt = thread_cpu() - t0;
    if (st == 1)
        return n; /* already laid out: a query */
    const char *text = pango_layout_get_text(layout);
    uint64_t th = fnv1a(text, 0xcbf29ce484222325ULL);
    uint64_t k = th ^ ((uint64_t)(uint32_t)pango_layout_get_width(layout) * 0x9E3779B97F4A7C15ULL);
    pthread_mutex_lock(&lock);
    *state_of(layout) = 1;
    if (st == 0) {
        n_layouts++;
        layout_cpu += dt;
        bool repeated = counts_add(&keys, k) > 0;
        bool is_long = strlen(text) >= LONG_TEXT;
        n_kind[is_long][repeated]++;
        cpu_kind[is_long][repeated] += dt;
        if (is_long) {
            counts_add(&long_keys, k);
            counts_add(&long_texts, th);
        }
    } else {
        n_relayouts++;
        relayout_cpu += dt;
    }
    pthread_mutex_unlock(&lock);
    return n;
}

__attribute__((destructor)) static void report(void)
{
    if (!n_layouts)
        return; /* not a program that lays text out (e.g. /usr/bin/time around ledgerc) */
    const char *path = getenv("LAYOUT_COUNT_OUT");
    FILE *f = path ? fopen(path, "a") : NULL;
    if (!f)
        f = stderr;
    fprintf(f, "pid %ld\n", (long)getpid());
    fprintf(f, "layouts %zu cpu %.3f\n", n_layouts, layout_cpu);
    fprintf(f, "relayouts %zu cpu %.3f\n", n_relayouts, relayout_cpu);
    fprintf(f, "keys %zu\n", keys.used);
    static const char *kind[2][2] = {{"short_first", "short_repeated"},
                                     {"long_first", "long_repeated"}};
    for (int l = 0; l < 2; l++)
        for (int r = 0; r < 2; r++)
            fprintf(f, "%s %zu cpu %.3f\n", kind[l][r], n_kind[l][r], cpu_kind[l][r]);
    fprintf(f, "long_keys %zu\n", long_keys.used);
    counts_hist(f, "long_hist", &long_keys);
    counts_hist(f, "long_texts_hist", &long_texts);
    if (f != stderr)
        fclose(f);
    n_layouts = 0;
}

/* ledgerc's forked workers (build -j) leave with _exit, which runs no
 * destructor: report first. */
void _exit(int status)
{
    static void (*real)(int);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, __func__); /* POSIX's idiom */
    report();
    real(status);
    __builtin_unreachable();
}
