#include "pdfa.h"

#include <errno.h>
#include <qpdf/qpdf-c.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "infile.h"
#include "strbuf.h"

/* The sRGB profile, compiled in by scripts/embed.cmake (CMakeLists.txt). */
extern const unsigned char lg_icc_sRGB[];
extern const unsigned long lg_icc_sRGB_size;

/* ---- XMP ---------------------------------------------------------------------- */

/* S as XML character data or attribute value. */
static void put_escaped(lg_strbuf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '&': lg_strbuf_puts(b, "&amp;"); break;
        case '<': lg_strbuf_puts(b, "&lt;"); break;
        case '>': lg_strbuf_puts(b, "&gt;"); break;
        case '"': lg_strbuf_puts(b, "&quot;"); break;
        default: lg_strbuf_add(b, s + i, 1);
        }
    }
}

/* <NAME>VALUE</NAME>, or nothing when VALUE is empty. */
static void put_simple(lg_strbuf *b, const char *name, const char *value)
{
    if (!value || !*value)
        return;
    char *open = lg_xasprintf("   <%s>", name), *close = lg_xasprintf("</%s>\n", name);
    lg_strbuf_puts(b, open);
    put_escaped(b, value, strlen(value));
    lg_strbuf_puts(b, close);
    free(open);
    free(close);
}

/* A language alternative with VALUE as its default (dc:title, dc:description). */
static void put_alt(lg_strbuf *b, const char *name, const char *value)
{
    if (!value || !*value)
        return;
    char *s = lg_xasprintf("   <%s><rdf:Alt><rdf:li xml:lang=\"x-default\">", name);
    lg_strbuf_puts(b, s);
    free(s);
    put_escaped(b, value, strlen(value));
    s = lg_xasprintf("</rdf:li></rdf:Alt></%s>\n", name);
    lg_strbuf_puts(b, s);
    free(s);
}

/* VALUE as an ordered (Seq) or unordered (Bag) array of one item, or with
 * SPLIT of one item for each comma-separated part. */
static void put_list(lg_strbuf *b, const char *name, const char *kind, const char *value, bool split)
{
    if (!value || !*value)
        return;
    char *s = lg_xasprintf("   <%s><rdf:%s>", name, kind);
    lg_strbuf_puts(b, s);
    free(s);
    for (const char *p = value; *p;) {
        while (split && *p == ' ')
            p++;
        size_t n = split ? strcspn(p, ",") : strlen(p);
        lg_strbuf_puts(b, "<rdf:li>");
        put_escaped(b, p, n);
        lg_strbuf_puts(b, "</rdf:li>");
        p += n + (p[n] == ',');
    }
    s = lg_xasprintf("</rdf:%s></%s>\n", kind, name);
    lg_strbuf_puts(b, s);
    free(s);
}

/* T as an XMP date (ISO 8601, UTC) or a PDF date, into OUT (32 bytes). */
static void format_date(time_t t, bool pdf, char *out)
{
    struct tm tm;
    out[0] = '\0';
    if (gmtime_r(&t, &tm))
        strftime(out, 32, pdf ? "D:%Y%m%d%H%M%SZ" : "%Y-%m-%dT%H:%M:%SZ", &tm);
}

char *lg_pdfa_xmp(const lg_doc_info *info, const char *producer)
{
    lg_strbuf b = {0};
    char date[32];
    format_date(info->created, false, date);
    /* The xpacket header carries no bytes or encoding attribute (6.6.2.1). */
    lg_strbuf_puts(&b, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
              "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
              " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
              "  <rdf:Description rdf:about=\"\"\n"
              "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
              "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
              "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
              "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
              "   <pdfaid:part>2</pdfaid:part>\n"
              "   <pdfaid:conformance>B</pdfaid:conformance>\n"
              "   <dc:format>application/pdf</dc:format>\n");
    put_alt(&b, "dc:title", info->title);
    put_list(&b, "dc:creator", "Seq", info->author, false); /* the Info's Author whole */
    put_alt(&b, "dc:description", info->subject);
    put_list(&b, "dc:subject", "Bag", info->keywords, true);
    put_list(&b, "dc:language", "Bag", "zh-CN", false);
    put_simple(&b, "pdf:Keywords", info->keywords);
    put_simple(&b, "pdf:Producer", producer);
    put_simple(&b, "xmp:CreatorTool", info->creator);
    put_simple(&b, "xmp:CreateDate", date);
    put_simple(&b, "xmp:ModifyDate", date);
    put_simple(&b, "xmp:MetadataDate", date);
    lg_strbuf_puts(&b, "  </rdf:Description>\n"
              " </rdf:RDF>\n"
              "</x:xmpmeta>\n"
              "<?xpacket end=\"r\"?>\n");
    return b.s;
}

/* ---- the pass ----------------------------------------------------------------- */

