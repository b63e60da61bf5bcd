/* Page breaks for rows placed top to bottom: see page_plan.h. */
#include "page_plan.h"

#define EPS 0.01 /* pt */

static double cap(const lg_pager *pg)
{
    return pg->pages == 1 ? pg->room.first : pg->room.other;
}

void lg_pager_init(lg_pager *pg, const lg_page_room *room)
{
    pg->room = *room;
    pg->y = 0;
    pg->pages = 1;
}

double lg_pager_left(const lg_pager *pg)
{
    return cap(pg) - pg->y;
}

void lg_pager_break(lg_pager *pg)
{
    pg->pages++;
    pg->y = 0;
}

lg_page_action lg_pager_row(lg_pager *pg, const lg_page_row *r, double min_part,
                            double *first_max)
{
    bool at_top = pg->y <= EPS;
    if (!at_top && (r->new_page || r->merge_need > lg_pager_left(pg) + EPS)) {
        lg_pager_break(pg);
        at_top = true;
    }
    /* The next row, short and last of its group, must not go alone to the
     * next page: this one leaves it room below its last part. */
    double next = r->next_short > 0 && r->h + r->next_short <= cap(pg) + EPS ? r->next_short : 0;
    double left = lg_pager_left(pg) - next;
    if (r->h <= left + EPS)
        return LG_PAGE_PLACE;
    if (!at_top && (r->h <= pg->room.short_h + EPS || left < min_part)) {
        /* kept whole, or too little room for a part: on the next page */
        lg_pager_break(pg);
        left = lg_pager_left(pg) - next;
        if (r->h <= left + EPS)
            return LG_PAGE_NEXT;
    } else if (at_top && (left < min_part || r->h <= pg->room.short_h + EPS)) {
        return LG_PAGE_PLACE; /* nothing better: the next row after it */
    }
    *first_max = left;
    return LG_PAGE_SPLIT;
}

bool lg_pager_place(lg_pager *pg, double h)
{
    bool broke = false;
    if (pg->y > EPS && pg->y + h > cap(pg) + EPS) {
        lg_pager_break(pg);
        broke = true;
    }
    pg->y += h;
    return broke;
}
