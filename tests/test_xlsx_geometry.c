/* Excel's row geometry: row heights in whole pixels, rows that grow to fit a
 * span, and cells that continue on extra rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"
#include "xlsx_geometry.h"

/* The pixels Excel draws a column that libxlsxwriter 1.1.4 was given P
 * pixels for: it stores (round(7C) + 5) / 7 digits for C = (P - 5) / 7
 * characters, in 256ths; Excel draws W digits of d px as
 * floor((256W + floor(128 / d)) / 256 * d). */
static long excel_px(uint32_t p, int d)
{
    double c = (p - 5.0) / 7.0;
    double w = floor((floor(c * 7 + 0.5) + 5) / 7 * 256) / 256;
    return (long)floor((256 * w + floor(128.0 / d)) / 256 * d);
}

/* Columns as wide in Excel, whose digit of the Normal font (宋体 11) is
 * 8 px, as they are planned, to within a pixel; unconverted, they would be
 * 8/7 as wide. */
static void column_pixels(void **state)
{
    (void)state;
    for (uint32_t px = 2 * LG_XLSX_DIGIT_PX; px <= 2000; px++) {
        long got = excel_px(lg_xlsx_lxw_px(px), LG_XLSX_DIGIT_PX);
        assert_true(labs(got - (long)px) <= 1);
    }
    /* the by-task ledger's columns (mm) add up in Excel to what they are */
    const double mm[] = {13.5, 19.6, 10.6, 45, 15.1, 67.7, 45, 15.1, 27, 10.6};
    long planned = 0, drawn = 0;
    for (size_t i = 0; i < sizeof mm / sizeof *mm; i++) {
        planned += lg_xlsx_col_px(mm[i]);
        drawn += excel_px(lg_xlsx_lxw_px(lg_xlsx_col_px(mm[i])), LG_XLSX_DIGIT_PX);
    }
    assert_true(labs(drawn - planned) <= 2);
}

static void pixels(void **state)
{
    (void)state;
    assert_int_equal(lg_xlsx_col_px(25.4), 96);
    assert_int_equal(lg_xlsx_col_px(0), 1);
    lg_template tpl = {.padding_mm = 0}; /* Excel's 3 px padding at least */
    /* 12 pt of text + 0.75 a line + 1.5 + 2 * 2.25 = 18.75 pt: 25 px */
    assert_float_equal(lg_xlsx_row_height(&tpl, 12, 1), 18.75, 1e-9);
    /* 12.1 pt rounds up to the next pixel: 18.85 -> 19.5 */
    assert_float_equal(lg_xlsx_row_height(&tpl, 12.1, 1), 19.5, 1e-9);
    /* 宋体's lines: its em at 96 dpi in whole pixels (Excel's default row
     * for 宋体 11 is 15 + 3 px = 13.5 pt) */
    lg_font f = {.size = 10};
    assert_float_equal(lg_xlsx_line_pt(&f), 10.5, 1e-9); /* 13.33 -> 14 px */
    f.size = 10.5;
    assert_float_equal(lg_xlsx_line_pt(&f), 10.5, 1e-9); /* 14 px */
    f.size = 11;
    assert_float_equal(lg_xlsx_line_pt(&f), 11.25, 1e-9); /* 14.67 -> 15 px */
    f.size = 12;
    assert_float_equal(lg_xlsx_line_pt(&f), 12, 1e-9); /* 16 px */
    /* two lines of 10.5 pt + 2 * 0.75 + 1.5 + 2 * 2.25 = 28.5 pt: 38 px */
    f.size = 10;
    assert_float_equal(lg_xlsx_lines_height(&tpl, &f, 2), 28.5, 1e-9);
    /* 96 px = 72 pt, less 2 * 2.25 pt padding, times 0.95 */
    assert_float_equal(lg_xlsx_text_width(&tpl, 25.4), (72 - 4.5) * 0.95, 1e-9);
}

static void counting(void **state)
{
    (void)state;
    size_t units, lfs;
    const char *s = "a中\xF0\xA0\x80\x80\n"; /* U+20000 takes two UTF-16 units */
    lg_xlsx_count_text(s, strlen(s), &units, &lfs);
    assert_int_equal(units, 5);
    assert_int_equal(lfs, 1);
}

