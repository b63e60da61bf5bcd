#include "xmlload.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/relaxng.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>

#include "arena.h"
#include "infile.h"
#include "input_limits.h"
#include "utf8.h"
#include "xml_encoding.h"

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
    size_t first;         /* the file's first diagnostic in d */
    xmlParserCtxtPtr ctxt; /* while parsing */
    long elements;        /* elements parsed so far */
    long stop_line;       /* where the parse was stopped, with STOP */
    const char *stop;     /* why: the message, or NULL */
    char stop_buf[320];   /* a STOP message made for this file */
    bool limit_hit;       /* a libxml2 limit was reported: drop what follows */
} sink;

static void trim_message(char *m)
{
    size_t n = strlen(m);
    while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
        m[--n] = '\0';
    /* a few libxml2 messages are two lines */
    for (char *p = m; *p; p++)
        if (*p == '\n')
            *p = ' ';
}

/* Whether the file has as many problems listed as one file may have. */
static bool sink_full(const sink *s)
{
    return s->d->count - s->first >= (size_t)LG_MAX_ERRORS_PER_FILE;
}

/* libxml2's limits, in words a user can act on. The first of them ends the
 * file's list: the errors that follow from it say nothing more. */
static const struct {
    const char *prefix, *message;
} limit_errors[] = {
    {"xmlSAX2Characters: huge text node",
     "a text starting on this line is longer than 10,000,000 bytes, the most the XML "
     "reader takes; a ledger text holds at most 100,000 characters"},
    {"buffer error: text too long",
     "a text starting on this line is longer than 10,000,000 bytes, the most the XML "
     "reader takes; a ledger text holds at most 100,000 characters"},
    {"CData section too big",
     "a CDATA section starting on this line is longer than 10,000,000 bytes, the most "
     "the XML reader takes; a ledger text holds at most 100,000 characters"},
    {"AttValue length too long",
     "an attribute value on this line is longer than 10,000,000 bytes, the most the XML "
     "reader takes; an attribute holds at most 1,000 characters"},
    {"Comment too big",
     "a comment starting on this line is longer than 10,000,000 bytes, the most the XML "
     "reader takes"},
    {"PI ", /* "PI %s too big found" */
     "a processing instruction starting on this line is longer than 10,000,000 bytes, "
     "the most the XML reader takes"},
    {"Huge input lookup",
     "something on this line is longer than 10,000,000 bytes, the most the XML reader "
     "takes"},
    {"Name too long",
     "a name on this line is longer than 50,000 characters, the most the XML reader "
     "takes; ledger input uses only the names of the input format"},
    {"Excessive depth in document",
     "elements are nested more than 256 levels deep here, the most the XML reader "
     "takes; ledger input nests at most 4 levels"},
};

static void on_parse_error(void *ctx, xmlErrorPtr err)
{
    sink *s = ctx;
    if (!err || err->level == XML_ERR_WARNING || s->limit_hit || s->stop || sink_full(s))
        return;
    const char *msg = err->message ? err->message : "unknown error";
    /* Errors raised while decoding carry no line: the parser's is close. */
    long line = err->line > 0                  ? err->line
                : s->ctxt && s->ctxt->input ? s->ctxt->input->line
                                            : 0;
    for (size_t i = 0; i < sizeof limit_errors / sizeof *limit_errors; i++) {
        const char *p = limit_errors[i].prefix;
        if (strncmp(msg, p, strlen(p)) == 0 &&
            (strcmp(p, "PI ") != 0 || strstr(msg, "too big"))) {
            s->limit_hit = true;
            lg_diags_add(s->d, LG_ERROR, "too-large", s->path, line, "%s",
                         limit_errors[i].message);
            return;
        }
    }
    /* A control character pasted into a text (or U+FFFE, U+FFFF): name it
     * as Unicode does. */
    static const char *const control[] = {"PCDATA invalid Char value ",
                                          "xmlParseCharRef: invalid xmlChar value "};
    for (size_t i = 0; i < sizeof control / sizeof *control; i++) {
        size_t n = strlen(control[i]);
        if (strncmp(msg, control[i], n) == 0) {
            long c = strtol(msg + n, NULL, 10);
            lg_diags_add(s->d, LG_ERROR, "xml-syntax", s->path, line,
                         "not well-formed XML: the %scharacter U+%04lX %sis not allowed "
                         "in XML; remove it (it may have come with text pasted from "
                         "another program)",
                         c < 0x20 ? "control " : "", c,
                         i ? "(written as a character reference) " : "");
            return;
        }
    }
    char *m = lg_xstrdup(msg);
    trim_message(m);
    lg_diags_add(s->d, LG_ERROR, "xml-syntax", s->path, line, "not well-formed XML: %s", m);
    free(m);
}

