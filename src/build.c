/* mmap, access */
#define _DEFAULT_SOURCE
#include "build.h"

#include <dirent.h>
#include <errno.h>
#include <malloc.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "check.h"
#include "diag_wire.h"
#include "fonts.h"
#include "i18n.h"
#include "infile.h"
#include "input_path.h"
#include "layout.h"
#include "load.h"
#include "manifest.h"
#include "outfile.h"
#include "pdfa.h"
#include "render.h"
#include "status.h"
#include "template.h"
#include "version.h"
#include "view.h"
#include "worker_pool.h"


bool lg_build_time(time_t *out, lg_diags *d)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (!s || !*s) {
        *out = time(NULL);
        return true;
    }
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < 0) {
        lg_diags_add(d, LG_ERROR, "environment", NULL, 0,
                     "SOURCE_DATE_EPOCH=\"%s\" is not a number of seconds since 1970; "
                     "set it to one (e.g. $(date +%%s)) or unset it", s);
        return false;
    }
    *out = (time_t)v;
    return true;
}

/* ---- input ------------------------------------------------------------------ */

/* Everything a month's run reads. */
typedef struct input {
    lg_template *tpl;
    lg_plan *full;  /* the plan as written */
    lg_plan *plan;  /* as it stood in the month */
    lg_month *month;
    const lg_month *prev; /* last month; NULL in January */
} input;

static void input_free(input *in)
{
    lg_plan_free(in->full);
    lg_template_free(in->tpl);
}

/* Reads and checks the template, the plan and the month's reports, their
 * texts kept in a temporary file in TEXT_DIR (or in memory: NULL). False when
 * any has an error (all are in D); the month (without the reports in error)
 * is loaded all the same when the template and the plan are right. */
static bool input_load(input *in, const char *input_dir, const char *template_path,
                       const char *text_dir, int year, int month, lg_diags *d)
{
    memset(in, 0, sizeof *in);
    size_t errors = lg_diags_count(d, LG_ERROR);
    char *plan_path = lg_input_plan_path(input_dir);
    in->tpl = lg_template_load(template_path ? template_path : lg_template_default_path(), d);
    in->full = lg_plan_load_spilled(plan_path, text_dir, d);
    if (in->full && year != in->full->year)
        lg_diags_add(d, LG_ERROR, "period", plan_path, 0,
                     "the plan is for %d but the period asked for is %04d-%02d; give a "
                     "period of the plan's year, or the plan of %04d",
                     in->full->year, year, month, year);
    free(plan_path);
    if (lg_diags_count(d, LG_ERROR) > errors)
        return false;
    /* A missing folder is far more often a mistyped month than a month
     * that nobody has reported on. */
    char *dir = lg_input_month_dir(input_dir, year, month);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        lg_diags_add(d, LG_ERROR, "no-month", dir, 0,
                     _("there is no folder of the reports of %04d-%02d; is the month right? "
                       "For a month nobody has reported on yet, create the empty folder"),
                     year, month);
    free(dir);
    if (lg_diags_count(d, LG_ERROR) > errors)
        return false;
    in->plan = lg_plan_at(in->full, month);
    in->month = lg_month_load(in->plan, input_dir, year, month, d);
    /* The earlier months tell what was completed and what was copied; their
     * own problems were reported in their months. */
    if (in->month) {
        in->month->rules = in->tpl ? &in->tpl->status : NULL;
        lg_month_load_earlier(in->plan, in->month, input_dir, d);
        in->prev = month > 1 ? in->month->earlier[month - 2] : NULL;
    }
    return lg_diags_count(d, LG_ERROR) == errors;
}

/* The month's warnings into D, then everything ordered by unit. */
static void input_check(const input *in, const char *input_dir, lg_layout *lay, lg_diags *d)
{
    lg_check_month(in->month, in->prev, input_dir, lay, &in->tpl->body_font, d);
    lg_diags_sort_by_unit(d, in->plan);
}