static void fitting(void **state)
{
    (void)state;
    lg_xlsx_rows r = {0};
    lg_xlsx_rows_push(&r, 10);
    lg_xlsx_rows_fit(&r, 0, 0, 1000);
    /* the first row up to Excel's maximum, then new rows for what remains */
    assert_int_equal(r.n, 3);
    assert_float_equal(r.h[0], LG_XLSX_MAX_ROW_PT, 1e-9);
    assert_float_equal(r.h[1], LG_XLSX_MAX_ROW_PT, 1e-9);
    assert_float_equal(r.h[2], 183, 1e-9); /* 182.5 pt rounded up to a pixel */
    lg_xlsx_rows_fit(&r, 2, 900, 1000); /* 900 before + 183 here is enough */
    assert_int_equal(r.n, 3);
    assert_float_equal(r.h[2], 183, 1e-9);
    free(r.h);
}

static const lg_font body = {"Noto Serif CJK SC", 10, false, "宋体"};

/* TEXT made of N copies of PIECE; the caller frees. */
static char *repeat(const char *piece, size_t n)
{
    size_t len = strlen(piece);
    char *text = lg_xmalloc(len * n + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(text + i * len, piece, len);
    text[len * n] = '\0';
    return text;
}

static bool ends_with(const char *s, const char *end)
{
    size_t n = strlen(s), k = strlen(end);
    return n >= k && strcmp(s + n - k, end) == 0;
}

/* Splits TEXT at 100 pt and checks what every split must be: at least two
 * parts, each at most a row tall, each part but the first marked, each but
 * the last ending with END, and the parts joined (with SEP between them)
 * the text. */
static void check_split(lg_layout *l, const char *text, const char *end, const char *sep)
{
    lg_template tpl = {.padding_mm = 1.5};
    lg_xlsx_split sp;
    assert_true(lg_xlsx_split_text(&tpl, l, &body, 100, LG_ALIGN_LEFT, true, text, &sp));
    assert_true(sp.n >= 2);
    size_t mark = strlen(LG_XLSX_CONT_MARK);
    char *joined = lg_xcalloc(1, strlen(text) + 1);
    for (size_t i = 0; i < sp.n; i++) {
        assert_true(sp.height[i] > 0 && sp.height[i] <= LG_XLSX_MAX_ROW_PT);
        const char *t = sp.text[i];
        if (i > 0) {
            assert_memory_equal(t, LG_XLSX_CONT_MARK, mark);
            t += mark;
            strcat(joined, sep);
        }
        if (i + 1 < sp.n)
            assert_true(ends_with(t, end));
        assert_true(strlen(joined) + strlen(t) <= strlen(text));
        strcat(joined, t);
    }
    assert_string_equal(joined, text);
    free(joined);
    lg_xlsx_split_free(&sp);
    assert_int_equal(sp.n, 0);
}

static void splitting(void **state)
{
    (void)state;
    lg_layout *l = lg_layout_new();
    /* Sentences: every part ends at one. A quote closing after the sentence
     * end stays with it; clause ends are not used while sentences are. (One
     * sentence end a piece: with two, which is a part's last depends on
     * where its rows end.) */
    char *text = repeat("推进重点项目建设，取得积极成效，“五个一批”项目全部开工。”", 120);
    check_split(l, text, "。”", "");
    free(text);
    text = repeat("推进重点项目建设，取得积极成效；", 200);
    check_split(l, text, "；", "");
    free(text);
    /* No sentence end: a clause end. */
    text = repeat("推进重点项目建设、", 300);
    check_split(l, text, "、", "");
    free(text);
    /* Paragraphs without a sentence end: at a paragraph end, its line feed
     * between the parts. */
    text = repeat("推进重点项目建设工作成效明显\n", 200);
    text[strlen(text) - 1] = '\0';
    check_split(l, text, "明显", "\n");
    free(text);

    /* One line longer than a cell holds cannot be split. */
    size_t len = LG_XLSX_MAX_CELL_UNITS + 1;
    text = lg_xmalloc(len + 1);
    memset(text, 'a', len);
    text[len] = '\0';
    lg_template tpl = {.padding_mm = 0};
    lg_xlsx_split sp;
    assert_false(lg_xlsx_split_text(&tpl, l, &body, 0, LG_ALIGN_LEFT, false, text, &sp));
    assert_int_equal(sp.n, 0);
    free(text);
    lg_layout_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pixels),
        cmocka_unit_test(column_pixels),
        cmocka_unit_test(counting),
        cmocka_unit_test(fitting),
        cmocka_unit_test(splitting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
