#define _GNU_SOURCE /* memmem, O_CLOEXEC */
#include "pdfa.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "arena.h"
#include "i18n.h"
#include "outfile.h"
#include "sha256.h"
#include "strbuf.h"

/* The sRGB profile, compiled in by scripts/embed.cmake (CMakeLists.txt). */
extern const unsigned char lg_icc_sRGB[];
extern const unsigned long lg_icc_sRGB_size;

/* ---- XMP ---------------------------------------------------------------------- */

/* S as XML character data or attribute value. */
static void put_escaped(lg_strbuf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '&': lg_strbuf_puts(b, "&amp;"); break;
        case '<': lg_strbuf_puts(b, "&lt;"); break;
        case '>': lg_strbuf_puts(b, "&gt;"); break;
        case '"': lg_strbuf_puts(b, "&quot;"); break;
        default: lg_strbuf_add(b, s + i, 1);
        }
    }
}

/* <NAME>VALUE</NAME>, or nothing when VALUE is empty. */
static void put_simple(lg_strbuf *b, const char *name, const char *value)
{
    if (!value || !*value)
        return;
    char *open = lg_xasprintf("   <%s>", name), *close = lg_xasprintf("</%s>\n", name);
    lg_strbuf_puts(b, open);
    put_escaped(b, value, strlen(value));
    lg_strbuf_puts(b, close);
    free(open);
    free(close);
}

/* A language alternative with VALUE as its default (dc:title, dc:description). */
static void put_alt(lg_strbuf *b, const char *name, const char *value)
{
    if (!value || !*value)
        return;
    char *s = lg_xasprintf("   <%s><rdf:Alt><rdf:li xml:lang=\"x-default\">", name);
    lg_strbuf_puts(b, s);
    free(s);
    put_escaped(b, value, strlen(value));
    s = lg_xasprintf("</rdf:li></rdf:Alt></%s>\n", name);
    lg_strbuf_puts(b, s);
    free(s);
}

/* VALUE as an ordered (Seq) or unordered (Bag) array of one item, or with
 * SPLIT of one item for each comma-separated part. */
static void put_list(lg_strbuf *b, const char *name, const char *kind, const char *value, bool split)
{
    if (!value || !*value)
        return;
    char *s = lg_xasprintf("   <%s><rdf:%s>", name, kind);
    lg_strbuf_puts(b, s);
    free(s);
    for (const char *p = value; *p;) {
        while (split && *p == ' ')
            p++;
        size_t n = split ? strcspn(p, ",") : strlen(p);
        lg_strbuf_puts(b, "<rdf:li>");
        put_escaped(b, p, n);
        lg_strbuf_puts(b, "</rdf:li>");
        p += n + (p[n] == ',');
    }
    s = lg_xasprintf("</rdf:%s></%s>\n", kind, name);
    lg_strbuf_puts(b, s);
    free(s);
}

/* T as an XMP date (ISO 8601, UTC) or a PDF date, into OUT (32 bytes). */
static void format_date(time_t t, bool pdf, char *out)
{
    struct tm tm;
    out[0] = '\0';
    if (gmtime_r(&t, &tm))
        strftime(out, 32, pdf ? "D:%Y%m%d%H%M%SZ" : "%Y-%m-%dT%H:%M:%SZ", &tm);
}

char *lg_pdfa_xmp(const lg_doc_info *info, const char *producer)
{
    lg_strbuf b = {0};
    char date[32];
    format_date(info->created, false, date);
    /* The xpacket header carries no bytes or encoding attribute (6.6.2.1). */
    lg_strbuf_puts(&b, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
              "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
              " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
              "  <rdf:Description rdf:about=\"\"\n"
              "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
              "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
              "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
              "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
              "   <pdfaid:part>2</pdfaid:part>\n"
              "   <pdfaid:conformance>B</pdfaid:conformance>\n"
              "   <dc:format>application/pdf</dc:format>\n");
    put_alt(&b, "dc:title", info->title);
    put_list(&b, "dc:creator", "Seq", info->author, false); /* the Info's Author whole */
    put_alt(&b, "dc:description", info->subject);
    put_list(&b, "dc:subject", "Bag", info->keywords, true);
    put_list(&b, "dc:language", "Bag", "zh-CN", false);
    put_simple(&b, "pdf:Keywords", info->keywords);
    put_simple(&b, "pdf:Producer", producer);
    put_simple(&b, "xmp:CreatorTool", info->creator);
    put_simple(&b, "xmp:CreateDate", date);
    put_simple(&b, "xmp:ModifyDate", date);
    put_simple(&b, "xmp:MetadataDate", date);
    lg_strbuf_puts(&b, "  </rdf:Description>\n"
              " </rdf:RDF>\n"
              "</x:xmpmeta>\n"
              "<?xpacket end=\"r\"?>\n");
    return b.s;
}

