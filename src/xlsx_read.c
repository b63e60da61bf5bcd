/* The XLSX reader: see xlsx_read.h for what it reads and the limits it keeps.
 *
 * An XLSX file is a zip archive of XML parts (ECMA-376). The parts are found
 * as Excel finds them, through relationships, not by their usual names:
 * _rels/.rels names the workbook part, the workbook's relationships name each
 * sheet's part and the shared strings. Each part is inflated into memory
 * under the limits, then walked once with libxml2's xmlReader. */
#define _POSIX_C_SOURCE 200809L /* strtok_r */

#include "xlsx_read.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>
#include <zip.h>

#include "arena.h"
#include "i18n.h"
#include "infile.h"
#include "strbuf.h"
#include "utf8.h"

const lg_xlsx_limits lg_xlsx_default_limits = {
    .max_file_bytes = (size_t)64 << 20,
    .max_entries = 10000,
    .max_entry_bytes = (size_t)64 << 20,
    .max_total_bytes = (size_t)256 << 20,
    .max_ratio = 200,
    .max_cells = 2000000,
};

/* Small parts may compress better than any ratio (a sheet of empty cells):
 * the ratio applies to what a part holds beyond this. */
#define RATIO_FLOOR ((size_t)1 << 20)
#define CHUNK ((size_t)64 << 10)
#define MAX_ROWS 1048576u
#define MAX_COLS 16384u

typedef struct sheet_ref {
    const char *name;
    const char *part; /* the part's name in the archive, or NULL when its relationship is missing */
    bool chart;       /* a chart sheet: no cells */
    lg_xlsx_state state;
    lg_xlsx_sheet *read; /* once read */
} sheet_ref;

struct lg_xlsx {
    lg_arena *a;
    const char *path;
    lg_xlsx_limits lim;
    char *bytes; /* the file; libzip reads from it */
    zip_t *zip;
    size_t total; /* bytes inflated so far */
    sheet_ref *sheets;
    size_t n_sheets;
    const char **strings; /* shared strings */
    size_t n_strings;
};

/* ---- messages --------------------------------------------------------------- */

