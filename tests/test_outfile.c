/* Output files (outfile.c): written under a hidden temporary name beside the
 * final one, renamed into place only on commit; an uncommitted run leaves
 * the earlier outputs as they were; the next run sweeps what a killed run
 * left; folders made with their parents, or an error naming the path. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "arena.h"
#include "outfile.h"

static int setup(void **state)
{
    char *dir = lg_xstrdup("/tmp/test_outfile.XXXXXX");
    *state = dir;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    char *cmd = lg_xasprintf("rm -rf '%s'", (char *)*state);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", (char *)*state);
    free(cmd);
    free(*state);
    return 0;
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* The content of PATH, or NULL when there is no such file. The caller frees. */
static char *get(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char buf[256];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return lg_xstrdup(buf);
}

static void assert_content(const char *path, const char *want)
{
    char *got = get(path);
    if (!want) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

/* The names in DIR, sorted, joined by spaces. The caller frees. */
static char *listing(const char *dir)
{
    char *cmd = lg_xasprintf("ls -A '%s' | tr '\\n' ' '", dir);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char buf[1024];
    size_t n = fread(buf, 1, sizeof buf - 1, p);
    buf[n] = '\0';
    assert_int_equal(pclose(p), 0);
    free(cmd);
    return lg_xstrdup(buf);
}

static void assert_listing(const char *dir, const char *want)
{
    char *got = listing(dir);
    assert_string_equal(got, want);
    free(got);
}

/* Temporary names are hidden and beside the final ones; commit renames
 * every file into place, replacing what was there. */
static void commit_renames_into_place(void **state)
{
    const char *dir = *state;
    char *a = lg_xasprintf("%s/ledger.xlsx", dir), *b = lg_xasprintf("%s/units/kjj.pdf", dir);
    lg_diags d = {0};
    char *units = lg_xasprintf("%s/units", dir);
    assert_true(lg_mkdirs(units, &d));
    put(a, "old ledger");
    lg_outset s = {0};
    const char *ta = lg_outset_add(&s, a), *tb = lg_outset_add(&s, b);
    char *want_ta = lg_xasprintf("%s/.ledger.xlsx.ledgerc-tmp", dir);
    char *want_tb = lg_xasprintf("%s/units/.kjj.pdf.ledgerc-tmp", dir);
    assert_string_equal(ta, want_ta);
    assert_string_equal(tb, want_tb);
    put(ta, "new ledger");
    put(tb, "new unit");
    assert_content(a, "old ledger"); /* nothing changes before the commit */
    assert_content(b, NULL);
    assert_true(lg_outset_commit(&s, &d));
    assert_int_equal(d.count, 0);
    assert_content(a, "new ledger");
    assert_content(b, "new unit");
    lg_outset_free(&s);
    assert_listing(dir, "ledger.xlsx units ");
    assert_listing(units, "kjj.pdf ");
    free(units);
    free(want_ta);
    free(want_tb);
    free(a);
    free(b);
}

/* A run that fails before its commit: the earlier output is as it was and
 * no temporary file stays. */
static void free_without_commit_keeps_old(void **state)
{
    const char *dir = *state;
    char *a = lg_xasprintf("%s/ledger.pdf", dir);
    put(a, "old");
    lg_outset s = {0};
    put(lg_outset_add(&s, a), "half-written");
    lg_outset_free(&s);
    assert_content(a, "old");
    assert_listing(dir, "ledger.pdf ");
    assert_null(s.files);
    free(a);
}

/* A rename that fails (a folder where the file goes): an error naming the
 * file; the files renamed before it stay renamed. */
static void failed_rename_is_an_error(void **state)
{
    const char *dir = *state;
    char *a = lg_xasprintf("%s/a.xlsx", dir), *b = lg_xasprintf("%s/b.xlsx", dir);
    lg_diags d = {0};
    assert_true(lg_mkdirs(b, &d));
    char *inside = lg_xasprintf("%s/x", b);
    put(inside, "x"); /* a folder that is not empty */
    free(inside);
    lg_outset s = {0};
    put(lg_outset_add(&s, a), "A");
    put(lg_outset_add(&s, b), "B");
    assert_false(lg_outset_commit(&s, &d));
    assert_int_equal(d.count, 1);
    char *msg = lg_diag_format(&d.items[0]);
    char *want = lg_xasprintf("%s: error: cannot write the file: Is a directory", b);
    assert_string_equal(msg, want);
    assert_content(a, "A");
    lg_outset_free(&s);
    assert_listing(dir, "a.xlsx b.xlsx ");
    free(want);
    free(msg);
    lg_diags_free(&d);
    free(a);
    free(b);
}

/* The next run removes what a killed run left: hidden files ending in
 * .ledgerc-tmp, and nothing else. */
static void sweep_removes_only_leftovers(void **state)
{
    const char *dir = *state;
    static const char *const names[] = {".ledger.xlsx.ledgerc-tmp", ".x.ledgerc-tmp",
                                        "ledger.xlsx.ledgerc-tmp", ".ledgerc-tmp",
                                        ".ledger.xlsx", "ledger.xlsx"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *p = lg_xasprintf("%s/%s", dir, names[i]);
        put(p, "x");
        free(p);
    }
    lg_outset_sweep(dir);
    assert_listing(dir, ".ledger.xlsx .ledgerc-tmp ledger.xlsx ledger.xlsx.ledgerc-tmp ");
    lg_outset_sweep("/nonexistent/folder"); /* nothing to do, no crash */
}

/* Folders are made with their parents; a file in the way is an error that
 * names it. */
static void mkdirs_parents_and_errors(void **state)
{
    const char *dir = *state;
    lg_diags d = {0};
    char *deep = lg_xasprintf("%s/out/2022-10/units", dir);
    assert_true(lg_mkdirs(deep, &d));
    assert_true(lg_mkdirs(deep, &d)); /* already there */
    struct stat st;
    assert_int_equal(stat(deep, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(d.count, 0);

    char *file = lg_xasprintf("%s/out/file", dir);
    put(file, "x");
    char *under = lg_xasprintf("%s/sub", file);
    assert_false(lg_mkdirs(under, &d));
    assert_false(lg_mkdirs(file, &d));
    assert_int_equal(d.count, 2);
    char *m0 = lg_diag_format(&d.items[0]), *m1 = lg_diag_format(&d.items[1]);
    char *w0 = lg_xasprintf("%s: error: cannot create the folder: Not a directory", under);
    char *w1 = lg_xasprintf("%s: error: is not a folder; choose another output folder with --out",
                            file);
    assert_string_equal(m0, w0);
    assert_string_equal(m1, w1);
    free(m0);
    free(m1);
    free(w0);
    free(w1);
    free(under);
    free(file);
    free(deep);
    lg_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(commit_renames_into_place, setup, teardown),
        cmocka_unit_test_setup_teardown(free_without_commit_keeps_old, setup, teardown),
        cmocka_unit_test_setup_teardown(failed_rename_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(sweep_removes_only_leftovers, setup, teardown),
        cmocka_unit_test_setup_teardown(mkdirs_parents_and_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