/* ---- Cairo's file ---------------------------------------------------------------
 *
 * Cairo 1.16 writes every object at the start of a line as "NUM 0 obj", one
 * after the other, then one cross-reference table and a trailer naming the
 * catalog and the Info dictionary. The pass reads the objects in the order
 * of the file, each by its table entry. */

/* Cairo's file: its descriptor, size, and the one cross-reference table
 * Cairo writes ("xref", "0 SIZE", SIZE entries of 20 bytes, the trailer). */
typedef struct cairo_file {
    int fd;
    long long size, xref, table; /* the file's bytes; where xref and its entries begin */
    long objects, root, info;    /* the trailer's /Size, /Root and /Info */
    char *entries;               /* the table's entries, read once */
} cairo_file;

/* The integer after KEY in TEXT ("/Size 12", "/Root 5 0 R"), or -1. */
static long long int_after(const char *text, const char *key)
{
    const char *p = strstr(text, key);
    if (!p)
        return -1;
    char *end;
    long long v = strtoll(p + strlen(key), &end, 10);
    return end == p + strlen(key) ? -1 : v;
}

/* Whether C is white space (ISO 32000-1 7.2.2). */
static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\0';
}

/* The N bytes at T without the white space that ends them: how many. */
static size_t trimmed(const char *t, size_t n)
{
    while (n && is_space(t[n - 1]))
        n--;
    return n;
}

/* The length of "NUM 0 obj" when the N bytes at B begin with it and white
 * space, else 0: object NUM is where the table says. */
static size_t head_length(const char *b, size_t n, long num)
{
    char head[32];
    int hn = snprintf(head, sizeof head, "%ld 0 obj", num);
    return n > (size_t)hn && memcmp(b, head, (size_t)hn) == 0 && is_space(b[hn]) ? (size_t)hn : 0;
}

/* Reads N bytes at OFFSET of F into a new NUL-terminated buffer (fewer at
 * the end of the file; *GOT says how many). The caller frees. */
static char *read_at(const cairo_file *f, long long offset, size_t n, size_t *got)
{
    char *b = lg_xmalloc(n + 1);
    ssize_t r = offset >= 0 ? pread(f->fd, b, n, offset) : -1;
    *got = r > 0 ? (size_t)r : 0;
    b[*got] = '\0';
    return b;
}

/* Finds F's cross-reference table and trailer; false when the file does
 * not end as Cairo ends its files. */
static bool find_xref(cairo_file *f)
{
    size_t got;
    long long tail = f->size > 1024 ? f->size - 1024 : 0;
    char *t = read_at(f, tail, 1024, &got);
    char *sx = NULL;
    for (char *p = t; (p = strstr(p, "startxref")); p++)
        sx = p;
    f->xref = sx ? int_after(sx, "startxref") : -1;
    free(t);
    char *x = read_at(f, f->xref, 64, &got);
    int header = 0;
    long first = -1, count = -1;
    bool ok = sscanf(x, "xref %ld %ld%n", &first, &count, &header) == 2 && first == 0 &&
              count > 0 && x[header] == '\n';
    free(x);
    if (!ok)
        return false;
    f->table = f->xref + header + 1;
    t = read_at(f, f->table + 20 * (long long)count, 1024, &got);
    char *trailer = strstr(t, "trailer"), *end = trailer ? strstr(trailer, "startxref") : NULL;
    if (end)
        *end = '\0';
    f->objects = trailer ? (long)int_after(trailer, "/Size ") : -1;
    f->root = trailer ? (long)int_after(trailer, "/Root ") : -1;
    f->info = trailer ? (long)int_after(trailer, "/Info ") : -1;
    ok = end && f->objects == count && f->root > 0 && f->root < count && f->info > 0 &&
         f->info < count && !strstr(trailer, "/Encrypt") && !strstr(trailer, "/Prev");
    free(t);
    if (ok)
        f->entries = read_at(f, f->table, 20 * (size_t)count, &got);
    return ok && got == 20 * (size_t)count;
}

/* Where object NUM of F begins, or -1 when it is not in use. */
static long long object_offset(const cairo_file *f, long num)
{
    if (num <= 0 || num >= f->objects)
        return -1;
    const char *e = f->entries + 20 * num;
    return e[17] == 'n' ? strtoll(e, NULL, 10) : -1;
}