/* Sets KEY of the dictionary DICT to the text VALUE, or removes it when VALUE
 * is empty: an empty entry would need an empty XMP property to match. */
static void set_text(qpdf_data q, qpdf_oh dict, const char *key, const char *value)
{
    if (value && *value)
        qpdf_oh_replace_key(q, dict, key, qpdf_oh_new_unicode_string(q, value));
    else
        qpdf_oh_remove_key(q, dict, key);
}

/* The Info dictionary with INFO's properties and PDF dates (Cairo 1.16
 * writes its dates without the "D:" prefix). Returns the producer Cairo
 * wrote, or NULL; the caller frees. */
static char *fix_info(qpdf_data q, const lg_doc_info *info)
{
    qpdf_oh trailer = qpdf_get_trailer(q);
    qpdf_oh d = qpdf_oh_get_key(q, trailer, "/Info");
    if (!qpdf_oh_is_dictionary(q, d)) {
        d = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q));
        qpdf_oh_replace_key(q, trailer, "/Info", d);
    }
    set_text(q, d, "/Title", info->title);
    set_text(q, d, "/Author", info->author);
    set_text(q, d, "/Subject", info->subject);
    set_text(q, d, "/Keywords", info->keywords);
    set_text(q, d, "/Creator", info->creator);
    char date[32];
    format_date(info->created, true, date);
    qpdf_oh_replace_key(q, d, "/CreationDate", qpdf_oh_new_string(q, date));
    qpdf_oh_replace_key(q, d, "/ModDate", qpdf_oh_new_string(q, date));
    qpdf_oh producer = qpdf_oh_get_key(q, d, "/Producer");
    return qpdf_oh_is_string(q, producer) ? lg_xstrdup(qpdf_oh_get_utf8_value(q, producer)) : NULL;
}

/* A new stream holding N bytes of DATA, written compressed unless it is
 * the metadata, which stays readable as text. */
static qpdf_oh new_stream(qpdf_data q, const void *data, size_t n)
{
    qpdf_oh s = qpdf_oh_new_stream(q);
    qpdf_oh_replace_stream_data(q, s, data, n, qpdf_oh_new_null(q), qpdf_oh_new_null(q));
    return s;
}

static void add_metadata(qpdf_data q, qpdf_oh root, const char *xmp)
{
    qpdf_oh s = new_stream(q, xmp, strlen(xmp));
    qpdf_oh dict = qpdf_oh_get_dict(q, s);
    qpdf_oh_replace_key(q, dict, "/Type", qpdf_oh_new_name(q, "/Metadata"));
    qpdf_oh_replace_key(q, dict, "/Subtype", qpdf_oh_new_name(q, "/XML"));
    qpdf_oh_replace_key(q, root, "/Metadata", s);
}

/* The sRGB OutputIntent: Cairo paints every colour in DeviceRGB, which
 * PDF/A allows with an RGB OutputIntent (6.2.3, 6.2.4.3). */
static void add_output_intent(qpdf_data q, qpdf_oh root)
{
    qpdf_oh profile = new_stream(q, lg_icc_sRGB, lg_icc_sRGB_size);
    qpdf_oh_replace_key(q, qpdf_oh_get_dict(q, profile), "/N", qpdf_oh_new_integer(q, 3));
    qpdf_oh intent = qpdf_oh_parse(q, "<< /Type /OutputIntent /S /GTS_PDFA1"
                                      " /OutputConditionIdentifier (sRGB IEC61966-2.1)"
                                      " /RegistryName (http://www.color.org)"
                                      " /Info (sRGB IEC61966-2.1) >>");
    qpdf_oh_replace_key(q, intent, "/DestOutputProfile", profile);
    qpdf_oh list = qpdf_oh_new_array(q);
    qpdf_oh_append_item(q, list, intent);
    qpdf_oh_replace_key(q, root, "/OutputIntents", list);
}

/* Annotation flags: Print set; Invisible, Hidden, NoView, ToggleNoView clear (6.3.2). */
enum { ANNOT_PRINT = 4, ANNOT_FORBIDDEN = 1 | 2 | 32 | 256 };

static void fix_annotations(qpdf_data q)
{
    int pages = qpdf_get_num_pages(q);
    for (int i = 0; i < pages; i++) {
        qpdf_oh annots = qpdf_oh_get_key(q, qpdf_get_page_n(q, (size_t)i), "/Annots");
        int n = qpdf_oh_is_array(q, annots) ? qpdf_oh_get_array_n_items(q, annots) : 0;
        for (int k = 0; k < n; k++) {
            qpdf_oh a = qpdf_oh_get_array_item(q, annots, k);
            if (!qpdf_oh_is_dictionary(q, a))
                continue;
            qpdf_oh f = qpdf_oh_get_key(q, a, "/F");
            long long flags = qpdf_oh_is_integer(q, f) ? qpdf_oh_get_int_value(q, f) : 0;
            flags = (flags | ANNOT_PRINT) & ~(long long)ANNOT_FORBIDDEN;
            qpdf_oh_replace_key(q, a, "/F", qpdf_oh_new_integer(q, flags));
        }
    }
}