/* Stops the parse of CTXT: REASON is reported at the current line in place
 * of the errors that stopping causes. */
static void stop_parser(xmlParserCtxtPtr ctxt, const char *reason)
{
    sink *s = ctxt->_private;
    if (s->stop)
        return;
    s->stop = reason;
    s->stop_line = xmlSAX2GetLineNumber(ctxt);
    xmlStopParser(ctxt);
}

static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
    (void)name;
    (void)ext;
    (void)sys;
    stop_parser(ctx, "a DOCTYPE declaration is not allowed in ledger input; remove it "
                     "(entities and DTDs are never read)");
}

/* Counts elements as they are built, so that a file of millions of tiny
 * elements stops before its tree takes gigabytes. */
static void on_start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                             const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                             int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    xmlParserCtxtPtr ctxt = ctx;
    sink *s = ctxt->_private;
    if (++s->elements > LG_MAX_ELEMENTS) {
        char b[32];
        snprintf(s->stop_buf, sizeof s->stop_buf,
                 "the file has more than %s elements, the most ledgerc reads in one file; a "
                 "province's plan or report has far fewer: is it the right file?",
                 lg_thousands(LG_MAX_ELEMENTS, b));
        stop_parser(ctxt, s->stop_buf);
        return;
    }
    xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces,
                          nb_attributes, nb_defaulted, attributes);
}

/* The whole file, NUL-terminated, or NULL after adding an error to D. Files
 * larger than LG_MAX_FILE_BYTES are refused: reading stops one byte past it. */
static char *read_file(const char *path, size_t *len, lg_diags *d)
{
    lg_read_status st;
    char *buf = lg_read_file(path, (size_t)LG_MAX_FILE_BYTES, len, &st);
    if (st == LG_READ_CANNOT_OPEN) {
        lg_diags_add(d, LG_ERROR, "io", path, 0, "cannot open the file: %s", strerror(errno));
        return NULL;
    }
    if (st == LG_READ_FAILED) {
        lg_diags_add(d, LG_ERROR, "io", path, 0, "cannot read the file");
        return NULL;
    }
    if (*len > (size_t)LG_MAX_FILE_BYTES) {
        lg_diags_add(d, LG_ERROR, "too-large", path, lg_line_at(buf, (size_t)LG_MAX_FILE_BYTES),
                     "the file is larger than %ld MB, the most ledgerc reads (it passes "
                     "%ld MB on this line); ledger input is far smaller: is it the right file?",
                     LG_MAX_FILE_BYTES / LG_MIB, LG_MAX_FILE_BYTES / LG_MIB);
        free(buf);
        return NULL;
    }
    return buf;
}

/* libxml2 2.9 checks a tag's attributes for duplicates in time that grows
 * with the square of their number: a tag with a million attributes would
 * take days. This scan finds such a tag before parsing. It knows just enough
 * XML to skip comments, CDATA sections, processing instructions and quoted
 * values; where the file is not well formed it may count wrongly, and
 * libxml2 then reports the real problem. Returns the line of the first tag
 * with more than LG_MAX_ATTRIBUTES attributes ('=' outside quotes), or 0.
 * *START_TAGS is the number of start tags seen up to there: in a well-formed
 * file, its number of elements. */
