#define _POSIX_C_SOURCE 200809L
#include "pdfa_verify.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <qpdf/qpdf-c.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "i18n.h"
#include "manifest.h"

/* ---- reporting ------------------------------------------------------------------ */

/* The clauses checked, in the order of the standard; a failure names one. */
static const char *const clauses[] = {
    "6.1.2",   "6.1.3",   "6.1.7.1", "6.1.7.2", "6.2.3",     "6.2.4.3", "6.2.11.4.1",
    "6.3.1",   "6.3.2",   "6.5.1",   "6.5.2",   "6.6.2.1",   "6.6.2.3.1", "6.6.3",
    "6.6.4",
};
#define N_CLAUSES (sizeof clauses / sizeof clauses[0])

typedef struct check {
    const char *path;
    lg_diags *d;
    qpdf_data q;
    bool failed[N_CLAUSES];
    bool ok;
} check;

/* Adds that PATH fails CLAUSE, unless it was reported already. */
static void fail(check *c, const char *clause, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(check *c, const char *clause, const char *fmt, ...)
{
    c->ok = false;
    size_t i = 0;
    while (i < N_CLAUSES && strcmp(clauses[i], clause) != 0)
        i++;
    if (i < N_CLAUSES && c->failed[i])
        return;
    if (i < N_CLAUSES)
        c->failed[i] = true;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, _(fmt), ap);
    va_end(ap);
    char *what = lg_xmalloc(n > 0 ? (size_t)n + 1 : 1);
    *what = '\0';
    va_start(ap, fmt);
    vsnprintf(what, (size_t)(n > 0 ? n + 1 : 1), _(fmt), ap);
    va_end(ap);
    char *kind = lg_xasprintf("pdfa-%s", clause);
    lg_diags_add(c->d, LG_ERROR, kind, c->path, 0,
                 "not PDF/A-2b: ISO 19005-2 clause %s: %s; make the file again with "
                 "ledgerc build (PDF/A-2b unless --pdf plain)",
                 clause, what);
    free(what);
    free(kind);
}

/* ---- the bytes of the file ------------------------------------------------------ */

/* 6.1.2: "%PDF-1.n" (n from 0 to 7) at the start, then a comment line of at
 * least four bytes above 127. 6.1.3: nothing but an end of line after the
 * last %%EOF. */
static void check_bytes(check *c)
{
    FILE *f = fopen(c->path, "rb");
    if (!f)
        return; /* qpdf says why below */
    unsigned char head[64] = {0};
    size_t n = fread(head, 1, sizeof head, f);
    bool header = n >= 9 && memcmp(head, "%PDF-1.", 7) == 0 && head[7] >= '0' && head[7] <= '7';
    size_t i = 8;
    while (i < n && (head[i] == '\r' || head[i] == '\n'))
        i++;
    int high = 0;
    if (i < n && head[i] == '%')
        for (i++; i < n && head[i] != '\r' && head[i] != '\n'; i++)
            high += head[i] > 127;
    if (!header)
        fail(c, "6.1.2", "the file does not start with %%PDF-1.0 to %%PDF-1.7");
    else if (high < 4)
        fail(c, "6.1.2", "the header is not followed by a comment of four bytes above 127");

    char tail[1024];
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    long from = size > (long)sizeof tail ? size - (long)sizeof tail : 0;
    size_t m = size >= 0 && fseek(f, from, SEEK_SET) == 0 ? fread(tail, 1, sizeof tail, f) : 0;
    fclose(f);
    const char *eof = NULL;
    for (size_t k = 0; k + 5 <= m; k++)
        if (memcmp(tail + k, "%%EOF", 5) == 0)
            eof = tail + k;
    size_t after = eof ? m - (size_t)(eof + 5 - tail) : 0;
    const char *rest = eof ? eof + 5 : NULL;
    bool clean = eof && (after == 0 || (after == 1 && (*rest == '\n' || *rest == '\r')) ||
                         (after == 2 && rest[0] == '\r' && rest[1] == '\n'));
    if (!clean)
        fail(c, "6.1.3", "%s", eof ? "there are bytes after the last %%EOF" : "the file has no %%EOF");
}

