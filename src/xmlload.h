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

/** The attribute's value copied into A, or NULL when absent. */
const char *lg_xml_attr(lg_arena *a, xmlNodePtr node, const char *name);

/** The text of an element whose content is plain text or a sequence of <p>
 * paragraphs: each paragraph trimmed of white space at both ends, joined with
 * '\n'. Returns a NUL-terminated string of *LEN bytes that the caller frees
 * (the loaders copy it into the plan's text store, textstore.h). */
char *lg_xml_paragraphs(xmlNodePtr node, size_t *len);

/** The element's line number (libxml2 parses with big line numbers on). */
long lg_xml_line(xmlNodePtr node);

/** The number of characters (code points) of the UTF-8 string S. */
size_t lg_utf8_length(const char *s);

/** The length in characters of attribute A's value, or 0 when it is within
 * MAX characters: what the loaders check against the limits of
 * input_limits.h before they copy a value. */
size_t lg_xml_attr_too_long(xmlAttrPtr a, long max);

/** V written with thousands separators ("100,000") into BUF, which it returns. */
const char *lg_thousands(long v, char buf[32]);

#endif
