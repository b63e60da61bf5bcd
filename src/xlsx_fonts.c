/* Fonts libxlsxwriter 1.1.4 cannot declare: it keeps a format's character
 * set (format_set_font_charset) but never writes it, and names a chart's
 * fonts for Latin text only (<a:latin>). Both are added here to the parts of
 * the finished file, with libzip, before it is renamed into place. */
#define _POSIX_C_SOURCE 200809L /* pread, pwrite, O_CLOEXEC */
#include "xlsx_fonts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "arena.h"
#include "xlsx_tmpfile.h"

/* A growing string. */
typedef struct buf {
    char *s;
    size_t n, cap;
} buf;

static void put(buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = 2 * (b->n + n + 1);
        b->s = lg_xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

char *lg_xlsx_styles_with_charset(const char *styles, int charset)
{
    buf b = {0};
    char tag[40];
    snprintf(tag, sizeof tag, "<charset val=\"%d\"/>", charset);
    const char *p = styles;
    for (const char *f; (f = strstr(p, "<font>")) != NULL;) {
        const char *end = strstr(f, "</font>");
        if (!end)
            break;
        /* After <family …/> when there is one, as Excel writes it. */
        const char *at = end;
        const char *fam = strstr(f, "<family ");
        if (fam && fam < end)
            at = strstr(fam, "/>") + 2;
        put(&b, p, (size_t)(at - p));
        const char *has = strstr(f, "<charset ");
        if (!has || has > end)
            put(&b, tag, strlen(tag));
        p = at;
    }
    put(&b, p, strlen(p));
    return b.s;
}

/* S with every FROM replaced by TO. The caller frees. */
static char *replace_all(const char *s, const char *from, const char *to)
{
    buf b = {0};
    for (const char *q; (q = strstr(s, from)) != NULL; s = q + strlen(from)) {
        put(&b, s, (size_t)(q - s));
        put(&b, to, strlen(to));
    }
    put(&b, s, strlen(s));
    return b.s;
}

char *lg_xlsx_chart_with_ea(const char *chart)
{
    char *zh = replace_all(chart, " lang=\"en-US\"", " lang=\"zh-CN\"");
    buf b = {0};
    const char *p = zh;
    for (const char *l; (l = strstr(p, "<a:latin ")) != NULL;) {
        const char *end = strstr(l, "/>");
        if (!end)
            break;
        end += 2;
        put(&b, p, (size_t)(end - p));
        put(&b, "<a:ea ", 6);
        const char *attrs = l + strlen("<a:latin ");
        put(&b, attrs, (size_t)(end - attrs));
        p = end;
    }
    put(&b, p, strlen(p));
    free(zh);
    return b.s;
}

/* Entry I of Z whole, or NULL. The caller frees. */
static char *read_entry(zip_t *z, zip_uint64_t i)
{
    zip_stat_t st;
    if (zip_stat_index(z, i, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
        return NULL;
    zip_file_t *f = zip_fopen_index(z, i, 0);
    if (!f)
        return NULL;
    char *s = lg_xmalloc(st.size + 1);
    zip_int64_t n = zip_fread(f, s, st.size);
    zip_fclose(f);
    if (n < 0 || (zip_uint64_t)n != st.size) {
        free(s);
        return NULL;
    }
    s[st.size] = '\0';
    return s;
}

/* Replaces entry I of Z by TEXT (taken), deflated, with its old date. */
static bool replace_entry(zip_t *z, zip_uint64_t i, char *text)
{
    zip_stat_t st;
    if (zip_stat_index(z, i, 0, &st) != 0) {
        free(text);
        return false;
    }
    zip_source_t *src = zip_source_buffer(z, text, strlen(text), 1);
    if (!src) {
        free(text);
        return false;
    }
    if (zip_file_replace(z, i, src, ZIP_FL_OVERWRITE) != 0) {
        zip_source_free(src);
        return false;
    }
    return zip_set_file_compression(z, i, ZIP_CM_DEFLATE, 0) == 0 &&
           (!(st.valid & ZIP_STAT_MTIME) || zip_file_set_mtime(z, i, st.mtime, 0) == 0);
}

/* The parts of archive Z to change, changed; false when one cannot be. */
static bool declare_in(zip_t *z, int charset)
{
    zip_int64_t n = zip_get_num_entries(z, 0);
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
        bool styles = name && strcmp(name, "xl/styles.xml") == 0;
        bool chart = name && strncmp(name, "xl/charts/chart", 15) == 0;
        if (!styles && !chart)
            continue;
        char *xml = read_entry(z, (zip_uint64_t)i);
        if (!xml)
            return false;
        char *out = styles ? lg_xlsx_styles_with_charset(xml, charset) : lg_xlsx_chart_with_ea(xml);
        free(xml);
        if (!replace_entry(z, (zip_uint64_t)i, out))
            return false;
    }
    return true;
}

/* The workbook, read from IN, written anew into OUT and copied back over
 * IN when done: a libzip source that never names a file (libzip's own
 * writes "PATH.XXXXXX" beside the file, which a killed run would leave) and
 * never holds the workbook in memory (reading it whole held it three times
 * over: 35 MB more for a province's 17 MB workbook). libzip copies the
 * parts it does not change as they are compressed. */
typedef struct rewrite {
    int in;        /* the workbook, read and written */
    FILE *out;     /* the new archive while it is written (lxw_tmpfile) */
    char *dir;     /* where OUT goes: the workbook's folder */
    zip_uint64_t size, pos; /* IN's size and read position */
    zip_uint64_t out_size, out_pos;
    zip_error_t error;
} rewrite;

/* Copies N bytes of FROM over the start of TO, then cuts TO there. */
static bool copy_back(int from, int to, zip_uint64_t n)
{
    char chunk[1 << 16];
    for (zip_uint64_t at = 0; at < n;) {
        size_t want = n - at < sizeof chunk ? (size_t)(n - at) : sizeof chunk;
        ssize_t got = pread(from, chunk, want, (off_t)at);
        if (got <= 0 || pwrite(to, chunk, (size_t)got, (off_t)at) != got)
            return false;
        at += (zip_uint64_t)got;
    }
    return ftruncate(to, (off_t)n) == 0;
}

/* Records libzip's error ZE, and errno with it: the callback's -1. */
static zip_int64_t fail(rewrite *w, int ze)
{
    zip_error_set(&w->error, ze, errno);
    return -1;
}

/* Moves *POS (in a file of SIZE bytes) as libzip's seek arguments DATA say. */
static zip_int64_t seek(rewrite *w, zip_uint64_t *pos, zip_uint64_t size, void *data,
                        zip_uint64_t len)
{
    zip_int64_t at = zip_source_seek_compute_offset(*pos, size, data, len, &w->error);
    if (at < 0)
        return -1;
    *pos = (zip_uint64_t)at;
    return 0;
}

static zip_int64_t rewrite_cmd(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
    rewrite *w = ud;
    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        w->pos = 0;
        return 0;
    case ZIP_SOURCE_READ: {
        ssize_t n = pread(w->in, data, len, (off_t)w->pos);
        if (n < 0)
            return fail(w, ZIP_ER_READ);
        w->pos += (zip_uint64_t)n;
        return n;
    }
    case ZIP_SOURCE_CLOSE:
    case ZIP_SOURCE_FREE:
        return 0;
    case ZIP_SOURCE_STAT: {
        zip_stat_t *st = ZIP_SOURCE_GET_ARGS(zip_stat_t, data, len, &w->error);
        if (!st)
            return -1;
        zip_stat_init(st);
        st->size = w->size;
        st->valid |= ZIP_STAT_SIZE;
        return sizeof *st;
    }
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&w->error, data, len);
    case ZIP_SOURCE_SEEK:
        return seek(w, &w->pos, w->size, data, len);
    case ZIP_SOURCE_TELL:
        return (zip_int64_t)w->pos;
    case ZIP_SOURCE_BEGIN_WRITE:
        errno = 0;
        w->out = lxw_tmpfile(w->dir);
        if (!w->out)
            return fail(w, ZIP_ER_TMPOPEN);
        w->out_size = w->out_pos = 0;
        return 0;
    case ZIP_SOURCE_WRITE: {
        ssize_t n = pwrite(fileno(w->out), data, len, (off_t)w->out_pos);
        if (n < 0)
            return fail(w, ZIP_ER_WRITE);
        w->out_pos += (zip_uint64_t)n;
        if (w->out_pos > w->out_size)
            w->out_size = w->out_pos;
        return n;
    }
    case ZIP_SOURCE_SEEK_WRITE:
        return seek(w, &w->out_pos, w->out_size, data, len);
    case ZIP_SOURCE_TELL_WRITE:
        return (zip_int64_t)w->out_pos;
    case ZIP_SOURCE_COMMIT_WRITE: {
        bool ok = copy_back(fileno(w->out), w->in, w->out_size);
        fclose(w->out);
        w->out = NULL;
        if (!ok)
            return fail(w, ZIP_ER_WRITE);
        w->size = w->out_size;
        return 0;
    }
    case ZIP_SOURCE_ROLLBACK_WRITE:
        if (w->out)
            fclose(w->out);
        w->out = NULL;
        return 0;
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(
            ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
            ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, ZIP_SOURCE_SEEK, ZIP_SOURCE_TELL,
            ZIP_SOURCE_BEGIN_WRITE, ZIP_SOURCE_COMMIT_WRITE, ZIP_SOURCE_ROLLBACK_WRITE,
            ZIP_SOURCE_WRITE, ZIP_SOURCE_SEEK_WRITE, ZIP_SOURCE_TELL_WRITE, ZIP_SOURCE_SUPPORTS,
            ZIP_SOURCE_REMOVE, -1);
    default: /* ZIP_SOURCE_REMOVE: only for an archive left empty, never ours */
        zip_error_set(&w->error, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
}

bool lg_xlsx_declare_fonts(const char *path, int charset, lg_diags *d)
{
    rewrite w = {.in = open(path, O_RDWR | O_CLOEXEC), .dir = lg_xlsx_tmpdir(path)};
    zip_error_init(&w.error);
    struct stat st;
    bool ok = w.in >= 0 && fstat(w.in, &st) == 0;
    w.size = ok ? (zip_uint64_t)st.st_size : 0;
    zip_source_t *src = ok ? zip_source_function_create(rewrite_cmd, &w, NULL) : NULL;
    zip_t *z = src ? zip_open_from_source(src, 0, NULL) : NULL;
    if (src && !z)
        zip_source_free(src);
    ok = z && declare_in(z, charset) && zip_close(z) == 0;
    if (z && !ok)
        zip_discard(z); /* frees the source */
    if (w.out)
        fclose(w.out);
    if (w.in >= 0 && close(w.in) != 0)
        ok = false;
    zip_error_fini(&w.error);
    free(w.dir);
    if (!ok)
        lg_diags_add(d, LG_ERROR, "xlsx", path, 0, "cannot declare the workbook's fonts: the "
                     "file could not be read back or written again");
    return ok;
}
