#define _POSIX_C_SOURCE 200809L /* fsync */
#include "outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"

/* Temporary names start with a dot and end with this, so a user listing the
 * folder does not take them for results, and the next run can find them. */
#define TMP_SUFFIX ".ledgerc-tmp"

bool lg_mkdirs(const char *dir, lg_diags *d)
{
    char *p = lg_xstrdup(dir);
    bool ok = true;
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            lg_diags_add(d, LG_ERROR, "output", p, 0, "cannot create the folder: %s",
                         strerror(errno));
            ok = false;
            break;
        }
        *s = c;
        if (c == '\0')
            break;
    }
    if (ok) {
        struct stat st;
        if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            lg_diags_add(d, LG_ERROR, "output", dir, 0,
                         "is not a folder; choose another output folder with --out");
            ok = false;
        }
    }
    free(p);
    return ok;
}

void lg_outset_sweep(const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return;
    size_t suffix = strlen(TMP_SUFFIX);
    struct dirent *e;
    while ((e = readdir(dp))) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.' && n > suffix && strcmp(e->d_name + n - suffix, TMP_SUFFIX) == 0) {
            char *p = lg_xasprintf("%s/%s", dir, e->d_name);
            unlink(p);
            free(p);
        }
    }
    closedir(dp);
}

const char *lg_outset_add(lg_outset *s, const char *path)
{
    if (s->count == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->files = lg_xrealloc(s->files, s->cap * sizeof *s->files);
    }
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path + 1) : 0;
    lg_outfile *f = &s->files[s->count++];
    f->path = lg_xstrdup(path);
    f->tmp = lg_xasprintf("%.*s.%s" TMP_SUFFIX, dirlen, path, path + dirlen);
    return f->tmp;
}

/* Flushes what was written to PATH (a file or a folder) to the disk. */
static int sync_path(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    int r = fsync(fd);
    int e = errno;
    close(fd);
    errno = e;
    return r;
}

/* The folder of PATH, or "." The caller frees. */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? lg_xasprintf("%.*s", slash == path ? 1 : (int)(slash - path), path)
                 : lg_xstrdup(".");
}

bool lg_outset_commit(lg_outset *s, lg_diags *d)
{
    /* Every file is on the disk before any is renamed: a machine that stops
     * (power, crash) while the renames are under way then leaves complete
     * files too, not empty ones under the final names. A file that cannot
     * be flushed was not written: nothing is renamed. */
    for (size_t i = 0; i < s->count; i++) {
        lg_outfile *f = &s->files[i];
        if (f->tmp && sync_path(f->tmp) != 0) {
            lg_diags_add(d, LG_ERROR, "output", f->path, 0, "cannot write the file: %s",
                         strerror(errno));
            return false;
        }
    }
    /* The renames are one by one: a run killed among them leaves some files
     * new and the others as they were, each of them complete. */
    for (size_t i = 0; i < s->count; i++) {
        lg_outfile *f = &s->files[i];
        if (rename(f->tmp, f->path) != 0) {
            lg_diags_add(d, LG_ERROR, "output", f->path, 0, "cannot write the file: %s",
                         strerror(errno));
            return false;
        }
        free(f->tmp);
        f->tmp = NULL;
    }
    /* The renames themselves are on the disk once their folders are. Some
     * file systems cannot flush a folder: that is not an error. */
    char *last = NULL;
    for (size_t i = 0; i < s->count; i++) {
        char *dir = folder_of(s->files[i].path);
        if (!last || strcmp(dir, last) != 0)
            sync_path(dir);
        free(last);
        last = dir;
    }
    free(last);
    return true;
}

void lg_outset_free(lg_outset *s)
{
    for (size_t i = 0; i < s->count; i++) {
        if (s->files[i].tmp)
            unlink(s->files[i].tmp);
        free(s->files[i].tmp);
        free(s->files[i].path);
    }
    free(s->files);
    memset(s, 0, sizeof *s);
}
