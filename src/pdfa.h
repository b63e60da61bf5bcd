/* PDF/A-2b: the pass that turns the PDF Cairo wrote into an archive copy
 * (ISO 19005-2, level B), run on each PDF before it is renamed into place.
 * Cairo 1.16 cannot write PDF/A; the pass copies its file object by object
 * into a new one with what PDF/A adds: an XMP packet identifying the file
 * as PDF/A-2b with the document's properties, an sRGB OutputIntent (Cairo
 * paints in DeviceRGB), dates in the PDF form, a /ID computed from the
 * file's contents, /Lang, the bookmarks shown on opening, printable
 * annotations. Cairo's streams are kept as they are (its fonts are already
 * embedded); its other objects go into compressed object streams, which
 * Cairo 1.16 does not write (a sixth of a long ledger's bytes). */
#ifndef LG_PDFA_H
#define LG_PDFA_H

#include <stdbool.h>

#include "diag.h"
#include "render.h"

/** Makes the PDF at PATH, as lg_render_pdf wrote it with INFO, PDF/A-2b:
 * the new file takes PATH's name, read from Cairo's as it is written, in
 * the memory of one object and of the file's cross-reference table. The
 * same file and INFO give the same bytes. False after adding an error to
 * D; PATH is then gone. */
bool lg_pdfa_convert(const char *path, const lg_doc_info *info, lg_diags *d);

/** The XMP packet of a PDF/A-2b file with INFO's properties and PRODUCER
 * (NULL: none), as UTF-8 text. The caller frees. */
char *lg_pdfa_xmp(const lg_doc_info *info, const char *producer);

#endif