/* Object NUM of F without its "NUM 0 obj" and "endobj", or NULL when it
 * cannot be read or is larger than MAX bytes. The caller frees. */
static char *read_object(const cairo_file *f, long num, size_t max)
{
    long long off = object_offset(f, num);
    for (size_t n = 4096;; n *= 2) {
        size_t got;
        char *b = read_at(f, off, n, &got);
        size_t hn = head_length(b, got, num);
        char *end = hn ? strstr(b + hn, "endobj") : NULL;
        if (end) {
            *end = '\0';
            memmove(b, b + hn, (size_t)(end - b) - hn + 1);
            return b;
        }
        free(b);
        if (got < n || n >= max)
            return NULL;
    }
}

/* The object's dictionary starts with "<<" (after white space): its
 * offset in TEXT, or NULL. */
static char *dict_start(char *text)
{
    char *p = text + strspn(text, " \r\n\t");
    return strncmp(p, "<<", 2) == 0 ? p : NULL;
}


/* TEXT as a PDF text string: UTF-16BE with its byte order mark, in hex. */
static void put_text_string(lg_strbuf *b, const char *text)
{
    glong n = 0;
    gunichar2 *u = g_utf8_to_utf16(text, -1, NULL, &n, NULL);
    lg_strbuf_puts(b, "<FEFF");
    for (glong i = 0; u && i < n; i++) {
        char hex[5];
        snprintf(hex, sizeof hex, "%04X", (unsigned)u[i]);
        lg_strbuf_add(b, hex, 4);
    }
    lg_strbuf_puts(b, ">");
    g_free(u);
}

/* The literal string that starts at S ("(" ... ")", Cairo's Producer) as
 * text, or NULL. The caller frees. */
static char *literal_string(const char *s)
{
    if (!s || *s != '(')
        return NULL;
    lg_strbuf b = {0};
    int depth = 1;
    for (s++; *s; s++) {
        char c = *s;
        if (c == '\\' && s[1]) {
            c = *++s;
            c = c == 'n' ? '\n' : c == 'r' ? '\r' : c == 't' ? '\t' : c;
        } else if (c == '(') {
            depth++;
        } else if (c == ')' && --depth == 0) {
            break;
        }
        lg_strbuf_add(&b, &c, 1);
    }
    if (depth != 0) {
        free(b.s);
        return NULL;
    }
    return b.s ? b.s : lg_xstrdup("");
}

/* "/KEY VALUE" into B, VALUE a text string; nothing when VALUE is empty: an
 * empty entry would need an empty XMP property to match. */
static void put_info_text(lg_strbuf *b, const char *key, const char *value)
{
    if (!value || !*value)
        return;
    lg_strbuf_puts(b, "\n   ");
    lg_strbuf_puts(b, key);
    lg_strbuf_puts(b, " ");
    put_text_string(b, value);
}

/* The Info dictionary of INFO with Cairo's PRODUCER, the dates in the PDF
 * form (Cairo 1.16 writes them without the "D:" prefix). */
static char *info_dict(const lg_doc_info *info, const char *producer)
{
    lg_strbuf b = {0};
    lg_strbuf_puts(&b, "<<");
    put_info_text(&b, "/Producer", producer);
    put_info_text(&b, "/Title", info->title);
    put_info_text(&b, "/Author", info->author);
    put_info_text(&b, "/Subject", info->subject);
    put_info_text(&b, "/Keywords", info->keywords);
    put_info_text(&b, "/Creator", info->creator);
    char date[32];
    format_date(info->created, true, date);
    char *dates = lg_xasprintf("\n   /CreationDate (%s)\n   /ModDate (%s)\n>>", date, date);
    lg_strbuf_puts(&b, dates);
    free(dates);
    return b.s;
}


/* The sRGB OutputIntent: Cairo paints every colour in DeviceRGB, which
 * PDF/A allows with an RGB OutputIntent (6.2.3, 6.2.4.3). Its entries but
 * the profile. */
#define OUTPUT_INTENT                                                                         \
    "/Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1)"      \
    " /RegistryName (http://www.color.org) /Info (sRGB IEC61966-2.1)"

/* Annotation flags: Print set; Invisible, Hidden, NoView, ToggleNoView clear (6.3.2). */
enum { ANNOT_PRINT = 4, ANNOT_FORBIDDEN = 1 | 2 | 32 | 256 };

