#define _GNU_SOURCE /* O_TMPFILE; fsync, mkdtemp, link */
#include "outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "i18n.h"
#include "infile.h"
#include "input_limits.h"

/* Temporary names start with a dot and end with this, so a user listing the
 * folder does not take them for results, and the next run can find them. */
#define TMP_SUFFIX ".ledgerc-tmp"

/* Staging folders start with this. */
#define STAGE_PREFIX ".ledgerc-stage-"

/* The most backups of one file (PATH.bak-1 ...). */
#define MAX_BACKUPS 100000u

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
            lg_diags_add(d, LG_ERROR, "write", p, 0, "cannot create the folder: %s",
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
        char *p = lg_xasprintf("%s/%s", dir, e->d_name);
        if (e->d_name[0] == '.' && n > suffix && strcmp(e->d_name + n - suffix, TMP_SUFFIX) == 0)
            unlink(p);
        else if (strncmp(e->d_name, STAGE_PREFIX, strlen(STAGE_PREFIX)) == 0)
            lg_stage_dir_remove(p);
        free(p);
    }
    closedir(dp);
}

char *lg_stage_dir(const char *dir, lg_diags *d)
{
    char *stage = lg_xasprintf("%s/" STAGE_PREFIX "XXXXXX", dir);
    if (!mkdtemp(stage)) {
        lg_diags_add(d, LG_ERROR, "write", dir, 0, "cannot write into the folder: %s",
                     strerror(errno));
        free(stage);
        return NULL;
    }
    return stage;
}

void lg_stage_dir_remove(const char *stage)
{
    DIR *dp = opendir(stage);
    if (dp) {
        for (struct dirent *f; (f = readdir(dp));) {
            if (strcmp(f->d_name, ".") == 0 || strcmp(f->d_name, "..") == 0)
                continue;
            char *file = lg_xasprintf("%s/%s", stage, f->d_name);
            unlink(file);
            free(file);
        }
        closedir(dp);
    }
    rmdir(stage);
}

bool lg_write_new_file(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wbx");
    if (!f)
        return false;
    bool ok = fwrite(data, 1, n, f) == n;
    return (fclose(f) == 0) && ok;
}

/* Copies the file at FROM to the new file TO. False with errno set. */
static bool copy_file(const char *from, const char *to)
{
    size_t len;
    lg_read_status st;
    char *text = lg_read_file(from, LG_MAX_FILE_BYTES, &len, &st);
    if (text && len > LG_MAX_FILE_BYTES)
        errno = EFBIG;
    bool ok = text && len <= LG_MAX_FILE_BYTES && lg_write_new_file(to, text, len);
    free(text);
    return ok;
}