/* ---- objects -------------------------------------------------------------------- */

static bool is_name(check *c, qpdf_oh o, const char *name)
{
    return qpdf_oh_is_name_and_equals(c->q, o, name);
}

/* The name O as text, or "?". */
static const char *name_of(check *c, qpdf_oh o)
{
    return qpdf_oh_is_name(c->q, o) ? qpdf_oh_get_name(c->q, o) : "?";
}

/* 6.1.3: an /ID of two strings in the trailer, no /Encrypt. */
static void check_trailer(check *c)
{
    qpdf_data q = c->q;
    qpdf_oh t = qpdf_get_trailer(q);
    qpdf_oh id = qpdf_oh_get_key(q, t, "/ID");
    if (!qpdf_oh_is_array(q, id) || qpdf_oh_get_array_n_items(q, id) != 2 ||
        !qpdf_oh_is_string(q, qpdf_oh_get_array_item(q, id, 0)) ||
        !qpdf_oh_is_string(q, qpdf_oh_get_array_item(q, id, 1)))
        fail(c, "6.1.3", "the trailer has no /ID of two strings");
    if (qpdf_oh_has_key(q, t, "/Encrypt"))
        fail(c, "6.1.3", "the file is encrypted (/Encrypt in the trailer)");
}

/* 6.1.7.1: no stream refers to an external file; 6.1.7.2: no LZW or Crypt filter. */
static void check_stream(check *c, qpdf_oh s)
{
    qpdf_data q = c->q;
    qpdf_oh dict = qpdf_oh_get_dict(q, s);
    static const char *const external[] = {"/F", "/FFilter", "/FDecodeParms"};
    for (size_t i = 0; i < 3; i++)
        if (qpdf_oh_has_key(q, dict, external[i]))
            fail(c, "6.1.7.1", "stream object %d has %s: its data is in an external file",
                 qpdf_oh_get_object_id(q, s), external[i]);
    qpdf_oh filter = qpdf_oh_get_key(q, dict, "/Filter");
    int n = qpdf_oh_is_array(q, filter) ? qpdf_oh_get_array_n_items(q, filter) : 1;
    for (int i = 0; i < n; i++) {
        qpdf_oh f = qpdf_oh_is_array(q, filter) ? qpdf_oh_get_array_item(q, filter, i) : filter;
        if (is_name(c, f, "/LZWDecode") || is_name(c, f, "/Crypt"))
            fail(c, "6.1.7.2", "stream object %d uses the filter %s",
                 qpdf_oh_get_object_id(q, s), name_of(c, f));
    }
}

/* 6.2.11.4.1: a font other than Type 3 (and the Type 0 wrapper, whose
 * descendant is checked itself) carries its font program. */
static void check_font(check *c, qpdf_oh font)
{
    qpdf_data q = c->q;
    qpdf_oh sub = qpdf_oh_get_key(q, font, "/Subtype");
    if (is_name(c, sub, "/Type3"))
        return;
    if (is_name(c, sub, "/Type0")) {
        qpdf_oh kids = qpdf_oh_get_key(q, font, "/DescendantFonts");
        int n = qpdf_oh_is_array(q, kids) ? qpdf_oh_get_array_n_items(q, kids) : 0;
        for (int i = 0; i < n; i++) {
            qpdf_oh k = qpdf_oh_get_array_item(q, kids, i);
            if (!qpdf_oh_is_indirect(q, k)) /* an indirect one is met by the walk */
                check_font(c, k);
        }
        return;
    }
    qpdf_oh fd = qpdf_oh_get_key(q, font, "/FontDescriptor");
    bool embedded = qpdf_oh_is_stream(q, qpdf_oh_get_key(q, fd, "/FontFile")) ||
                    qpdf_oh_is_stream(q, qpdf_oh_get_key(q, fd, "/FontFile2")) ||
                    qpdf_oh_is_stream(q, qpdf_oh_get_key(q, fd, "/FontFile3"));
    if (!embedded)
        fail(c, "6.2.11.4.1", "the font %s is not embedded",
             name_of(c, qpdf_oh_get_key(q, font, "/BaseFont")));
}

