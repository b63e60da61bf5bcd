#define _POSIX_C_SOURCE 200809L /* readlink */
#include "datadir.h"

#include <string.h>
#include <unistd.h>

#ifndef LG_BUILD_DIR
#define LG_BUILD_DIR "" /* no build folder: never in it */
#endif
#ifndef LG_DATADIR_FROM_BINDIR
#define LG_DATADIR_FROM_BINDIR "../share"
#endif

/* The running executable's folder, without a trailing slash ("" for /). */
static bool exe_dir(char *buf, size_t cap)
{
    ssize_t n = readlink("/proc/self/exe", buf, cap - 1);
    if (n <= 0 || (size_t)n >= cap - 1)
        return false;
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (!slash)
        return false;
    *slash = '\0';
    return true;
}

/* Appends the relative path REL to the folder in BUF, folding "..", so that messages
 * name /opt/x/share/ledgerc rather than /opt/x/bin/../share/ledgerc. */
static bool append_path(char *buf, size_t cap, const char *rel)
{
    while (*rel) {
        size_t len = strcspn(rel, "/");
        if (len == 2 && strncmp(rel, "..", 2) == 0) {
            char *slash = strrchr(buf, '/');
            if (slash)
                *slash = '\0';
        } else if (len > 0 && !(len == 1 && rel[0] == '.')) {
            size_t have = strlen(buf);
            if (have + 1 + len + 1 > cap)
                return false;
            buf[have] = '/';
            memcpy(buf + have + 1, rel, len);
            buf[have + 1 + len] = '\0';
        }
        rel += len + (rel[len] == '/');
    }
    return true;
}

bool lg_datadir_installed(const char *sub, char *buf, size_t cap)
{
    return exe_dir(buf, cap) && append_path(buf, cap, LG_DATADIR_FROM_BINDIR) &&
           append_path(buf, cap, sub);
}

bool lg_datadir_in_build_tree(void)
{
    char dir[4096];
    size_t len = strlen(LG_BUILD_DIR);
    return len > 0 && exe_dir(dir, sizeof dir) && strncmp(dir, LG_BUILD_DIR, len) == 0 &&
           (dir[len] == '\0' || dir[len] == '/');
}
