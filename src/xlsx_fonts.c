/* Fonts libxlsxwriter 1.1.4 cannot declare: it keeps a format's character
 * set (format_set_font_charset) but never writes it, and names a chart's
 * fonts for Latin text only (<a:latin>). Both are added here to the parts of
 * the finished file, with libzip, before it is renamed into place. */
#include "xlsx_fonts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "arena.h"

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

/* The file at PATH whole into *DATA (lg_xmalloc'd) and *SIZE. */
static bool read_file(const char *path, char **data, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    size_t cap = 1 << 16, n = 0;
    char *d = lg_xmalloc(cap);
    for (size_t got; (got = fread(d + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap)
            d = lg_xrealloc(d, cap *= 2);
    }
    bool ok = !ferror(f);
    fclose(f);
    if (!ok) {
        free(d);
        return false;
    }
    *data = d;
    *size = n;
    return true;
}

/* What SRC (an archive written into memory) holds, written over PATH. */
static bool write_source(zip_source_t *src, const char *path)
{
    if (zip_source_open(src) != 0)
        return false;
    bool ok = zip_source_seek(src, 0, SEEK_END) == 0;
    zip_int64_t size = ok ? zip_source_tell(src) : -1;
    ok = size >= 0 && zip_source_seek(src, 0, SEEK_SET) == 0;
    char *data = ok ? lg_xmalloc((size_t)size + 1) : NULL;
    ok = ok && zip_source_read(src, data, (zip_uint64_t)size) == size;
    zip_source_close(src);
    FILE *f = ok ? fopen(path, "wb") : NULL;
    ok = f && fwrite(data, 1, (size_t)size, f) == (size_t)size;
    if (f)
        ok = (fclose(f) == 0) && ok;
    free(data);
    return ok;
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

bool lg_xlsx_declare_fonts(const char *path, int charset, lg_diags *d)
{
    /* In memory: libzip would write the new archive to a temporary file
     * with a name beside PATH, which a killed build would leave behind. */
    char *data;
    size_t size;
    if (!read_file(path, &data, &size)) {
        lg_diags_add(d, LG_ERROR, "xlsx", path, 0, "cannot read the workbook back to declare its fonts");
        return false;
    }
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, size, 1, &ze);
    if (!src) {
        free(data);
        zip_error_fini(&ze);
        lg_diags_add(d, LG_ERROR, "xlsx", path, 0, "cannot declare the workbook's fonts: out of memory");
        return false;
    }
    zip_source_keep(src); /* it holds the new archive after zip_close */
    zip_t *z = zip_open_from_source(src, 0, &ze);
    bool ok = z && declare_in(z, charset);
    if (z && !ok)
        zip_discard(z);
    ok = ok && zip_close(z) == 0;
    ok = ok && write_source(src, path);
    zip_source_free(src);
    zip_error_fini(&ze);
    if (!ok)
        lg_diags_add(d, LG_ERROR, "xlsx", path, 0, "cannot declare the workbook's fonts: the "
                     "file could not be read back or written again");
    return ok;
}
