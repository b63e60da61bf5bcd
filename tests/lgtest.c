#define _POSIX_C_SOURCE 200809L /* popen */
#include "lgtest.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "arena.h"

int lgt_month_setup(void **state, const char *input_dir, int year, int month)
{
    lg_diags d = {0};
    lgt_month *f = lg_xcalloc(1, sizeof *f);
    char *plan = lg_xasprintf("%s/plan.xml", input_dir);
    f->plan = lg_plan_load(plan, &d);
    free(plan);
    f->tpl = lg_template_load(LG_SOURCE_DIR "/templates/ledger.xml", &d);
    if (f->plan)
        f->month = lg_month_load(f->plan, input_dir, year, month, &d);
    lg_diags_print(&d, stderr);
    lg_diags_free(&d);
    f->arena = lg_arena_new();
    *state = f;
    return f->plan && f->tpl && f->month ? 0 : -1;
}

int lgt_year_setup(void **state, const char *input_dir, int year, int month)
{
    if (lgt_month_setup(state, input_dir, year, month))
        return -1;
    lgt_month *f = *state;
    lg_diags d = {0};
    lg_month_load_earlier(f->plan, f->month, input_dir, &d);
    lg_diags_print(&d, stderr);
    lg_diags_free(&d);
    return 0;
}

int lgt_month_teardown(void **state)
{
    lgt_month *f = *state;
    lg_arena_free(f->arena);
    lg_template_free(f->tpl);
    lg_plan_free(f->plan);
    free(f);
    return 0;
}

void lgt_sh(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *cmd = lg_xvasprintf(fmt, ap);
    va_end(ap);
    if (system(cmd) != 0)
        fail_msg("failed: %s", cmd);
    free(cmd);
}

char *lgt_run(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *cmd = lg_xvasprintf(fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char *buf = lg_xcalloc(1, 65536);
    size_t n = fread(buf, 1, 65535, p);
    buf[n] = '\0';
    assert_int_equal(pclose(p), 0);
    free(cmd);
    return buf;
}