/* 6.5.1: no action PDF/A forbids. */
static void check_action(check *c, qpdf_oh a)
{
    static const char *const forbidden[] = {
        "/Launch", "/Sound",  "/Movie",      "/ResetForm", "/ImportData", "/JavaScript",
        "/Hide",   "/SetOCGState", "/Rendition", "/Trans",  "/GoTo3DView",
    };
    qpdf_data q = c->q;
    qpdf_oh s = qpdf_oh_get_key(q, a, "/S");
    qpdf_oh type = qpdf_oh_get_key(q, a, "/Type");
    if (!qpdf_oh_is_name(q, s) || !(qpdf_oh_is_null(q, type) || is_name(c, type, "/Action")))
        return;
    for (size_t i = 0; i < sizeof forbidden / sizeof forbidden[0]; i++)
        if (is_name(c, s, forbidden[i]))
            fail(c, "6.5.1", "the file has a %s action", forbidden[i] + 1);
    if (is_name(c, s, "/Named")) {
        qpdf_oh n = qpdf_oh_get_key(q, a, "/N");
        if (!is_name(c, n, "/NextPage") && !is_name(c, n, "/PrevPage") &&
            !is_name(c, n, "/FirstPage") && !is_name(c, n, "/LastPage"))
            fail(c, "6.5.1", "the file has the named action %s", name_of(c, n));
    }
}

/* Every object of the file (as numbered in its cross-reference table):
 * streams, fonts and actions wherever they are. */
static void walk_objects(check *c)
{
    qpdf_data q = c->q;
    qpdf_oh size = qpdf_oh_get_key(q, qpdf_get_trailer(q), "/Size");
    int n = qpdf_oh_is_integer(q, size) ? qpdf_oh_get_int_value_as_int(q, size) : 0;
    for (int id = 1; id < n; id++) {
        qpdf_oh o = qpdf_get_object_by_id(q, id, 0);
        if (qpdf_oh_is_stream(q, o))
            check_stream(c, o);
        else if (qpdf_oh_is_dictionary(q, o)) {
            if (is_name(c, qpdf_oh_get_key(q, o, "/Type"), "/Font"))
                check_font(c, o);
            check_action(c, o);
        }
        qpdf_oh_release_all(q); /* handles pile up otherwise, one per call */
    }
}

/* The colour space of the OutputIntent's profile ("RGB ", "CMYK", "GRAY"),
 * or "" when there is no valid PDF/A OutputIntent (6.2.3), into SPACE (5 bytes). */
