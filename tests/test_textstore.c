/* mkdtemp */
#define _DEFAULT_SOURCE
/* The text store (textstore.c): every text reads back exactly as added, from
 * its file and from memory, also after the store gave its pages back and
 * in a forked process; no file is left in the folder; where no file can be
 * made the texts are kept in memory; and a plan loaded with its texts in a
 * file is the plan loaded without. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "load.h"
#include "textstore.h"

/* A new empty folder under the system's temporary folder. The caller
 * removes it (rmdir: it must be empty) and frees the name. */
static char *new_dir(void)
{
    char *dir = lg_xstrdup("/tmp/lg-textstore-XXXXXX");
    assert_non_null(mkdtemp(dir));
    return dir;
}

/* The names in DIR besides . and .. */
static size_t entries_in(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

/* Text number I, LEN bytes: not all alike, so that a text read from the
 * wrong place shows. The caller frees. */
static char *text(size_t i, size_t len)
{
    static const char piece[] = "进展情况 plan 备注\n";
    char *s = lg_xmalloc(len + 1);
    for (size_t k = 0; k < len; k++)
        s[k] = piece[(i + k) % (sizeof piece - 1)];
    s[len] = '\0';
    return s;
}

typedef struct added {
    const char *in_store; /* what the store returned */
    char *copy;           /* what was added */
    size_t len;
} added;

static void assert_read_back(const added *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(strlen(t[i].in_store), t[i].len);
        assert_memory_equal(t[i].in_store, t[i].copy, t[i].len + 1);
    }
}

/* Adds texts of many lengths (a few around the 1 MB the file grows by, and
 * more than the 64 MB of address space a segment takes) to TS. */
static added *add_many(lg_textstore *ts, size_t *n)
{
    static const size_t lens[] = {0, 1, 7, 300, 4095, 4096, 4097, 100000, (1 << 20) - 1,
                                  1 << 20, (1 << 20) + 1, 3 << 20};
    size_t count = 0, cap = 256;
    added *t = lg_xcalloc(cap, sizeof *t);
    size_t total = 0;
    for (size_t i = 0; total < (70u << 20); i++) {
        if (count == cap)
            t = lg_xrealloc(t, (cap *= 2) * sizeof *t);
        size_t len = lens[i % (sizeof lens / sizeof *lens)];
        added *a = &t[count++];
        a->len = len;
        a->copy = text(i, len);
        a->in_store = lg_textstore_add(ts, a->copy, len);
        total += len + 1;
        if (i % 5 == 4)
            lg_textstore_trim(ts);
    }
    *n = count;
    return t;
}

static void free_added(added *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(t[i].copy);
    free(t);
}

/* Texts in the file read back exactly: at once, after a trim, and in a child
 * process (as the build's workers read them). The folder stays empty. */
static void in_file(void **state)
{
    (void)state;
    char *dir = new_dir();
    lg_arena *a = lg_arena_new();
    lg_textstore *ts = lg_textstore_new(a, dir);
    assert_true(lg_textstore_in_file(ts));
    assert_int_equal(entries_in(dir), 0);
    size_t n;
    added *t = add_many(ts, &n);
    assert_true(lg_textstore_file_bytes(ts) > (64u << 20));
    assert_string_equal(lg_textstore_add(ts, "", 0), "");
    assert_read_back(t, n);
    lg_textstore_trim(ts);
    assert_read_back(t, n);
    for (size_t i = 0; i < 1000; i++)
        lg_textstore_tick(ts, i);
    assert_read_back(t, n);
    assert_int_equal(entries_in(dir), 0);

    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        lg_textstore_trim(ts);
        for (size_t i = 0; i < n; i++)
            if (memcmp(t[i].in_store, t[i].copy, t[i].len + 1) != 0)
                _exit(1);
        _exit(0);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    lg_textstore_free(ts);
    free_added(t, n);
    lg_arena_free(a);
    assert_int_equal(entries_in(dir), 0);
    assert_int_equal(rmdir(dir), 0);
    free(dir);
}

/* Without a folder, or with one where no file can be made, texts are kept in
 * the arena, and read back the same. */
