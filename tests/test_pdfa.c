/* mkdtemp, memmem */
#define _GNU_SOURCE
/* The PDF/A-2b pass (pdfa.c) and its checker (pdfa_verify.c) on a small PDF
 * that Cairo writes here: the file passes verify, properties with XML's
 * special characters and Chinese text survive the XMP; the same Cairo file
 * gives the same bytes twice; a large file gets the additions appended;
 * a file qpdf cannot read is an error that names it and leaves nothing in
 * the folder. */
#include <cairo-pdf.h>
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <qpdf/qpdf-c.h>

#include "arena.h"
#include "pdfa.h"
#include "pdfa_verify.h"

static const lg_doc_info info = {
    .title = "2022年度 A&B <台账> \"测试\"",
    .subject = "市科技局",
    .author = "市人民政府办公室, 市发展改革委", /* one author, with a comma */
    .keywords = "落实情况台账, 市科技局, 2022-10",
    .creator = "ledgerc test",
    .created = 1667260800,
};

/* Writes a one-page PDF with Chinese text at PATH, as Cairo does; with
 * LINK, the text is a link to a place on the page, as render_pdf.c makes one. */
static void cairo_pdf_link(const char *path, bool link)
{
    cairo_surface_t *s = cairo_pdf_surface_create(path, 200, 100);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, info.title);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "2022-11-01T00:00:00Z");
    cairo_pdf_surface_add_outline(s, CAIRO_PDF_OUTLINE_ROOT, "第一页", "page=1", 0);
    cairo_t *cr = cairo_create(s);
    cairo_select_font_face(cr, "Noto Serif CJK SC", CAIRO_FONT_SLANT_NORMAL,
                           CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 12);
    if (link) {
        cairo_tag_begin(cr, "Document", "");
        cairo_tag_begin(cr, CAIRO_TAG_LINK, "page=1 pos=[10 10]");
    }
    cairo_move_to(cr, 10, 50);
    cairo_show_text(cr, "落实情况台账");
    if (link) {
        cairo_tag_end(cr, CAIRO_TAG_LINK);
        cairo_tag_end(cr, "Document");
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
}

static void cairo_pdf(const char *path)
{
    cairo_pdf_link(path, false);
}

