#define _POSIX_C_SOURCE 200809L /* fileno, fsync */
#include "manifest.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "outfile.h"
#include "sha256.h"

#define MANIFEST "SHA256SUMS"

bool lg_manifest_hash_file(const char *path, char hex[65])
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    lg_sha256 s;
    lg_sha256_init(&s);
    unsigned char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        lg_sha256_update(&s, chunk, n);
    bool ok = !ferror(f);
    int e = errno;
    fclose(f);
    errno = e;
    unsigned char out[32];
    lg_sha256_final(&s, out);
    lg_sha256_to_hex(out, hex);
    return ok;
}

/* Names relative to the folder. */
typedef struct names {
    char **v;
    size_t n, cap;
} names;

static void names_add(names *l, char *name)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->v = lg_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = name;
}

static void names_free(names *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static int by_bytes(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of DIR/SUB (SUB "" for DIR itself) into L, as SUB/NAME;
 * not hidden ones, nor the manifest, nor names sha256sum would escape. */
static void list_folder(const char *dir, const char *sub, names *l)
{
    char *path = *sub ? lg_xasprintf("%s/%s", dir, sub) : lg_xstrdup(dir);
    DIR *dp = opendir(path);
    for (struct dirent *e; dp && (e = readdir(dp));) {
        const char *name = e->d_name;
        if (name[0] == '.' || (!*sub && strcmp(name, MANIFEST) == 0) || strpbrk(name, "\\\n\r"))
            continue;
        char *full = lg_xasprintf("%s/%s", path, name);
        struct stat st;
        if (lstat(full, &st) == 0 && S_ISREG(st.st_mode))
            names_add(l, *sub ? lg_xasprintf("%s/%s", sub, name) : lg_xstrdup(name));
        free(full);
    }
    if (dp)
        closedir(dp);
    free(path);
}

/* The files the manifest of DIR lists, sorted. */
static void list_files(const char *dir, names *l)
{
    list_folder(dir, "", l);
    list_folder(dir, "units", l);
    qsort(l->v, l->n, sizeof *l->v, by_bytes);
}

bool lg_manifest_write(const char *dir, lg_diags *d)
{
    names l = {0};
    list_files(dir, &l);
    lg_outset outs = {0};
    char *path = lg_xasprintf("%s/" MANIFEST, dir);
    const char *tmp = lg_outset_add(&outs, path);
    FILE *f = fopen(tmp, "wb");
    bool ok = f != NULL;
    for (size_t i = 0; ok && i < l.n; i++) {
        char hex[65];
        char *file = lg_xasprintf("%s/%s", dir, l.v[i]);
        ok = lg_manifest_hash_file(file, hex);
        if (ok)
            fprintf(f, "%s  %s\n", hex, l.v[i]);
        else
            lg_diags_add(d, LG_ERROR, "output", file, 0,
                         "cannot read the file to write its checksum into %s: %s", MANIFEST,
                         strerror(errno));
        free(file);
    }
    int e = errno;
    bool written = f && fclose(f) == 0 && (errno = e, true);
    if (!written) {
        lg_diags_add(d, LG_ERROR, "output", path, 0, "cannot write the file: %s", strerror(errno));
        ok = false;
    }
    ok = ok && lg_outset_commit(&outs, d);
    lg_outset_free(&outs);
    free(path);
    names_free(&l);
    return ok;
}

/* Whether NAME is in the sorted list L. */
static bool listed(const names *l, const char *name)
{
    return bsearch(&name, l->v, l->n, sizeof *l->v, by_bytes) != NULL;
}

/* Reads one line of the manifest "HEX  NAME" (or "HEX *NAME") into HEX and
 * *NAME (the caller frees); false when the line is not of that form. */
static bool parse_line(char *line, char hex[65], char **name)
{
    line[strcspn(line, "\r\n")] = '\0';
    if (strlen(line) < 67 || line[64] != ' ' || (line[65] != ' ' && line[65] != '*'))
        return false;
    for (int i = 0; i < 64; i++) {
        char c = line[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
        hex[i] = (char)(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
    }
    hex[64] = '\0';
    *name = lg_xstrdup(line + 66);
    return true;
}

static bool is_pdf(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".pdf") == 0;
}

long lg_manifest_check(const char *dir, char ***pdfs, size_t *n_pdfs, lg_diags *d)
{
    *pdfs = NULL;
    *n_pdfs = 0;
    char *path = lg_xasprintf("%s/" MANIFEST, dir);
    FILE *f = fopen(path, "rb");
    if (!f) {
        lg_diags_add(d, LG_ERROR, "manifest", path, 0,
                     "cannot read the folder's manifest: %s; a folder ledgerc build wrote "
                     "has one, build the month again to make it",
                     strerror(errno));
        free(path);
        return -1;
    }
    names in_manifest = {0}, found_pdfs = {0};
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0;
    while (getline(&line, &cap, f) > 0) {
        lineno++;
        char want[65], got[65], *name;
        if (!parse_line(line, want, &name)) {
            lg_diags_add(d, LG_ERROR, "manifest", path, lineno,
                         "not a line of sha256sum: \"<64 hex digits>  <file>\"");
            continue;
        }
        char *file = lg_xasprintf("%s/%s", dir, name);
        if (!lg_manifest_hash_file(file, got))
            lg_diags_add(d, LG_ERROR, "manifest-missing", file, 0,
                         "is listed in %s but cannot be read: %s; restore it from a copy of "
                         "the folder",
                         MANIFEST, strerror(errno));
        else if (strcmp(want, got) != 0)
            lg_diags_add(d, LG_ERROR, "manifest-changed", file, 0,
                         "has changed since it was written: its SHA-256 is %s, %s line %ld "
                         "says %s; restore it from a copy of the folder",
                         got, MANIFEST, lineno, want);
        else if (is_pdf(name))
            names_add(&found_pdfs, lg_xstrdup(file));
        free(file);
        names_add(&in_manifest, name);
    }
    free(line);
    fclose(f);

    qsort(in_manifest.v, in_manifest.n, sizeof *in_manifest.v, by_bytes);
    names now = {0};
    list_files(dir, &now);
    for (size_t i = 0; i < now.n; i++)
        if (!listed(&in_manifest, now.v[i])) {
            char *file = lg_xasprintf("%s/%s", dir, now.v[i]);
            lg_diags_add(d, LG_ERROR, "manifest-unlisted", file, 0,
                         "is not listed in %s; it was not written by the build that wrote "
                         "the manifest: remove it, or build the month again",
                         MANIFEST);
            free(file);
        }
    names_free(&now);
    long count = (long)in_manifest.n;
    names_free(&in_manifest);
    *pdfs = found_pdfs.v;
    *n_pdfs = found_pdfs.n;
    free(path);
    return count;
}
