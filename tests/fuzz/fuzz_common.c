#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include "fuzz_common.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "xmlload.h"

/* The folder, and every file and folder made in it, to remove at exit. */
static char *root;
static char *made[32];
static size_t n_made;

static void remove_all(void)
{
    /* files and folders were made parents first: remove in reverse */
    while (n_made > 0) {
        char *p = made[--n_made];
        if (unlink(p) != 0)
            rmdir(p);
        free(p);
    }
    if (root)
        rmdir(root);
    free(root);
    root = NULL;
}

static void remember(const char *path)
{
    for (size_t i = 0; i < n_made; i++)
        if (strcmp(made[i], path) == 0)
            return;
    if (n_made == sizeof made / sizeof *made)
        abort();
    made[n_made++] = lg_xstrdup(path);
}

const char *lg_fuzz_path(const char *name)
{
    static char *last;
    if (!root) {
        struct stat st;
        const char *base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp";
        root = lg_xasprintf("%s/ledgerc-fuzz-XXXXXX", base);
        if (!mkdtemp(root)) {
            perror(root);
            abort();
        }
        atexit(remove_all);
    }
    free(last);
    last = lg_xasprintf("%s/%s", root, name);
    /* make the parent folders of NAME */
    for (char *s = last + strlen(root) + 1; (s = strchr(s, '/')); s++) {
        *s = '\0';
        if (mkdir(last, 0700) == 0)
            remember(last);
        *s = '/';
    }
    if (*name)
        remember(last); /* whoever writes it, it is removed at exit */
    return last;
}

void lg_fuzz_write(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
        perror(path);
        abort();
    }
    remember(path);
}

void lg_fuzz_init(void)
{
    static bool done;
    if (!done) {
        lg_xml_init();
        done = true;
    }
}

/* LeakSanitizer's suppressions for the targets, which unwind fast: their
 * stacks end inside libfontconfig, which the template's font check
 * (template.c) initialises. fontconfig 2.14's FcInit leaks parts of the
 * configuration it parses (see tests/sanitize/lsan.supp), so the library is
 * named whole here; never a function of ours. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}