/* Whether TEXT (a dictionary) has the entry KEY: "/KEY" followed by a
 * delimiter. */
static bool has_entry(const char *text, const char *key)
{
    size_t n = strlen(key);
    for (const char *p = text; (p = strstr(p, key)); p += n)
        if (strchr(" \r\n\t/<[(", p[n]))
            return true;
    return false;
}

/* The catalog CATALOG (Cairo's, its text) with the XMP METADATA, the sRGB
 * OutputIntent with PROFILE, /Lang and, with OUTLINES, the bookmarks shown
 * on opening. NULL when Cairo's catalog already has one of these. The
 * caller frees. */
static char *new_catalog(char *catalog, long metadata, long profile, bool outlines)
{
    char *open = dict_start(catalog);
    if (!open || has_entry(open, "/Metadata") || has_entry(open, "/OutputIntents") ||
        has_entry(open, "/Lang") || has_entry(open, "/PageMode"))
        return NULL;
    return lg_xasprintf("<< /Metadata %ld 0 R\n"
                        "   /OutputIntents [ << " OUTPUT_INTENT
                        " /DestOutputProfile %ld 0 R >> ]\n   /Lang (zh-CN)%s\n  %s",
                        metadata, profile, outlines ? "\n   /PageMode /UseOutlines" : "",
                        open + 2);
}

/* Annotation TEXT printable and visible (6.3.2), or
 * NULL when it is not an annotation. The caller frees. */
static char *printable_annotation(char *text)
{
    char *open = dict_start(text);
    if (!open || strncmp(open, "<< /Type /Annot", 15) != 0 || !strchr(" \r\n", open[15]))
        return NULL;
    const char *f = NULL;
    for (const char *p = open; (p = strstr(p, "/F ")); p += 3)
        if (p[-1] == ' ' || p[-1] == '\n')
            f = p;
    long long flags = f ? strtoll(f + 3, NULL, 10) : 0;
    flags = (flags | ANNOT_PRINT) & ~(long long)ANNOT_FORBIDDEN;
    if (!f)
        return lg_xasprintf("<< /F %lld%s", flags, open + 2);
    const char *rest = f + 3 + strspn(f + 3, "0123456789");
    return lg_xasprintf("%.*s/F %lld%s", (int)(f - open), open, flags, rest);
}

/* ---- the new file ---------------------------------------------------------------- */

/* A cross-reference stream's entry (ISO 32000-1 7.5.8.3): type 1, an object
 * at byte A of the file; type 2, object B of the object stream A; type 0,
 * a free number. */
typedef struct xref_entry {
    uint64_t a;
    uint16_t b;
    unsigned char type;
} xref_entry;

/* Objects at most in one object stream (qpdf's choice too). */
#define OBJSTM_MAX 100

/* Bytes read from Cairo's file at a time, and buffered before a write. */
#define CHUNK (64u << 10)

/* The file being written. */
typedef struct writer {
    int fd;
    long long pos;    /* bytes written or buffered so far */
    lg_strbuf buf;    /* buffered */
    lg_sha256 id;     /* of every byte so far: the /ID */
    const char *why;  /* the first error, or NULL */
    xref_entry *xref; /* by object number */
    long n_xref;
    long next;        /* the next new object's number */
    /* The object stream being filled: the numbers and offsets, the
     * objects, and whose they are. */
    lg_strbuf head, body;
    long members[OBJSTM_MAX];
    int n_members;
} writer;

static void flush(writer *w)
{
    for (size_t done = 0; done < w->buf.len && !w->why;) {
        ssize_t n = write(w->fd, w->buf.s + done, w->buf.len - done);
        if (n <= 0)
            w->why = lg_write_cause(n < 0 ? errno : ENOSPC);
        else
            done += (size_t)n;
    }
    w->buf.len = 0;
}

static void put(writer *w, const void *data, size_t n)
{
    lg_sha256_update(&w->id, data, n);
    lg_strbuf_add(&w->buf, data, n);
    w->pos += (long long)n;
    if (w->buf.len >= CHUNK)
        flush(w);
}

static void put_text(writer *w, const char *s)
{
    put(w, s, strlen(s));
}

/* Object NUM of the new file is of TYPE, with A and B. */
static void set_entry(writer *w, long num, unsigned char type, uint64_t a, uint16_t b)
{
    if (num >= w->n_xref) {
        long n = w->n_xref ? w->n_xref : 64;
        while (n <= num)
            n *= 2;
        w->xref = lg_xrealloc(w->xref, (size_t)n * sizeof *w->xref);
        memset(w->xref + w->n_xref, 0, (size_t)(n - w->n_xref) * sizeof *w->xref);
        w->n_xref = n;
    }
    w->xref[num] = (xref_entry){a, b, type};
}

