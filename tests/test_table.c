/* The table's merge-cover index, which both renderers draw merges by. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

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
        cmocka_unit_test(link_at),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
