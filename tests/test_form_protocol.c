/* The form protocol: the hidden sheet's cells, where import looks for them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "form_protocol.h"

typedef struct grid {
    char cell[16][4][32];
    uint32_t rows;
    unsigned calls;
} grid;

static void put(void *ctx, uint32_t row, uint16_t col, const char *text)
{
    grid *g = ctx;
    assert_true(row < 16 && col < 4);
    assert_true(row + 1 >= g->rows); /* row by row */
    snprintf(g->cell[row][col], sizeof g->cell[row][col], "%s", text);
    if (row + 1 > g->rows)
        g->rows = row + 1;
    g->calls++;
}

static void hidden_sheet_layout(void **state)
{
    (void)state;
    static const lg_meta meta[] = {{LG_FORM_KEY_VERSION, LG_FORM_VERSION},
                                   {LG_FORM_KEY_UNIT, "kjj"},
                                   {LG_FORM_KEY_PERIOD, "2022-11"}};
    static const char *const keys[] = {"139", NULL, "7"};
    static const char *const done[] = {"", NULL, "2022-03"}; /* task 7: completed in March */
    lg_form f = {.meta = meta, .n_meta = 3, .row_keys = keys, .row_done = done};
    /* body rows written on sheet rows 2-4, 5, 6-9 (0-based) */
    static const uint32_t first[] = {2, 5, 6};
    grid g = {0};
    lg_form_sheet_cells(&f, "市科技局", 3, first, 10, put, &g);

    static const char *const want[][4] = {
        {"ledgerc-form", "2", "", ""}, {"unit", "kjj", "", ""}, {"period", "2022-11", "", ""},
        {"sheet", "市科技局", "", ""}, {"rows", "3", "", ""},    {"139", "3", "5", ""},
        {"", "6", "6", ""},            {"7", "7", "10", "2022-03"},
    };
    assert_int_equal(g.rows, 8);
    assert_int_equal(g.calls, 3 * 2 + 2 * 2 + 3 * 3 + 1);
    for (size_t r = 0; r < 8; r++)
        for (size_t c = 0; c < 4; c++)
            assert_string_equal(g.cell[r][c], want[r][c]);
}

static void no_row_keys(void **state)
{
    (void)state;
    lg_form f = {0};
    grid g = {0};
    lg_form_sheet_cells(&f, "表", 0, NULL, 2, put, &g);
    assert_int_equal(g.rows, 2);
    assert_string_equal(g.cell[0][0], "sheet");
    assert_string_equal(g.cell[1][1], "0");
}

static void yes_no(void **state)
{
    (void)state;
    assert_int_equal(lg_form_yes_no("是", strlen("是")), 1);
    assert_int_equal(lg_form_yes_no("否", strlen("否")), 0);
    assert_int_equal(lg_form_yes_no("已完成", strlen("已完成")), 2);
    assert_int_equal(lg_form_yes_no("是的", strlen("是的")), -1);
    assert_int_equal(lg_form_yes_no("是的", strlen("是")), 1); /* only N bytes count */
    assert_int_equal(lg_form_yes_no("", 0), -1);
    assert_int_equal(lg_form_yes_no("yes", 3), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hidden_sheet_layout),
        cmocka_unit_test(no_row_keys),
        cmocka_unit_test(yes_no),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
