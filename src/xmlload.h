/* Safe XML reading for every input file: no network, no DTD, no entity
 * expansion, a DOCTYPE rejected; parse and validation errors become
 * diagnostics with the file and line. The only module besides the loaders
 * that sees libxml2. */
#ifndef LG_XMLLOAD_H
#define LG_XMLLOAD_H

#include <stdbool.h>

#include <libxml/tree.h>

#include "arena.h"
#include "diag.h"
#include "utf8.h" /* lg_utf8_length */

/** Once in main, before any thread: initialises libxml2 and installs an
 * external entity loader that refuses everything. */
void lg_xml_init(void);

/** Parses PATH. On any problem (not well-formed, a DOCTYPE, an encoding that
 * is not allowed or not what the file declares, a NUL byte, a limit of
 * input_limits.h passed: the file's size, its elements, a tag's attributes)
 * adds errors to D, each with its line, and returns NULL. The caller frees
 * the result with xmlFreeDoc. The file is decoded here: UTF-8, GB18030, GBK
 * and GB2312 as declared, and UTF-16 with a byte order mark, load alike. */
xmlDocPtr lg_xml_read(const char *path, lg_diags *d);

/** Validates DOC against the embedded RELAX NG schema NAME ("plan", "report",
 * "template"), adding an error per problem. True when valid. */
bool lg_xml_validate(xmlDocPtr doc, const char *name, const char *path, lg_diags *d);

/* Reading a file element by element (lg_xml_stream), so that a large file
 * never has all of its tree in memory. */

/** What lg_xml_stream does with an element that it has just reached. */
typedef enum lg_xml_step {
    LG_XML_SKIP,    /* pass over the element and everything in it */
    LG_XML_DESCEND, /* go on with its children, each offered in turn */
    LG_XML_EXPAND   /* read all of it and hand it to the visitor's subtree */
} lg_xml_step;

/** The caller's side of lg_xml_stream. The nodes it is handed belong to the
 * reader and are freed once the reading moves past them: copy out what is
 * needed during the call. */
typedef struct lg_xml_visitor {
    /** An element at DEPTH (0: the root) as reached in document order, with
     * its attributes but none of its children yet. */
    lg_xml_step (*start)(void *arg, xmlNodePtr element, int depth);
    /** An element that START asked to expand, with all of its content. */
    void (*subtree)(void *arg, xmlNodePtr element, int depth);
    void *arg;
} lg_xml_visitor;

typedef enum lg_xml_streamed {
    LG_XML_STREAMED, /* the whole file went through the visitor; it is well
                        formed and follows the schema */
    LG_XML_FAILED,   /* the file could not be read (its size, its encoding, a
                        tag's attributes): errors are in D, as lg_xml_read
                        adds them */
    LG_XML_USE_TREE  /* the file has a problem that the streamed reading does
                        not word as lg_xml_read and lg_xml_validate do (not
                        well formed, a DOCTYPE, too many elements, not valid):
                        nothing was added to D, the visitor may have seen part
                        of the file; the caller drops what it collected and
                        loads the file with lg_xml_read and lg_xml_validate */
} lg_xml_streamed;

/** Reads PATH as lg_xml_read does (same decoding, same limits, same safety:
 * no network, no entities, no DOCTYPE) but with libxml2's xmlTextReader,
 * validating against the embedded schema NAME while reading, and hands its
 * elements to V one at a time. Memory stays that of the largest element
 * expanded, not the whole document's. */
lg_xml_streamed lg_xml_stream(const char *path, const char *name, const lg_xml_visitor *v,
                              lg_diags *d);

/** The attribute's value copied into A, or NULL when absent. */
const char *lg_xml_attr(lg_arena *a, xmlNodePtr node, const char *name);

/** The text of an element whose content is plain text or a sequence of <p>
 * paragraphs: each paragraph trimmed of white space at both ends, joined with
 * '\n'. Returns a NUL-terminated string of *LEN bytes that the caller frees
 * (the loaders copy it into the plan's text store, textstore.h). */
char *lg_xml_paragraphs(xmlNodePtr node, size_t *len);

/** The element's line number (libxml2 parses with big line numbers on). */
long lg_xml_line(xmlNodePtr node);


/** The length in characters of attribute A's value, or 0 when it is within
 * MAX characters: what the loaders check against the limits of
 * input_limits.h before they copy a value. */
size_t lg_xml_attr_too_long(xmlAttrPtr a, long max);

/** V written with thousands separators ("100,000") into BUF, which it returns. */
const char *lg_thousands(long v, char buf[32]);

#endif
