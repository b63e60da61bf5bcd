#define _POSIX_C_SOURCE 200809L /* pread, pwrite */
#include "pdfa.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <qpdf/qpdf-c.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "infile.h"
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

/* ---- the pass ----------------------------------------------------------------- */

/* Sets KEY of the dictionary DICT to the text VALUE, or removes it when VALUE
 * is empty: an empty entry would need an empty XMP property to match. */
static void set_text(qpdf_data q, qpdf_oh dict, const char *key, const char *value)
{
    if (value && *value)
        qpdf_oh_replace_key(q, dict, key, qpdf_oh_new_unicode_string(q, value));
    else
        qpdf_oh_remove_key(q, dict, key);
}

/* The Info dictionary with INFO's properties and PDF dates (Cairo 1.16
 * writes its dates without the "D:" prefix). Returns the producer Cairo
 * wrote, or NULL; the caller frees. */
static char *fix_info(qpdf_data q, const lg_doc_info *info)
{
    qpdf_oh trailer = qpdf_get_trailer(q);
    qpdf_oh d = qpdf_oh_get_key(q, trailer, "/Info");
    if (!qpdf_oh_is_dictionary(q, d)) {
        d = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q));
        qpdf_oh_replace_key(q, trailer, "/Info", d);
    }
    set_text(q, d, "/Title", info->title);
    set_text(q, d, "/Author", info->author);
    set_text(q, d, "/Subject", info->subject);
    set_text(q, d, "/Keywords", info->keywords);
    set_text(q, d, "/Creator", info->creator);
    char date[32];
    format_date(info->created, true, date);
    qpdf_oh_replace_key(q, d, "/CreationDate", qpdf_oh_new_string(q, date));
    qpdf_oh_replace_key(q, d, "/ModDate", qpdf_oh_new_string(q, date));
    qpdf_oh producer = qpdf_oh_get_key(q, d, "/Producer");
    return qpdf_oh_is_string(q, producer) ? lg_xstrdup(qpdf_oh_get_utf8_value(q, producer)) : NULL;
}

/* A new stream holding N bytes of DATA, written compressed unless it is
 * the metadata, which stays readable as text. */
static qpdf_oh new_stream(qpdf_data q, const void *data, size_t n)
{
    qpdf_oh s = qpdf_oh_new_stream(q);
    qpdf_oh_replace_stream_data(q, s, data, n, qpdf_oh_new_null(q), qpdf_oh_new_null(q));
    return s;
}

static void add_metadata(qpdf_data q, qpdf_oh root, const char *xmp)
{
    qpdf_oh s = new_stream(q, xmp, strlen(xmp));
    qpdf_oh dict = qpdf_oh_get_dict(q, s);
    qpdf_oh_replace_key(q, dict, "/Type", qpdf_oh_new_name(q, "/Metadata"));
    qpdf_oh_replace_key(q, dict, "/Subtype", qpdf_oh_new_name(q, "/XML"));
    qpdf_oh_replace_key(q, root, "/Metadata", s);
}

/* The sRGB OutputIntent: Cairo paints every colour in DeviceRGB, which
 * PDF/A allows with an RGB OutputIntent (6.2.3, 6.2.4.3). Its entries but
 * the profile, for both ways of adding it (here and new_catalog). */
#define OUTPUT_INTENT                                                                         \
    "/Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1)"      \
    " /RegistryName (http://www.color.org) /Info (sRGB IEC61966-2.1)"

static void add_output_intent(qpdf_data q, qpdf_oh root)
{
    qpdf_oh profile = new_stream(q, lg_icc_sRGB, lg_icc_sRGB_size);
    qpdf_oh_replace_key(q, qpdf_oh_get_dict(q, profile), "/N", qpdf_oh_new_integer(q, 3));
    qpdf_oh intent = qpdf_oh_parse(q, "<< " OUTPUT_INTENT " >>");
    qpdf_oh_replace_key(q, intent, "/DestOutputProfile", profile);
    qpdf_oh list = qpdf_oh_new_array(q);
    qpdf_oh_append_item(q, list, intent);
    qpdf_oh_replace_key(q, root, "/OutputIntents", list);
}