void lg_build_check(const char *input_dir, const char *template_path, int year, int month,
                    lg_diags *d)
{
    input in;
    /* errors in some reports hide no warning about the others */
    input_load(&in, input_dir, template_path, NULL, year, month, d);
    if (in.month) {
        lg_layout *lay = lg_layout_new();
        input_check(&in, input_dir, lay, d);
        lg_diags_set_status(d, in.month, NULL);
        lg_layout_free(lay);
    }
    input_free(&in);
}

/* ---- output ----------------------------------------------------------------- */

/* One output file: rendering it is a job. Jobs run in worker processes, as
 * many as asked, forked once the month is loaded and checked: each file is
 * made by one process from the same model, with nothing shared (Cairo's
 * and Pango's caches are per process), so its bytes do not depend on how
 * many workers there are. A worker sends back what each of its jobs said
 * through a pipe. */
typedef struct job {
    const lg_unit *unit; /* a unit's ledger, or NULL: the consolidated ledger */
    unsigned format;     /* LG_FORMAT_XLSX or LG_FORMAT_PDF */
    char *path;          /* the final name */
    const char *tmp;     /* where it is written (owned by the outset) */
    lg_diags d;          /* what rendering it said */
    bool ok, done;
} job;

/* Counters the workers share, in memory mapped into all of them. */
typedef struct shared {
    atomic_size_t next[2]; /* the next job to take of each queue (run) */
    atomic_size_t workers; /* started: the next one's number */
    atomic_size_t units_done, files;
} shared;

typedef struct run {
    const lg_build_opts *o;
    const input *in;
    const lg_diags *problems; /* the 问题清单 sheet */
    char *creator;
    job *jobs;
    size_t n_jobs;
    /* The jobs by format, each biggest first: a worker takes those of one
     * format (the first worker PDFs, the second spreadsheets, …) before
     * the other's, so that a unit's file is mostly made by the process
     * whose layouts of the consolidated ledger (layout.h's cache) hold its
     * texts at its widths. */
    size_t *queue[2], n_queue[2];
    shared *sh;
    lg_fonts *fonts; /* the PDFs' fonts cut down to the month's characters */
    int lock; /* of the output folder (lg_lock_folder), or -1 */
} run;

static void show_progress(const run *r)
{
    if (!r->o->progress)
        return;
    /* one write, so that the workers' lines do not interleave */
    char line[256] = "\r\033[K";
    size_t n = strlen(line);
    snprintf(line + n, sizeof line - n, _("ledgerc: %04d-%02d: units %zu/%zu, %zu files written"),
             r->o->year, r->o->month, atomic_load(&r->sh->units_done), r->in->plan->n_units,
             atomic_load(&r->sh->files));
    fputs(line, r->o->progress);
    fflush(r->o->progress);
}

/* The template's view NAME, or an error naming what to add. */
static const lg_view_layout *need_view(const lg_template *tpl, const char *name, lg_diags *d)
{
    const lg_view_layout *v = lg_template_view(tpl, name);
    if (!v)
        lg_diags_add(d, LG_ERROR, "template-view", tpl->file, 0,
                     "the template has no <view name=\"%s\">; add one with its columns", name);
    return v;
}

/* What a job's file holds, table by table. */
typedef enum {
    TABLE_UNIT,
    TABLE_BULLETIN,
    TABLE_SUMMARY,
    TABLE_TREND,
    TABLE_BY_TASK,
    TABLE_BY_UNIT,
    TABLE_BY_LEADER,
    TABLE_DATA,
    TABLE_PROBLEMS
} table_kind;

/* Whether a task of P names its leader (牵头领导). */
static bool has_leaders(const lg_plan *p)
{
    for (size_t i = 0; i < p->n_tasks; i++)
        if (p->tasks[i].leader)
            return true;
    return false;
}

/* The tables of job J into KINDS (room for 8): the unit's ledger; or the
 * 通报, the summary and the year's trend, the city-wide ledger and every unit's ledger
 * as the views ask, the data sheet in the spreadsheet (with a ledger), and the
 * problem list. Returns how many. */