/* A stream object NUM: its dictionary's ENTRIES, /Length, and the N bytes
 * of DATA. */
static void put_stream(writer *w, long num, const char *entries, const void *data, size_t n)
{
    set_entry(w, num, 1, (uint64_t)w->pos, 0);
    char *head = lg_xasprintf("%ld 0 obj\n<< %s /Length %zu >>\nstream\n", num, entries, n);
    put_text(w, head);
    free(head);
    put(w, data, n);
    put_text(w, "\nendstream\nendobj\n"); /* an end-of-line before endstream (6.1.7.1) */
}

/* The N bytes of DATA deflated into *ZN bytes. The caller frees. */
static unsigned char *deflated(const void *data, size_t n, size_t *zn)
{
    uLongf len = compressBound(n);
    unsigned char *z = lg_xmalloc(len);
    if (compress(z, &len, data, n) != Z_OK)
        abort(); /* only for lack of memory, which lg_xmalloc does not return */
    *zn = len;
    return z;
}

/* A stream object NUM of DATA deflated, with ENTRIES. */
static void put_deflated(writer *w, long num, const char *entries, const void *data, size_t n)
{
    size_t zn;
    unsigned char *z = deflated(data, n, &zn);
    char *e = lg_xasprintf("%s /Filter /FlateDecode", entries);
    put_stream(w, num, e, z, zn);
    free(e);
    free(z);
}

/* Writes the object stream being filled, if any. */
static void put_objstm(writer *w)
{
    if (!w->n_members)
        return;
    long num = w->next++;
    for (int i = 0; i < w->n_members; i++)
        set_entry(w, w->members[i], 2, (uint64_t)num, (uint16_t)i);
    char *extra = lg_xasprintf("/Type /ObjStm /N %d /First %zu", w->n_members, w->head.len);
    lg_strbuf_add(&w->head, w->body.s, w->body.len);
    put_deflated(w, num, extra, w->head.s, w->head.len);
    free(extra);
    w->head.len = w->body.len = 0;
    w->n_members = 0;
}

/* The LEN bytes of TEXT, an object, into B with each run of white space and
 * comments outside strings one space: Cairo indents its dictionaries'
 * entries on lines of their own, and numbers its pages in comments. */
static void put_compact(lg_strbuf *b, const char *text, size_t len)
{
    int depth = 0; /* in a literal string: the parentheses open */
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (depth) {
            if (c == '\\' && i + 1 < len) {
                lg_strbuf_add(b, &c, 1);
                c = text[++i];
            } else {
                depth += (c == '(') - (c == ')');
            }
        } else if (c == '(') {
            depth = 1;
        } else if (is_space(c) || c == '%') {
            for (; i < len && (is_space(text[i]) || text[i] == '%'); i++)
                if (text[i] == '%') /* a comment, to the end of its line */
                    while (i + 1 < len && text[i + 1] != '\n' && text[i + 1] != '\r')
                        i++;
            i--;
            c = ' ';
        }
        lg_strbuf_add(b, &c, 1);
    }
}

/* Object NUM, its LEN bytes of TEXT, into the object stream. */
static void put_in_objstm(writer *w, long num, const char *text, size_t len)
{
    char pair[48];
    snprintf(pair, sizeof pair, "%ld %zu ", num, w->body.len);
    lg_strbuf_puts(&w->head, pair);
    put_compact(&w->body, text, len);
    lg_strbuf_puts(&w->body, "\n");
    w->members[w->n_members++] = num;
    if (w->n_members == OBJSTM_MAX)
        put_objstm(w);
}

/* The sRGB profile deflated, once a process. */
static const unsigned char *icc_deflated(size_t *n)
{
    static unsigned char *z;
    static size_t zn;
    if (!z)
        z = deflated(lg_icc_sRGB, lg_icc_sRGB_size, &zn);
    *n = zn;
    return z;
}

/* Bytes needed for V (at least one). */
static int width(uint64_t v)
{
    int n = 1;
    while (v >>= 8)
        n++;
    return n;
}

/* The cross-reference stream, the last object, and the end of the file:
 * ROOT and INFO are the catalog and the Info. Its fields as wide as their
 * largest value, each row the difference from the one above (the PNG Up
 * predictor: the rows of a file written in order differ little). */
