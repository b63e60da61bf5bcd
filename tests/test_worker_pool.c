/* Work in forked processes: every worker's results reach the caller, each
 * worker works on its own copy of the caller's memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include <cmocka.h>

#include "worker_pool.h"

typedef struct ctx {
    int base;       /* set before the fork: every worker sees it */
    int touched;    /* set in a worker: the caller never sees it */
    size_t results; /* read by the caller */
    long sum;
} ctx;

/* Each worker sends three numbers: its base and two more. */
static void work(void *p, FILE *out)
{
    ctx *c = p;
    c->touched = 1;
    for (int k = 0; k < 3; k++) {
        int32_t v = c->base + k;
        fwrite(&v, sizeof v, 1, out);
    }
}

static bool read_one(void *p, FILE *in)
{
    ctx *c = p;
    int32_t v;
    if (fread(&v, sizeof v, 1, in) != 1)
        return false;
    c->results++;
    c->sum += v;
    return true;
}

static void results_come_back(void **state)
{
    (void)state;
    ctx c = {.base = 10};
    size_t started = lg_pool_run(3, work, read_one, &c);
    assert_int_equal(started, 3);
    assert_int_equal(c.results, 9);
    assert_int_equal(c.sum, 3 * (10 + 11 + 12));
    assert_int_equal(c.touched, 0);
}

static void pool_size(void **state)
{
    (void)state;
    assert_true(lg_pool_size(0) >= 1);
#if !defined(__SANITIZE_ADDRESS__)
    assert_int_equal(lg_pool_size(4), 4);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (cores > 0)
        assert_int_equal(lg_pool_size(0), (size_t)cores);
#else
    assert_int_equal(lg_pool_size(4), 1);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(results_come_back),
        cmocka_unit_test(pool_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