static long crowded_tag(const char *s, size_t n, long *start_tags)
{
    *start_tags = 0;
    static const struct {
        const char *open, *close;
    } skipped[] = {{"<!--", "-->"}, {"<![CDATA[", "]]>"}, {"<?", "?>"}};
    long line = 1;
    size_t i = 0;
    while (i < n) {
        if (s[i] != '<') {
            line += s[i++] == '\n';
            continue;
        }
        const char *close = NULL;
        for (size_t k = 0; k < sizeof skipped / sizeof *skipped && !close; k++)
            if (strncmp(s + i, skipped[k].open, strlen(skipped[k].open)) == 0)
                close = skipped[k].close;
        if (close) {
            size_t cl = strlen(close);
            for (i += 2; i < n && strncmp(s + i, close, cl) != 0; i++)
                line += s[i] == '\n';
            i += cl;
            continue;
        }
        long tag_line = line;
        *start_tags += i + 1 < n && s[i + 1] != '/' && s[i + 1] != '!';
        int eq = 0;
        char quote = 0;
        for (i++; i < n; i++) {
            char c = s[i];
            line += c == '\n';
            if (quote) {
                quote = c == quote ? 0 : quote;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '=') {
                if (++eq > LG_MAX_ATTRIBUTES)
                    return tag_line;
            } else if (c == '>') {
                i++;
                break;
            } else if (c == '<') {
                break; /* not well formed: start again at this '<' */
            }
        }
    }
    return 0;
}

/* The file PATH decoded into UTF-8 (NUL-terminated, *LEN bytes; the caller
 * frees it), with the checks that come before parsing, or NULL after adding
 * an error to D. *START_TAGS is as crowded_tag counts them. */
static char *load_text(const char *path, size_t *len, long *start_tags, lg_diags *d)
{
    /* The file is read here, not by libxml2, so that the entity loader can
     * refuse everything: the document itself never goes through it. */
    char *bytes = read_file(path, len, d);
    if (!bytes)
        return NULL;
    char *text = lg_xml_decode(path, bytes, *len, len, d);
    if (text != bytes)
        free(bytes);
    if (!text)
        return NULL;
    long crowded = crowded_tag(text, *len, start_tags);
    if (crowded) {
        lg_diags_add(d, LG_ERROR, "too-large", path, crowded,
                     "a tag on this line has more than %d attributes, the most ledgerc "
                     "reads; ledger elements have at most 5",
                     LG_MAX_ATTRIBUTES);
        free(text);
        return NULL;
    }
    return text;
}