bool lg_keep_backup(const char *path, char **bak, lg_diags *d)
{
    for (unsigned n = 1; n < MAX_BACKUPS; n++) {
        char *b = lg_xasprintf("%s.bak-%u", path, n);
        if (link(path, b) == 0 || (errno != EEXIST && copy_file(path, b))) {
            *bak = b;
            return true;
        }
        if (errno != EEXIST) {
            lg_diags_add(d, LG_ERROR, "write", b, 0, "cannot keep the old file: %s",
                         strerror(errno));
            free(b);
            return false;
        }
        free(b);
    }
    lg_diags_add(d, LG_ERROR, "output", path, 0, "too many backups of the file");
    return false;
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

char *lg_folder_of(const char *path)
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
            lg_diags_add(d, LG_ERROR, "write", f->path, 0, "cannot write the file: %s",
                         strerror(errno));
            return false;
        }
    }
    /* The renames are one by one: a run killed among them leaves some files
     * new and the others as they were, each of them complete. */
    for (size_t i = 0; i < s->count; i++) {
        lg_outfile *f = &s->files[i];
        if (rename(f->tmp, f->path) != 0) {
            lg_diags_add(d, LG_ERROR, "write", f->path, 0, "cannot write the file: %s",
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
        char *dir = lg_folder_of(s->files[i].path);
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

/* The lock file of a folder: hidden, so that no listing (SHA256SUMS, the
 * month's reports) takes it for a result. */
#define LOCK_NAME ".ledgerc-lock"

/* Opens and locks the lock file PATH; -1 with errno set (EWOULDBLOCK when
 * another process holds it, *FD_HELD then its descriptor, to read its id). */
static int open_locked(const char *path, int *fd_held)
{
    for (;;) {
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
        if (fd < 0)
            return -1;
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int e = errno;
            *fd_held = fd;
            errno = e;
            return -1;
        }
        /* The holder before us removes the file when it is done: a lock on
         * a file that no longer has the name locks nothing. */
        struct stat mine, named;
        if (fstat(fd, &mine) == 0 && stat(path, &named) == 0 && mine.st_ino == named.st_ino &&
            mine.st_dev == named.st_dev)
            return fd;
        close(fd);
    }
}

int lg_lock_folder(const char *dir, lg_diags *d)
{
    char *path = lg_xasprintf("%s/" LOCK_NAME, dir);
    int held = -1;
    int fd = open_locked(path, &held);
    if (fd < 0 && held >= 0) {
        char pid[32] = "";
        ssize_t n = pread(held, pid, sizeof pid - 1, 0);
        pid[n > 0 ? n : 0] = '\0';
        pid[strcspn(pid, "\n")] = '\0';
        lg_diags_add(d, LG_ERROR, "locked", dir, 0,
                     _("another ledgerc run (process %s) is writing into this folder; wait "
                       "until it has finished, then run again"),
                     *pid ? pid : "?");
        close(held);
        free(path);
        return -1;
    }
    if (fd < 0) {
        lg_write_failed(d, dir, errno);
        free(path);
        return -1;
    }
    /* Ours now: say who holds it, for a second run to name. */
    char pid[32];
    int len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)len, 0) != len) {
        lg_write_failed(d, dir, errno);
        unlink(path);
        close(fd);
        free(path);
        return -1;
    }
    free(path);
    return fd;
}

void lg_unlock_folder(const char *dir, int fd)
{
    if (fd < 0)
        return;
    char *path = lg_xasprintf("%s/" LOCK_NAME, dir);
    unlink(path); /* while it is still ours (see open_locked) */
    close(fd);
    free(path);
}

/* DIR, or the nearest parent of it that exists. The caller frees. */
static char *existing_folder(const char *dir)
{
    char *p = lg_xstrdup(dir);
    struct stat st;
    while (stat(p, &st) != 0) {
        char *up = lg_folder_of(p);
        bool top = strcmp(up, p) == 0;
        free(p);
        p = up;
        if (top)
            break;
    }
    return p;
}

int lg_folder_write_errno(const char *dir)
{
    char *p = existing_folder(dir);
    int fd = open(p, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    char *named = NULL;
    if (fd < 0 && errno != EACCES && errno != EROFS && errno != ENOSPC) {
        /* a file system without O_TMPFILE: a named file, removed at once */
        named = lg_xasprintf("%s/.probe-XXXXXX" TMP_SUFFIX, p);
        fd = mkstemps(named, (int)strlen(TMP_SUFFIX));
        if (fd >= 0)
            unlink(named);
    }
    int err = fd < 0 ? errno : 0;
    if (fd >= 0) {
        /* a few blocks: a full disk takes a small file in its last block */
        static const char block[16384];
        for (int i = 0; i < 16 && !err; i++)
            if (write(fd, block, sizeof block) != (ssize_t)sizeof block)
                err = errno ? errno : ENOSPC;
        if (!err && fsync(fd) != 0)
            err = errno;
        close(fd);
    }
    free(named);
    free(p);
    return err;
}

const char *lg_write_cause(int err)
{
    return err == ENOSPC   ? _("the disk is full (No space left on device)")
           : err == EACCES ? _("no permission to write there (Permission denied)")
           : err == EROFS  ? _("the disk is read-only (Read-only file system)")
           : err == EDQUOT ? _("the disk quota is used up (Disk quota exceeded)")
                           : strerror(err);
}

void lg_write_failed(lg_diags *d, const char *dir, int err)
{
    lg_diags_add(d, LG_ERROR, "write", dir, 0, _("cannot write into this folder: %s"),
                 lg_write_cause(err));
}
