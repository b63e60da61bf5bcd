/* Input files read whole into memory, never more than a limit. */
#ifndef LG_INFILE_H
#define LG_INFILE_H

#include <stddef.h>

typedef enum lg_read_status {
    LG_READ_OK,
    LG_READ_CANNOT_OPEN, /* errno says why */
    LG_READ_FAILED       /* an error while reading */
} lg_read_status;

/** The file at PATH, NUL-terminated, in a new buffer the caller frees, and
 * its length in *LEN; NULL when *STATUS is not LG_READ_OK. Reading stops one
 * byte past MAX: *LEN > MAX says the file is larger than MAX. The bytes are
 * counted, not taken from a size that could change while reading. */
char *lg_read_file(const char *path, size_t max, size_t *len, lg_read_status *status);

#endif
