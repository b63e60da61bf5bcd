/* PDF/A-2b: the pass that turns the PDF Cairo wrote into an archive copy
 * (ISO 19005-2, level B), run on each PDF before it is renamed into place.
 * Cairo 1.16 cannot write PDF/A; qpdf rewrites its file with what PDF/A
 * adds: an XMP packet identifying the file as PDF/A-2b with the document's
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
 * in place: Cairo's file is read whole when it is small, else moved beside
 * it (a name that starts with ".cairo" and ends like PATH), read from there
 * and removed. The same file and INFO give the same bytes. False after
 * adding an error to D; PATH is then gone. */
bool lg_pdfa_convert(const char *path, const lg_doc_info *info, lg_diags *d);

/** Cairo's files up to this size are read whole by lg_pdfa_convert. */
#define LG_PDFA_READ_WHOLE_MAX (16u << 20)

/** As lg_pdfa_convert, reading Cairo's file whole only when it has at most
 * READ_WHOLE_MAX bytes: the same bytes either way. */
bool lg_pdfa_convert_max(const char *path, const lg_doc_info *info, size_t read_whole_max,
                         lg_diags *d);

/** The XMP packet of a PDF/A-2b file with INFO's properties and PRODUCER
 * (NULL: none), as UTF-8 text. The caller frees. */
char *lg_pdfa_xmp(const lg_doc_info *info, const char *producer);

#endif