static size_t job_tables(const run *r, const job *j, table_kind *kinds)
{
    unsigned views = r->o->views;
    size_t n = 0;
    if (j->unit) {
        kinds[n++] = TABLE_UNIT;
        return n;
    }
    if (views & LG_VIEW_SUMMARY) {
        kinds[n++] = TABLE_BULLETIN;
        kinds[n++] = TABLE_SUMMARY;
        kinds[n++] = TABLE_TREND;
    }
    if (views & LG_VIEW_BY_TASK)
        kinds[n++] = TABLE_BY_TASK;
    if (views & LG_VIEW_BY_UNIT)
        kinds[n++] = TABLE_BY_UNIT;
    /* only a plan with leaders has the view: the others' files are as before */
    if ((views & LG_VIEW_BY_LEADER) && has_leaders(r->in->month->plan))
        kinds[n++] = TABLE_BY_LEADER;
    if (j->format == LG_FORMAT_XLSX && (views & (LG_VIEW_BY_TASK | LG_VIEW_BY_UNIT)))
        kinds[n++] = TABLE_DATA;
    if (lg_template_view(r->in->tpl, "problems"))
        kinds[n++] = TABLE_PROBLEMS;
    return n;
}

/* Table KIND of job J, made in arena A. */
static const lg_table *make_table(const run *r, const job *j, table_kind kind, lg_arena *a)
{
    const lg_month *m = r->in->month;
    const lg_template *tpl = r->in->tpl;
    const char *tf = tpl->title_format;
    switch (kind) {
    case TABLE_UNIT:
        return lg_view_unit(a, m, j->unit, lg_template_view(tpl, "unit"), tf);
    case TABLE_BULLETIN:
        return lg_view_bulletin(a, m, tf);
    case TABLE_SUMMARY: {
        lg_table *t = lg_view_summary(a, m, lg_template_view(tpl, "summary"), tf);
        if (!(r->o->views & LG_VIEW_BY_UNIT)) { /* no 分单位台账 to lead to */
            t->links = NULL;
            t->n_links = 0;
        }
        return t;
    }
    case TABLE_TREND:
        return lg_view_trend(a, m, lg_template_view(tpl, "summary"), tf);
    case TABLE_BY_TASK:
        return lg_view_by_task(a, m, lg_template_view(tpl, "by-task"), tf);
    case TABLE_BY_UNIT:
        return lg_view_by_unit(a, m, lg_template_view(tpl, "unit"), tf);
    case TABLE_BY_LEADER: /* the template's by-leader view, else its by-task one */
        return lg_view_by_leader(a, m,
                                 lg_template_view(tpl, "by-leader")
                                     ? lg_template_view(tpl, "by-leader")
                                     : lg_template_view(tpl, "by-task"),
                                 tf);
    case TABLE_DATA:
        return lg_view_data(a, m);
    case TABLE_PROBLEMS:
        break;
    }
    return lg_view_problems(a, m, r->problems, r->o->input_dir, lg_template_view(tpl, "problems"),
                            tf);
}

/* A job's tables for the renderers, which make each when they need it, so
 * that a province's ledger holds one large table at a time. */
typedef struct job_source {
    const run *r;
    const job *j;
    table_kind kinds[8];
} job_source;

static const lg_table *make_job_table(void *ctx, size_t i, lg_arena *a)
{
    const job_source *js = ctx;
    return make_table(js->r, js->j, js->kinds[i], a);
}