/* Annotation flags: Print set; Invisible, Hidden, NoView, ToggleNoView clear (6.3.2). */
enum { ANNOT_PRINT = 4, ANNOT_FORBIDDEN = 1 | 2 | 32 | 256 };

static void fix_annotations(qpdf_data q)
{
    int pages = qpdf_get_num_pages(q);
    for (int i = 0; i < pages; i++) {
        qpdf_oh annots = qpdf_oh_get_key(q, qpdf_get_page_n(q, (size_t)i), "/Annots");
        int n = qpdf_oh_is_array(q, annots) ? qpdf_oh_get_array_n_items(q, annots) : 0;
        for (int k = 0; k < n; k++) {
            qpdf_oh a = qpdf_oh_get_array_item(q, annots, k);
            if (!qpdf_oh_is_dictionary(q, a))
                continue;
            qpdf_oh f = qpdf_oh_get_key(q, a, "/F");
            long long flags = qpdf_oh_is_integer(q, f) ? qpdf_oh_get_int_value(q, f) : 0;
            flags = (flags | ANNOT_PRINT) & ~(long long)ANNOT_FORBIDDEN;
            qpdf_oh_replace_key(q, a, "/F", qpdf_oh_new_integer(q, flags));
        }
    }
}

static void fix_catalog(qpdf_data q, qpdf_oh root)
{
    qpdf_oh_replace_key(q, root, "/Lang", qpdf_oh_new_unicode_string(q, "zh-CN"));
    qpdf_oh outlines = qpdf_oh_get_key(q, root, "/Outlines");
    if (qpdf_oh_is_dictionary(q, outlines) && qpdf_oh_has_key(q, outlines, "/First"))
        qpdf_oh_replace_key(q, root, "/PageMode", qpdf_oh_new_name(q, "/UseOutlines"));
}

