/* The table's merge-cover index, which both renderers draw merges by, and
 * band rows, which no merge takes in, and the status a cell shows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "arena.h"
#include "table.h"

static void merge_cover(void **state)
{
    (void)state;
    lg_merge merges[] = {
        {.row0 = 0, .row1 = 2, .col = 0}, /* kept */
        {.row0 = 1, .row1 = 3, .col = 0}, /* overlaps the first: left out */
        {.row0 = 2, .row1 = 3, .col = 1}, /* kept */
        {.row0 = 3, .row1 = 3, .col = 2}, /* one row: left out */
        {.row0 = 2, .row1 = 4, .col = 2}, /* past the last row: left out */
        {.row0 = 0, .row1 = 1, .col = 3}, /* past the last column: left out */
    };
    lg_table t = {.n_rows = 4, .n_columns = 3, .merges = merges, .n_merges = 6};
    uint32_t *cover = lg_table_merge_cover(&t);
    static const uint32_t want[4][3] = {{1, 0, 0}, {1, 0, 0}, {1, 3, 0}, {0, 3, 0}};
    for (size_t r = 0; r < 4; r++)
        for (size_t c = 0; c < 3; c++)
            assert_int_equal(cover[r * 3 + c], want[r][c]);
    free(cover);

    lg_table empty = {.n_rows = 0, .n_columns = 3};
    cover = lg_table_merge_cover(&empty);
    assert_non_null(cover);
    free(cover);
}

/* A band is a row of its own: equal texts on both sides of it (here the
 * empty 配合单位 of two tasks) do not merge across it, even in a column whose
 * left neighbour does not merge. */
static void band_rows(void **state)
{
    (void)state;
    lg_column cols[] = {
        {LG_FIELD_TASK, "工作任务", 40, LG_ALIGN_LEFT, false, false},
        {LG_FIELD_SUPPORT, "配合单位", 20, LG_ALIGN_CENTER, true, false},
    };
    lg_view_layout layout = {"unit", cols, 2};
    lg_arena *a = lg_arena_new();
    lg_table *t = lg_table_new(a, "全市台账", "", &layout);
    lg_table_add_row(t)[0].text = "1.甲。";
    assert_int_equal(lg_table_add_band(t, "一、某方面"), 1);
    lg_table_add_row(t)[0].text = "2.乙。";
    lg_table_add_row(t)[0].text = "3.丙。";
    lg_table_merge_equal(t);
    assert_false(lg_table_is_band(t, 0));
    assert_true(lg_table_is_band(t, 1));
    assert_false(lg_table_is_band(t, 2));
    assert_string_equal(lg_table_cell(t, 1, 0)->text, "一、某方面");
    assert_int_equal(lg_table_cell(t, 1, 0)->flags, LG_CELL_BAND);
    assert_string_equal(lg_table_cell(t, 1, 1)->text, "");
    assert_int_equal(t->n_merges, 1); /* rows 2-3 only */
    assert_int_equal(t->merges[0].row0, 2);
    assert_int_equal(t->merges[0].row1, 3);
    assert_int_equal(t->merges[0].col, 1);
    lg_arena_free(a);
}

/* A cell's status (lg_cell_set_status) reads back as set, each kind with and
 * without the escalation; setting it again replaces it; the cell's other
 * flags stay. */
static void cell_status(void **state)
{
    (void)state;
    lg_cell c = {.text = "否", .flags = LG_CELL_BEHIND | LG_CELL_INPUT};
    lg_status s;
    assert_false(lg_cell_status(&c, &s));
    for (int esc = 0; esc < 2; esc++)
        for (int k = 0; k < LG_STATUS_COUNT; k++) {
            lg_cell_set_status(&c, (lg_status){(lg_status_kind)k, esc});
            assert_true(lg_cell_status(&c, &s));
            assert_int_equal(s.kind, k);
            assert_int_equal(s.escalated, esc);
            assert_int_equal(c.flags & (LG_CELL_BEHIND | LG_CELL_INPUT),
                             LG_CELL_BEHIND | LG_CELL_INPUT);
        }
    lg_cell_set_status(&c, (lg_status){LG_STATUS_DONE, false});
    assert_true(lg_cell_status(&c, &s));
    assert_int_equal(s.kind, LG_STATUS_DONE);
    assert_false(s.escalated);
    assert_int_equal(c.flags & ~(unsigned)LG_CELL_STATUS, LG_CELL_BEHIND | LG_CELL_INPUT);
}

/* A cell's link, found among the table's links in row order. */
static void link_at(void **state)
{
    (void)state;
    lg_link links[] = {
        {0, 1, "A", "a"}, {2, 0, "A", "b"}, {2, 3, "B", "c"}, {5, 1, "A", "d"},
    };
    lg_table t = {.n_rows = 6, .n_columns = 4, .links = links, .n_links = 4};
    for (size_t k = 0; k < 4; k++)
        assert_ptr_equal(lg_table_link_at(&t, links[k].row, links[k].col), &links[k]);
    assert_null(lg_table_link_at(&t, 0, 0));
    assert_null(lg_table_link_at(&t, 2, 1));
    assert_null(lg_table_link_at(&t, 5, 2));
    assert_null(lg_table_link_at(&t, 6, 0));
    lg_table none = {.n_rows = 1, .n_columns = 1};
    assert_null(lg_table_link_at(&none, 0, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(merge_cover),
        cmocka_unit_test(band_rows),
        cmocka_unit_test(cell_status),
        cmocka_unit_test(link_at),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