static void run_job(const run *r, job *j, lg_layout *lay)
{
    const lg_month *m = r->in->month;
    const lg_template *tpl = r->in->tpl;
    job_source js = {.r = r, .j = j};
    size_t n = job_tables(r, j, js.kinds);
    char *title = lg_view_title(m, tpl->title_format);
    const char *who = j->unit ? j->unit->name : "全市";
    char *keywords = lg_xasprintf("落实情况台账, %s, %04d-%02d", who, m->year, m->month);
    lg_doc_info info = {.title = title,
                        .subject = j->unit ? j->unit->name : "全市落实情况台账",
                        .author = tpl->author ? tpl->author : "",
                        .keywords = keywords,
                        .creator = r->creator,
                        .created = r->o->created};
    lg_table_source src = {n, make_job_table, &js};
    j->ok = j->format == LG_FORMAT_XLSX
                ? lg_render_xlsx_source(&src, tpl, lay, &info, j->tmp, &j->d)
                : lg_render_pdf_source(&src, tpl, lay, &info, j->tmp, &j->d);
    if (j->ok && j->format == LG_FORMAT_PDF && !r->o->pdf_plain)
        j->ok = lg_pdfa_convert(j->tmp, &info, &j->d);
    j->done = true;
    free(keywords);
    free(title);

    atomic_fetch_add(&r->sh->files, j->ok);
    /* a unit is done when its last file is */
    if (j->unit && (j->format == LG_FORMAT_PDF || !(r->o->formats & LG_FORMAT_PDF)))
        atomic_fetch_add(&r->sh->units_done, 1);
    show_progress(r);
}

/* ---- results through a pipe (diag_wire.h) ------------------------------------ */

/* What job I said, as the parent reads it back with get_result. */
static void put_result(FILE *f, size_t i, const job *j)
{
    lg_wire_put_u32(f, (uint32_t)i);
    lg_wire_put_u32(f, j->ok);
    lg_wire_put_diags(f, &j->d);
    fflush(f);
}

/* Reads one result into its job; false at the end of the pipe
 * (lg_pool_read_fn). */
static bool get_result(void *ctx, FILE *f)
{
    run *r = ctx;
    uint32_t i, ok;
    if (!lg_wire_get_u32(f, &i) || !lg_wire_get_u32(f, &ok) || i >= r->n_jobs)
        return false;
    job *j = &r->jobs[i];
    j->ok = ok != 0;
    j->done = true;
    return lg_wire_get_diags(f, &j->d);
}

/* The fonts of a build that makes PDFs, cut down to what the month draws
 * (fonts.h), in the output folder; NULL for a build of spreadsheets only,
 * whose layouts use the system's fonts: the same lines either way. */
static lg_fonts *month_fonts(const run *r)
{
    const input *in = r->in;
    const lg_build_opts *o = r->o;
    if (!(o->formats & LG_FORMAT_PDF))
        return NULL;
    lg_fonts *f = lg_fonts_new();
    lg_fonts_add_month(f, in->month, in->tpl);
    /* The consolidated file's tables of texts the program writes: small
     * (a row a unit or a problem), made here and again in its job. */
    job all = {.format = LG_FORMAT_PDF};
    table_kind kinds[8];
    size_t n = job_tables(r, &all, kinds);
    for (size_t i = 0; i < n; i++) {
        if (kinds[i] != TABLE_BULLETIN && kinds[i] != TABLE_SUMMARY && kinds[i] != TABLE_TREND &&
            kinds[i] != TABLE_PROBLEMS)
            continue;
        lg_arena *a = lg_arena_new();
        lg_fonts_add_table(f, make_table(r, &all, kinds[i], a));
        lg_arena_free(a);
    }
    const lg_template *tpl = in->tpl;
    const lg_font fonts[] = {tpl->title_font, tpl->header_font, tpl->body_font,
                             tpl->footer_font};
    lg_fonts_subset(f, fonts, sizeof fonts / sizeof *fonts, o->out_dir);
    return f;
}

/* ---- running the jobs --------------------------------------------------------- */

/* Takes jobs until there are none; with OUT, sends each result there
 * (lg_pool_work_fn). */