/* ---- a large file: the additions appended ------------------------------------
 *
 * qpdf holds every object of the file it rewrites: about 300 MB for a
 * province's 80 MB ledger. A file larger than the limit of lg_pdfa_convert
 * keeps Cairo's bytes and gets what PDF/A adds as an incremental update
 * (ISO 32000-1 7.5.6), which PDF/A-2 allows: the new catalog, Info and
 * annotations, the XMP and the profile, a cross-reference section and a
 * trailer with the /ID. Its memory is that of one object; its bytes are
 * Cairo's, without qpdf's object streams (a fifth more). */

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
        char head[32];
        int hn = snprintf(head, sizeof head, "%ld 0 obj", num);
        char *end = strncmp(b, head, (size_t)hn) == 0 ? strstr(b + hn, "endobj") : NULL;
        if (end) {
            *end = '\0';
            memmove(b, b + hn, (size_t)(end - b - hn) + 1);
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

/* What is appended: the objects' text, and where each begins. */
typedef struct entry {
    long num;
    long long offset;
} entry;

typedef struct update {
    lg_strbuf b;
    long long base; /* the file's size before it */
    entry *e;
    size_t n, cap;
} update;

/* Appends "NUM 0 obj", the LEN bytes of TEXT and "endobj" to U. */
static void put_object(update *u, long num, const char *text, size_t len)
{
    if (u->n == u->cap) {
        u->cap = u->cap ? 2 * u->cap : 16;
        u->e = lg_xrealloc(u->e, u->cap * sizeof *u->e);
    }
    u->e[u->n++] = (entry){num, u->base + (long long)u->b.len};
    char *head = lg_xasprintf("%ld 0 obj\n", num);
    lg_strbuf_puts(&u->b, head);
    free(head);
    lg_strbuf_add(&u->b, text, len);
    lg_strbuf_puts(&u->b, "\nendobj\n");
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

/* "/KEY VALUE" into B, VALUE a text string; nothing when VALUE is empty (as set_text). */
static void put_info_text(lg_strbuf *b, const char *key, const char *value)
{
    if (!value || !*value)
        return;
    lg_strbuf_puts(b, "\n   ");
    lg_strbuf_puts(b, key);
    lg_strbuf_puts(b, " ");
    put_text_string(b, value);
}

/* The Info dictionary of INFO (as fix_info makes it) with Cairo's PRODUCER. */
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

/* A new stream object of the N bytes of DATA, with the entries EXTRA. */
static void put_stream(update *u, long num, const char *extra, const void *data, size_t n)
{
    lg_strbuf s = {0};
    char *head = lg_xasprintf("<< %s /Length %zu >>\nstream\n", extra, n);
    lg_strbuf_puts(&s, head);
    free(head);
    lg_strbuf_add(&s, data, n);
    lg_strbuf_puts(&s, "\nendstream"); /* an end-of-line before endstream (6.1.7.1) */
    put_object(u, num, s.s, s.len);
    free(s.s);
}

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

/* The catalog CATALOG (Cairo's, its text) with the version, the XMP
 * METADATA, the sRGB OutputIntent with PROFILE, /Lang and, with OUTLINES,
 * the bookmarks shown on opening (as fix_catalog). NULL when Cairo's
 * catalog already has one of these. The caller frees. */
static char *new_catalog(char *catalog, long metadata, long profile, bool outlines)
{
    char *open = dict_start(catalog);
    if (!open || has_entry(open, "/Metadata") || has_entry(open, "/OutputIntents") ||
        has_entry(open, "/Lang") || has_entry(open, "/PageMode") || has_entry(open, "/Version"))
        return NULL;
    /* /Version: PDF 1.7, as qpdf writes a smaller file (Cairo's header says 1.5) */
    return lg_xasprintf("<< /Version /1.7\n   /Metadata %ld 0 R\n"
                        "   /OutputIntents [ << " OUTPUT_INTENT
                        " /DestOutputProfile %ld 0 R >> ]\n   /Lang (zh-CN)%s\n  %s",
                        metadata, profile, outlines ? "\n   /PageMode /UseOutlines" : "",
                        open + 2);
}

/* Annotation TEXT printable and visible (6.3.2, as fix_annotations), or
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

/* The SHA-256 of F's bytes: the update's /ID (the same bytes, the same
 * /ID: 6.1.3). False when they cannot be read. */
static bool hash_file(const cairo_file *f, char hex[65])
{
    lg_sha256 s;
    lg_sha256_init(&s);
    unsigned char chunk[65536];
    long long off = 0;
    for (ssize_t r; off < f->size && (r = pread(f->fd, chunk, sizeof chunk, off)) > 0; off += r)
        lg_sha256_update(&s, chunk, (size_t)r);
    unsigned char out[32];
    lg_sha256_final(&s, out);
    lg_sha256_to_hex(out, hex);
    return off == f->size;
}

static int by_number(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    return (x->num > y->num) - (x->num < y->num);
}

/* The cross-reference section of U's objects, sorted by number, and the
 * trailer: the file has SIZE objects now. */
static void put_xref(update *u, const cairo_file *f, long size, const char id[33])
{
    long long at = u->base + (long long)u->b.len;
    lg_strbuf_puts(&u->b, "xref\n");
    qsort(u->e, u->n, sizeof *u->e, by_number);
    for (size_t i = 0; i < u->n;) {
        size_t j = i + 1; /* a run of consecutive numbers */
        while (j < u->n && u->e[j].num == u->e[j - 1].num + 1)
            j++;
        char *line = lg_xasprintf("%ld %zu\n", u->e[i].num, j - i);
        lg_strbuf_puts(&u->b, line);
        free(line);
        for (; i < j; i++) {
            char line20[24];
            snprintf(line20, sizeof line20, "%010lld 00000 n \n", u->e[i].offset);
            lg_strbuf_add(&u->b, line20, 20);
        }
    }
    char *t = lg_xasprintf("trailer\n<< /Size %ld\n   /Root %ld 0 R\n   /Info %ld 0 R\n"
                           "   /Prev %lld\n   /ID [<%s> <%s>]\n>>\nstartxref\n%lld\n%%%%EOF\n",
                           size, f->root, f->info, f->xref, id, id, at);
    lg_strbuf_puts(&u->b, t);
    free(t);
}


/* Whether object NUM of F is an annotation: Cairo begins each with
 * "<< /Type /Annot" on its first line. */
static bool is_annotation(const cairo_file *f, long num)
{
    size_t got;
    char *b = read_at(f, object_offset(f, num), 48, &got);
    char *eol = strchr(b, '\n');
    bool yes = eol && strncmp(eol + 1, "<< /Type /Annot", 15) == 0 && strchr(" \r\n", eol[16]);
    free(b);
    return yes;
}

/* Appends what PDF/A-2b adds to Cairo's file F for INFO; NULL when done,
 * else why not (English, for the error). */
static const char *append_pdfa(cairo_file *f, const lg_doc_info *info)
{
    if (!find_xref(f))
        return "it does not end as Cairo ends a PDF";
    update u = {.base = f->size};
    const char *why = NULL;
    for (long k = 1; k < f->objects && !why; k++) {
        if (object_offset(f, k) < 0 || !is_annotation(f, k))
            continue;
        char *text = read_object(f, k, 1 << 20), *fixed = text ? printable_annotation(text) : NULL;
        if (fixed)
            put_object(&u, k, fixed, strlen(fixed));
        else
            why = "an annotation cannot be read";
        free(fixed);
        free(text);
    }
    char *catalog = why ? NULL : read_object(f, f->root, 1 << 24);
    long outlines_num = catalog ? (long)int_after(catalog, "/Outlines ") : -1;
    char *outlines = outlines_num > 0 ? read_object(f, outlines_num, 1 << 20) : NULL;
    long metadata = f->objects, profile = f->objects + 1;
    char *cat = catalog ? new_catalog(catalog, metadata, profile,
                                      outlines && has_entry(outlines, "/First"))
                        : NULL;
    char *old_info = cat ? read_object(f, f->info, 1 << 20) : NULL;
    if (!why && !old_info)
        why = "its catalog or Info dictionary cannot be read";
    char hex[65];
    if (!why && !hash_file(f, hex))
        why = strerror(errno);
    if (!why) {
        const char *p = strstr(old_info, "/Producer ");
        char *producer = p ? literal_string(p + strlen("/Producer ")) : NULL;
        char *xmp = lg_pdfa_xmp(info, producer);
        char *info_text = info_dict(info, producer);
        put_object(&u, f->root, cat, strlen(cat));
        put_object(&u, f->info, info_text, strlen(info_text));
        put_stream(&u, metadata, "/Type /Metadata /Subtype /XML", xmp, strlen(xmp));
        put_stream(&u, profile, "/N 3", lg_icc_sRGB, lg_icc_sRGB_size);
        hex[32] = '\0'; /* 16 bytes */
        put_xref(&u, f, f->objects + 2, hex);
        ssize_t w = pwrite(f->fd, u.b.s, u.b.len, f->size);
        if (w != (ssize_t)u.b.len)
            why = w < 0 ? strerror(errno) : "the disk is full";
        free(info_text);
        free(xmp);
        free(producer);
    }
    free(old_info);
    free(cat);
    free(outlines);
    free(catalog);
    free(u.e);
    free(u.b.s);
    return why;
}

/* Cairo's file at PATH read whole into *DATA (*N bytes; the caller frees),
 * when it has at most MAX bytes: a unit's ledger is then one read instead
 * of the seeks and reads qpdf makes in a file, and rewritten in place (a
 * tenth of the pass's time for a unit's ledger). NULL when it is larger
 * (*N is then its size), or when it cannot be read (errno says why). */
static char *read_small(const char *path, size_t max, size_t *n)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return NULL;
    *n = (size_t)st.st_size;
    if ((uintmax_t)st.st_size > max)
        return NULL;
    lg_read_status rs;
    char *data = lg_read_file(path, max, n, &rs);
    if (data && *n > max) { /* grown since: not Cairo's file as written */
        free(data);
        errno = EFBIG;
        return NULL;
    }
    return data;
}

/* Makes Cairo's large file at PATH PDF/A-2b by appending (above); NULL
 * when done, else why not. */
static const char *convert_large(const char *path, const lg_doc_info *info)
{
    cairo_file f = {.fd = open(path, O_RDWR)};
    struct stat st;
    if (f.fd < 0 || fstat(f.fd, &st) != 0) {
        const char *why = strerror(errno);
        if (f.fd >= 0)
            close(f.fd);
        return why;
    }
    f.size = st.st_size;
    const char *why = append_pdfa(&f, info);
    free(f.entries);
    if (close(f.fd) != 0 && !why)
        why = strerror(errno);
    return why;
}

bool lg_pdfa_convert(const char *path, const lg_doc_info *info, lg_diags *d)
{
    return lg_pdfa_convert_max(path, info, LG_PDFA_READ_WHOLE_MAX, d);
}

bool lg_pdfa_convert_max(const char *path, const lg_doc_info *info, size_t read_whole_max,
                         lg_diags *d)
{
    size_t n = 0;
    errno = 0;
    char *data = read_small(path, read_whole_max, &n);
    if (!data) { /* unreadable, or too large to be read whole */
        const char *why = errno || n <= read_whole_max ? strerror(errno ? errno : EIO)
                                                        : convert_large(path, info);
        if (why) {
            lg_diags_add(d, LG_ERROR, "pdf-write", path, 0,
                         "cannot make the PDF an archive copy (PDF/A-2b): %s; write it as Cairo "
                         "makes it with --pdf plain",
                         why);
            unlink(path);
        }
        return !why;
    }
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    bool ok = !(qpdf_read_memory(q, path, data, n, NULL) & QPDF_ERRORS);
    if (ok) {
        qpdf_oh root = qpdf_get_root(q);
        char *producer = fix_info(q, info);
        char *xmp = lg_pdfa_xmp(info, producer);
        add_metadata(q, root, xmp);
        add_output_intent(q, root);
        fix_catalog(q, root);
        fix_annotations(q);
        free(xmp);
        free(producer);
        ok = !qpdf_has_error(q);
    }
    if (ok) {
        ok = !(qpdf_init_write(q, path) & QPDF_ERRORS);
        qpdf_set_minimum_pdf_version(q, "1.7");
        /* an end-of-line before every endstream keyword (6.1.7.1) */
        qpdf_set_newline_before_endstream(q, QPDF_TRUE);
        /* the /ID of the same bytes is the same (6.1.3) */
        qpdf_set_deterministic_ID(q, QPDF_TRUE);
        /* Objects other than streams in compressed object streams, the cross-
         * reference table a stream too (PDF 1.5; PDF/A-2 allows both): Cairo
         * writes each page's dictionary, resources and stream length as an
         * object of its own, a sixth of a long ledger's bytes uncompressed. */
        qpdf_set_object_stream_mode(q, qpdf_o_generate);
        ok = ok && !(qpdf_write(q) & QPDF_ERRORS);
    }
    if (!ok) {
        qpdf_error e = qpdf_get_error(q);
        lg_diags_add(d, LG_ERROR, "pdf-write", path, 0,
                     "cannot make the PDF an archive copy (PDF/A-2b): %s; write it as Cairo "
                     "makes it with --pdf plain",
                     e ? qpdf_get_error_full_text(q, e) : "qpdf failed");
        unlink(path);
    }
    qpdf_cleanup(&q);
    free(data);
    return ok;
}
