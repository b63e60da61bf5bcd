/* The fixity manifest of a month's output folder: SHA256SUMS, in the format
 * `sha256sum -c` reads ("<64 hex digits>  <path>" a line), for the files
 * a build leaves in the folder: those of the folder itself and of units/,
 * named relative to it, in byte order of their names. */
#ifndef LG_MANIFEST_H
#define LG_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/** Writes DIR/SHA256SUMS for the files of DIR and DIR/units as they are
 * now, leaving out hidden (temporary) files and the manifest itself; under
 * a temporary name flushed to the disk, then renamed. False after adding an
 * error to D; an earlier manifest is then left as it was. */
bool lg_manifest_write(const char *dir, lg_diags *d);

/** Checks DIR/SHA256SUMS against the files: each listed file that is
 * missing or whose digest differs, and each file of the folder that is not
 * listed, is an error in D naming it. The listed PDFs' paths (DIR/NAME) go
 * to *PDFS (*N_PDFS of them; the caller frees each and the array). Returns
 * how many files are listed, or -1 when there is no readable manifest. */
long lg_manifest_check(const char *dir, char ***pdfs, size_t *n_pdfs, lg_diags *d);

/** The SHA-256 of the file at PATH as 64 hex digits into HEX. False when it
 * cannot be read (errno tells why). */
bool lg_manifest_hash_file(const char *path, char hex[65]);

#endif
