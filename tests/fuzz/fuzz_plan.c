/* libFuzzer target: a plan.xml through lg_plan_load; when it loads, the
 * month of tests/data/good is loaded against it, so that the report rules
 * meet plans of every shape. See fuzz_common.h. */
#include <stdint.h>

#include "fuzz_common.h"
#include "load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lg_fuzz_init();
    const char *path = lg_fuzz_path("plan.xml");
    lg_fuzz_write(path, data, size);
    lg_diags d = {0};
    lg_plan *p = lg_plan_load(path, &d);
    if (p) {
        for (size_t i = 0; i < p->n_tasks; i++)
            lg_plan_find_task(p, p->tasks[i].no);
        lg_month_load(p, LG_TEST_DATA "/good", 2022, 10, &d);
    }
    lg_plan_free(p);
    lg_diags_free(&d);
    return 0;
}