static void put_xref_stream(writer *w, long root, long info)
{
    unsigned char digest[32];
    lg_sha256 id = w->id; /* the bytes so far: the same bytes, the same /ID (6.1.3) */
    lg_sha256_final(&id, digest);
    char hex[65];
    lg_sha256_to_hex(digest, hex);
    hex[32] = '\0'; /* 16 bytes */
    long num = w->next++;
    set_entry(w, num, 1, (uint64_t)w->pos, 0);
    set_entry(w, 0, 0, 0, 0);
    long long at = w->pos;
    size_t n = (size_t)num + 1;
    uint64_t max_a = 0;
    uint16_t max_b = 0;
    for (size_t i = 0; i < n; i++) {
        max_a = w->xref[i].a > max_a ? w->xref[i].a : max_a;
        max_b = w->xref[i].b > max_b ? w->xref[i].b : max_b;
    }
    int wa = width(max_a), wb = width(max_b), row = 1 + wa + wb;
    unsigned char *t = lg_xmalloc(n * (size_t)(row + 1));
    unsigned char cur[1 + 8 + 2], last[1 + 8 + 2] = {0};
    for (size_t i = 0; i < n; i++) {
        const xref_entry *e = &w->xref[i];
        cur[0] = e->type;
        for (int k = 0; k < wa; k++)
            cur[1 + k] = (unsigned char)(e->a >> (8 * (wa - 1 - k)));
        for (int k = 0; k < wb; k++)
            cur[1 + wa + k] = (unsigned char)(e->b >> (8 * (wb - 1 - k)));
        unsigned char *p = t + i * (size_t)(row + 1);
        p[0] = 2; /* Up */
        for (int k = 0; k < row; k++)
            p[1 + k] = (unsigned char)(cur[k] - last[k]);
        memcpy(last, cur, (size_t)row);
    }
    char *extra = lg_xasprintf("/Type /XRef /Size %zu /W [1 %d %d] /Root %ld 0 R /Info %ld 0 R "
                               "/ID [<%s> <%s>] /DecodeParms << /Columns %d /Predictor 12 >>",
                               n, wa, wb, root, info, hex, hex, row);
    put_deflated(w, num, extra, t, n * (size_t)(row + 1));
    free(extra);
    free(t);
    char *tail = lg_xasprintf("startxref\n%lld\n%%%%EOF\n", at);
    put_text(w, tail);
    free(tail);
    flush(w);
}

/* ---- the pass ------------------------------------------------------------------ */

/* An object of Cairo's file: its number and where it begins. */
typedef struct object {
    long num;
    long long offset;
} object;

static int by_offset(const void *a, const void *b)
{
    const object *x = a, *y = b;
    return (x->offset > y->offset) - (x->offset < y->offset);
}

/* Whether the N bytes at T, an object's, end with "endstream" and "endobj". */
static bool is_stream(const char *t, size_t n)
{
    n = trimmed(t, n);
    if (n < 6 || memcmp(t + n - 6, "endobj", 6) != 0)
        return false;
    n = trimmed(t, n - 6);
    return n >= 9 && memcmp(t + n - 9, "endstream", 9) == 0;
}

/* What the pass knows of Cairo's file beyond its table. */
typedef struct pass {
    const lg_doc_info *info;
    cairo_file *f;
    writer *w;
    char *catalog;  /* the new catalog's text */
    char *producer; /* Cairo's, from its Info */
    const object *objs; /* Cairo's objects in the order of the file */
    size_t n_objs;
    long dropped; /* a length written where it is used, not copied */
} pass;

/* The non-stream object NUM, TEXT (between "obj" and "endobj"), into an
 * object stream: the catalog, the Info or an annotation replaced, any
 * other as it is. */
static void copy_object(pass *p, long num, char *text)
{
    text[trimmed(text, strlen(text))] = '\0';
    text += strspn(text, " \r\n\t");
    if (num == p->f->root) {
        put_in_objstm(p->w, num, p->catalog, strlen(p->catalog));
    } else if (num == p->f->info) {
        const char *prod = strstr(text, "/Producer ");
        p->producer = prod ? literal_string(prod + strlen("/Producer ")) : NULL;
        char *d = info_dict(p->info, p->producer);
        put_in_objstm(p->w, num, d, strlen(d));
        free(d);
    } else {
        char *fixed = printable_annotation(text);
        put_in_objstm(p->w, num, fixed ? fixed : text, strlen(fixed ? fixed : text));
        free(fixed);
    }
}