static void work(void *ctx, FILE *out)
{
    run *r = ctx;
    lg_layout *lay = lg_layout_new_fonts(r->fonts);
    size_t first = atomic_fetch_add(&r->sh->workers, 1) % 2;
    for (size_t k = 0; k < 2; k++) {
        size_t q = (first + k) % 2;
        for (size_t n; (n = atomic_fetch_add(&r->sh->next[q], 1)) < r->n_queue[q];) {
            size_t i = r->queue[q][n];
            run_job(r, &r->jobs[i], lay);
            if (out)
                put_result(out, i, &r->jobs[i]);
        }
    }
    lg_layout_free(lay);
}

static void add_job(run *r, lg_outset *outs, const lg_unit *u, unsigned format, const char *base)
{
    job *j = &r->jobs[r->n_jobs++];
    memset(j, 0, sizeof *j);
    j->unit = u;
    j->format = format;
    j->path = lg_xasprintf("%s.%s", base, format == LG_FORMAT_XLSX ? "xlsx" : "pdf");
    j->tmp = lg_outset_add(outs, j->path);
}

/* The file of an output folder that says whose month's ledgers it holds
 * (YYYY-MM and a line feed): hidden, as the lock is, so that SHA256SUMS does
 * not list it. */
#define MONTH_NAME ".ledgerc-month"

/* Whether DIR holds a file that is not hidden, in it or in a folder of it
 * (empty folders do not count: the build makes units/ before it looks). */
static bool holds_files(const char *dir)
{
    DIR *dp = opendir(dir);
    bool any = false;
    for (struct dirent *e; dp && !any && (e = readdir(dp));) {
        if (e->d_name[0] == '.')
            continue;
        char *path = lg_xasprintf("%s/%s", dir, e->d_name);
        struct stat st;
        any = lstat(path, &st) != 0 || !S_ISDIR(st.st_mode) || holds_files(path);
        free(path);
    }
    if (dp)
        closedir(dp);
    return any;
}

/* Whether O's output folder holds no other month's ledgers than O's month:
 * one folder of two months would leave the one built first looking current
 * (the files the second does not write, the ledgers of units that did not
 * report). False after adding an error to D naming both months. A folder
 * without the file (new, or built before it was written), or with no file
 * but hidden ones (its files deleted by `rm DIR/` and a glob), holds no month. */
static bool folder_of_this_month(const lg_build_opts *o, lg_diags *d)
{
    if (!holds_files(o->out_dir))
        return true;
    char *path = lg_xasprintf("%s/" MONTH_NAME, o->out_dir);
    size_t len;
    lg_read_status st;
    char *text = lg_read_file(path, 16, &len, &st);
    free(path);
    if (!text)
        return true;
    text[strcspn(text, "\n")] = '\0';
    int y, m;
    bool same = !lg_period_parse(text, &y, &m) || (y == o->year && m == o->month);
    free(text);
    if (!same)
        lg_diags_add(d, LG_ERROR, "output", o->out_dir, 0,
                     "this folder holds the ledgers of %04d-%02d; the ledgers of %04d-%02d "
                     "would leave it mixed: build %04d-%02d into a folder of its own (--out), "
                     "or delete the files of %04d-%02d from this folder first",
                     y, m, o->year, o->month, o->year, o->month, y, m);
    return same;
}

/* Adds to OUTS the folder's MONTH_NAME file, written now under its
 * temporary name: it is renamed into place with the ledgers. False after
 * adding an error to D. */
static bool record_month(const lg_build_opts *o, lg_outset *outs, lg_diags *d)
{
    char *path = lg_xasprintf("%s/" MONTH_NAME, o->out_dir);
    char text[16];
    int n = snprintf(text, sizeof text, "%04d-%02d\n", o->year, o->month);
    bool ok = lg_write_new_file(lg_outset_add(outs, path), text, (size_t)n);
    if (!ok)
        lg_write_failed(d, o->out_dir, errno);
    free(path);
    return ok;
}

/* The files of the run, biggest first so that no worker is left with a big
 * one at the end. False after adding an error to D (a view missing from the
 * template, a folder that cannot be made). */
