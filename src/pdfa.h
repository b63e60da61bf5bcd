/* PDF/A-2b: the pass that turns the PDF Cairo wrote into an archive copy
 * (ISO 19005-2, level B), run on each PDF before it is renamed into place.
 * Cairo 1.16 cannot write PDF/A; qpdf rewrites its file (or, for a large
 * file, an incremental update is appended to it) with what PDF/A adds: an
 * XMP packet identifying the file as PDF/A-2b with the document's
 * properties, an sRGB OutputIntent (Cairo paints in DeviceRGB), dates in
 * the PDF form, a /ID computed from the file's contents, /Lang, the
 * bookmarks shown on opening, printable annotations. Nothing else of
 * Cairo's file changes: its fonts are already embedded. */
#ifndef LG_PDFA_H
#define LG_PDFA_H

#include <stdbool.h>

#include "diag.h"
#include "render.h"

/** Makes the PDF at PATH, as lg_render_pdf wrote it with INFO, PDF/A-2b,
 * in place. A file of at most LG_PDFA_READ_WHOLE_MAX bytes is read whole
 * and rewritten by qpdf, with its dictionaries in object streams; a larger
 * one keeps Cairo's bytes, and what PDF/A adds is appended to it as an
 * incremental update, in the memory of one object (qpdf would hold every
 * object of the file). The same file and INFO give the same bytes. False
 * after adding an error to D; PATH is then gone. */
bool lg_pdfa_convert(const char *path, const lg_doc_info *info, lg_diags *d);

/** The size up to which lg_pdfa_convert rewrites a file with qpdf. */
#define LG_PDFA_READ_WHOLE_MAX (16u << 20)

/** As lg_pdfa_convert, with READ_WHOLE_MAX for LG_PDFA_READ_WHOLE_MAX. */
bool lg_pdfa_convert_max(const char *path, const lg_doc_info *info, size_t read_whole_max,
                         lg_diags *d);

/** The XMP packet of a PDF/A-2b file with INFO's properties and PRODUCER
 * (NULL: none), as UTF-8 text. The caller frees. */
char *lg_pdfa_xmp(const lg_doc_info *info, const char *producer);

#endif
