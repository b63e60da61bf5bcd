/* libFuzzer target: the XML inside a filled-in form. The input is up to four
 * parts separated by "\n<!--next-part-->\n": xl/workbook.xml,
 * xl/worksheets/sheet1.xml (the form), xl/worksheets/sheet2.xml (the hidden
 * sheet that names the unit and month) and xl/sharedStrings.xml. Each is put,
 * uncompressed, into a copy of the form tests/fuzz/form/good-kjj.xlsx (an
 * empty part leaves that entry out; a missing one keeps the form's), and the
 * workbook goes through lg_import_form against tests/data/good/plan.xml.
 * Mutating a workbook's bytes directly (fuzz_form) mostly breaks a CRC; this
 * reaches the importer's reading of cells and its checks. See fuzz_common.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "arena.h"
#include "fuzz_common.h"
#include "import.h"
#include "load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const parts[] = {"xl/workbook.xml", "xl/worksheets/sheet1.xml",
                                    "xl/worksheets/sheet2.xml", "xl/sharedStrings.xml"};
#define N_PARTS (sizeof parts / sizeof *parts)
static const char separator[] = "\n<!--next-part-->\n";

/* The entries of the template form, read once. */
typedef struct entry {
    char *name;
    void *data;
    zip_uint64_t size;
} entry;
static entry *entries;
static zip_int64_t n_entries;

static void read_template(void)
{
    int err = 0;
    zip_t *z = zip_open(LG_FUZZ_DATA "/form/good-kjj.xlsx", ZIP_RDONLY, &err);
    if (!z)
        __builtin_trap();
    n_entries = zip_get_num_entries(z, 0);
    entries = lg_xcalloc((size_t)n_entries, sizeof *entries);
    for (zip_int64_t i = 0; i < n_entries; i++) {
        zip_stat_t st;
        zip_file_t *f;
        if (zip_stat_index(z, (zip_uint64_t)i, 0, &st) != 0 ||
            !(f = zip_fopen_index(z, (zip_uint64_t)i, 0)))
            __builtin_trap();
        entries[i].name = lg_xstrdup(st.name);
        entries[i].size = st.size;
        entries[i].data = lg_xmalloc(st.size + 1);
        if (zip_fread(f, entries[i].data, st.size) != (zip_int64_t)st.size)
            __builtin_trap();
        zip_fclose(f);
    }
    zip_close(z);
}

/* Adds DATA[0..SIZE) to Z as NAME, stored. */
static void add(zip_t *z, const char *name, const void *data, size_t size)
{
    zip_source_t *src = zip_source_buffer(z, data, size, 0);
    zip_int64_t i = src ? zip_file_add(z, name, src, ZIP_FL_OVERWRITE) : -1;
    if (i < 0 || zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_STORE, 0) != 0)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lg_fuzz_init();
    static lg_plan *p;
    lg_diags d = {0};
    if (!p && !(p = lg_plan_load(LG_TEST_DATA "/good/plan.xml", &d)))
        __builtin_trap(); /* the seed plan must load */
    if (!entries)
        read_template();

    /* the input's parts */
    const char *part[N_PARTS] = {0};
    size_t len[N_PARTS] = {0};
    size_t n = 0;
    const char *s = (const char *)data, *end = s + size;
    while (n < N_PARTS) {
        const char *sep = NULL;
        for (const char *q = s; q + sizeof separator - 1 <= end; q++)
            if (memcmp(q, separator, sizeof separator - 1) == 0) {
                sep = q;
                break;
            }
        part[n] = s;
        len[n] = (size_t)((sep ? sep : end) - s);
        n++;
        if (!sep)
            break;
        s = sep + sizeof separator - 1;
    }

    const char *path = lg_fuzz_path("form.xlsx");
    int err = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (!z)
        __builtin_trap();
    for (zip_int64_t i = 0; i < n_entries; i++) {
        size_t k = 0;
        while (k < N_PARTS && strcmp(entries[i].name, parts[k]) != 0)
            k++;
        if (k < n)
            continue; /* the input's */
        add(z, entries[i].name, entries[i].data, entries[i].size);
    }
    for (size_t k = 0; k < n; k++)
        if (len[k])
            add(z, parts[k], part[k], len[k]);
    if (zip_close(z) != 0)
        __builtin_trap();

    const lg_unit *unit = NULL;
    int year = 0, month = 0;
    free(lg_import_form(p, path, NULL, &unit, &year, &month, &d));
    lg_diags_free(&d);
    return 0;
}