static bool plan_jobs(run *r, lg_outset *outs, lg_diags *d)
{
    const lg_build_opts *o = r->o;
    const lg_template *tpl = r->in->tpl;
    const lg_plan *p = r->in->plan;
    bool ledger = o->views & (LG_VIEW_SUMMARY | LG_VIEW_BY_TASK | LG_VIEW_BY_UNIT |
                              LG_VIEW_BY_LEADER);
    bool units = o->views & LG_VIEW_UNITS;
    if (((o->views & LG_VIEW_SUMMARY) && !need_view(tpl, "summary", d)) ||
        ((o->views & (LG_VIEW_BY_TASK | LG_VIEW_BY_LEADER)) && !need_view(tpl, "by-task", d)) ||
        ((o->views & (LG_VIEW_BY_UNIT | LG_VIEW_UNITS)) && !need_view(tpl, "unit", d)))
        return false;
    char *dir = lg_xasprintf("%s/units", o->out_dir);
    bool ok = lg_mkdirs(o->out_dir, d) && (!units || lg_mkdirs(dir, d));
    /* Before the sweep: the temporary files there may be another run's. */
    if (ok)
        ok = (r->lock = lg_lock_folder(o->out_dir, d)) >= 0;
    if (ok)
        ok = folder_of_this_month(o, d);
    if (ok) {
        lg_outset_sweep(o->out_dir);
        lg_outset_sweep(dir);
        ok = record_month(o, outs, d);
    }
    if (ok) {
        r->jobs = lg_xcalloc(2 * (p->n_units + 1), sizeof *r->jobs);
        char *base = lg_xasprintf("%s/ledger", o->out_dir);
        for (unsigned f = LG_FORMAT_PDF; ledger && f; f >>= 1)
            if (o->formats & f)
                add_job(r, outs, NULL, f, base);
        free(base);
        for (size_t i = 0; units && i < p->n_units; i++) {
            base = lg_xasprintf("%s/%s", dir, p->units[i].id);
            for (unsigned f = LG_FORMAT_XLSX; f <= LG_FORMAT_PDF; f <<= 1)
                if (o->formats & f)
                    add_job(r, outs, &p->units[i], f, base);
            free(base);
        }
        for (size_t q = 0; q < 2; q++)
            r->queue[q] = lg_xcalloc(r->n_jobs + 1, sizeof *r->queue[q]);
        for (size_t i = 0; i < r->n_jobs; i++) {
            size_t q = r->jobs[i].format == LG_FORMAT_PDF ? 0 : 1;
            r->queue[q][r->n_queue[q]++] = i;
        }
    }
    free(dir);
    return ok;
}

/* Removes from OUT/units/ the ledgers of units that are not in the plan any
 * more, so that no file of another plan looks like this month's. */
static void remove_stale_units(const run *r)
{
    char *dir = lg_xasprintf("%s/units", r->o->out_dir);
    DIR *dp = opendir(dir);
    for (struct dirent *e; dp && (e = readdir(dp));) {
        const char *name = e->d_name, *dot = strrchr(name, '.');
        if (name[0] == '.' || !dot || (strcmp(dot, ".xlsx") != 0 && strcmp(dot, ".pdf") != 0))
            continue;
        char *id = lg_xasprintf("%.*s", (int)(dot - name), name);
        if (!lg_plan_find_unit(r->in->plan, id)) {
            char *file = lg_xasprintf("%s/%s", dir, name);
            unlink(file);
            free(file);
        }
        free(id);
    }
    if (dp)
        closedir(dp);
    free(dir);
}

/* A run that failed while writing (the errors of D from FIRST on), on a disk
 * that is full (or read-only, or not ours): one error naming the folder and
 * the cause takes the place of the errors of every file, which all say the
 * same in the words of the library that wrote it. */