static void check_output_intent(check *c, char *space)
{
    qpdf_data q = c->q;
    space[0] = '\0';
    qpdf_oh list = qpdf_oh_get_key(q, qpdf_get_root(q), "/OutputIntents");
    int n = qpdf_oh_is_array(q, list) ? qpdf_oh_get_array_n_items(q, list) : 0;
    qpdf_oh profile = 0;
    for (int i = 0; i < n && !profile; i++) {
        qpdf_oh oi = qpdf_oh_get_array_item(q, list, i);
        if (is_name(c, qpdf_oh_get_key(q, oi, "/S"), "/GTS_PDFA1"))
            profile = qpdf_oh_get_key(q, oi, "/DestOutputProfile");
    }
    if (!profile) {
        fail(c, "6.2.3", "the catalog has no OutputIntent of subtype GTS_PDFA1");
        return;
    }
    unsigned char *icc = NULL;
    size_t len = 0;
    if (!qpdf_oh_is_stream(q, profile) ||
        qpdf_oh_get_stream_data(q, profile, qpdf_dl_generalized, NULL, &icc, &len) != QPDF_SUCCESS ||
        len < 128 || memcmp(icc + 36, "acsp", 4) != 0) {
        fail(c, "6.2.3", "the OutputIntent has no ICC profile (DestOutputProfile)");
        free(icc);
        return;
    }
    /* the profile header: version at 8, device class at 12, colour space at 16 */
    static const struct {
        const char *space;
        int n;
    } spaces[] = {{"RGB ", 3}, {"CMYK", 4}, {"GRAY", 1}};
    qpdf_oh nkey = qpdf_oh_get_key(q, qpdf_oh_get_dict(q, profile), "/N");
    int want = -1;
    for (size_t i = 0; i < 3; i++)
        if (memcmp(icc + 16, spaces[i].space, 4) == 0)
            want = spaces[i].n;
    if (icc[8] > 4 || (memcmp(icc + 12, "mntr", 4) != 0 && memcmp(icc + 12, "prtr", 4) != 0))
        fail(c, "6.2.3", "the OutputIntent's profile is not an output or monitor profile of ICC "
                         "version 4 or earlier");
    else if (want < 0 || !qpdf_oh_is_integer(q, nkey) || qpdf_oh_get_int_value(q, nkey) != want)
        fail(c, "6.2.3", "the OutputIntent's profile has /N that does not match its colour space");
    else
        memcpy(space, icc + 16, 4), space[4] = '\0';
    free(icc);
}

/* 6.2.4.3: DeviceRGB or DeviceCMYK, named as a page's transparency group
 * space or in its colour space resources, only with an OutputIntent of that
 * space (DeviceGray with any). Content streams are not read. */
static void check_device_space(check *c, qpdf_oh cs, const char *space, int page)
{
    qpdf_data q = c->q;
    if (qpdf_oh_is_array(q, cs) && qpdf_oh_get_array_n_items(q, cs) > 0)
        cs = qpdf_oh_get_array_item(q, cs, 0);
    const char *need = is_name(c, cs, "/DeviceRGB")    ? "RGB "
                       : is_name(c, cs, "/DeviceCMYK") ? "CMYK"
                       : is_name(c, cs, "/DeviceGray") ? ""
                                                       : NULL;
    if (!need)
        return;
    if (!*space || (*need && strcmp(need, space) != 0))
        fail(c, "6.2.4.3", "page %d uses %s without an OutputIntent of that colour space", page,
             name_of(c, cs));
}

/* The pages: colour spaces (6.2.4.3), annotations (6.3.1, 6.3.2), actions
 * triggered on opening or closing them (6.5.2). */
static void check_pages(check *c, const char *space)
{
    qpdf_data q = c->q;
    int pages = qpdf_get_num_pages(q);
    for (int i = 0; i < pages; i++) {
        qpdf_oh p = qpdf_get_page_n(q, (size_t)i);
        check_device_space(c, qpdf_oh_get_key(q, qpdf_oh_get_key(q, p, "/Group"), "/CS"), space,
                           i + 1);
        qpdf_oh spaces = qpdf_oh_get_key(q, qpdf_oh_get_key(q, p, "/Resources"), "/ColorSpace");
        if (qpdf_oh_is_dictionary(q, spaces)) {
            qpdf_oh_begin_dict_key_iter(q, spaces);
            while (qpdf_oh_dict_more_keys(q))
                check_device_space(c, qpdf_oh_get_key(q, spaces, qpdf_oh_dict_next_key(q)),
                                   space, i + 1);
        }
        if (qpdf_oh_has_key(q, p, "/AA"))
            fail(c, "6.5.2", "page %d has additional actions (/AA)", i + 1);
        qpdf_oh annots = qpdf_oh_get_key(q, p, "/Annots");
        int n = qpdf_oh_is_array(q, annots) ? qpdf_oh_get_array_n_items(q, annots) : 0;
        for (int k = 0; k < n; k++) {
            qpdf_oh a = qpdf_oh_get_array_item(q, annots, k);
            qpdf_oh sub = qpdf_oh_get_key(q, a, "/Subtype");
            if (is_name(c, sub, "/3D") || is_name(c, sub, "/Sound") ||
                is_name(c, sub, "/Screen") || is_name(c, sub, "/Movie"))
                fail(c, "6.3.1", "page %d has a %s annotation", i + 1, name_of(c, sub));
            if (is_name(c, sub, "/Popup"))
                continue;
            qpdf_oh f = qpdf_oh_get_key(q, a, "/F");
            long long flags = qpdf_oh_is_integer(q, f) ? qpdf_oh_get_int_value(q, f) : -1;
            if (flags < 0 || !(flags & 4) || (flags & (1 | 2 | 32 | 256)))
                fail(c, "6.3.2", "an annotation on page %d is not printable (/F %lld)", i + 1,
                     flags);
        }
        qpdf_oh_release_all(q);
    }
}

