#include "xmlload.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/relaxng.h>
#include <libxml/xmlerror.h>

#include "arena.h"

/* Schemas compiled in from schema/NAME.rng (see scripts/embed.cmake). */
extern const char lg_schema_plan[], lg_schema_report[], lg_schema_template[];

static xmlParserInputPtr refuse_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    (void)url;
    (void)id;
    (void)ctxt;
    return NULL;
}

void lg_xml_init(void)
{
    xmlInitParser();
    xmlSetExternalEntityLoader(refuse_entity);
}

/* Per call: where errors of the current document go. libxml2 keeps its error
 * handler per thread, so this is safe as long as a document is parsed by one
 * thread. */
typedef struct sink {
    lg_diags *d;
    const char *path;
    bool doctype;
    long doctype_line;
} sink;

static void trim_message(char *m)
{
    size_t n = strlen(m);
    while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
        m[--n] = '\0';
}

static void on_parse_error(void *ctx, xmlErrorPtr err)
{
    sink *s = ctx;
    if (!err || err->level == XML_ERR_WARNING)
        return;
    char *m = lg_xstrdup(err->message ? err->message : "unknown error");
    trim_message(m);
    lg_diags_add(s->d, LG_ERROR, "xml-syntax", s->path, err->line,
                 "not well-formed XML: %s", m);
    free(m);
}

static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
    (void)name;
    (void)ext;
    (void)sys;
    xmlParserCtxtPtr ctxt = ctx;
    sink *s = ctxt->_private;
    s->doctype = true;
    s->doctype_line = xmlSAX2GetLineNumber(ctxt);
    xmlStopParser(ctxt);
}

/* Input files larger than this are refused before parsing: a month's report is
 * kilobytes, a city's plan well under a megabyte. */
#define MAX_FILE_BYTES (64L * 1024 * 1024)