xmlDocPtr lg_xml_read(const char *path, lg_diags *d)
{
    size_t len = 0;
    long start_tags;
    char *text = load_text(path, &len, &start_tags, d);
    if (!text)
        return NULL;
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        free(text);
        lg_diags_add(d, LG_ERROR, "xml-syntax", path, 0, "cannot start the XML parser");
        return NULL;
    }
    size_t before = d->count;
    sink s = {.d = d, .path = path, .first = before, .ctxt = ctxt};
    ctxt->_private = &s;
    /* A DOCTYPE is refused as soon as it is seen, before its internal subset
     * (and any entity declared there) is read. */
    ctxt->sax->internalSubset = on_doctype;
    ctxt->sax->startElementNs = on_start_element;
    xmlSetStructuredErrorFunc(&s, on_parse_error);
    /* The text is UTF-8 now: the declaration's encoding is not applied again. */
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, text, (int)len, path, NULL,
                                      XML_PARSE_NONET | XML_PARSE_BIG_LINES |
                                          XML_PARSE_IGNORE_ENC);
    xmlSetStructuredErrorFunc(NULL, NULL);
    s.ctxt = NULL;
    free(text);
    if (s.stop) {
        /* the errors that stopping the parser causes say nothing useful */
        lg_diags_truncate(d, before);
        lg_diags_add(d, LG_ERROR, s.elements > LG_MAX_ELEMENTS ? "too-large" : "doctype", path,
                     s.stop_line, "%s", s.stop);
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
    if (!err || sink_full(s))
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

/* The built-in schemas compiled so far: each once per process (a year's
 * reports are hundreds of files, and compiling costs more than validating
 * one). Kept until the process ends. */
static struct {
    const char *text;
    xmlRelaxNGPtr schema;
} compiled[8];

/* The embedded schema NAME compiled (the caller gives it back with
 * schema_done), or NULL after adding an error to D. */
static xmlRelaxNGPtr compile_schema(const char *name, const char *path, lg_diags *d)
{
    const char *text = schema_text(name);
    size_t i = 0;
    while (i < sizeof compiled / sizeof *compiled && compiled[i].text && compiled[i].text != text)
        i++;
    if (i < sizeof compiled / sizeof *compiled && compiled[i].text == text)
        return compiled[i].schema;
    xmlRelaxNGParserCtxtPtr pctxt = xmlRelaxNGNewMemParserCtxt(text, (int)strlen(text));
    xmlRelaxNGPtr schema = xmlRelaxNGParse(pctxt);
    xmlRelaxNGFreeParserCtxt(pctxt);
    if (!schema)
        lg_diags_add(d, LG_ERROR, "internal", path, 0, "the built-in %s schema is broken", name);
    else if (i < sizeof compiled / sizeof *compiled)
        compiled[i].text = text, compiled[i].schema = schema;
    return schema;
}

/* Gives back SCHEMA of compile_schema when it was not kept. */
static void schema_done(xmlRelaxNGPtr schema)
{
    for (size_t i = 0; i < sizeof compiled / sizeof *compiled; i++)
        if (compiled[i].schema == schema)
            return;
    xmlRelaxNGFree(schema);
}

bool lg_xml_validate(xmlDocPtr doc, const char *name, const char *path, lg_diags *d)
{
    size_t before = d->count;
    sink s = {.d = d, .path = path, .first = before};
    xmlRelaxNGPtr schema = compile_schema(name, path, d);
    if (!schema)
        return false;
    xmlRelaxNGValidCtxtPtr vctxt = xmlRelaxNGNewValidCtxt(schema);
    xmlRelaxNGSetValidStructuredErrors(vctxt, on_valid_error, &s);
    int rc = xmlRelaxNGValidateDoc(vctxt, doc);
    xmlRelaxNGFreeValidCtxt(vctxt);
    schema_done(schema);
    if (rc != 0 && d->count == before)
        lg_diags_add(d, LG_ERROR, "schema", path, 0, "the file does not follow the %s schema", name);
    return rc == 0;
}

/* While streaming: whether anything went wrong. The streamed reading does
 * not report problems itself (see lg_xml_stream), it only notices them. */
typedef struct stream_state {
    bool broken;
} stream_state;

static void on_stream_error(void *ctx, xmlErrorPtr err)
{
    stream_state *st = ctx;
    if (err && err->level != XML_ERR_WARNING)
        st->broken = true;
}

lg_xml_streamed lg_xml_stream(const char *path, const char *name, const lg_xml_visitor *v,
                              lg_diags *d)
{
    size_t len = 0;
    long start_tags;
    char *text = load_text(path, &len, &start_tags, d);
    if (!text)
        return LG_XML_FAILED;
    /* A DOCTYPE anywhere, even one that is only text in a comment, and a
     * file over the element limit go to lg_xml_read, which refuses them
     * before its parser reads a DOCTYPE's internal subset or builds more
     * than LG_MAX_ELEMENTS elements: the reader never sees such a file. The
     * text holds no NUL, so strstr sees all of it. */
    if (strstr(text, "<!DOCTYPE") || start_tags > LG_MAX_ELEMENTS) {
        free(text);
        return LG_XML_USE_TREE;
    }
    xmlRelaxNGPtr schema = compile_schema(name, path, d);
    if (!schema) {
        free(text);
        return LG_XML_FAILED;
    }
    lg_xml_streamed result = LG_XML_USE_TREE;
    stream_state st = {false};
    /* The text is UTF-8 now: the declaration's encoding is not applied again. */
    xmlTextReaderPtr reader =
        xmlReaderForMemory(text, (int)len, path, NULL,
                           XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_IGNORE_ENC);
    if (!reader)
        goto done;
    /* Parse and validation errors alike come here (and any raised without a
     * parser context, through the thread's handler). */
    xmlSetStructuredErrorFunc(&st, on_stream_error);
    xmlTextReaderSetStructuredErrorHandler(reader, on_stream_error, &st);
    if (xmlTextReaderRelaxNGSetSchema(reader, schema) != 0)
        goto done;
    bool root = false;
    int ret = xmlTextReaderRead(reader);
    while (ret == 1 && !st.broken) {
        if (xmlTextReaderNodeType(reader) != XML_READER_TYPE_ELEMENT) {
            ret = xmlTextReaderRead(reader);
            continue;
        }
        int depth = xmlTextReaderDepth(reader);
        root |= depth == 0;
        lg_xml_step step = v->start(v->arg, xmlTextReaderCurrentNode(reader), depth);
        if (step == LG_XML_DESCEND) {
            ret = xmlTextReaderRead(reader);
            continue;
        }
        if (step == LG_XML_EXPAND) {
            xmlNodePtr n = xmlTextReaderExpand(reader);
            if (!n || st.broken)
                break;
            v->subtree(v->arg, n, depth);
        }
        /* past the element: the reader frees it */
        ret = xmlTextReaderNext(reader);
    }
    /* A file without a root element is not well formed: libxml2 says so,
     * but the check does not depend on it. */
    if (ret == 0 && root && !st.broken && xmlTextReaderIsValid(reader) == 1)
        result = LG_XML_STREAMED;
done:
    xmlSetStructuredErrorFunc(NULL, NULL);
    xmlFreeTextReader(reader);
    schema_done(schema);
    free(text);
    return result;
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

/* Appends the trimmed text of NODE to BUF (a growing malloc'd string). */
static void append_trimmed(char **buf, size_t *len, xmlNodePtr node)
{
    xmlChar *raw = xmlNodeGetContent(node);
    const char *s = raw ? (const char *)raw : "";
    size_t n = strlen(s);
    while (n && lg_xml_is_space(s[n - 1]))
        n--;
    while (n && lg_xml_is_space(*s))
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

char *lg_xml_paragraphs(xmlNodePtr node, size_t *len)
{
    char *buf = NULL;
    *len = 0;
    bool has_p = false;
    for (xmlNodePtr c = node->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, (const xmlChar *)"p")) {
            has_p = true;
            append_trimmed(&buf, len, c);
        }
    if (!has_p)
        append_trimmed(&buf, len, node);
    return buf;
}

long lg_xml_line(xmlNodePtr node)
{
    return (long)xmlGetLineNo(node);
}

size_t lg_xml_attr_too_long(xmlAttrPtr a, long max)
{
    /* Without a DTD an attribute's value is its one text child; measuring
     * it in place avoids copying a value of megabytes. */
    size_t n = 0;
    for (xmlNodePtr t = a->children; t; t = t->next)
        if (t->type == XML_TEXT_NODE && t->content)
            n += lg_utf8_length((const char *)t->content);
    return n > (size_t)max ? n : 0;
}

const char *lg_thousands(long v, char buf[32])
{
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%ld", v < 0 ? -v : v), j = 0;
    if (v < 0)
        buf[j++] = '-';
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            buf[j++] = ',';
        buf[j++] = digits[i];
    }
    buf[j] = '\0';
    return buf;
}