/* ---- metadata ------------------------------------------------------------------- */

#define NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_XMP "http://ns.adobe.com/xap/1.0/"
#define NS_PDF "http://ns.adobe.com/pdf/1.3/"
#define NS_PDFAID "http://www.aiim.org/pdfa/ns/id/"

/* The schemas XMP (2005) predefines, and PDF/A's own (6.6.2.3.1). */
static const char *const known_ns[] = {
    NS_DC, NS_XMP, NS_PDF, NS_PDFAID,
    "http://ns.adobe.com/xap/1.0/rights/", "http://ns.adobe.com/xap/1.0/mm/",
    "http://ns.adobe.com/xap/1.0/bj/", "http://ns.adobe.com/xap/1.0/t/pg/",
    "http://ns.adobe.com/xmp/1.0/DynamicMedia/", "http://ns.adobe.com/photoshop/1.0/",
    "http://ns.adobe.com/camera-raw-settings/1.0/", "http://ns.adobe.com/tiff/1.0/",
    "http://ns.adobe.com/exif/1.0/", "http://ns.adobe.com/exif/1.0/aux/",
    "http://www.aiim.org/pdfa/ns/extension/", "http://www.aiim.org/pdfa/ns/schema#",
    "http://www.aiim.org/pdfa/ns/property#", "http://www.aiim.org/pdfa/ns/type#",
    "http://www.aiim.org/pdfa/ns/field#", "http://ns.adobe.com/xap/1.0/sType/ResourceRef#",
};

static bool in_ns(const xmlNode *n, const char *ns)
{
    return n->ns && strcmp((const char *)n->ns->href, ns) == 0;
}

static bool is_el(const xmlNode *n, const char *ns, const char *name)
{
    return n->type == XML_ELEMENT_NODE && in_ns(n, ns) && strcmp((const char *)n->name, name) == 0;
}

/* The rdf:Description elements under N, in document order, into V. */
static size_t descriptions(xmlNode *n, xmlNode **v, size_t cap, size_t k)
{
    for (; n; n = n->next) {
        if (is_el(n, NS_RDF, "Description") && k < cap)
            v[k++] = n;
        else if (n->type == XML_ELEMENT_NODE)
            k = descriptions(n->children, v, cap, k);
    }
    return k;
}

/* The value of a property element: its text, or the x-default (else the
 * first) item of an rdf:Alt, Seq or Bag. The caller frees. */
static char *property_value(xmlNode *prop)
{
    for (xmlNode *arr = prop->children; arr; arr = arr->next) {
        if (!(is_el(arr, NS_RDF, "Alt") || is_el(arr, NS_RDF, "Seq") || is_el(arr, NS_RDF, "Bag")))
            continue;
        xmlNode *first = NULL;
        for (xmlNode *li = arr->children; li; li = li->next) {
            if (!is_el(li, NS_RDF, "li"))
                continue;
            xmlChar *lang = xmlNodeGetLang(li);
            bool def = lang && strcmp((const char *)lang, "x-default") == 0;
            xmlFree(lang);
            if (!first || def)
                first = li;
            if (def)
                break;
        }
        if (!first)
            return lg_xstrdup("");
        xmlChar *t = xmlNodeGetContent(first);
        char *s = lg_xstrdup((const char *)t);
        xmlFree(t);
        return s;
    }
    xmlChar *t = xmlNodeGetContent(prop);
    char *s = lg_xstrdup((const char *)t);
    xmlFree(t);
    return s;
}

