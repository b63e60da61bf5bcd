/* The text store: where a month's long texts (what a task says, the progress,
 * plan and remark of each entry) are kept, so that they do not stay resident
 * in memory while the outputs are made.
 *
 * Texts are copied into an unlinked temporary file that is mapped into
 * memory, and a text is a plain NUL-terminated `const char *` into that
 * mapping, valid as soon as it is added and until the store is freed. A
 * page of the mapping counts in the process's memory once touched;
 * lg_textstore_trim gives the pages back (they stay in the page cache and
 * come back on the next read), so a loop over the rows calls it now and
 * then. The file has no name from the start (O_TMPFILE), so a run killed at
 * any point leaves nothing behind.
 *
 * Where no file can be made (no folder given, a read-only folder, a full
 * disk), texts are copied into an arena instead: the same calls, the same
 * strings, only resident.
 *
 * Texts are added by one process: worker processes forked after loading
 * read them (the mapping is inherited) but must not add any. */
#ifndef LG_TEXTSTORE_H
#define LG_TEXTSTORE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

typedef struct lg_textstore lg_textstore;

/** A new store keeping its texts in a temporary file in the folder DIR, or
 * in arena A when DIR is NULL or no file can be made there (A must outlive
 * the store). Free it with lg_textstore_free. Never fails. */
lg_textstore *lg_textstore_new(lg_arena *a, const char *dir);

/** Frees the store and unmaps its texts: no text it returned may be used
 * after. Texts it put in its arena stay until the arena is freed. NULL is
 * allowed. */
void lg_textstore_free(lg_textstore *ts);

/** A copy of S[0..N) followed by a NUL, owned by the store: valid until it
 * is freed. An empty text is the static "". */
const char *lg_textstore_add(lg_textstore *ts, const char *s, size_t n);

/** Gives back the memory of the texts read (or added) so far: they stay
 * valid and are read back from the page cache when next used. Cheap (one
 * madvise per 64 MB of texts); does nothing in memory or for NULL. */
void lg_textstore_trim(const lg_textstore *ts);

/** lg_textstore_trim every 64th I: what a loop over rows, cells or pages
 * calls with its counter. */
void lg_textstore_tick(const lg_textstore *ts, size_t i);

/** True when the store keeps its texts in a file (for tests and for
 * --verbose output): false when it fell back to memory. A store that ran
 * out of disk space part way says true: its first texts are in the file. */
bool lg_textstore_in_file(const lg_textstore *ts);

/** How many bytes of texts (NULs included) the store holds in its file. */
size_t lg_textstore_file_bytes(const lg_textstore *ts);

/** A new file in the folder DIR that has no name (O_TMPFILE, or a named
 * file unlinked at once where the file system lacks it), open for reading
 * and writing and closed on exec; -1 when none can be made. The caller
 * closes it. */
int lg_open_unlinked(const char *dir);

#endif