static void in_memory(void **state)
{
    (void)state;
    char *dir = new_dir();
    char *missing = lg_xasprintf("%s/not-made", dir);
    char *file = lg_xasprintf("%s/a-file", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);
    const char *dirs[] = {NULL, missing, file};
    for (size_t k = 0; k < sizeof dirs / sizeof *dirs; k++) {
        lg_arena *a = lg_arena_new();
        lg_textstore *ts = lg_textstore_new(a, dirs[k]);
        assert_false(lg_textstore_in_file(ts));
        added t[40];
        for (size_t i = 0; i < 40; i++) {
            t[i].len = i * 997;
            t[i].copy = text(i, t[i].len);
            t[i].in_store = lg_textstore_add(ts, t[i].copy, t[i].len);
        }
        lg_textstore_trim(ts);
        assert_read_back(t, 40);
        assert_int_equal(lg_textstore_file_bytes(ts), 0);
        lg_textstore_free(ts);
        for (size_t i = 0; i < 40; i++) {
            /* the arena owns the copies still */
            assert_true(i == 0 || t[i].in_store != t[i].copy);
            free(t[i].copy);
        }
        lg_arena_free(a);
    }
    assert_int_equal(entries_in(dir), 1); /* a-file */
    unlink(file);
    assert_int_equal(rmdir(dir), 0);
    free(file);
    free(missing);
    free(dir);
}

/* The seed example loaded with its texts in a file and in memory: the same
 * strings, the 工作任务 cell "{no}.{text}", and no file left behind. */
static void plan_in_file(void **state)
{
    (void)state;
    char *dir = new_dir();
    lg_diags d = {0};
    lg_plan *mem = lg_plan_load(LG_SOURCE_DIR "/input/plan.xml", &d);
    lg_plan *file = lg_plan_load_spilled(LG_SOURCE_DIR "/input/plan.xml", dir, &d);
    assert_int_equal(d.count, 0);
    assert_non_null(mem);
    assert_non_null(file);
    assert_false(lg_textstore_in_file(mem->texts));
    assert_true(lg_textstore_in_file(file->texts));
    lg_month *mm = lg_month_load(mem, LG_SOURCE_DIR "/input", 2022, 10, &d);
    lg_month *fm = lg_month_load(file, LG_SOURCE_DIR "/input", 2022, 10, &d);
    assert_int_equal(d.count, 0);
    lg_textstore_trim(file->texts);

    assert_int_equal(mem->n_tasks, file->n_tasks);
    for (size_t i = 0; i < mem->n_tasks; i++) {
        const lg_task *t = &file->tasks[i];
        assert_string_equal(t->text, mem->tasks[i].text);
        assert_string_equal(t->numbered, mem->tasks[i].numbered);
        char *cell = lg_xasprintf("%ld.%s", t->no, t->text);
        assert_string_equal(t->numbered, cell);
        free(cell);
        assert_true(*t->text);
    }
    const lg_report *mr = mm->reports[0], *fr = fm->reports[0];
    assert_non_null(fr);
    assert_int_equal(mr->n_entries, fr->n_entries);
    for (size_t i = 0; i < mr->n_entries; i++) {
        assert_string_equal(fr->entries[i].progress, mr->entries[i].progress);
        assert_string_equal(fr->entries[i].plan, mr->entries[i].plan);
        assert_string_equal(fr->entries[i].remark, mr->entries[i].remark);
    }
    assert_true(lg_textstore_file_bytes(file->texts) > 1000);
    assert_int_equal(entries_in(dir), 0);
    lg_plan_free(mem);
    lg_plan_free(file);
    lg_diags_free(&d);
    assert_int_equal(rmdir(dir), 0);
    free(dir);
}

/* A plan that fails to load with its texts in a file says what it says in
 * memory, and leaves nothing behind. */
static void errors_in_file(void **state)
{
    (void)state;
    char *dir = new_dir();
    char *path = lg_xasprintf("%s/plan.xml", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("<?xml version=\"1.0\"?>\n<plan year=\"2022\" title=\"t\">\n<units>\n"
          "<unit id=\"kjj\" name=\"市科技局\"/>\n</units>\n<tasks>\n"
          "<task no=\"1\" owners=\"kjj\" due=\"2022-12\">任务</task>\n"
          "<task no=\"1\" owners=\"kjj\" due=\"2022-13\"></task>\n</tasks>\n</plan>\n",
          f);
    fclose(f);
    lg_diags dm = {0}, df = {0};
    assert_null(lg_plan_load(path, &dm));
    assert_null(lg_plan_load_spilled(path, dir, &df));
    assert_true(dm.count > 0);
    assert_int_equal(dm.count, df.count);
    for (size_t i = 0; i < dm.count; i++) {
        char *m = lg_diag_format(&dm.items[i]), *fl = lg_diag_format(&df.items[i]);
        assert_string_equal(m, fl);
        free(m);
        free(fl);
    }
    lg_diags_free(&dm);
    lg_diags_free(&df);
    assert_int_equal(entries_in(dir), 1); /* plan.xml */
    unlink(path);
    assert_int_equal(rmdir(dir), 0);
    free(path);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(in_file),
        cmocka_unit_test(in_memory),
        cmocka_unit_test(plan_in_file),
        cmocka_unit_test(errors_in_file),
    };
    return cmocka_run_group_tests_name("textstore", tests, NULL, NULL);
}
