#include "infile.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "arena.h"

char *lg_read_file(const char *path, size_t max, size_t *len, lg_read_status *status)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *status = LG_READ_CANNOT_OPEN;
        return NULL;
    }
    size_t cap = 64 * 1024, n = 0;
    char *buf = lg_xmalloc(cap + 1);
    for (;;) {
        if (n == cap) {
            if (cap > max)
                break;
            cap = cap * 2 > max ? max + 1 : cap * 2;
            buf = lg_xrealloc(buf, cap + 1);
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    bool failed = ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        *status = LG_READ_FAILED;
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    *status = LG_READ_OK;
    return buf;
}
