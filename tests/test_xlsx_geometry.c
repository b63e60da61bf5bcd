/* Excel's row geometry: row heights in whole pixels, rows that grow to fit a
 * span, and cells that continue on extra rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"
#include "xlsx_geometry.h"

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

/* A box of N lines, each 20 pt tall and "ab\n" long. */
static lg_text_box *box_of(size_t n)
{
    lg_text_box *b = lg_xcalloc(1, sizeof *b);
    b->n_lines = n;
    b->line_start = lg_xcalloc(n + 1, sizeof *b->line_start);
    b->line_top = lg_xcalloc(n + 1, sizeof *b->line_top);
    for (size_t i = 0; i <= n; i++) {
        b->line_start[i] = 3 * i;
        b->line_top[i] = 20.0 * i;
    }
    b->height = 20.0 * n;
    return b;
}

static void box_free(lg_text_box *b)
{
    free(b->line_start);
    free(b->line_top);
    free(b);
}

static void splitting(void **state)
{
    (void)state;
    lg_template tpl = {.padding_mm = 0};
    size_t n = 100;
    char *text = lg_xmalloc(3 * n + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(text + 3 * i, "ab\n", 3);
    text[3 * n] = '\0';
    lg_text_box *b = box_of(n);
    lg_xlsx_split sp;
    assert_true(lg_xlsx_split_box(&tpl, b, text, &sp));
    /* 19 lines make 400.5 pt, 20 would make 421.5 pt: over 408.75 */
    assert_int_equal(sp.n, 6);
    for (size_t i = 0; i < sp.n; i++)
        assert_int_equal(sp.cut[i], 19 * i);
    assert_int_equal(sp.cut[6], 100);
    assert_float_equal(lg_xlsx_chunk_height(&tpl, &sp, 0), 400.5, 1e-9);
    assert_true(lg_xlsx_chunk_height(&tpl, &sp, 5) < 400.5); /* 5 lines */
    free(sp.cut);
    box_free(b);
    free(text);

    /* One line longer than a cell holds cannot be split. */
    size_t len = LG_XLSX_MAX_CELL_UNITS + 1;
    text = lg_xmalloc(len + 1);
    memset(text, 'a', len);
    text[len] = '\0';
    b = box_of(1);
    b->line_start[1] = len;
    assert_false(lg_xlsx_split_box(&tpl, b, text, &sp));
    free(sp.cut);
    box_free(b);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pixels),
        cmocka_unit_test(counting),
        cmocka_unit_test(fitting),
        cmocka_unit_test(splitting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