static char *read_all(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    rewind(f);
    char *b = lg_xmalloc(*n + 1);
    assert_int_equal(fread(b, 1, *n, f), *n);
    b[*n] = '\0';
    fclose(f);
    return b;
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

static void converted_file_passes_verify(void **state)
{
    (void)state;
    char dir[] = "/tmp/lg-pdfa-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *a = lg_xasprintf("%s/a.pdf", dir), *b = lg_xasprintf("%s/b.pdf", dir);
    cairo_pdf(a);
    lg_diags d = {0};
    assert_false(lg_pdfa_verify(a, &d)); /* Cairo's own file is not PDF/A */
    lg_diags_free(&d);

    cairo_pdf(b);
    assert_true(lg_pdfa_convert(a, &info, &d));
    assert_true(lg_pdfa_convert(b, &info, &d));
    assert_int_equal(d.count, 0);
    assert_int_equal(entries_in(dir), 2); /* Cairo's files are gone */
    assert_true(lg_pdfa_verify(a, &d));
    for (size_t i = 0; i < d.count; i++)
        print_error("%s\n", d.items[i].message);
    assert_int_equal(d.count, 0);

    size_t na, nb;
    char *da = read_all(a, &na), *db = read_all(b, &nb);
    assert_true(na == nb && memcmp(da, db, na) == 0);
    /* the title escaped in the XMP, read back equal to the Info's by verify
     * (the XMP stream is not compressed: a file's bytes show it) */
    const char *title = "2022年度 A&amp;B &lt;台账&gt; &quot;测试&quot;";
    assert_non_null(memmem(da, na, title, strlen(title)));
    /* the dictionaries are in compressed object streams (a sixth of a long
     * ledger's bytes otherwise); the catalog is read back with qpdf */
    assert_non_null(memmem(da, na, "/Type /ObjStm", strlen("/Type /ObjStm")));
    qpdf_data q = qpdf_init();
    assert_false(qpdf_read(q, a, NULL) & QPDF_ERRORS);
    qpdf_oh mode = qpdf_oh_get_key(q, qpdf_get_root(q), "/PageMode");
    assert_true(qpdf_oh_is_name_and_equals(q, mode, "/UseOutlines"));
    qpdf_cleanup(&q);
    free(da);
    free(db);
    unlink(a);
    unlink(b);
    rmdir(dir);
    free(a);
    free(b);
}

/* A file over the size read whole (lg_pdfa_convert_max's limit, here 0)
 * keeps Cairo's bytes and gets the additions appended: it passes verify
 * (its link annotation made printable, the /ID in the new trailer) and
 * qpdf's check, and the same Cairo file gives the same bytes. */
static void large_file_gets_an_update(void **state)
{
    (void)state;
    char dir[] = "/tmp/lg-pdfa-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *a = lg_xasprintf("%s/a.pdf", dir), *b = lg_xasprintf("%s/b.pdf", dir);
    cairo_pdf_link(a, true);
    cairo_pdf_link(b, true);
    size_t nc, na, nb;
    char *dc = read_all(a, &nc);
    assert_non_null(memmem(dc, nc, "/Subtype /Link", strlen("/Subtype /Link")));
    lg_diags d = {0};
    assert_true(lg_pdfa_convert_max(a, &info, 0, &d));
    assert_true(lg_pdfa_convert_max(b, &info, 0, &d));
    assert_int_equal(d.count, 0);
    assert_int_equal(entries_in(dir), 2);
    assert_true(lg_pdfa_verify(a, &d));
    for (size_t i = 0; i < d.count; i++)
        print_error("%s\n", d.items[i].message);
    assert_int_equal(d.count, 0);

    char *da = read_all(a, &na), *db = read_all(b, &nb);
    assert_true(na == nb && memcmp(da, db, na) == 0);
    assert_true(na > nc && memcmp(da, dc, nc) == 0); /* Cairo's bytes, then the update */
    assert_non_null(memmem(da + nc, na - nc, "/Prev ", strlen("/Prev ")));
    qpdf_data q = qpdf_init();
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    assert_int_equal(qpdf_read(q, a, NULL), QPDF_SUCCESS);
    assert_int_equal(qpdf_check_pdf(q), QPDF_SUCCESS);
    qpdf_oh mode = qpdf_oh_get_key(q, qpdf_get_root(q), "/PageMode");
    assert_true(qpdf_oh_is_name_and_equals(q, mode, "/UseOutlines"));
    qpdf_cleanup(&q);
    free(da);
    free(db);
    free(dc);
    unlink(a);
    unlink(b);
    rmdir(dir);
    free(a);
    free(b);
}

static void unreadable_file_is_an_error(void **state)
{
    (void)state;
    char dir[] = "/tmp/lg-pdfa-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *a = lg_xasprintf("%s/a.pdf", dir);
    FILE *f = fopen(a, "wb");
    fputs("not a PDF\n", f);
    fclose(f);
    lg_diags d = {0};
    assert_false(lg_pdfa_convert(a, &info, &d));
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].file, a);
    assert_non_null(strstr(d.items[0].message, "cannot make the PDF an archive copy (PDF/A-2b): "));
    assert_int_equal(entries_in(dir), 0);
    lg_diags_free(&d);

    size_t pdfs = 0;
    assert_false(lg_verify(a, &pdfs, &d));
    assert_string_equal(d.items[0].message,
                        "no such file or folder; give a PDF or a month's output folder");
    lg_diags_free(&d);
    rmdir(dir);
    free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(converted_file_passes_verify),
        cmocka_unit_test(large_file_gets_an_update),
        cmocka_unit_test(unreadable_file_is_an_error),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    cairo_debug_reset_static_data(); /* the toy font's caches, for the leak checker */
    return failed;
}
