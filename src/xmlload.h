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

/** Parses PATH. On any problem (not well-formed, a DOCTYPE, an unknown encoding)
 * adds errors to D and returns NULL. The caller frees the result with xmlFreeDoc.
 * Files that declare GB18030 or GBK load like UTF-8 ones. */
xmlDocPtr lg_xml_read(const char *path, lg_diags *d);

/** Validates DOC against the embedded RELAX NG schema NAME ("plan", "report",
 * "template"), adding an error per problem. True when valid. */
bool lg_xml_validate(xmlDocPtr doc, const char *name, const char *path, lg_diags *d);

/** The attribute's value copied into A, or NULL when absent. */
const char *lg_xml_attr(lg_arena *a, xmlNodePtr node, const char *name);

/** The text of an element whose content is plain text or a sequence of <p>
 * paragraphs: each paragraph trimmed of white space at both ends, joined with
 * '\n', copied into A. */
const char *lg_xml_paragraphs(lg_arena *a, xmlNodePtr node);

/** The element's line number (libxml2 parses with big line numbers on). */
long lg_xml_line(xmlNodePtr node);

#endif