static void explain_write_failure(const lg_build_opts *o, size_t first, lg_diags *d)
{
    bool failed = false;
    const lg_diag *known = NULL; /* a failure whose cause is known */
    for (size_t i = first; i < d->count; i++) {
        const lg_diag *g = &d->items[i];
        if (g->severity == LG_ERROR && strcmp(g->kind, "locked") != 0)
            failed = true;
        if (!known && g->severity == LG_ERROR && strcmp(g->kind, "write") == 0)
            known = g;
    }
    int err = known || !failed ? 0 : lg_folder_write_errno(o->out_dir);
    if (!known && !err)
        return;
    /* copied before the errors are dropped */
    char *dir = known ? lg_xstrdup(known->file ? known->file : o->out_dir) : NULL;
    char *message = known ? lg_xstrdup(known->message) : NULL;
    size_t n = first;
    for (size_t i = first; i < d->count; i++) {
        if (d->items[i].severity == LG_ERROR)
            lg_diag_clear(&d->items[i]);
        else
            d->items[n++] = d->items[i];
    }
    d->count = n;
    if (known)
        lg_diags_add(d, LG_ERROR, "write", dir, 0, "%s", message);
    else
        lg_write_failed(d, o->out_dir, err);
    free(message);
    free(dir);
}

/* Runs the jobs in lg_pool_size processes; with one, here. */
static void run_jobs(run *r)
{
    size_t n = lg_pool_size(r->o->jobs);
    if (n > r->n_jobs)
        n = r->n_jobs;
    if (n <= 1 || lg_pool_run(n, work, get_result, r) == 0)
        work(r, NULL); /* one worker, or none could start: do it all here */
}

/* The month's warnings (input_check), found in a child process when worker
 * processes are to be forked: Pango starts threads of its own (glib's pool
 * sorts fonts), and a process forked while one of them holds a lock, glib's
 * slice allocator's say, waits for it forever. So the parent never uses
 * Pango, and every process that does is forked from a parent without those
 * threads. */
static void check_here(const input *in, const lg_build_opts *o, lg_diags *d)
{
    lg_layout *lay = lg_layout_new();
    input_check(in, o->input_dir, lay, d);
    lg_layout_free(lay);
}

/* The month's check, for a worker process of lg_pool_run. */
typedef struct checking {
    const input *in;
    const lg_build_opts *o;
    lg_diags found;
    bool got;
} checking;

static void check_work(void *ctx, FILE *out)
{
    checking *c = ctx;
    check_here(c->in, c->o, &c->found);
    lg_wire_put_diags(out, &c->found);
}

static bool check_read(void *ctx, FILE *in)
{
    checking *c = ctx;
    c->got = lg_wire_get_diags(in, &c->found);
    return false; /* one result */
}

static void check_month(const input *in, const lg_build_opts *o, lg_diags *d)
{
    checking c = {.in = in, .o = o};
    if (lg_pool_size(o->jobs) <= 1 || lg_pool_run(1, check_work, check_read, &c) == 0 ||
        !c.got) {
        /* one process, no child could start, or it died: check here */
        lg_diags_free(&c.found);
        check_here(in, o, d);
        return;
    }
    for (size_t i = 0; i < c.found.count; i++) {
        lg_diags_add_copy(d, &c.found.items[i]);
    }
    lg_diags_free(&c.found);
}

/* Where the month's texts are kept while the files are made: in the output
 * folder, or while it is not made yet, the folder it will be made in (the
 * same disk). The caller frees. */
static char *text_dir(const char *out_dir)
{
    if (access(out_dir, W_OK) == 0)
        return lg_xstrdup(out_dir);
    size_t n = strlen(out_dir);
    while (n > 1 && out_dir[n - 1] == '/')
        n--;
    while (n > 0 && out_dir[n - 1] != '/')
        n--;
    if (n == 0)
        return lg_xstrdup(".");
    while (n > 1 && out_dir[n - 1] == '/')
        n--;
    return lg_xasprintf("%.*s", (int)n, out_dir);
}

