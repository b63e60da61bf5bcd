/* mkdtemp, memmem */
#define _GNU_SOURCE
/* The PDF/A-2b pass (pdfa.c) and its checker (pdfa_verify.c) on a small PDF
 * that Cairo writes here: the file passes verify, properties with XML's
 * special characters and Chinese text survive the XMP; the same Cairo file
 * gives the same bytes twice; every object of Cairo's file is kept;
 * a file that is not Cairo's PDF is an error that names it and leaves nothing in
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

/* Object NUM of Q as text with its references unresolved: a stream's
 * dictionary without /Length (the pass writes Cairo's lengths in place),
 * any other object whole. The caller frees. */
static char *object_text(qpdf_data q, int num)
{
    qpdf_oh o = qpdf_get_object_by_id(q, num, 0);
    if (!qpdf_oh_is_stream(q, o))
        return lg_xstrdup(qpdf_oh_unparse_resolved(q, o));
    qpdf_oh d = qpdf_oh_get_dict(q, o);
    qpdf_oh_remove_key(q, d, "/Length");
    return lg_xstrdup(qpdf_oh_unparse_resolved(q, d));
}

/* A stream's bytes as the file holds them (not decoded). The caller frees. */
static unsigned char *raw_stream(qpdf_data q, int num, size_t *n)
{
    unsigned char *b = NULL;
    QPDF_BOOL filtered;
    assert_int_equal(qpdf_oh_get_stream_data(q, qpdf_get_object_by_id(q, num, 0), qpdf_dl_none,
                                             &filtered, &b, n),
                     QPDF_SUCCESS);
    return b;
}

/* Every object of Cairo's file is in the converted one under its number:
 * each stream with the same dictionary and bytes (its length now written
 * in it, the object that held it gone), every other object the same but
 * the catalog, the Info and the link annotation (made printable), read
 * back by qpdf, which finds nothing wrong. Every page draws the same. */
static void every_object_is_kept(void **state)
{
    (void)state;
    char dir[] = "/tmp/lg-pdfa-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *a = lg_xasprintf("%s/a.pdf", dir), *c = lg_xasprintf("%s/cairo.pdf", dir);
    cairo_pdf_link(a, true);
    cairo_pdf_link(c, true);
    lg_diags d = {0};
    assert_true(lg_pdfa_convert(a, &info, &d));
    assert_int_equal(d.count, 0);
    assert_true(lg_pdfa_verify(a, &d));
    assert_int_equal(d.count, 0);

    qpdf_data qc = qpdf_init(), qa = qpdf_init();
    qpdf_set_suppress_warnings(qa, QPDF_TRUE);
    assert_int_equal(qpdf_read(qc, c, NULL), QPDF_SUCCESS);
    assert_int_equal(qpdf_read(qa, a, NULL), QPDF_SUCCESS);
    assert_int_equal(qpdf_check_pdf(qa), QPDF_SUCCESS);
    int root = qpdf_oh_get_object_id(qc, qpdf_get_root(qc));
    int info_num = qpdf_oh_get_object_id(qc, qpdf_oh_get_key(qc, qpdf_get_trailer(qc), "/Info"));
    int size = (int)qpdf_oh_get_int_value(qc, qpdf_oh_get_key(qc, qpdf_get_trailer(qc), "/Size"));
    int streams = 0, lengths = 0, annots = 0;
    for (int k = 1; k < size; k++) {
        qpdf_oh oc = qpdf_get_object_by_id(qc, k, 0), oa = qpdf_get_object_by_id(qa, k, 0);
        if (k == root || k == info_num)
            continue;
        if (qpdf_oh_is_stream(qc, oc)) {
            assert_true(qpdf_oh_is_stream(qa, oa));
            qpdf_oh len = qpdf_oh_get_key(qa, qpdf_oh_get_dict(qa, oa), "/Length");
            assert_false(qpdf_oh_is_indirect(qa, len));
            size_t nc, na;
            unsigned char *bc = raw_stream(qc, k, &nc), *ba = raw_stream(qa, k, &na);
            assert_true(nc == na && memcmp(bc, ba, nc) == 0);
            free(bc);
            free(ba);
            streams++;
        } else if (qpdf_oh_is_integer(qc, oc) && qpdf_oh_is_null(qa, oa)) {
            lengths++; /* a stream's length, written in the stream */
            continue;
        }
        char *tc = object_text(qc, k), *ta = object_text(qa, k);
        if (strstr(tc, "/Type /Annot")) {
            annots++;
            assert_int_equal(qpdf_oh_get_int_value(qa, qpdf_oh_get_key(qa, oa, "/F")), 4);
            qpdf_oh_remove_key(qa, oa, "/F");
            free(ta);
            ta = object_text(qa, k);
        }
        assert_string_equal(ta, tc);
        free(tc);
        free(ta);
    }
    assert_true(streams >= 3 && lengths == streams && annots == 1);
    qpdf_oh cat = qpdf_get_root(qa);
    assert_string_equal(qpdf_oh_get_utf8_value(qa, qpdf_oh_get_key(qa, cat, "/Lang")), "zh-CN");
    assert_true(qpdf_oh_is_stream(qa, qpdf_oh_get_key(qa, cat, "/Metadata")));
    qpdf_cleanup(&qc);
    qpdf_cleanup(&qa);
    unlink(a);
    unlink(c);
    rmdir(dir);
    free(a);
    free(c);
}

/* Cairo's file with a stretch of its middle cut out, as a disk that lost
 * part of it would leave it: its table then points past the objects. The
 * pass says so and leaves nothing, whatever stretch is cut. */
static void damaged_file_is_an_error(void **state)
{
    (void)state;
    char dir[] = "/tmp/lg-pdfa-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *a = lg_xasprintf("%s/a.pdf", dir);
    cairo_pdf_link(a, true);
    size_t n;
    char *data = read_all(a, &n);
    for (size_t cut = 7; cut < n / 2; cut += n / 23) {
        FILE *f = fopen(a, "wb");
        assert_non_null(f);
        fwrite(data, 1, cut, f);
        fwrite(data + cut + 40, 1, n - cut - 40, f); /* 40 bytes gone */
        fclose(f);
        lg_diags d = {0};
        assert_false(lg_pdfa_convert(a, &info, &d));
        assert_int_equal(d.count, 1);
        assert_non_null(
            strstr(d.items[0].message, "cannot make the PDF an archive copy (PDF/A-2b): "));
        assert_int_equal(entries_in(dir), 0);
        lg_diags_free(&d);
    }
    free(data);
    rmdir(dir);
    free(a);
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
        cmocka_unit_test(every_object_is_kept),
        cmocka_unit_test(damaged_file_is_an_error),
        cmocka_unit_test(unreadable_file_is_an_error),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    cairo_debug_reset_static_data(); /* the toy font's caches, for the leak checker */
    return failed;
}
