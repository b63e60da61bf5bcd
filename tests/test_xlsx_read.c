/* Tests of the XLSX reader on small files made by tests/data/forms/make_xlsx.py
 * (hand-written XML parts zipped by /usr/bin/python3): every way Excel, WPS
 * and LibreOffice write cells, and the hostile files it must refuse with a
 * clear message. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "diag.h"
#include "xlsx_read.h"
#include "xmlload.h"

#ifndef LG_PYTHON
#define LG_PYTHON "/usr/bin/python3"
#endif

static char dir[] = "/tmp/lg-xlsx-read-XXXXXX";

static int make_files(void **state)
{
    (void)state;
    lg_xml_init();
    if (!mkdtemp(dir))
        return -1;
    char *cmd = lg_xasprintf(LG_PYTHON " %s/forms/make_xlsx.py %s", LG_TEST_DATA, dir);
    int rc = system(cmd);
    free(cmd);
    return rc == 0 ? 0 : -1;
}

static int remove_files(void **state)
{
    (void)state;
    char *cmd = lg_xasprintf("rm -rf %s", dir);
    int rc = system(cmd);
    free(cmd);
    return rc == 0 ? 0 : -1;
}

static char *path_of(const char *name)
{
    return lg_xasprintf("%s/%s", dir, name);
}

static size_t count_files(void)
{
    DIR *dp = opendir(dir);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(dp));)
        n++;
    closedir(dp);
    return n;
}

static const lg_xlsx_sheet *sheet_named(lg_xlsx *x, const char *name, lg_diags *d)
{
    long i = lg_xlsx_sheet_find(x, name);
    assert_true(i >= 0);
    return lg_xlsx_sheet_read(x, (size_t)i, d);
}

static void assert_cell(const lg_xlsx_sheet *s, const char *ref, lg_xlsx_type type,
                        const char *text)
{
    uint32_t r, c;
    assert_true(lg_xlsx_parse_ref(ref, &r, &c));
    const lg_xlsx_cell *cell = lg_xlsx_cell_at(s, r, c);
    if (!cell)
        fail_msg("no cell %s", ref);
    if (strcmp(cell->text, text) != 0)
        fail_msg("cell %s: \"%s\", expected \"%s\"", ref, cell->text, text);
    assert_int_equal(cell->type, type);
}

static void test_cells(void **state)
{
    (void)state;
    lg_diags d = {0};
    char *p = path_of("cells.xlsx");
    size_t files = count_files();
    lg_xlsx *x = lg_xlsx_open(p, &d);
    assert_non_null(x);
    assert_int_equal(d.count, 0);

    /* sheets in tab order with their states, found through relationships */
    assert_int_equal(lg_xlsx_sheet_count(x), 3);
    assert_string_equal(lg_xlsx_sheet_name(x, 0), "Data");
    assert_int_equal(lg_xlsx_sheet_state(x, 0), LG_XLSX_VISIBLE);
    assert_int_equal(lg_xlsx_sheet_state(x, 1), LG_XLSX_HIDDEN);
    assert_int_equal(lg_xlsx_sheet_state(x, 2), LG_XLSX_VERY_HIDDEN);
    assert_int_equal(lg_xlsx_sheet_find(x, "meta"), 1); /* case as Excel ignores it */
    assert_int_equal(lg_xlsx_sheet_find(x, "Nope"), -1);

    const lg_xlsx_sheet *s = sheet_named(x, "Data", &d);
    assert_non_null(s);
    assert_cell(s, "A1", LG_XLSX_STRING, "plain");
    assert_cell(s, "B1", LG_XLSX_STRING, "inline"); /* rich inline runs, no phonetic */
    assert_cell(s, "C1", LG_XLSX_NUMBER, "42");
    assert_cell(s, "D1", LG_XLSX_BOOL, "TRUE");
    assert_cell(s, "E1", LG_XLSX_ERROR, "#N/A");
    assert_cell(s, "F1", LG_XLSX_STRING, "plain!"); /* a formula's cached string */
    assert_cell(s, "A2", LG_XLSX_STRING, "富文本 ");
    assert_cell(s, "B2", LG_XLSX_STRING, "第一段\r\n第二段");
    assert_cell(s, "C2", LG_XLSX_STRING, "_x000D_ stays");
    assert_cell(s, "D2", LG_XLSX_STRING, "\xF0\x9F\x98\x80 smile");
    assert_cell(s, "E2", LG_XLSX_STRING, "");
    assert_null(lg_xlsx_cell_at(s, 1, 5)); /* F2: a style, no value */
    /* row 3 and its cells without r; the empty cell takes column B */
    assert_cell(s, "A3", LG_XLSX_STRING, "A3");
    assert_null(lg_xlsx_cell_at(s, 2, 1));
    assert_cell(s, "C3", LG_XLSX_STRING, "C3");
    assert_cell(s, "B7", LG_XLSX_STRING, "  spaced  ");
    assert_cell(s, "A8", LG_XLSX_STRING, "A8"); /* the row after 7 */
    assert_string_equal(lg_xlsx_text_at(s, 100, 100), "");
    /* once read, the same sheet */
    assert_ptr_equal(sheet_named(x, "Data", &d), s);

    const lg_xlsx_sheet *m = sheet_named(x, "Meta", &d);
    assert_non_null(m);
    assert_cell(m, "A1", LG_XLSX_STRING, "key");
    const lg_xlsx_sheet *secret = sheet_named(x, "Secret", &d);
    assert_non_null(secret);
    assert_int_equal(secret->n_cells, 0);
    assert_int_equal(d.count, 0);
    lg_xlsx_close(x);
    assert_int_equal(count_files(), files); /* reading writes nothing */
    free(p);
    lg_diags_free(&d);
}

