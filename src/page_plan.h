/* Where a table's pages break, in points and nothing else: the rules of the
 * PDF's pages (render_pdf.c) for a renderer that places a table row by row
 * and can split a row only where it says (the XLSX: between its physical
 * rows, at sentence ends), so that its manual page breaks put the same rows
 * on a page as the PDF where the heights agree. No library here.
 *
 * Use: lg_pager_init; for each table row, lg_pager_row says whether it
 * goes on this page whole, begins the next page, or is split so that its
 * first part fits what is left; then lg_pager_place for each of its
 * physical rows, which breaks the page before one that does not fit. */
#ifndef LG_PAGE_PLAN_H
#define LG_PAGE_PLAN_H

#include <stdbool.h>
#include <stddef.h>

/* The room for rows on a page, pt: FIRST on the table's first page (below
 * the title and the header), OTHER on the others (below the repeated
 * header). A row at most SHORT tall is a short row: never split over pages,
 * and never alone on a page where it could go with the row above. */
typedef struct lg_page_room {
    double first, other, short_h;
} lg_page_room;

typedef struct lg_pager {
    lg_page_room room;
    double y;  /* the height placed on this page */
    int pages; /* so far, this one included */
} lg_pager;

/* A table row about to be placed. */
typedef struct lg_page_row {
    double h;          /* its height, whole (as if a page had room for it) */
    bool new_page;     /* it begins a group that starts on a new page */
    double merge_need; /* the most any merged cell beginning in it needs for its text; 0: none */
    double next_short; /* the height of the next row when that one ends its group (or the
                          table) and is short, else 0: it must not go alone to a page */
} lg_page_row;

typedef enum lg_page_action {
    LG_PAGE_PLACE, /* on this page as it is (or, taller than a page, broken between its rows) */
    LG_PAGE_NEXT,  /* on the next page: lg_pager_row has broken the page */
    LG_PAGE_SPLIT  /* split: its first part at most *FIRST_MAX tall, here */
} lg_page_action;

/** Starts a table's pages in PG. */
void lg_pager_init(lg_pager *pg, const lg_page_room *room);

/** The room left on the page, pt. */
double lg_pager_left(const lg_pager *pg);

/** What to do with row R (see lg_page_action), as the PDF does: a group's
 * first row begins a page; a row whose merged cell's text has no room left
 * on this page begins the next one (a merged cell continued on a later page
 * must show its text on this one); a row that fits goes here; a short row
 * that does not goes to the next page, and so does a row that would leave
 * less than MIN_PART here; any other row is split, its first part at most
 * *FIRST_MAX tall, leaving room for R->next_short below its last part when
 * the two are to go together. */
lg_page_action lg_pager_row(lg_pager *pg, const lg_page_row *r, double min_part,
                            double *first_max);

/** Places a physical row H tall; breaks the page before it when it does
 * not fit and the page has rows. Returns true when it broke the page. */
bool lg_pager_place(lg_pager *pg, double h);

/** Breaks the page (the next row begins a new one). */
void lg_pager_break(lg_pager *pg);

#endif