/* The integer that is the whole of object NEXT of Cairo's file, or -1. */
static long long length_object(const cairo_file *f, const object *next)
{
    char b[64], *end;
    ssize_t r = pread(f->fd, b, sizeof b - 1, next->offset);
    b[r > 0 ? r : 0] = '\0';
    size_t hn = head_length(b, r > 0 ? (size_t)r : 0, next->num);
    if (!hn)
        return -1;
    long long v = strtoll(b + hn, &end, 10);
    end += strspn(end, " \r\n");
    return end > b + hn && v >= 0 && strncmp(end, "endobj", 6) == 0 ? v : -1;
}

/* Puts the head and the dictionary of stream object O, whose first GOT
 * bytes are CHUNK (HN of them its head "NUM 0 obj"), the dictionary
 * compacted and its /Length written in place when that refers to the next
 * object, a number (Cairo writes each stream's length after it, as an
 * object of its own): that object is then left out of the new file.
 * Returns how many bytes of CHUNK it put: up to the end of the keyword
 * "stream", or none when they do not hold it. */
static size_t put_stream_dict(pass *p, const object *o, const char *chunk, size_t got,
                              size_t hn)
{
    const char *stream = memmem(chunk, got, ">>\nstream", 9);
    if (!stream)
        return 0;
    const object *next = o + 1;
    size_t from = hn + strspn(chunk + hn, " \r\n"), to = (size_t)(stream - chunk) + 2;
    lg_strbuf d = {0};
    lg_strbuf_add(&d, chunk + from, to - from);
    char *key = memmem(d.s, d.len, "/Length ", 8), *end = NULL;
    long num = key ? strtol(key + 8, &end, 10) : -1;
    long long v = next < p->objs + p->n_objs && num == next->num && strncmp(end, " 0 R", 4) == 0
                      ? length_object(p->f, next)
                      : -1;
    if (v >= 0) {
        char *direct = lg_xasprintf("%.*s/Length %lld%s", (int)(key - d.s), d.s, v, end + 4);
        free(d.s);
        d = (lg_strbuf){.s = direct, .len = strlen(direct)};
        p->dropped = next->num;
    }
    /* "obj" and the dictionary on lines of their own (6.1.9) */
    char *head = lg_xasprintf("%ld 0 obj\n", o->num);
    put_text(p->w, head);
    free(head);
    lg_strbuf out = {0};
    put_compact(&out, d.s, d.len);
    put(p->w, out.s, out.len);
    put_text(p->w, "\nstream");
    free(out.s);
    free(d.s);
    return to + 7;
}

/* Copies object O, which ends at END, into the new file. NULL, or why not. */
static const char *copy(pass *p, const object *o, long long end, char *chunk)
{
    cairo_file *f = p->f;
    long long len = end - o->offset;
    ssize_t r = len > 0 ? pread(f->fd, chunk, len < CHUNK ? (size_t)len : CHUNK, o->offset) : 0;
    size_t got = r > 0 ? (size_t)r : 0, hn = head_length(chunk, got, o->num);
    if (!hn)
        return N_("an object is not where its cross-reference table says");
    char tail[32];
    size_t tn = got;
    const char *t = chunk;
    if ((long long)got < len) { /* the object's last bytes */
        r = pread(f->fd, tail, sizeof tail, end - (long long)sizeof tail);
        tn = r == (ssize_t)sizeof tail ? sizeof tail : 0;
        t = tail;
    }
    if (is_stream(t, tn)) { /* Cairo's bytes as they are */
        if (o->num == f->root || o->num == f->info)
            return N_("its catalog or Info dictionary is a stream");
        set_entry(p->w, o->num, 1, (uint64_t)p->w->pos, 0);
        size_t from = put_stream_dict(p, o, chunk, got, hn);
        put(p->w, chunk + from, got - from);
        for (long long at = o->offset + (long long)got; at < end && !p->w->why;) {
            r = pread(f->fd, chunk, end - at < CHUNK ? (size_t)(end - at) : CHUNK, at);
            if (r <= 0)
                return r < 0 ? strerror(errno) : N_("the file is shorter than its table says");
            put(p->w, chunk, (size_t)r);
            at += r;
        }
        return NULL;
    }
    if (len > (1 << 26))
        return N_("an object is too large");
    char *text = lg_xmalloc((size_t)len + 1);
    memcpy(text, chunk, got);
    r = (long long)got < len ? pread(f->fd, text + got, (size_t)len - got, o->offset + (long long)got)
                             : 0;
    if ((long long)got + (r > 0 ? r : 0) < len) {
        free(text);
        return N_("the file is shorter than its table says");
    }
    text[len] = '\0';
    char *end_obj = NULL; /* the last "endobj" */
    for (char *q = text; (q = strstr(q, "endobj")); q++)
        end_obj = q;
    const char *why = N_("an object has no endobj");
    if (end_obj && strlen(text) == (size_t)len) {
        *end_obj = '\0';
        copy_object(p, o->num, text + hn);
        why = NULL;
    }
    free(text);
    return why;
}

