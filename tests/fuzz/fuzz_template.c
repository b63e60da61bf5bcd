/* libFuzzer target: a template through lg_template_load. See fuzz_common.h. */
#include <stdint.h>

#include "fuzz_common.h"
#include "template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lg_fuzz_init();
    const char *path = lg_fuzz_path("ledger.xml");
    lg_fuzz_write(path, data, size);
    lg_diags d = {0};
    lg_template *t = lg_template_load(path, &d);
    if (t)
        lg_template_view(t, "unit");
    lg_template_free(t);
    lg_diags_free(&d);
    return 0;
}
