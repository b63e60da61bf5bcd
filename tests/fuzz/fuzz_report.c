/* libFuzzer target: a unit's report, reports/2022-10/kjj.xml, through
 * lg_month_load (and so lg_report_load) against tests/data/good/plan.xml.
 * See fuzz_common.h. */
#include <stdint.h>

#include "fuzz_common.h"
#include "load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lg_fuzz_init();
    lg_fuzz_write(lg_fuzz_path("reports/2022-10/kjj.xml"), data, size);
    lg_diags d = {0};
    /* Reports are copied into the plan's arena, which an arena never gives
     * back: a fresh plan every 256 inputs bounds it. What a report loads does
     * not depend on what was loaded before. */
    static lg_plan *p;
    static unsigned uses;
    if (p && ++uses % 256 == 0) {
        lg_plan_free(p);
        p = NULL;
    }
    if (!p && !(p = lg_plan_load(LG_TEST_DATA "/good/plan.xml", &d)))
        __builtin_trap(); /* the seed plan must load */
    lg_month *m = lg_month_load(p, lg_fuzz_path(""), 2022, 10, &d);
    for (size_t i = 0; m && i < p->n_units; i++)
        if (m->reports[i])
            for (size_t j = 0; j < m->reports[i]->n_entries; j++)
                lg_report_find_entry(m->reports[i], m->reports[i]->entries[j].task->no);
    lg_diags_free(&d);
    return 0;
}