static char *read_file(const char *path, size_t *len, lg_diags *d)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        lg_diags_add(d, LG_ERROR, "io", path, 0, "cannot open the file: %s", strerror(errno));
        return NULL;
    }
    size_t cap = 64 * 1024, n = 0;
    char *buf = lg_xmalloc(cap);
    for (;;) {
        if (n == cap) {
            if (cap >= (size_t)MAX_FILE_BYTES) {
                lg_diags_add(d, LG_ERROR, "too-large", path, 0,
                             "the file is larger than %ld MB; ledger input files are far "
                             "smaller, is it the right file?", MAX_FILE_BYTES / (1024 * 1024));
                free(buf);
                fclose(f);
                return NULL;
            }
            cap *= 2;
            buf = lg_xrealloc(buf, cap);
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    bool failed = ferror(f);
    fclose(f);
    if (failed) {
        lg_diags_add(d, LG_ERROR, "io", path, 0, "cannot read the file");
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

xmlDocPtr lg_xml_read(const char *path, lg_diags *d)
{
    /* The file is read here, not by libxml2, so that the entity loader can
     * refuse everything: the document itself never goes through it. */
    size_t len = 0;
    char *bytes = read_file(path, &len, d);
    if (!bytes)
        return NULL;
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        free(bytes);
        lg_diags_add(d, LG_ERROR, "xml-syntax", path, 0, "cannot start the XML parser");
        return NULL;
    }
    sink s = {d, path, false, 0};
    size_t before = d->count;
    ctxt->_private = &s;
    /* A DOCTYPE is refused as soon as it is seen, before its internal subset
     * (and any entity declared there) is read. */
    ctxt->sax->internalSubset = on_doctype;
    xmlSetStructuredErrorFunc(&s, on_parse_error);
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, bytes, (int)len, path, NULL,
                                      XML_PARSE_NONET | XML_PARSE_BIG_LINES);
    xmlSetStructuredErrorFunc(NULL, NULL);
    free(bytes);
    if (s.doctype) {
        /* the errors that stopping the parser causes say nothing useful */
        lg_diags_truncate(d, before);
        lg_diags_add(d, LG_ERROR, "doctype", path, s.doctype_line,
                     "a DOCTYPE declaration is not allowed in ledger input; remove it "
                     "(entities and DTDs are never read)");
    } else if (!doc && d->count == before) {
        lg_diags_add(d, LG_ERROR, "xml-syntax", path, 0, "the file holds no XML document");
    }
    if (doc && d->count > before) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    xmlFreeParserCtxt(ctxt);
    return doc;
}

static void on_valid_error(void *ctx, xmlErrorPtr err)
{
    sink *s = ctx;
    if (!err)
        return;
    char *m = lg_xstrdup(err->message ? err->message : "invalid");
    trim_message(m);
    /* some RELAX NG messages carry no line but the node they are about */
    long line = err->line > 0 ? err->line : err->node ? (long)xmlGetLineNo(err->node) : 0;
    lg_diags_add(s->d, LG_ERROR, "schema", s->path, line, "%s", m);
    free(m);
}

static const char *schema_text(const char *name)
{
    if (strcmp(name, "plan") == 0)
        return lg_schema_plan;
    if (strcmp(name, "report") == 0)
        return lg_schema_report;
    if (strcmp(name, "template") == 0)
        return lg_schema_template;
    return NULL;
}

bool lg_xml_validate(xmlDocPtr doc, const char *name, const char *path, lg_diags *d)
{
    const char *text = schema_text(name);
    sink s = {d, path, false, 0};
    size_t before = d->count;
    xmlRelaxNGParserCtxtPtr pctxt = xmlRelaxNGNewMemParserCtxt(text, (int)strlen(text));
    xmlRelaxNGPtr schema = xmlRelaxNGParse(pctxt);
    xmlRelaxNGFreeParserCtxt(pctxt);
    if (!schema) {
        lg_diags_add(d, LG_ERROR, "internal", path, 0, "the built-in %s schema is broken", name);
        return false;
    }
    xmlRelaxNGValidCtxtPtr vctxt = xmlRelaxNGNewValidCtxt(schema);
    xmlRelaxNGSetValidStructuredErrors(vctxt, on_valid_error, &s);
    int rc = xmlRelaxNGValidateDoc(vctxt, doc);
    xmlRelaxNGFreeValidCtxt(vctxt);
    xmlRelaxNGFree(schema);
    if (rc != 0 && d->count == before)
        lg_diags_add(d, LG_ERROR, "schema", path, 0, "the file does not follow the %s schema", name);
    return rc == 0;
}

const char *lg_xml_attr(lg_arena *a, xmlNodePtr node, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(node, (const xmlChar *)name);
    if (!v)
        return NULL;
    const char *s = lg_arena_strdup(a, (const char *)v);
    xmlFree(v);
    return s;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Appends the trimmed text of NODE to BUF (a growing malloc'd string). */
static void append_trimmed(char **buf, size_t *len, xmlNodePtr node)
{
    xmlChar *raw = xmlNodeGetContent(node);
    const char *s = raw ? (const char *)raw : "";
    size_t n = strlen(s);
    while (n && is_space(s[n - 1]))
        n--;
    while (n && is_space(*s))
        s++, n--;
    /* Full-width spaces (U+3000) are text, kept as written. */
    *buf = lg_xrealloc(*buf, *len + n + 2);
    if (*len)
        (*buf)[(*len)++] = '\n';
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = '\0';
    xmlFree(raw);
}

const char *lg_xml_paragraphs(lg_arena *a, xmlNodePtr node)
{
    char *buf = NULL;
    size_t len = 0;
    bool has_p = false;
    for (xmlNodePtr c = node->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, (const xmlChar *)"p")) {
            has_p = true;
            append_trimmed(&buf, &len, c);
        }
    if (!has_p)
        append_trimmed(&buf, &len, node);
    const char *s = lg_arena_strndup(a, buf ? buf : "", len);
    free(buf);
    return s;
}

long lg_xml_line(xmlNodePtr node)
{
    return (long)xmlGetLineNo(node);
}