#define MAX_DESC 32

typedef struct xmp {
    xmlDoc *doc;
    xmlNode *desc[MAX_DESC];
    size_t n_desc;
} xmp;

/* The property NS:NAME, as an element or an attribute of a description, or
 * NULL. The caller frees. */
static char *xmp_get(const xmp *x, const char *ns, const char *name)
{
    for (size_t i = 0; i < x->n_desc; i++) {
        xmlChar *a = xmlGetNsProp(x->desc[i], (const xmlChar *)name, (const xmlChar *)ns);
        if (a) {
            char *s = lg_xstrdup((const char *)a);
            xmlFree(a);
            return s;
        }
        for (xmlNode *p = x->desc[i]->children; p; p = p->next)
            if (is_el(p, ns, name))
                return property_value(p);
    }
    return NULL;
}

/* 6.6.2.3.1: every property is of a predefined schema (an extension schema,
 * which a file could declare, is not read: ledgerc declares none). */
static void check_schemas(check *c, const xmp *x)
{
    for (size_t i = 0; i < x->n_desc; i++) {
        for (xmlAttr *a = x->desc[i]->properties; a; a = a->next) {
            if (!a->ns || strcmp((const char *)a->ns->href, NS_RDF) == 0)
                continue;
            bool known = false;
            for (size_t k = 0; k < sizeof known_ns / sizeof known_ns[0] && !known; k++)
                known = strcmp((const char *)a->ns->href, known_ns[k]) == 0;
            if (!known)
                fail(c, "6.6.2.3.1", "the XMP property %s is of a schema PDF/A does not predefine",
                     (const char *)a->name);
        }
        for (xmlNode *p = x->desc[i]->children; p; p = p->next) {
            if (p->type != XML_ELEMENT_NODE)
                continue;
            bool known = false;
            for (size_t k = 0; k < sizeof known_ns / sizeof known_ns[0] && !known; k++)
                known = in_ns(p, known_ns[k]);
            if (!known)
                fail(c, "6.6.2.3.1", "the XMP property %s is of a schema PDF/A does not predefine",
                     (const char *)p->name);
        }
    }
}

/* Days from 1970-01-01 to Y-M-D (proleptic Gregorian). */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

/* Reads N digits at *P into *V; false when they are not there. */
static bool digits(const char **p, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (**p < '0' || **p > '9')
            return false;
        *v = *v * 10 + (**p - '0');
    }
    return true;
}

/* A PDF date (D:YYYYMMDDHHmmSS+HH'mm', fields from the month on optional)
 * or an XMP date (YYYY-MM-DDThh:mm:ss+hh:mm, the same) as seconds since
 * 1970 into *T. False when S is neither. */
static bool parse_date(const char *s, bool pdf, long long *t)
{
    int f[6] = {0, 1, 1, 0, 0, 0}, oh = 0, om = 0, sign = 0;
    const char *p = s;
    if (pdf && strncmp(p, "D:", 2) == 0)
        p += 2;
    static const char seps[] = {0, '-', '-', 'T', ':', ':'};
    if (!digits(&p, 4, &f[0]))
        return false;
    for (int i = 1; i < 6; i++) {
        if (pdf ? !(*p >= '0' && *p <= '9') : *p != seps[i])
            break;
        p += !pdf;
        if (!digits(&p, 2, &f[i]))
            return false;
    }
    if (!pdf && *p == '.') /* fractions of a second */
        for (p++; *p >= '0' && *p <= '9'; p++)
            ;
    if (*p == '+' || *p == '-') {
        sign = *p++ == '+' ? 1 : -1;
        if (!digits(&p, 2, &oh))
            return false;
        if (*p == '\'' || *p == ':')
            p++;
        if (*p && !digits(&p, 2, &om))
            return false;
        if (*p == '\'')
            p++;
    } else if (*p == 'Z') {
        p++;
        if (pdf && *p) /* Z00'00' */
            while (*p == '0' || *p == '\'')
                p++;
    }
    if (*p)
        return false;
    *t = days_from_civil(f[0], (unsigned)f[1], (unsigned)f[2]) * 86400 + f[3] * 3600 +
         f[4] * 60 + f[5] - sign * (oh * 3600 + om * 60);
    return true;
}

