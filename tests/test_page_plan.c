/* page_plan.c: the page rules for rows placed top to bottom, in points. A
 * page of 100 pt (90 on the first, below the title), short rows up to 20. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "page_plan.h"

static const lg_page_room room = {.first = 90, .other = 100, .short_h = 20};
static const double min_part = 15;

/* A pager with H pt placed on its first page. */
static lg_pager after(double h)
{
    lg_pager pg;
    lg_pager_init(&pg, &room);
    if (h > 0)
        lg_pager_place(&pg, h);
    return pg;
}

static void fitting_rows_stay(void **state)
{
    (void)state;
    lg_pager pg = after(40);
    double first = -1;
    assert_int_equal(lg_pager_row(&pg, &(lg_page_row){.h = 50}, min_part, &first), LG_PAGE_PLACE);
    assert_int_equal(pg.pages, 1);
    assert_false(lg_pager_place(&pg, 50)); /* 90: the first page is full */
    assert_true(lg_pager_place(&pg, 1));   /* the next row begins page 2 */
    assert_int_equal(pg.pages, 2);
    assert_float_equal(lg_pager_left(&pg), 99, 1e-9);
}

static void a_group_begins_a_page(void **state)
{
    (void)state;
    lg_pager pg = after(10);
    double first = -1;
    lg_page_row r = {.h = 10, .new_page = true};
    assert_int_equal(lg_pager_row(&pg, &r, min_part, &first), LG_PAGE_PLACE);
    assert_int_equal(pg.pages, 2); /* broken before it */
    /* the table's first row begins its first page: no break */
    pg = after(0);
    assert_int_equal(lg_pager_row(&pg, &r, min_part, &first), LG_PAGE_PLACE);
    assert_int_equal(pg.pages, 1);
}

static void a_merged_text_needs_its_room(void **state)
{
    (void)state;
    lg_pager pg = after(60); /* 30 left */
    double first = -1;
    lg_page_row r = {.h = 10, .merge_need = 35};
    assert_int_equal(lg_pager_row(&pg, &r, min_part, &first), LG_PAGE_PLACE);
    assert_int_equal(pg.pages, 2);
    /* at the top of a page, nothing better: it stays */
    pg = after(0);
    r.merge_need = 500;
    assert_int_equal(lg_pager_row(&pg, &r, min_part, &first), LG_PAGE_PLACE);
    assert_int_equal(pg.pages, 1);
}

static void short_rows_are_never_split(void **state)
{
    (void)state;
    lg_pager pg = after(80); /* 10 left */
    double first = -1;
    assert_int_equal(lg_pager_row(&pg, &(lg_page_row){.h = 20}, min_part, &first), LG_PAGE_NEXT);
    assert_int_equal(pg.pages, 2);
    assert_float_equal(pg.y, 0, 1e-9);
}

static void long_rows_are_split_into_what_is_left(void **state)
{
    (void)state;
    lg_pager pg = after(50); /* 40 left */
    double first = -1;
    assert_int_equal(lg_pager_row(&pg, &(lg_page_row){.h = 70}, min_part, &first),
                     LG_PAGE_SPLIT);
    assert_float_equal(first, 40, 1e-9);
    assert_int_equal(pg.pages, 1);
    /* too little left for a part: the row goes on the next page */
    pg = after(80);
    assert_int_equal(lg_pager_row(&pg, &(lg_page_row){.h = 70}, min_part, &first), LG_PAGE_NEXT);
    assert_int_equal(pg.pages, 2);
    /* taller than a page, at its top: split into the whole page */
    pg = after(0);
    assert_int_equal(lg_pager_row(&pg, &(lg_page_row){.h = 250}, min_part, &first),
                     LG_PAGE_SPLIT);
    assert_float_equal(first, 90, 1e-9);
}

static void the_last_short_row_is_not_alone(void **state)
{
    (void)state;
    /* 35 fits in the 40 left, but the group's last row (15) would then go
     * alone to the next page: the row leaves it room, its first part at
     * most 40 - 15 */
    lg_pager pg = after(50);
    double first = -1;
    lg_page_row r = {.h = 35, .next_short = 15};
    assert_int_equal(lg_pager_row(&pg, &r, min_part, &first), LG_PAGE_SPLIT);
    assert_float_equal(first, 25, 1e-9);
    /* a short row and the last one: both to the next page */
    r.h = 20;
    pg = after(65);
    assert_int_equal(lg_pager_row(&pg, &r, min_part, &first), LG_PAGE_NEXT);
    assert_int_equal(pg.pages, 2);
    /* without the next row, it fits */
    r.next_short = 0;
    pg = after(65);
    assert_int_equal(lg_pager_row(&pg, &r, min_part, &first), LG_PAGE_PLACE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fitting_rows_stay),
        cmocka_unit_test(a_group_begins_a_page),
        cmocka_unit_test(a_merged_text_needs_its_room),
        cmocka_unit_test(short_rows_are_never_split),
        cmocka_unit_test(long_rows_are_split_into_what_is_left),
        cmocka_unit_test(the_last_short_row_is_not_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
