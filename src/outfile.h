/* Output files are written under a temporary name in their folder and renamed
 * into place only when every file of the run is complete, so that a failed or
 * killed run leaves every earlier output as it was. */
#ifndef LG_OUTFILE_H
#define LG_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

typedef struct lg_outfile {
    char *path; /* the final name */
    char *tmp;  /* where it is written first */
} lg_outfile;

typedef struct lg_outset {
    lg_outfile *files;
    size_t count, cap;
} lg_outset;

/** Creates DIR and its parents. False after adding an error to D (of kind
 * "write" when a folder cannot be made). */
bool lg_mkdirs(const char *dir, lg_diags *d);

/** Removes temporary files and staging folders (lg_stage_dir) that a killed
 * earlier run left in DIR. */
void lg_outset_sweep(const char *dir);

/** Makes a private staging folder in DIR, for a file that must have its final
 * name before it is complete (a report is loaded to check it, and a report's
 * name says its unit); lg_outset_sweep removes one a killed run left. Returns
 * its path (the caller frees), or NULL after adding an error to D. */
char *lg_stage_dir(const char *dir, lg_diags *d);

/** Removes the staging folder STAGE and the files in it. */
void lg_stage_dir_remove(const char *stage);

/** Writes the N bytes of DATA to PATH, which must not exist yet. False with
 * errno set when it cannot. */
bool lg_write_new_file(const char *path, const char *data, size_t n);

/** Keeps the file at PATH as PATH.bak-N, the first N free: a hard link, or a
 * copy where links cannot be made. Puts the name in *BAK (the caller frees).
 * False after adding an error to D. */
bool lg_keep_backup(const char *path, char **bak, lg_diags *d);

/** The folder of PATH: "." for a bare name, "/" for one in the root. The
 * caller frees. */
char *lg_folder_of(const char *path);

/** Registers PATH as an output of this run; returns the temporary name to write
 * it to (owned by the set). */
const char *lg_outset_add(lg_outset *s, const char *path);

/** Flushes every temporary file to the disk, then renames each onto its final
 * name, then flushes their folders. False after adding an error to D: when a
 * file cannot be flushed nothing is renamed; when a rename fails, the files
 * renamed before it stay renamed. The renames are one after the other, so a
 * run killed among them leaves some files new and the rest as they were,
 * every one of them complete. */
bool lg_outset_commit(lg_outset *s, lg_diags *d);

/** Removes every temporary file that was not committed and frees the set. */
void lg_outset_free(lg_outset *s);

/** Takes the lock of the folder DIR (which must exist) for this process: the
 * hidden file DIR/.ledgerc-lock, locked with flock and holding this process's
 * id. Returns its descriptor, to give to lg_unlock_folder (a process that ends
 * without it leaves the file, unlocked), or -1 after adding an error of kind
 * "locked" to D naming the process that holds it (or of kind "write" when the
 * file cannot be made). Does not wait. */
int lg_lock_folder(const char *dir, lg_diags *d);

/** Gives up the lock FD of DIR (from lg_lock_folder; -1 is ignored) and
 * removes its file. */
void lg_unlock_folder(const char *dir, int fd);

/** Why files cannot be written into DIR (or, while it does not exist, its
 * nearest existing parent): the errno of a trial write of a small file
 * flushed to the disk (ENOSPC, EACCES, EROFS …), or 0 when it can be
 * written. The trial file has no name. */
int lg_folder_write_errno(const char *dir);

/** Why a write failed with ERR (an errno value), in words for the user. */
const char *lg_write_cause(int err);

/** Adds the one error of kind "write" that a run stopped by a failed write
 * reports: DIR cannot be written, and why (ERR, an errno value), in words
 * for the user. */
void lg_write_failed(lg_diags *d, const char *dir, int err);

#endif