/* 6.6.3: each entry of the Info dictionary equals its XMP property. */
static void check_info(check *c, const xmp *x)
{
    static const struct {
        const char *key, *ns, *name;
        bool date;
    } map[] = {
        {"/Title", NS_DC, "title", false},
        {"/Author", NS_DC, "creator", false},
        {"/Subject", NS_DC, "description", false},
        {"/Keywords", NS_PDF, "Keywords", false},
        {"/Creator", NS_XMP, "CreatorTool", false},
        {"/Producer", NS_PDF, "Producer", false},
        {"/CreationDate", NS_XMP, "CreateDate", true},
        {"/ModDate", NS_XMP, "ModifyDate", true},
    };
    qpdf_data q = c->q;
    qpdf_oh info = qpdf_oh_get_key(q, qpdf_get_trailer(q), "/Info");
    if (!qpdf_oh_is_dictionary(q, info))
        return;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        qpdf_oh v = qpdf_oh_get_key(q, info, map[i].key);
        if (!qpdf_oh_is_string(q, v))
            continue;
        char *want = lg_xstrdup(qpdf_oh_get_utf8_value(q, v));
        char *got = xmp_get(x, map[i].ns, map[i].name);
        long long a, b;
        bool same = got && (map[i].date ? parse_date(want, true, &a) &&
                                              parse_date(got, false, &b) && a == b
                                        : strcmp(want, got) == 0);
        if (!same)
            fail(c, "6.6.3", "the Info dictionary's %s \"%s\" is not the XMP's %s \"%s\"",
                 map[i].key + 1, want, map[i].name, got ? got : "(none)");
        free(want);
        free(got);
    }
}

/* 6.6.4: pdfaid:part 2 and conformance B. */
static void check_identification(check *c, const xmp *x)
{
    char *part = xmp_get(x, NS_PDFAID, "part"), *conf = xmp_get(x, NS_PDFAID, "conformance");
    if (!part || !conf)
        fail(c, "6.6.4", "the XMP has no PDF/A identification (pdfaid:part, pdfaid:conformance)");
    else if (strcmp(part, "2") != 0 || strcmp(conf, "B") != 0)
        fail(c, "6.6.4", "the XMP identifies the file as PDF/A-%s%s, not PDF/A-2B", part, conf);
    free(part);
    free(conf);
}

/* The xpacket header has no bytes or encoding attribute (6.6.2.1). */
static bool packet_header_ok(const unsigned char *s, size_t n)
{
    const char *start = "<?xpacket";
    for (size_t i = 0; i + 9 <= n; i++)
        if (memcmp(s + i, start, 9) == 0) {
            const unsigned char *end = memchr(s + i, '>', n - i);
            size_t len = end ? (size_t)(end - (s + i)) : n - i;
            char *h = lg_xasprintf("%.*s", (int)len, (const char *)s + i);
            bool ok = !strstr(h, "bytes=") && !strstr(h, "encoding=");
            free(h);
            return ok;
        }
    return true;
}