/* Writes Cairo's file F as PDF/A-2b into the new file W for INFO. NULL
 * when done, else why not. */
static const char *rewrite(cairo_file *f, writer *w, const lg_doc_info *info)
{
    if (!find_xref(f))
        return N_("it does not end as Cairo ends a PDF");
    pass p = {.info = info, .f = f, .w = w};
    char *catalog = read_object(f, f->root, 1 << 24);
    long outlines_num = catalog ? (long)int_after(catalog, "/Outlines ") : -1;
    char *outlines = outlines_num > 0 ? read_object(f, outlines_num, 1 << 20) : NULL;
    long metadata = f->objects, profile = f->objects + 1;
    p.catalog = catalog ? new_catalog(catalog, metadata, profile,
                                      outlines && has_entry(outlines, "/First"))
                        : NULL;
    free(outlines);
    free(catalog);
    if (!p.catalog)
        return N_("its catalog cannot be read");
    object *objs = lg_xmalloc((size_t)f->objects * sizeof *objs);
    size_t n = 0;
    for (long k = 1; k < f->objects; k++)
        if (object_offset(f, k) >= 0)
            objs[n++] = (object){k, object_offset(f, k)};
    qsort(objs, n, sizeof *objs, by_offset);
    w->next = f->objects + 2;
    /* PDF 1.7 (object streams are 1.5); a comment of bytes over 127 (6.1.2) */
    put_text(w, "%PDF-1.7\n%\xB5\xED\xAE\xFB\n");
    char *chunk = lg_xmalloc(CHUNK);
    const char *why = NULL;
    bool info_seen = false;
    p.objs = objs;
    p.n_objs = n;
    for (size_t i = 0; i < n && !why && !w->why; i++) {
        info_seen |= objs[i].num == f->info;
        if (objs[i].num != p.dropped)
            why = copy(&p, &objs[i], i + 1 < n ? objs[i + 1].offset : f->xref, chunk);
    }
    free(chunk);
    free(objs);
    if (!why && !info_seen)
        why = N_("its catalog or Info dictionary cannot be read");
    if (!why && !w->why) {
        char *xmp = lg_pdfa_xmp(info, p.producer);
        put_stream(w, metadata, "/Type /Metadata /Subtype /XML", xmp, strlen(xmp));
        free(xmp);
        size_t icc_n;
        const unsigned char *icc = icc_deflated(&icc_n);
        put_stream(w, profile, "/N 3 /Filter /FlateDecode", icc, icc_n);
        put_objstm(w);
        put_xref_stream(w, f->root, f->info);
    }
    free(p.catalog);
    free(p.producer);
    return why ? why : w->why;
}

bool lg_pdfa_convert(const char *path, const lg_doc_info *info, lg_diags *d)
{
    /* Cairo's file is read through its descriptor while the new one is
     * written under its name: no other name is ever made. */
    cairo_file f = {.fd = open(path, O_RDONLY | O_CLOEXEC)};
    writer w = {.fd = -1};
    lg_sha256_init(&w.id);
    struct stat st;
    const char *why = NULL;
    if (f.fd < 0 || fstat(f.fd, &st) != 0 || unlink(path) != 0)
        why = strerror(errno);
    else if ((w.fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) < 0)
        why = lg_write_cause(errno);
    if (!why) {
        f.size = st.st_size;
        why = rewrite(&f, &w, info);
    }
    if (w.fd >= 0 && close(w.fd) != 0 && !why)
        why = lg_write_cause(errno);
    if (f.fd >= 0)
        close(f.fd);
    free(f.entries);
    free(w.xref);
    free(w.buf.s);
    free(w.head.s);
    free(w.body.s);
    if (why) {
        lg_diags_add(d, LG_ERROR, "pdf-write", path, 0,
                     "cannot make the PDF an archive copy (PDF/A-2b): %s; write it as Cairo "
                     "makes it with --pdf plain",
                     _(why));
        unlink(path);
    }
    return !why;
}