static void test_prefixed(void **state)
{
    (void)state;
    lg_diags d = {0};
    char *p = path_of("prefixed.xlsx");
    lg_xlsx *x = lg_xlsx_open(p, &d);
    assert_non_null(x);
    const lg_xlsx_sheet *s = sheet_named(x, "Data", &d);
    assert_non_null(s);
    assert_cell(s, "B2", LG_XLSX_STRING, "pre");
    lg_xlsx_close(x);
    free(p);
    lg_diags_free(&d);
}

/* Files that cannot be opened, and the message each gives. */
static void test_refused_at_open(void **state)
{
    (void)state;
    static const struct {
        const char *file, *message;
    } cases[] = {
        {"notzip.xlsx", "not an XLSX workbook (it is not a zip archive)"},
        {"cfb.xlsx", "old-style .xls file or a workbook protected by a password"},
        {"noworkbook.xlsx", "the archive has no workbook part (xl/workbook.xml)"},
        {"bomb.xlsx", "refused as a zip bomb"},
        {"missing.xlsx", "cannot open the file"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lg_diags d = {0};
        char *p = path_of(cases[i].file);
        assert_null(lg_xlsx_open(p, &d));
        assert_int_equal(d.count, 1);
        assert_string_equal(d.items[0].file, p);
        if (!strstr(d.items[0].message, cases[i].message))
            fail_msg("%s: \"%s\" does not say \"%s\"", cases[i].file, d.items[0].message,
                     cases[i].message);
        free(p);
        lg_diags_free(&d);
    }
}

/* Files that open, but whose sheet cannot be read, and the message each gives. */
static void test_refused_sheet(void **state)
{
    (void)state;
    static const struct {
        const char *file, *message;
    } cases[] = {
        {"bzip2.xlsx", "part \"xl/worksheets/sheet1.xml\" is compressed with method 12"},
        {"encrypted.xlsx", "part \"xl/worksheets/sheet1.xml\" is encrypted"},
        {"crc.xlsx", "part \"xl/worksheets/sheet1.xml\" is damaged: CRC error"},
        {"doctype.xlsx", "DOCTYPE"},
        {"broken.xlsx", "is not a well-formed XML part (line 1:"},
        {"badindex.xlsx", "sheet \"Data\", cell C1: refers to shared string \"7\""},
        {"badref.xlsx", "sheet \"Data\": cell reference \"XFE1\" is not a cell"},
        {"norel.xlsx", "sheet \"Data\" has no part in the workbook's relationships"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lg_diags d = {0};
        char *p = path_of(cases[i].file);
        lg_xlsx *x = lg_xlsx_open(p, &d);
        if (!x)
            fail_msg("%s does not open: %s", cases[i].file, d.count ? d.items[0].message : "");
        assert_null(lg_xlsx_sheet_read(x, 0, &d));
        assert_int_equal(d.count, 1);
        if (!strstr(d.items[0].message, cases[i].message))
            fail_msg("%s: \"%s\" does not say \"%s\"", cases[i].file, d.items[0].message,
                     cases[i].message);
        lg_xlsx_close(x);
        free(p);
        lg_diags_free(&d);
    }
}

static void test_limits(void **state)
{
    (void)state;
    lg_diags d = {0};
    char *p = path_of("many.xlsx");
    lg_xlsx_limits lim = lg_xlsx_default_limits;
    lim.max_entries = 20;
    assert_null(lg_xlsx_open_opt(p, &lim, &d));
    assert_non_null(strstr(d.items[0].message, "the archive has 55 entries, more than the 20"));
    lg_diags_free(&d);
    free(p);

    /* a part larger than allowed, whatever its ratio */
    p = path_of("cells.xlsx");
    lim = lg_xlsx_default_limits;
    lim.max_entry_bytes = 100;
    assert_null(lg_xlsx_open_opt(p, &lim, &d));
    assert_non_null(strstr(d.items[0].message, "unpacks to more than"));
    lg_diags_free(&d);

    /* the file itself */
    lim = lg_xlsx_default_limits;
    lim.max_file_bytes = 1000;
    assert_null(lg_xlsx_open_opt(p, &lim, &d));
    assert_non_null(strstr(d.items[0].message, "the file is larger than"));
    lg_diags_free(&d);

    /* cells of a sheet */
    lim = lg_xlsx_default_limits;
    lim.max_cells = 8; /* the 6 shared strings fit, the 15 cells do not */
    lg_xlsx *x = lg_xlsx_open_opt(p, &lim, &d);
    assert_non_null(x);
    assert_null(sheet_named(x, "Data", &d));
    assert_non_null(strstr(d.items[0].message, "sheet \"Data\" has more than 8 cells"));
    lg_xlsx_close(x);
    lg_diags_free(&d);
    free(p);
}

static void test_unescape(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"", ""},
        {"plain", "plain"},
        {"a_x000D_b", "a\rb"},
        {"_x000d_", "\r"},                 /* hex digits of either case */
        {"_x005F_x000D_", "_x000D_"},      /* an escaped underscore */
        {"_x4E2D__x6587_", "中文"},
        {"_xD83D__xDE00_", "\xF0\x9F\x98\x80"},
        {"_xD83D_", "\xEF\xBF\xBD"},       /* a lone surrogate */
        {"_x0000_", "\xEF\xBF\xBD"},
        {"_x12_", "_x12_"},                /* not an escape */
        {"_x12345_", "_x12345_"},
        {"a_xZZZZ_b", "a_xZZZZ_b"},
        {"_x0041", "_x0041"},
        {"__x0041__", "_A_"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = lg_xlsx_unescape(cases[i][0]);
        assert_string_equal(s, cases[i][1]);
        free(s);
    }
}

static void test_refs(void **state)
{
    (void)state;
    static const struct {
        const char *ref;
        uint32_t row, col;
    } good[] = {{"A1", 0, 0},      {"D5", 4, 3},          {"Z1", 0, 25},
                {"AA10", 9, 26},   {"$B$2", 1, 1},        {"xfd1048576", 1048575, 16383}};
    char buf[16];
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        uint32_t r, c;
        assert_true(lg_xlsx_parse_ref(good[i].ref, &r, &c));
        assert_int_equal(r, good[i].row);
        assert_int_equal(c, good[i].col);
    }
    assert_string_equal(lg_xlsx_ref(4, 3, buf), "D5");
    assert_string_equal(lg_xlsx_ref(0, 26, buf), "AA1");
    assert_string_equal(lg_xlsx_ref(1048575, 16383, buf), "XFD1048576");
    static const char *const bad[] = {"", "A", "1", "A0", "XFE1", "A1048577", "1A", "A1B",
                                      "AAAA1", "A-1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint32_t r, c;
        if (lg_xlsx_parse_ref(bad[i], &r, &c))
            fail_msg("\"%s\" parsed as a reference", bad[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cells),          cmocka_unit_test(test_prefixed),
        cmocka_unit_test(test_refused_at_open), cmocka_unit_test(test_refused_sheet),
        cmocka_unit_test(test_limits),         cmocka_unit_test(test_unescape),
        cmocka_unit_test(test_refs),
    };
    return cmocka_run_group_tests(tests, make_files, remove_files);
}