static void fail(const lg_xlsx *x, lg_diags *d, const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail(const lg_xlsx *x, lg_diags *d, const char *kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lg_diags_vadd(d, LG_ERROR, kind, x->path, 0, fmt, ap);
    va_end(ap);
}

/* ---- growing strings -------------------------------------------------------- */


/* ---- _xHHHH_ ---------------------------------------------------------------- */

static int hex(char c)
{
    return c >= '0' && c <= '9' ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* The code unit of an escape _xHHHH_ at S, or -1 when S does not start one. */
static long escape_at(const char *s)
{
    if (s[0] != '_' || s[1] != 'x')
        return -1;
    long v = 0;
    for (int i = 2; i < 6; i++) {
        int h = hex(s[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return s[6] == '_' ? v : -1;
}

static void put_utf8(lg_strbuf *b, unsigned long c)
{
    char u[4];
    lg_strbuf_add(b, u, lg_utf8_encode((uint32_t)c, u));
}

char *lg_xlsx_unescape(const char *s)
{
    if (!strstr(s, "_x"))
        return lg_xstrdup(s);
    lg_strbuf b = {0};
    lg_strbuf_add(&b, "", 0);
    while (*s) {
        long c = escape_at(s);
        if (c < 0) {
            const char *next = strstr(s + 1, "_x");
            size_t n = next ? (size_t)(next - s) : strlen(s);
            lg_strbuf_add(&b, s, n);
            s += n;
            continue;
        }
        s += 7;
        if (c >= 0xD800 && c <= 0xDBFF) {
            long lo = escape_at(s);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                put_utf8(&b, 0x10000 + (((unsigned long)c - 0xD800) << 10) +
                                 ((unsigned long)lo - 0xDC00));
                s += 7;
                continue;
            }
            c = 0xFFFD;
        } else if ((c >= 0xDC00 && c <= 0xDFFF) || c == 0) {
            c = 0xFFFD;
        }
        put_utf8(&b, (unsigned long)c);
    }
    return b.s;
}

/* ---- references ------------------------------------------------------------- */

char *lg_xlsx_ref(uint32_t row, uint32_t col, char *buf)
{
    char letters[8];
    size_t n = 0;
    for (uint32_t c = col + 1; c > 0 && n < sizeof letters; c = (c - 1) / 26)
        letters[n++] = (char)('A' + (c - 1) % 26);
    size_t len = 0;
    while (n)
        buf[len++] = letters[--n];
    snprintf(buf + len, 16 - len, "%lu", (unsigned long)row + 1);
    return buf;
}

bool lg_xlsx_parse_ref(const char *s, uint32_t *row, uint32_t *col)
{
    uint32_t c = 0, r = 0;
    size_t letters = 0, digits = 0;
    if (*s == '$')
        s++;
    for (; (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'); s++) {
        c = c * 26 + (uint32_t)((*s | 0x20) - 'a' + 1);
        if (++letters > 3)
            return false;
    }
    if (*s == '$')
        s++;
    for (; *s >= '0' && *s <= '9'; s++) {
        r = r * 10 + (uint32_t)(*s - '0');
        if (++digits > 7)
            return false;
    }
    if (*s || !letters || !digits || c > MAX_COLS || r < 1 || r > MAX_ROWS)
        return false;
    *row = r - 1;
    *col = c - 1;
    return true;
}

/* ---- the archive ------------------------------------------------------------ */

/* Reads PATH whole, refusing a file larger than the limit before reading it
 * all (lg_read_file). */
static bool read_file(lg_xlsx *x, size_t *len, lg_diags *d)
{
    lg_read_status st;
    char *buf = lg_read_file(x->path, x->lim.max_file_bytes, len, &st);
    if (st == LG_READ_CANNOT_OPEN) {
        fail(x, d, "io", "cannot open the file: %s", strerror(errno));
        return false;
    }
    if (st == LG_READ_FAILED) {
        fail(x, d, "io", "cannot read the file");
        return false;
    }
    if (*len > x->lim.max_file_bytes) {
        fail(x, d, "xlsx-limit",
             "the file is larger than %zu MB; a ledger form is far smaller, is it the "
             "right file?",
             x->lim.max_file_bytes >> 20);
        free(buf);
        return false;
    }
    x->bytes = buf;
    return true;
}

static bool open_zip(lg_xlsx *x, size_t len, lg_diags *d)
{
    static const unsigned char cfb[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (len >= 8 && memcmp(x->bytes, cfb, 8) == 0) {
        fail(x, d, "xlsx-format",
             "not an XLSX workbook: it is an old-style .xls file or a workbook protected by a "
             "password to open; open it and save it as .xlsx (Excel Workbook) without a "
             "password");
        return false;
    }
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_buffer_create(x->bytes, len, 0, &err);
    if (!src) {
        fail(x, d, "xlsx-format", "cannot read the archive: %s", zip_error_strerror(&err));
        zip_error_fini(&err);
        return false;
    }
    x->zip = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
    if (!x->zip) {
        int code = zip_error_code_zip(&err);
        if (code == ZIP_ER_NOZIP || len == 0)
            fail(x, d, "xlsx-format",
                 "not an XLSX workbook (it is not a zip archive); save it from the "
                 "spreadsheet program as .xlsx (Excel Workbook)");
        else
            fail(x, d, "xlsx-format", "the XLSX archive is damaged (%s); save it again",
                 zip_error_strerror(&err));
        zip_source_free(src);
        zip_error_fini(&err);
        return false;
    }
    zip_error_fini(&err);
    zip_int64_t n = zip_get_num_entries(x->zip, 0);
    if (n < 0 || (size_t)n > x->lim.max_entries) {
        fail(x, d, "xlsx-limit",
             "the archive has %lld entries, more than the %zu a workbook may have here",
             (long long)n, x->lim.max_entries);
        return false;
    }
    return true;
}

/* Reads the part NAME whole (NUL-terminated; *LEN without the NUL) under the
 * limits. NULL after adding an error, or, when the part is missing and not
 * REQUIRED, without one. The caller frees. */
static char *read_part(lg_xlsx *x, const char *name, bool required, size_t *len, lg_diags *d)
{
    zip_int64_t idx = zip_name_locate(x->zip, name, ZIP_FL_NOCASE);
    if (idx < 0) {
        if (required)
            fail(x, d, "xlsx-part", "the workbook has no part \"%s\"; is it an XLSX file?",
                 name);
        return NULL;
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &st) != 0) {
        fail(x, d, "xlsx-format", "part \"%s\": %s", name, zip_strerror(x->zip));
        return NULL;
    }
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
        fail(x, d, "xlsx-format",
             "part \"%s\" is encrypted; save the workbook without a password", name);
        return NULL;
    }
    if ((st.valid & ZIP_STAT_COMP_METHOD) && st.comp_method != ZIP_CM_STORE &&
        st.comp_method != ZIP_CM_DEFLATE) {
        fail(x, d, "xlsx-format",
             "part \"%s\" is compressed with method %d; an XLSX file uses only deflate "
             "(save it again from a spreadsheet program)",
             name, (int)st.comp_method);
        return NULL;
    }
    size_t comp = (st.valid & ZIP_STAT_COMP_SIZE) ? (size_t)st.comp_size : 0;
    size_t allowed = comp > (SIZE_MAX - RATIO_FLOOR) / x->lim.max_ratio
                         ? SIZE_MAX
                         : comp * x->lim.max_ratio + RATIO_FLOOR;
    zip_file_t *zf = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
    if (!zf) {
        fail(x, d, "xlsx-format", "part \"%s\" cannot be read: %s", name, zip_strerror(x->zip));
        return NULL;
    }
    size_t n = 0, cap = 0;
    char *buf = NULL;
    bool ok = true;
    for (;;) {
        if (cap - n < CHUNK + 1) {
            cap = cap ? cap * 2 : CHUNK * 2;
            buf = lg_xrealloc(buf, cap);
        }
        zip_int64_t got = zip_fread(zf, buf + n, CHUNK);
        if (got < 0) {
            fail(x, d, "xlsx-format", "part \"%s\" is damaged: %s; save the workbook again",
                 name, zip_file_strerror(zf));
            ok = false;
            break;
        }
        if (got == 0)
            break;
        n += (size_t)got;
        x->total += (size_t)got;
        if (n > x->lim.max_entry_bytes || x->total > x->lim.max_total_bytes) {
            fail(x, d, "xlsx-limit",
                 "part \"%s\" unpacks to more than %zu MB; a ledger form is far smaller "
                 "(is it a zip bomb?)",
                 name, (n > x->lim.max_entry_bytes ? x->lim.max_entry_bytes
                                                    : x->lim.max_total_bytes) >> 20);
            ok = false;
            break;
        }
        if (n > allowed) {
            fail(x, d, "xlsx-limit",
                 "part \"%s\" is compressed more than %zu:1 (%zu KB unpack to more than "
                 "%zu MB); refused as a zip bomb",
                 name, x->lim.max_ratio, (comp + 1023) >> 10, n >> 20);
            ok = false;
            break;
        }
    }
    int rc = zip_fclose(zf);
    if (ok && rc != 0) {
        zip_error_t e;
        zip_error_init_with_code(&e, rc);
        fail(x, d, "xlsx-format", "part \"%s\" is damaged: %s; save the workbook again", name,
             zip_error_strerror(&e));
        zip_error_fini(&e);
        ok = false;
    }
    if (!ok) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* ---- XML parts -------------------------------------------------------------- */

/* A part being walked with xmlReader, and its first error. */
typedef struct walk {
    lg_xlsx *x;
    const char *part;
    xmlTextReaderPtr r;
    char *error;
    long line;
} walk;

static void on_xml_error(void *ctx, xmlErrorPtr err)
{
    walk *w = ctx;
    if (!err || err->level == XML_ERR_WARNING || w->error)
        return;
    w->error = lg_xstrdup(err->message ? err->message : "unknown error");
    size_t n = strlen(w->error);
    while (n && (w->error[n - 1] == '\n' || w->error[n - 1] == ' '))
        w->error[--n] = '\0';
    w->line = err->line;
}

static bool walk_open(walk *w, lg_xlsx *x, const char *part, const char *buf, size_t len)
{
    memset(w, 0, sizeof *w);
    w->x = x;
    w->part = part;
    /* No XML_PARSE_NOENT, DTDLOAD, DTDVALID, XINCLUDE or HUGE: no entity is
     * substituted, no DTD loaded, libxml2's size limits kept. */
    w->r = xmlReaderForMemory(buf, (int)len, part, NULL, XML_PARSE_NONET);
    if (!w->r)
        return false;
    xmlTextReaderSetStructuredErrorHandler(w->r, on_xml_error, w);
    return true;
}

/* The next node: 1, or 0 at the end, or -1 on an error (kept in W). */
static int walk_next(walk *w)
{
    int rc = xmlTextReaderRead(w->r);
    if (rc == 1 && xmlTextReaderNodeType(w->r) == XML_READER_TYPE_DOCUMENT_TYPE) {
        if (!w->error) {
            w->error = lg_xstrdup("a DOCTYPE declaration, which no workbook part has");
            w->line = xmlTextReaderGetParserLineNumber(w->r);
        }
        return -1;
    }
    if (rc == 1 && w->error)
        return -1;
    if (rc < 0 && !w->error)
        w->error = lg_xstrdup("not well-formed");
    return rc;
}

/* Ends the walk; false after adding its error to D. */
static bool walk_close(walk *w, lg_diags *d)
{
    bool ok = !w->error;
    if (w->error)
        fail(w->x, d, "xlsx-xml", "part \"%s\" is not a well-formed XML part (line %ld: %s); "
             "save the workbook again", w->part, w->line, w->error);
    free(w->error);
    if (w->r)
        xmlFreeTextReader(w->r);
    return ok;
}

static bool is_start(const walk *w, const char *local)
{
    return xmlTextReaderNodeType(w->r) == XML_READER_TYPE_ELEMENT &&
           strcmp((const char *)xmlTextReaderConstLocalName(w->r), local) == 0;
}

static bool is_end(const walk *w, const char *local)
{
    return xmlTextReaderNodeType(w->r) == XML_READER_TYPE_END_ELEMENT &&
           strcmp((const char *)xmlTextReaderConstLocalName(w->r), local) == 0;
}

static bool is_text(const walk *w)
{
    int t = xmlTextReaderNodeType(w->r);
    return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA ||
           t == XML_READER_TYPE_WHITESPACE || t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* The attribute LOCAL of the current element, in no namespace, copied into
 * the arena; NULL when absent. */
static const char *attr(const walk *w, const char *local)
{
    xmlChar *v = xmlTextReaderGetAttribute(w->r, (const xmlChar *)local);
    if (!v)
        return NULL;
    const char *s = lg_arena_strdup(w->x->a, (const char *)v);
    xmlFree(v);
    return s;
}

/* The r:id attribute: "id" in the relationships namespace, whichever prefix
 * and flavour (transitional or strict) the writer used. */
static const char *attr_rid(const walk *w)
{
    const char *v = NULL;
    if (xmlTextReaderMoveToFirstAttribute(w->r) != 1)
        return NULL;
    do {
        const char *ln = (const char *)xmlTextReaderConstLocalName(w->r);
        const char *ns = (const char *)xmlTextReaderConstNamespaceUri(w->r);
        if (ln && ns && strcmp(ln, "id") == 0 && strstr(ns, "relationships")) {
            v = lg_arena_strdup(w->x->a, (const char *)xmlTextReaderConstValue(w->r));
            break;
        }
    } while (xmlTextReaderMoveToNextAttribute(w->r) == 1);
    xmlTextReaderMoveToElement(w->r);
    return v;
}

/* The text of a text node, appended to B. */
static void add_text(const walk *w, lg_strbuf *b)
{
    const char *v = (const char *)xmlTextReaderConstValue(w->r);
    if (v)
        lg_strbuf_add(b, v, strlen(v));
}

/* ---- relationships ---------------------------------------------------------- */

typedef struct rel {
    const char *id, *type, *target;
} rel;

typedef struct rels {
    rel *items;
    size_t n;
} rels;

/* The part TARGET names, relative to the folder of the part FROM ("" for the
 * package), with "." and ".." resolved; an absolute target from the root. */
static const char *resolve(lg_arena *a, const char *from, const char *target)
{
    char *joined;
    if (target[0] == '/') {
        joined = lg_xstrdup(target + 1);
    } else {
        const char *slash = strrchr(from, '/');
        int dir = slash ? (int)(slash - from) : 0;
        joined = dir ? lg_xasprintf("%.*s/%s", dir, from, target) : lg_xstrdup(target);
    }
    /* segments, with ".." dropping the one before */
    char *out = lg_xmalloc(strlen(joined) + 1);
    size_t len = 0;
    for (char *save, *seg = strtok_r(joined, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
        if (strcmp(seg, ".") == 0)
            continue;
        if (strcmp(seg, "..") == 0) {
            while (len && out[len - 1] != '/')
                len--;
            if (len)
                len--;
            continue;
        }
        if (len)
            out[len++] = '/';
        memcpy(out + len, seg, strlen(seg));
        len += strlen(seg);
    }
    out[len] = '\0';
    const char *s = lg_arena_strdup(a, out);
    free(out);
    free(joined);
    return s;
}

/* The relationships of the part FROM ("" for the package), from its .rels
 * part; none when it has no .rels. False after adding an error. */
static bool read_rels(lg_xlsx *x, const char *from, rels *out, lg_diags *d)
{
    memset(out, 0, sizeof *out);
    const char *slash = strrchr(from, '/');
    int dir = slash ? (int)(slash - from) : 0;
    char *name = *from ? lg_xasprintf("%.*s%s_rels/%s.rels", dir, from, dir ? "/" : "",
                                      slash ? slash + 1 : from)
                       : lg_xstrdup("_rels/.rels");
    if (zip_name_locate(x->zip, name, ZIP_FL_NOCASE) < 0) {
        free(name);
        return true;
    }
    size_t len;
    char *buf = read_part(x, name, true, &len, d);
    if (!buf) {
        free(name);
        return false;
    }
    walk w;
    size_t cap = 0;
    if (walk_open(&w, x, name, buf, len)) {
        while (walk_next(&w) == 1) {
            if (!is_start(&w, "Relationship"))
                continue;
            const char *id = attr(&w, "Id"), *type = attr(&w, "Type"),
                       *target = attr(&w, "Target"), *mode = attr(&w, "TargetMode");
            if (!id || !target || (mode && strcmp(mode, "External") == 0))
                continue;
            if (out->n == cap) {
                cap = cap ? cap * 2 : 16;
                out->items = lg_arena_regrow(x->a, out->items, out->n, cap, sizeof *out->items);
            }
            out->items[out->n++] = (rel){id, type ? type : "", resolve(x->a, from, target)};
        }
    }
    bool ok = walk_close(&w, d);
    free(buf);
    free(name);
    return ok;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static const rel *rel_of_type(const rels *r, const char *type_suffix)
{
    for (size_t i = 0; i < r->n; i++)
        if (ends_with(r->items[i].type, type_suffix))
            return &r->items[i];
    return NULL;
}

static const rel *rel_by_id(const rels *r, const char *id)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->items[i].id, id) == 0)
            return &r->items[i];
    return NULL;
}

/* ---- workbook and shared strings -------------------------------------------- */

static bool read_workbook(lg_xlsx *x, const char *part, const rels *wr, lg_diags *d)
{
    size_t len;
    char *buf = read_part(x, part, true, &len, d);
    if (!buf)
        return false;
    walk w;
    size_t cap = 0;
    bool in_sheets = false;
    if (walk_open(&w, x, part, buf, len)) {
        while (walk_next(&w) == 1) {
            if (is_start(&w, "sheets") && !xmlTextReaderIsEmptyElement(w.r)) {
                in_sheets = true;
            } else if (is_end(&w, "sheets")) {
                in_sheets = false;
            } else if (in_sheets && is_start(&w, "sheet")) {
                if (x->n_sheets == cap) {
                    cap = cap ? cap * 2 : 8;
                    x->sheets =
                        lg_arena_regrow(x->a, x->sheets, x->n_sheets, cap, sizeof *x->sheets);
                }
                sheet_ref *s = &x->sheets[x->n_sheets++];
                const char *name = attr(&w, "name"), *state = attr(&w, "state");
                const char *rid = attr_rid(&w);
                s->name = name ? name : "";
                s->state = !state                            ? LG_XLSX_VISIBLE
                           : strcmp(state, "veryHidden") == 0 ? LG_XLSX_VERY_HIDDEN
                           : strcmp(state, "hidden") == 0     ? LG_XLSX_HIDDEN
                                                              : LG_XLSX_VISIBLE;
                const rel *r = rid ? rel_by_id(wr, rid) : NULL;
                s->part = r ? r->target : NULL;
                s->chart = r && ends_with(r->type, "/chartsheet");
                if (x->n_sheets > x->lim.max_entries)
                    break;
            }
        }
    }
    bool ok = walk_close(&w, d);
    free(buf);
    if (ok && x->n_sheets > x->lim.max_entries) {
        fail(x, d, "xlsx-limit", "the workbook lists more sheets than its archive can hold");
        ok = false;
    }
    return ok;
}

static bool read_shared_strings(lg_xlsx *x, const char *part, lg_diags *d)
{
    size_t len;
    char *buf = read_part(x, part, true, &len, d);
    if (!buf)
        return false;
    walk w;
    size_t cap = 0;
    lg_strbuf text = {0};
    bool in_si = false, in_t = false;
    int rph = 0; /* depth inside <rPh>: phonetic runs are not the text */
    bool too_many = false;
    if (walk_open(&w, x, part, buf, len)) {
        while (walk_next(&w) == 1) {
            if (is_start(&w, "si")) {
                text.len = 0;
                lg_strbuf_add(&text, "", 0);
                in_si = !xmlTextReaderIsEmptyElement(w.r);
                rph = 0;
                if (!in_si)
                    goto push;
            } else if (in_si && is_start(&w, "rPh") && !xmlTextReaderIsEmptyElement(w.r)) {
                rph++;
            } else if (in_si && is_end(&w, "rPh")) {
                rph--;
            } else if (in_si && !rph && is_start(&w, "t")) {
                in_t = !xmlTextReaderIsEmptyElement(w.r);
            } else if (is_end(&w, "t")) {
                in_t = false;
            } else if (in_t && !rph && is_text(&w)) {
                add_text(&w, &text);
            } else if (is_end(&w, "si")) {
                in_si = false;
                goto push;
            }
            continue;
        push:
            if (x->n_strings == x->lim.max_cells) {
                too_many = true;
                break;
            }
            if (x->n_strings == cap) {
                cap = cap ? cap * 2 : 256;
                x->strings = lg_xrealloc(x->strings, cap * sizeof *x->strings);
            }
            char *s = lg_xlsx_unescape(lg_strbuf_str(&text));
            x->strings[x->n_strings++] = lg_arena_strdup(x->a, s);
            free(s);
        }
    }
    bool ok = walk_close(&w, d);
    free(text.s);
    free(buf);
    if (ok && too_many) {
        fail(x, d, "xlsx-limit", "part \"%s\" holds more than %zu strings", part,
             x->lim.max_cells);
        ok = false;
    }
    return ok;
}

lg_xlsx *lg_xlsx_open_opt(const char *path, const lg_xlsx_limits *lim, lg_diags *d)
{
    lg_arena *a = lg_arena_new();
    lg_xlsx *x = lg_arena_alloc(a, sizeof *x);
    x->a = a;
    x->path = lg_arena_strdup(a, path);
    x->lim = lim ? *lim : lg_xlsx_default_limits;
    if (x->lim.max_ratio == 0)
        x->lim.max_ratio = 1;
    size_t len = 0;
    if (!read_file(x, &len, d) || !open_zip(x, len, d))
        goto fail;

    rels pkg, wb;
    if (!read_rels(x, "", &pkg, d))
        goto fail;
    const rel *doc = rel_of_type(&pkg, "/officeDocument");
    const char *wb_part = doc ? doc->target : "xl/workbook.xml";
    if (zip_name_locate(x->zip, wb_part, ZIP_FL_NOCASE) < 0) {
        if (zip_name_locate(x->zip, "content.xml", 0) >= 0)
            fail(x, d, "xlsx-format",
                 "not an XLSX workbook: it looks like an OpenDocument (.ods) file; save it "
                 "as .xlsx (Excel Workbook)");
        else
            fail(x, d, "xlsx-format",
                 "not an XLSX workbook: the archive has no workbook part (%s)", wb_part);
        goto fail;
    }
    if (!read_rels(x, wb_part, &wb, d) || !read_workbook(x, wb_part, &wb, d))
        goto fail;
    const rel *sst = rel_of_type(&wb, "/sharedStrings");
    if (sst) {
        if (!read_shared_strings(x, sst->target, d))
            goto fail;
    } else if (zip_name_locate(x->zip, "xl/sharedStrings.xml", ZIP_FL_NOCASE) >= 0) {
        /* a writer that forgot the relationship */
        if (!read_shared_strings(x, "xl/sharedStrings.xml", d))
            goto fail;
    }
    return x;
fail:
    lg_xlsx_close(x);
    return NULL;
}

lg_xlsx *lg_xlsx_open(const char *path, lg_diags *d)
{
    return lg_xlsx_open_opt(path, NULL, d);
}

void lg_xlsx_close(lg_xlsx *x)
{
    if (!x)
        return;
    if (x->zip)
        zip_discard(x->zip); /* read-only: nothing to write back */
    free(x->bytes);
    free(x->strings);
    for (size_t i = 0; i < x->n_sheets; i++)
        if (x->sheets[i].read)
            free((void *)x->sheets[i].read->cells);
    lg_arena_free(x->a);
}

size_t lg_xlsx_sheet_count(const lg_xlsx *x)
{
    return x->n_sheets;
}

const char *lg_xlsx_sheet_name(const lg_xlsx *x, size_t i)
{
    return i < x->n_sheets ? x->sheets[i].name : NULL;
}

lg_xlsx_state lg_xlsx_sheet_state(const lg_xlsx *x, size_t i)
{
    return i < x->n_sheets ? x->sheets[i].state : LG_XLSX_VISIBLE;
}

static bool name_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char p = *a >= 'A' && *a <= 'Z' ? *a - 'A' + 'a' : *a;
        char q = *b >= 'A' && *b <= 'Z' ? *b - 'A' + 'a' : *b;
        if (p != q)
            return false;
    }
    return *a == *b;
}

long lg_xlsx_sheet_find(const lg_xlsx *x, const char *name)
{
    for (size_t i = 0; i < x->n_sheets; i++)
        if (strcmp(x->sheets[i].name, name) == 0)
            return (long)i;
    for (size_t i = 0; i < x->n_sheets; i++)
        if (name_eq(x->sheets[i].name, name))
            return (long)i;
    return -1;
}

/* ---- a sheet ---------------------------------------------------------------- */

/* A cell read and its place in the part: of two cells at one place (which
 * no writer makes) the later one wins, as in Excel. */
typedef struct keyed {
    lg_xlsx_cell c;
    size_t seq;
} keyed;

typedef struct cells {
    keyed *items;
    size_t n, cap;
} cells;

/* A cell of a sheet being read: what its element said. */
typedef struct raw_cell {
    uint32_t row, col;
    const char *type; /* t, or NULL */
    bool has_v, has_is;
    lg_strbuf v, is;
} raw_cell;

typedef struct sheet_walk {
    walk w;
    const char *sheet;
    lg_diags *d;
    bool bad; /* a problem was reported */
} sheet_walk;

static void cell_error(sheet_walk *sw, uint32_t row, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void cell_error(sheet_walk *sw, uint32_t row, uint32_t col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[512];
    vsnprintf(msg, sizeof msg, _(fmt), ap);
    va_end(ap);
    char ref[16];
    fail(sw->w.x, sw->d, "xlsx-cell", "sheet \"%s\", cell %s: %s", sw->sheet,
         lg_xlsx_ref(row, col, ref), msg);
    sw->bad = true;
}

/* The cell C as a typed value, added to OUT; false when it has none. */
static bool finish_cell(sheet_walk *sw, raw_cell *c, lg_xlsx_cell *out)
{
    lg_xlsx *x = sw->w.x;
    const char *t = c->type ? c->type : "n";
    const char *v = lg_strbuf_str(&c->v);
    out->row = c->row;
    out->col = c->col;
    out->type = LG_XLSX_STRING;
    char *s = NULL;
    if (strcmp(t, "s") == 0) {
        if (!c->has_v)
            return false;
        char *end;
        errno = 0;
        unsigned long long i = strtoull(v, &end, 10);
        if (errno || end == v || *end || v[0] == '-' || i >= x->n_strings) {
            cell_error(sw, c->row, c->col,
                       "refers to shared string \"%s\", which the workbook does not have; "
                       "save the workbook again",
                       v);
            return false;
        }
        out->text = x->strings[i];
        return true;
    }
    if (strcmp(t, "inlineStr") == 0) {
        if (!c->has_is && !c->has_v)
            return false;
        s = lg_xlsx_unescape(c->has_is ? lg_strbuf_str(&c->is) : v);
    } else {
        if (!c->has_v)
            return false;
        if (strcmp(t, "str") == 0) {
            s = lg_xlsx_unescape(v);
        } else if (strcmp(t, "b") == 0) {
            out->type = LG_XLSX_BOOL;
            s = lg_xstrdup(strcmp(v, "0") == 0 ? "FALSE" : "TRUE");
        } else if (strcmp(t, "e") == 0) {
            out->type = LG_XLSX_ERROR;
            s = lg_xstrdup(v);
        } else if (strcmp(t, "d") == 0) {
            out->type = LG_XLSX_DATE;
            s = lg_xstrdup(v);
        } else {
            out->type = LG_XLSX_NUMBER;
            s = lg_xstrdup(v);
        }
    }
    out->text = lg_arena_strdup(x->a, s);
    free(s);
    return true;
}

static int keyed_cmp(const void *a, const void *b)
{
    const keyed *p = a, *q = b;
    if (p->c.row != q->c.row)
        return p->c.row < q->c.row ? -1 : 1;
    if (p->c.col != q->c.col)
        return p->c.col < q->c.col ? -1 : 1;
    return (p->seq > q->seq) - (p->seq < q->seq);
}

/* Reads the cells of the part into CS. */
static void walk_sheet(sheet_walk *sw, cells *cs)
{
    walk *w = &sw->w;
    lg_xlsx *x = w->x;
    long row = -1, col = -1; /* the last row and column seen */
    bool in_data = false, in_cell = false, in_v = false, in_t = false;
    int in_is = 0, rph = 0;
    raw_cell c = {0};
    while (!sw->bad && walk_next(w) == 1) {
        if (is_start(w, "sheetData")) {
            in_data = !xmlTextReaderIsEmptyElement(w->r);
        } else if (is_end(w, "sheetData")) {
            in_data = false;
        } else if (in_data && is_start(w, "row")) {
            const char *r = attr(w, "r");
            long n = row + 1;
            if (r) {
                char *end;
                n = strtol(r, &end, 10) - 1;
                if (*end || n < 0 || n >= (long)MAX_ROWS) {
                    fail(x, sw->d, "xlsx-cell", "sheet \"%s\": row number \"%s\" is not one "
                         "of Excel's 1 to 1,048,576; save the workbook again", sw->sheet, r);
                    sw->bad = true;
                    break;
                }
            }
            row = n;
            col = -1;
        } else if (in_data && is_start(w, "c")) {
            const char *r = attr(w, "r");
            uint32_t rr, rc;
            if (r && !lg_xlsx_parse_ref(r, &rr, &rc)) {
                fail(x, sw->d, "xlsx-cell",
                     "sheet \"%s\": cell reference \"%s\" is not a cell of a sheet; save the "
                     "workbook again", sw->sheet, r);
                sw->bad = true;
                break;
            }
            if (!r) {
                /* no reference: the next column of the row */
                if (row < 0)
                    row = 0;
                rr = (uint32_t)row;
                rc = (uint32_t)(col + 1);
                if (rc >= MAX_COLS) {
                    fail(x, sw->d, "xlsx-cell", "sheet \"%s\": row %ld has more than 16,384 "
                         "cells", sw->sheet, row + 1);
                    sw->bad = true;
                    break;
                }
            }
            row = rr;
            col = rc;
            c.row = rr;
            c.col = rc;
            c.type = attr(w, "t");
            c.has_v = c.has_is = false;
            c.v.len = c.is.len = 0;
            lg_strbuf_add(&c.v, "", 0);
            lg_strbuf_add(&c.is, "", 0);
            in_cell = !xmlTextReaderIsEmptyElement(w->r);
            in_is = rph = 0;
            in_v = in_t = false;
        } else if (in_cell && is_start(w, "v")) {
            c.has_v = true;
            in_v = !xmlTextReaderIsEmptyElement(w->r);
        } else if (in_cell && is_end(w, "v")) {
            in_v = false;
        } else if (in_cell && is_start(w, "is")) {
            c.has_is = true;
            in_is = !xmlTextReaderIsEmptyElement(w->r);
        } else if (in_cell && is_end(w, "is")) {
            in_is = 0;
        } else if (in_is && is_start(w, "rPh") && !xmlTextReaderIsEmptyElement(w->r)) {
            rph++;
        } else if (in_is && is_end(w, "rPh")) {
            rph--;
        } else if (in_is && !rph && is_start(w, "t")) {
            in_t = !xmlTextReaderIsEmptyElement(w->r);
        } else if (in_is && is_end(w, "t")) {
            in_t = false;
        } else if (in_v && is_text(w)) {
            add_text(w, &c.v);
        } else if (in_t && !rph && is_text(w)) {
            add_text(w, &c.is);
        } else if (in_cell && is_end(w, "c")) {
            in_cell = false;
        } else {
            continue;
        }
        /* a cell is complete at its end, or at once when it is empty */
        bool done = is_end(w, "c") || (is_start(w, "c") && !in_cell);
        if (!done)
            continue;
        lg_xlsx_cell out;
        if (!finish_cell(sw, &c, &out))
            continue;
        if (cs->n == x->lim.max_cells) {
            fail(x, sw->d, "xlsx-limit", "sheet \"%s\" has more than %zu cells", sw->sheet,
                 x->lim.max_cells);
            sw->bad = true;
            break;
        }
        if (cs->n == cs->cap) {
            cs->cap = cs->cap ? cs->cap * 2 : 256;
            cs->items = lg_xrealloc(cs->items, cs->cap * sizeof *cs->items);
        }
        cs->items[cs->n] = (keyed){out, cs->n};
        cs->n++;
    }
    free(c.v.s);
    free(c.is.s);
}

const lg_xlsx_sheet *lg_xlsx_sheet_read(lg_xlsx *x, size_t i, lg_diags *d)
{
    if (i >= x->n_sheets)
        return NULL;
    sheet_ref *ref = &x->sheets[i];
    if (ref->read)
        return ref->read;
    if (ref->chart) {
        fail(x, d, "xlsx-part", "sheet \"%s\" is a chart sheet, which has no cells", ref->name);
        return NULL;
    }
    if (!ref->part) {
        fail(x, d, "xlsx-part", "sheet \"%s\" has no part in the workbook's relationships; "
             "save the workbook again", ref->name);
        return NULL;
    }
    size_t len;
    char *buf = read_part(x, ref->part, true, &len, d);
    if (!buf)
        return NULL;
    sheet_walk sw = {.sheet = ref->name, .d = d};
    cells cs = {0};
    bool ok = false;
    if (walk_open(&sw.w, x, ref->part, buf, len))
        walk_sheet(&sw, &cs);
    ok = walk_close(&sw.w, d) && !sw.bad;
    free(buf);
    if (!ok) {
        free(cs.items);
        return NULL;
    }
    if (cs.n)
        qsort(cs.items, cs.n, sizeof *cs.items, keyed_cmp);
    lg_xlsx_cell *out = lg_xmalloc((cs.n + 1) * sizeof *out);
    size_t n = 0;
    for (size_t j = 0; j < cs.n; j++) {
        if (n && out[n - 1].row == cs.items[j].c.row && out[n - 1].col == cs.items[j].c.col)
            n--; /* sorted by appearance among equals: the later replaces it */
        out[n++] = cs.items[j].c;
    }
    free(cs.items);
    lg_xlsx_sheet *s = lg_arena_alloc(x->a, sizeof *s);
    s->name = ref->name;
    s->cells = out;
    s->n_cells = n;
    ref->read = s;
    return s;
}

const lg_xlsx_cell *lg_xlsx_cell_at(const lg_xlsx_sheet *s, uint32_t row, uint32_t col)
{
    size_t lo = 0, hi = s->n_cells;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const lg_xlsx_cell *c = &s->cells[mid];
        if (c->row < row || (c->row == row && c->col < col))
            lo = mid + 1;
        else if (c->row == row && c->col == col)
            return c;
        else
            hi = mid;
    }
    return NULL;
}

const char *lg_xlsx_text_at(const lg_xlsx_sheet *s, uint32_t row, uint32_t col)
{
    const lg_xlsx_cell *c = lg_xlsx_cell_at(s, row, col);
    return c ? c->text : "";
}
