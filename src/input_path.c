#include "input_path.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"

/* The length of DIR without its trailing slashes, but at least 1. */
static int dir_len(const char *dir)
{
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    return (int)len;
}

/* What goes between DIR's first N bytes and a name: nothing after "/". */
static const char *sep(const char *dir, int n)
{
    return n > 0 && dir[n - 1] == '/' ? "" : "/";
}

char *lg_input_plan_path(const char *input_dir)
{
    int n = dir_len(input_dir);
    return lg_xasprintf("%.*s%splan.xml", n, input_dir, sep(input_dir, n));
}

char *lg_input_month_dir(const char *input_dir, int year, int month)
{
    int n = dir_len(input_dir);
    return lg_xasprintf("%.*s%sreports/%04d-%02d", n, input_dir, sep(input_dir, n), year, month);
}

char *lg_input_report_path(const char *input_dir, int year, int month, const char *unit_id)
{
    char *dir = lg_input_month_dir(input_dir, year, month);
    char *path = lg_xasprintf("%s/%s.xml", dir, unit_id);
    free(dir);
    return path;
}