static void fix_catalog(qpdf_data q, qpdf_oh root)
{
    qpdf_oh_replace_key(q, root, "/Lang", qpdf_oh_new_unicode_string(q, "zh-CN"));
    qpdf_oh outlines = qpdf_oh_get_key(q, root, "/Outlines");
    if (qpdf_oh_is_dictionary(q, outlines) && qpdf_oh_has_key(q, outlines, "/First"))
        qpdf_oh_replace_key(q, root, "/PageMode", qpdf_oh_new_name(q, "/UseOutlines"));
}

/* Where Cairo's file is moved to be read: ".cairo" before PATH's name, so
 * that a killed run's leftover is swept like the temporary files (outfile.c).
 * The caller frees. */
static char *cairo_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path + 1) : 0;
    return lg_xasprintf("%.*s.cairo%s", dirlen, path, path + dirlen);
}

/* Cairo's file at PATH read whole into *DATA (*N bytes; the caller frees),
 * when it has at most MAX bytes; else *DATA is NULL and the file is moved to
 * *SRC (the caller frees) to be read from there. False when neither can be
 * done (errno says why). A unit's ledger is then one read instead of the
 * seeks and reads qpdf makes in a file, and rewritten in place: no second
 * file is made and removed (a tenth of the pass's time for a unit's
 * ledger). A large file (a province's ledger) stays on the disk, read as
 * qpdf needs it. */
static bool take_input(const char *path, size_t max, char **data, size_t *n, char **src)
{
    *data = NULL;
    *src = NULL;
    struct stat st;
    if (max > 0 && stat(path, &st) == 0 && (uintmax_t)st.st_size <= max) {
        lg_read_status rs;
        *data = lg_read_file(path, max, n, &rs);
        if (*data && *n <= max)
            return true;
        free(*data);
        *data = NULL;
    }
    *src = cairo_name(path);
    if (rename(path, *src) == 0)
        return true;
    free(*src);
    *src = NULL;
    return false;
}

bool lg_pdfa_convert(const char *path, const lg_doc_info *info, lg_diags *d)
{
    return lg_pdfa_convert_max(path, info, LG_PDFA_READ_WHOLE_MAX, d);
}

bool lg_pdfa_convert_max(const char *path, const lg_doc_info *info, size_t read_whole_max,
                         lg_diags *d)
{
    char *data, *src;
    size_t n = 0;
    if (!take_input(path, read_whole_max, &data, &n, &src)) {
        lg_diags_add(d, LG_ERROR, "pdf-write", path, 0, "cannot write the PDF: %s",
                     strerror(errno));
        return false;
    }
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    bool ok = !((data ? qpdf_read_memory(q, path, data, n, NULL) : qpdf_read(q, src, NULL)) &
                QPDF_ERRORS);
    if (ok) {
        qpdf_oh root = qpdf_get_root(q);
        char *producer = fix_info(q, info);
        char *xmp = lg_pdfa_xmp(info, producer);
        add_metadata(q, root, xmp);
        add_output_intent(q, root);
        fix_catalog(q, root);
        fix_annotations(q);
        free(xmp);
        free(producer);
        ok = !qpdf_has_error(q);
    }
    if (ok) {
        ok = !(qpdf_init_write(q, path) & QPDF_ERRORS);
        qpdf_set_minimum_pdf_version(q, "1.7");
        /* an end-of-line before every endstream keyword (6.1.7.1) */
        qpdf_set_newline_before_endstream(q, QPDF_TRUE);
        /* the /ID of the same bytes is the same (6.1.3) */
        qpdf_set_deterministic_ID(q, QPDF_TRUE);
        /* Objects other than streams in compressed object streams, the cross-
         * reference table a stream too (PDF 1.5; PDF/A-2 allows both): Cairo
         * writes each page's dictionary, resources and stream length as an
         * object of its own, a sixth of a long ledger's bytes uncompressed. */
        qpdf_set_object_stream_mode(q, qpdf_o_generate);
        ok = ok && !(qpdf_write(q) & QPDF_ERRORS);
    }
    if (!ok) {
        qpdf_error e = qpdf_get_error(q);
        lg_diags_add(d, LG_ERROR, "pdf-write", path, 0,
                     "cannot make the PDF an archive copy (PDF/A-2b): %s; write it as Cairo "
                     "makes it with --pdf plain",
                     e ? qpdf_get_error_full_text(q, e) : "qpdf failed");
        unlink(path);
    }
    qpdf_cleanup(&q);
    if (src)
        unlink(src);
    free(src);
    free(data);
    return ok;
}