bool lg_build(const lg_build_opts *o, lg_diags *d)
{
    input in;
    run r = {.o = o, .in = &in, .lock = -1};
    size_t writing = SIZE_MAX; /* D's first diagnostic of the output stage */
    lg_outset outs = {0};
    lg_diags problems = {0}; /* D's first diagnostics, not a copy */
    char *texts = text_dir(o->out_dir);
    bool ok = input_load(&in, o->input_dir, o->template_path, texts, o->year, o->month, d);
    free(texts);
    /* The parsed XML trees are freed but glibc keeps their pages: give them
     * back, so that neither this process nor the workers forked from it
     * carry them while the files are made. */
    malloc_trim(0);
    if (ok) {
        check_month(&in, o, d);
        /* Everything is read and checked before anything is written. */
        writing = d->count;
        ok = plan_jobs(&r, &outs, d);
        /* The problem list is the warnings as they stand now: D's items, as
         * nothing is added to D until the jobs are done (plan_jobs adds only
         * errors, and then no job runs). A province's month has thousands. */
        problems = (lg_diags){.items = d->items, .count = d->count};
        r.problems = &problems;
    }
    if (ok) {
        r.creator = lg_xstrdup("ledgerc " LG_VERSION);
        r.sh = mmap(NULL, sizeof *r.sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (r.sh == MAP_FAILED) {
            lg_diags_add(d, LG_ERROR, "internal", NULL, 0, "cannot map shared memory: %s",
                         strerror(errno));
            ok = false;
            r.sh = NULL;
        }
    }
    if (ok) {
        atomic_init(&r.sh->next[0], 0);
        atomic_init(&r.sh->next[1], 0);
        atomic_init(&r.sh->workers, 0);
        atomic_init(&r.sh->units_done, 0);
        atomic_init(&r.sh->files, 0);
        r.fonts = month_fonts(&r);
        run_jobs(&r);
        if (o->progress && atomic_load(&r.sh->files))
            fprintf(o->progress, "\r\033[K");
        /* What the files said, in the order of the files: the same whatever
         * the workers did first. */
        for (size_t i = 0; i < r.n_jobs; i++) {
            job *j = &r.jobs[i];
            for (size_t k = 0; k < j->d.count; k++) {
                const lg_diag *g = &j->d.items[k];
                /* a renderer names the file it wrote: the temporary one */
                const char *file = g->file && strcmp(g->file, j->tmp) == 0 ? j->path : g->file;
                lg_diag *copy = lg_diags_add_copy(d, g);
                if (file != g->file) {
                    free(copy->file);
                    copy->file = lg_xstrdup(file);
                }
            }
            if (!j->done)
                lg_diags_add(d, LG_ERROR, "internal", j->path, 0,
                             "the worker making this file stopped before it was done (out of "
                             "memory?); nothing was written, run again with -j 1");
            ok = ok && j->ok && j->done;
        }
        if (ok)
            ok = lg_outset_commit(&outs, d);
        if (ok && (o->views & LG_VIEW_UNITS))
            remove_stale_units(&r);
        if (ok) /* last, once the files it lists are in place */
            ok = lg_manifest_write(o->out_dir, d);
        for (size_t i = 0; ok && o->log && i < r.n_jobs; i++)
            fprintf(o->log, "%s\n", r.jobs[i].path);
    }
    for (size_t i = 0; i < r.n_jobs; i++) {
        lg_diags_free(&r.jobs[i].d);
        free(r.jobs[i].path);
    }
    free(r.jobs);
    free(r.queue[0]);
    free(r.queue[1]);
    free(r.creator);
    lg_fonts_free(r.fonts);
    if (r.sh)
        munmap(r.sh, sizeof *r.sh);
    /* While the temporary files still fill the disk they filled. */
    if (!ok && writing != SIZE_MAX)
        explain_write_failure(o, writing, d);
    lg_outset_free(&outs);
    lg_unlock_folder(o->out_dir, r.lock);
    input_free(&in);
    return ok;
}
