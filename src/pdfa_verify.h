/* `ledgerc verify`: checks the PDFs ledgerc writes against the clauses of
 * ISO 19005-2 (PDF/A-2b) that apply to them (the list is in README.md, with
 * what is not checked), and a month's folder against its SHA256SUMS. The
 * reference validator, veraPDF, is not packaged for Debian. */
#ifndef LG_PDFA_VERIFY_H
#define LG_PDFA_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/** Checks the PDF at PATH. Each clause it fails is one error in D (kind
 * "pdfa-CLAUSE", e.g. "pdfa-6.1.3"), the message naming the clause and
 * what is wrong; a clause failed in several places is reported once.
 * Returns true when the file passes every clause checked. */
bool lg_pdfa_verify(const char *path, lg_diags *d);

/** Checks PATH: a PDF as lg_pdfa_verify; or a month's output folder, its
 * SHA256SUMS against its files (manifest.h) and every PDF it lists. Adds
 * the number of PDFs checked to *PDFS. Returns true when all pass. */
bool lg_verify(const char *path, size_t *pdfs, lg_diags *d);

#endif