/* 6.6.2.1: the catalog's /Metadata stream, XMP; then what it says. */
static void check_metadata(check *c)
{
    qpdf_data q = c->q;
    qpdf_oh m = qpdf_oh_get_key(q, qpdf_get_root(q), "/Metadata");
    if (!qpdf_oh_is_stream(q, m)) {
        fail(c, "6.6.2.1", "the catalog has no /Metadata stream (XMP)");
        fail(c, "6.6.4", "the file has no XMP, so no PDF/A identification");
        return;
    }
    qpdf_oh dict = qpdf_oh_get_dict(q, m);
    if (!is_name(c, qpdf_oh_get_key(q, dict, "/Type"), "/Metadata") ||
        !is_name(c, qpdf_oh_get_key(q, dict, "/Subtype"), "/XML"))
        fail(c, "6.6.2.1", "the /Metadata stream is not of /Type /Metadata, /Subtype /XML");
    unsigned char *data = NULL;
    size_t len = 0;
    if (qpdf_oh_get_stream_data(q, m, qpdf_dl_generalized, NULL, &data, &len) != QPDF_SUCCESS) {
        fail(c, "6.6.2.1", "the /Metadata stream cannot be read");
        free(data);
        return;
    }
    if (!packet_header_ok(data, len))
        fail(c, "6.6.2.1", "the XMP packet header has a bytes or encoding attribute");
    xmp x = {0};
    x.doc = xmlReadMemory((const char *)data, (int)len, NULL, NULL,
                          XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    free(data);
    if (!x.doc) {
        fail(c, "6.6.2.1", "the /Metadata stream is not well-formed XML");
        fail(c, "6.6.4", "the XMP cannot be read, so no PDF/A identification");
        return;
    }
    x.n_desc = descriptions(xmlDocGetRootElement(x.doc), x.desc, MAX_DESC, 0);
    if (x.n_desc == 0)
        fail(c, "6.6.2.1", "the XMP has no rdf:Description");
    check_schemas(c, &x);
    check_info(c, &x);
    check_identification(c, &x);
    xmlFreeDoc(x.doc);
}

/* ---- the file ------------------------------------------------------------------- */

bool lg_pdfa_verify(const char *path, lg_diags *d)
{
    check c = {.path = path, .d = d, .ok = true};
    check_bytes(&c);
    c.q = qpdf_init();
    qpdf_silence_errors(c.q);
    qpdf_set_suppress_warnings(c.q, QPDF_TRUE);
    if (qpdf_read(c.q, path, NULL) & QPDF_ERRORS) {
        qpdf_error e = qpdf_get_error(c.q);
        lg_diags_add(d, LG_ERROR, "pdfa-read", path, 0,
                     "cannot be read as a PDF: %s; make it again with ledgerc build",
                     e ? qpdf_get_error_message_detail(c.q, e) : "qpdf failed");
        qpdf_cleanup(&c.q);
        return false;
    }
    char space[5];
    check_trailer(&c);
    walk_objects(&c);
    check_output_intent(&c, space);
    check_pages(&c, space);
    if (qpdf_oh_has_key(c.q, qpdf_get_root(c.q), "/AA"))
        fail(&c, "6.5.2", "the catalog has additional actions (/AA)");
    check_metadata(&c);
    if (qpdf_has_error(c.q)) {
        qpdf_error e = qpdf_get_error(c.q);
        lg_diags_add(d, LG_ERROR, "pdfa-read", path, 0,
                     "is damaged: %s; make it again with ledgerc build",
                     qpdf_get_error_message_detail(c.q, e));
        c.ok = false;
    }
    qpdf_cleanup(&c.q);
    return c.ok;
}

bool lg_verify(const char *path, size_t *pdfs, lg_diags *d)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        lg_diags_add(d, LG_ERROR, "verify", path, 0,
                     "no such file or folder; give a PDF or a month's output folder");
        return false;
    }
    if (!S_ISDIR(st.st_mode)) {
        (*pdfs)++;
        return lg_pdfa_verify(path, d);
    }
    size_t errors = lg_diags_count(d, LG_ERROR);
    char **list;
    size_t n;
    lg_manifest_check(path, &list, &n, d);
    for (size_t i = 0; i < n; i++) {
        lg_pdfa_verify(list[i], d);
        (*pdfs)++;
        free(list[i]);
    }
    free(list);
    return lg_diags_count(d, LG_ERROR) == errors;
}
