#include "cli.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "build.h"
#include "diag.h"
#include "forms.h"
#include "arena.h"
#include "history.h"
#include "i18n.h"
#include "load_common.h"
#include "import.h"
#include "model.h"
#include "pdfa_verify.h"
#include "version.h"


static const char *const usage = N_(
    "Usage: ledgerc build [OPTION]... PERIOD\n"
    "  or:  ledgerc check [OPTION]... PERIOD\n"
    "  or:  ledgerc forms [OPTION]... PERIOD\n"
    "  or:  ledgerc history [--task N] [--unit ID] [OPTION]... PERIOD\n"
    "  or:  ledgerc import [OPTION]... FORM.xlsx|FOLDER...\n"
    "  or:  ledgerc verify FILE.pdf... | DIR...\n"
    "Compile the implementation ledgers (落实情况台账) of the month PERIOD (YYYY-MM),\n"
    "or list what is wrong with the month's reports.\n"
    "\n"
    "  -i, --input DIR       folder with plan.xml and reports/PERIOD/ (default: input)\n"
    "  -t, --template FILE   layout template (default: the installed one; man ledgerc)\n"
    "\n"
    "build:\n"
    "  -o, --out DIR         where to write (default: output/PERIOD)\n"
    "  -f, --formats LIST    xlsx, pdf, or both: xlsx,pdf (the default)\n"
    "  -w, --views LIST      any of summary, by-task, by-unit, by-leader, units\n"
    "                        (default: all; by-leader only when the plan names leaders)\n"
    "  -j, --jobs N          render in N processes (default: one per core)\n"
    "      --pdf KIND        pdfa: PDF/A-2b, the archive copy (the default); plain:\n"
    "                        the PDF as Cairo writes it\n"
    "  -q, --quiet           print only errors\n"
    "  -v, --verbose         print every warning and every file written\n"
    "check:\n"
    "      --format FORMAT   text (the default) or json\n"
    "forms: writes OUT/forms/UNIT-ID.xlsx, the form each unit fills in for PERIOD\n"
    "  -o, --out DIR         where to write (default: output/PERIOD)\n"
    "history: writes OUT/history.xlsx and history.pdf, each task's months from January\n"
    "        to PERIOD (one table per task), and OUT/SHA256SUMS\n"
    "      --task N          only task N\n"
    "      --unit ID         only the rows of unit ID (and the tasks it reports on)\n"
    "import: reads filled-in forms (a folder: every .xlsx in it) into\n"
    "        INPUT/reports/PERIOD/UNIT-ID.xml, each form imported or refused alone\n"
    "      --force           replace a report of the month --period names that is\n"
    "                        there (kept as UNIT-ID.xml.bak-N)\n"
    "      --period PERIOD   accept only forms of this month (also an earlier month's)\n"
    "verify: checks PDFs against PDF/A-2b (the clauses are listed in README.md), and\n"
    "        a month's folder DIR against its SHA256SUMS and every PDF listed there\n"
    "\n"
    "      --help            show this help and exit\n"
    "      --version         show the version and exit\n"
    "\n"
    "build writes OUT/ledger.xlsx and ledger.pdf (summary, city-wide ledger by task,\n"
    "every unit's ledger, and the month's problems, the 问题清单) and\n"
    "OUT/units/UNIT-ID.xlsx and .pdf for every unit, then OUT/SHA256SUMS, the\n"
    "checksums of the folder's files; PDFs are PDF/A-2b. Problems in the input are\n"
    "printed as FILE:LINE: error: ... and then nothing is written.\n"
    "Exit status of build, forms and import: 0 done, 1 the input has errors (import:\n"
    "a form was refused), 2 wrong command line, 3 could not write (disk full,\n"
    "permission, read-only), 4 another ledgerc run is writing into the same folder.\n"
    "Exit status of check: 0 no problems, 1 warnings only, 2 errors or wrong command line.\n"
    "Exit status of verify: 0 all pass, 1 a file fails, 2 wrong command line.\n");

/* The error, and where to read more: the whole help would scroll it away. */
static int usage_error(FILE *err, const char *fmt, const char *arg)
{
    fputs("ledgerc: ", err);
    fprintf(err, _(fmt), arg);
    fputs("\n", err);
    fputs(_("Try 'ledgerc --help' for more information.\n"), err);
    return LG_EXIT_USAGE;
}

/* The one PERIOD after the options (argv from optind) into *YEAR and *MONTH:
 * MISSING (marked N_) is the error without one, BAD (N_, with a %s) the one
 * for a period that is not a month. Returns -1 to go on, or a usage error's
 * status. */
static int period_arg(int argc, char **argv, const char *missing, const char *bad, int *year,
                      int *month, FILE *err)
{
    if (optind >= argc)
        return usage_error(err, "%s", _(missing));
    if (optind + 1 < argc)
        return usage_error(err, "one PERIOD at a time; unexpected \"%s\"", argv[optind + 1]);
    if (!lg_period_parse(argv[optind], year, month))
        return usage_error(err, bad, argv[optind]);
    return -1;
}

/* --pdf's KIND into *PLAIN; false when it is neither pdfa nor plain. */
static bool pdf_kind(const char *kind, bool *plain)
{
    *plain = strcmp(kind, "plain") == 0;
    return *plain || strcmp(kind, "pdfa") == 0;
}

/* OUT, or output/YEAR-MONTH written into BUF (32 bytes). */
static const char *out_or_default(const char *out, char *buf, int year, int month)
{
    if (out)
        return out;
    snprintf(buf, 32, "output/%04d-%02d", year, month);
    return buf;
}

/* The exit status of a run that failed with the diagnostics D: a lock held
 * by another run, a write that failed, or the input. */
static int failure_status(const lg_diags *d)
{
    int status = LG_EXIT_INPUT;
    for (size_t i = 0; i < d->count; i++) {
        const char *k = d->items[i].kind;
        if (d->items[i].severity != LG_ERROR)
            continue;
        if (strcmp(k, "locked") == 0)
            return LG_EXIT_LOCKED;
        if (strcmp(k, "write") == 0)
            status = LG_EXIT_WRITE;
    }
    return status;
}

/* " OPTION VALUE", VALUE quoted for the shell where it needs to be ('...', each
 * ' as '\''), appended to *S (which the caller frees). */
static void add_option(char **s, const char *option, const char *value)
{
    bool plain = *value && strspn(value, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789-_./+,:@") == strlen(value);
    size_t q = 0;
    for (const char *p = value; *p; p++)
        q += *p == '\'';
    char *quoted = lg_xmalloc(strlen(value) + 3 * q + 3), *o = quoted;
    if (!plain)
        *o++ = '\'';
    for (const char *p = value; *p; p++)
        o = *p == '\'' && !plain ? o + sprintf(o, "'\\''") : (*o = *p, o + 1);
    if (!plain)
        *o++ = '\'';
    *o = '\0';
    char *joined = lg_xasprintf("%s %s %s", *s, option, quoted);
    free(quoted);
    free(*s);
    *s = joined;
}

/* Parses a comma-separated LIST of NAMES into bits (NAMES[i] is bit i). */
static bool parse_list(const char *list, const char *const *names, size_t n, unsigned *out)
{
    unsigned bits = 0;
    const char *p = list;
    while (*p) {
        size_t len = strcspn(p, ",");
        size_t i = 0;
        while (i < n && !(strlen(names[i]) == len && strncmp(p, names[i], len) == 0))
            i++;
        if (i == n)
            return false;
        bits |= 1u << i;
        p += len + (p[len] == ',');
    }
    *out = bits;
    return bits != 0;
}

static const char *const format_names[] = {"xlsx", "pdf"};
/* in the order of the LG_VIEW_* bits */
static const char *const view_names[] = {"summary", "by-task", "by-unit", "units", "by-leader"};

/* Options both commands take. */
typedef struct common {
    const char *input_dir, *template_path, *out_dir, *format;
    unsigned formats, views, jobs;
    bool quiet, verbose, pdf_plain;
    bool input_given; /* --input was on the command line */
    int year, month;
} common;

/* Parses ARGV for COMMAND into C; returns -1 to go on, or an exit status. */
static int parse(const char *command, int argc, char **argv, common *c, FILE *out, FILE *err)
{
    static const struct option longopts[] = {
        {"input", required_argument, NULL, 'i'},
        {"template", required_argument, NULL, 't'},
        {"out", required_argument, NULL, 'o'},
        {"formats", required_argument, NULL, 'f'},
        {"views", required_argument, NULL, 'w'},
        {"format", required_argument, NULL, 'F'},
        {"jobs", required_argument, NULL, 'j'},
        {"pdf", required_argument, NULL, 'P'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool build = strcmp(command, "build") == 0;
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":i:t:o:f:w:j:qv", longopts, NULL)) != -1) {
        /* options of the other command are wrong here */
        if ((!build && strchr("ofwjqvP", ch)) || (build && ch == 'F'))
            return usage_error(err, "%s is not an option of this command", argv[optind - 1]);
        switch (ch) {
        case 'i': c->input_dir = optarg; c->input_given = true; break;
        case 't': c->template_path = optarg; break;
        case 'o': c->out_dir = optarg; break;
        case 'f':
            if (!parse_list(optarg, format_names, 2, &c->formats))
                return usage_error(err, "--formats takes xlsx, pdf or xlsx,pdf, not \"%s\"",
                                   optarg);
            break;
        case 'w':
            if (!parse_list(optarg, view_names, 5, &c->views))
                return usage_error(err,
                                   "--views takes a list of summary, by-task, by-unit, "
                                   "by-leader and units, not \"%s\"",
                                   optarg);
            break;
        case 'F':
            if (strcmp(optarg, "text") != 0 && strcmp(optarg, "json") != 0)
                return usage_error(err, "--format takes text or json, not \"%s\"", optarg);
            c->format = optarg;
            break;
        case 'j': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 256)
                return usage_error(err,
                                   "--jobs takes a number of processes from 1 to 256, not \"%s\"",
                                   optarg);
            c->jobs = (unsigned)n;
            break;
        }
        case 'P':
            if (!pdf_kind(optarg, &c->pdf_plain))
                return usage_error(err, "--pdf takes pdfa or plain, not \"%s\"", optarg);
            break;
        case 'q': c->quiet = true; break;
        case 'v': c->verbose = true; break;
        case 'h': fputs(_(usage), out); return LG_EXIT_OK;
        case ':': return usage_error(err, "option %s needs a value", argv[optind - 1]);
        default: return usage_error(err, "unknown option %s", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage_error(err, "%s needs the PERIOD, e.g. 2022-10", command);
    if (optind + 1 < argc)
        return usage_error(err, "one PERIOD at a time; unexpected \"%s\"", argv[optind + 1]);
    if (!lg_period_parse(argv[optind], &c->year, &c->month))
        return usage_error(err, "PERIOD is a month written YYYY-MM, e.g. 2022-10, not \"%s\"",
                           argv[optind]);
    return -1;
}

static int cmd_build(int argc, char **argv, FILE *out, FILE *err)
{
    common c = {.input_dir = "input", .formats = LG_FORMAT_XLSX | LG_FORMAT_PDF,
                .views = LG_VIEW_ALL};
    int status = parse("build", argc, argv, &c, out, err);
    if (status >= 0)
        return status;
    char default_out[32];
    c.out_dir = out_or_default(c.out_dir, default_out, c.year, c.month);
    lg_build_opts o = {.input_dir = c.input_dir,
                       .template_path = c.template_path,
                       .out_dir = c.out_dir,
                       .year = c.year,
                       .month = c.month,
                       .formats = c.formats,
                       .views = c.views,
                       .jobs = c.jobs,
                       .pdf_plain = c.pdf_plain,
                       .log = c.verbose ? out : NULL,
                       /* progress only where a person watches */
                       .progress = !c.quiet && err == stderr && isatty(fileno(stderr)) ? err
                                                                                       : NULL};
    lg_diags d = {0};
    bool ok = lg_build_time(&o.created, &d) && lg_build(&o, &d);
    size_t errors = lg_diags_count(&d, LG_ERROR), warnings = lg_diags_count(&d, LG_WARNING);
    for (size_t i = 0; i < d.count; i++) {
        if (d.items[i].severity == LG_WARNING && !c.verbose)
            continue;
        char *line = lg_diag_format(&d.items[i]);
        fprintf(err, "%s\n", line);
        free(line);
    }
    status = ok ? LG_EXIT_OK : failure_status(&d);
    if (!ok && status == LG_EXIT_INPUT && errors)
        fprintf(err, ngettext("ledgerc: %zu error; nothing was written\n",
                              "ledgerc: %zu errors; nothing was written\n", errors),
                errors);
    else if (!ok && status != LG_EXIT_INPUT)
        fprintf(err, "%s", _("ledgerc: stopped; the files that were there before are as they were\n"));
    else if (ok && !c.quiet) {
        fprintf(out, _("ledgerc: compiled %04d-%02d into %s/\n"), c.year, c.month, c.out_dir);
        bool sheet = (c.formats & LG_FORMAT_XLSX) &&
                     (c.views & (LG_VIEW_SUMMARY | LG_VIEW_BY_TASK | LG_VIEW_BY_UNIT));
        /* the options that say what to check, as the user gave them */
        char *input = lg_xstrdup("");
        if (c.input_given)
            add_option(&input, "--input", c.input_dir);
        if (c.template_path)
            add_option(&input, "--template", c.template_path);
        if (warnings)
            fprintf(out,
                    ngettext("ledgerc: %zu warning (missing reports, stale copies, ...): %s"
                             "run: ledgerc check%s %04d-%02d\n",
                             "ledgerc: %zu warnings (missing reports, stale copies, ...): %s"
                             "run: ledgerc check%s %04d-%02d\n",
                             warnings),
                    warnings, sheet ? _("see the 问题清单 sheet of ledger.xlsx or ") : "", input,
                    c.year, c.month);
        free(input);
    }
    lg_diags_free(&d);
    return status;
}

/* The units that have not reported (their missing-report warnings), count and
 * names, the first thing an office wants before the deadline. */
static void print_unreported(const lg_diags *d, const common *c, FILE *out)
{
    size_t n = 0;
    for (size_t i = 0; i < d->count; i++)
        n += strcmp(d->items[i].kind, "missing-report") == 0;
    if (!n)
        return;
    fprintf(out, ngettext("== %zu unit has not reported for %04d-%02d\n",
                          "== %zu units have not reported for %04d-%02d\n", n),
            n, c->year, c->month);
    for (size_t i = 0; i < d->count; i++) {
        const lg_diag *g = &d->items[i];
        if (strcmp(g->kind, "missing-report") == 0)
            fprintf(out, "%s\n", g->unit_name ? g->unit_name : g->unit);
    }
    fputs("\n", out);
}

/* The text listing: grouped by unit, a heading (the unit's name) before each
 * unit's problems. */
static void print_grouped(const lg_diags *d, FILE *out)
{
    const char *unit = NULL;
    for (size_t i = 0; i < d->count; i++) {
        const lg_diag *g = &d->items[i];
        bool same = (g->unit == NULL && unit == NULL && i > 0) ||
                    (g->unit && unit && strcmp(g->unit, unit) == 0);
        if (!same && g->unit)
            fprintf(out, "%s== %s\n", i ? "\n" : "", g->unit_name ? g->unit_name : g->unit);
        else if (!same)
            fputs(_("== the input files\n"), out);
        unit = g->unit;
        char *line = lg_diag_format(g);
        fprintf(out, "%s\n", line);
        free(line);
    }
}

static int cmd_check(int argc, char **argv, FILE *out, FILE *err)
{
    common c = {.input_dir = "input", .format = "text"};
    int status = parse("check", argc, argv, &c, out, err);
    if (status >= 0)
        return status == LG_EXIT_USAGE ? LG_EXIT_CHECK_ERRORS : status;
    lg_diags d = {0};
    lg_build_check(c.input_dir, c.template_path, c.year, c.month, &d);
    size_t errors = lg_diags_count(&d, LG_ERROR), warnings = lg_diags_count(&d, LG_WARNING);
    if (strcmp(c.format, "json") == 0) {
        lg_diags_write_json(&d, out);
    } else {
        print_unreported(&d, &c, out);
        print_grouped(&d, out);
        char *e = lg_xasprintf(ngettext("%zu error", "%zu errors", errors), errors);
        char *w = lg_xasprintf(ngettext("%zu warning", "%zu warnings", warnings), warnings);
        fputs(d.count ? "\n" : "", out);
        /* TRANSLATORS: the period, then "N errors" and "N warnings" */
        fprintf(out, _("ledgerc: %04d-%02d: %s, %s\n"), c.year, c.month, e, w);
        free(e);
        free(w);
    }
    lg_diags_free(&d);
    return errors ? LG_EXIT_CHECK_ERRORS : warnings ? LG_EXIT_CHECK_WARNINGS : LG_EXIT_OK;
}

/* Prints every diagnostic of D, then the closing line of a failed run. */
static void print_problems(const lg_diags *d, bool ok, FILE *err)
{
    lg_diags_print(d, err);
    size_t errors = lg_diags_count(d, LG_ERROR);
    if (!ok && errors)
        fprintf(err, ngettext("ledgerc: %zu error; nothing was written\n",
                              "ledgerc: %zu errors; nothing was written\n", errors),
                errors);
}

/* ledgerc forms [--input DIR] [--template FILE] [--out DIR] PERIOD */
static int cmd_forms(int argc, char **argv, FILE *out, FILE *err)
{
    static const struct option longopts[] = {
        {"input", required_argument, NULL, 'i'}, {"template", required_argument, NULL, 't'},
        {"out", required_argument, NULL, 'o'},   {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},     {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    lg_forms_opts o = {.input_dir = "input"};
    bool quiet = false;
    optind = 1;
    opterr = 0;
    for (int ch; (ch = getopt_long(argc, argv, ":i:t:o:qv", longopts, NULL)) != -1;) {
        switch (ch) {
        case 'i': o.input_dir = optarg; break;
        case 't': o.template_path = optarg; break;
        case 'o': o.out_dir = optarg; break;
        case 'q': quiet = true; break;
        case 'v': o.log = out; break;
        case 'h': fputs(_(usage), out); return LG_EXIT_OK;
        case ':': return usage_error(err, "option %s needs a value", argv[optind - 1]);
        default: return usage_error(err, "unknown option %s", argv[optind - 1]);
        }
    }
    int status = period_arg(argc, argv, N_("forms needs the PERIOD to report, e.g. 2022-11"),
                            N_("PERIOD is a month written YYYY-MM, e.g. 2022-11, not \"%s\""),
                            &o.year, &o.month, err);
    if (status >= 0)
        return status;
    char default_out[32];
    o.out_dir = out_or_default(o.out_dir, default_out, o.year, o.month);
    lg_diags d = {0};
    bool ok = lg_build_time(&o.created, &d) && lg_forms(&o, &d);
    print_problems(&d, ok, err);
    if (ok && !quiet)
        fprintf(out, _("ledgerc: wrote the forms for %04d-%02d into %s/forms/\n"), o.year,
                o.month, o.out_dir);
    status = ok ? LG_EXIT_OK : failure_status(&d);
    lg_diags_free(&d);
    return status;
}

/* ledgerc history [--input DIR] [--template FILE] [--out DIR] [--task N] [--unit ID]
 * [--pdf KIND] PERIOD */
static int cmd_history(int argc, char **argv, FILE *out, FILE *err)
{
    static const struct option longopts[] = {
        {"input", required_argument, NULL, 'i'}, {"template", required_argument, NULL, 't'},
        {"out", required_argument, NULL, 'o'},   {"task", required_argument, NULL, 'T'},
        {"unit", required_argument, NULL, 'U'},  {"pdf", required_argument, NULL, 'P'},
        {"quiet", no_argument, NULL, 'q'},       {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    lg_history_opts o = {.input_dir = "input"};
    bool quiet = false;
    optind = 1;
    opterr = 0;
    for (int ch; (ch = getopt_long(argc, argv, ":i:t:o:qv", longopts, NULL)) != -1;) {
        switch (ch) {
        case 'i': o.input_dir = optarg; break;
        case 't': o.template_path = optarg; break;
        case 'o': o.out_dir = optarg; break;
        case 'T':
            if (!lg_task_no_parse(optarg, &o.task))
                return usage_error(err, "--task takes a task number, e.g. 139, not \"%s\"",
                                   optarg);
            break;
        case 'U': o.unit = optarg; break;
        case 'P':
            if (!pdf_kind(optarg, &o.pdf_plain))
                return usage_error(err, "--pdf takes pdfa or plain, not \"%s\"", optarg);
            break;
        case 'q': quiet = true; break;
        case 'v': o.log = out; break;
        case 'h': fputs(_(usage), out); return LG_EXIT_OK;
        case ':': return usage_error(err, "option %s needs a value", argv[optind - 1]);
        default: return usage_error(err, "unknown option %s", argv[optind - 1]);
        }
    }
    int status = period_arg(argc, argv, N_("history needs the PERIOD to end with, e.g. 2022-10"),
                            N_("PERIOD is a month written YYYY-MM, e.g. 2022-10, not \"%s\""),
                            &o.year, &o.month, err);
    if (status >= 0)
        return status;
    char default_out[32];
    o.out_dir = out_or_default(o.out_dir, default_out, o.year, o.month);
    lg_diags d = {0};
    bool ok = lg_build_time(&o.created, &d) && lg_history(&o, &d);
    print_problems(&d, ok, err);
    if (ok && !quiet)
        fprintf(out, _("ledgerc: wrote the history to %04d-%02d into %s/history.xlsx and .pdf\n"),
                o.year, o.month, o.out_dir);
    status = ok ? LG_EXIT_OK : failure_status(&d);
    lg_diags_free(&d);
    return status;
}

/* How many columns TEXT takes on a terminal: characters from U+1000 on (Chinese
 * and the full-width punctuation are) two, others one. */
static size_t text_width(const char *text)
{
    size_t w = 0;
    for (const unsigned char *s = (const unsigned char *)text; *s; s++)
        if ((*s & 0xC0) != 0x80)
            w += *s >= 0xE1 ? 2 : 1;
    return w;
}

/* TEXT, then spaces up to WIDTH columns and two more. */
static void put_cell(FILE *out, const char *text, size_t width)
{
    fputs(text, out);
    for (size_t w = text_width(text); w < width + 2; w++)
        fputc(' ', out);
}

/* The closing table of an import: unit, form, result, reason. */
static void print_import_table(const lg_import_rows *rows, FILE *out)
{
    const char *head[4] = {_("Unit"), _("Form"), _("Result"), _("Reason")};
    size_t w[3];
    for (int k = 0; k < 3; k++)
        w[k] = text_width(head[k]);
    for (size_t i = 0; i < rows->n; i++) {
        const char *cells[3] = {rows->v[i].unit, rows->v[i].form,
                                lg_import_result_name(rows->v[i].result)};
        for (int k = 0; k < 3; k++)
            if (text_width(cells[k]) > w[k])
                w[k] = text_width(cells[k]);
    }
    for (int k = 0; k < 3; k++)
        put_cell(out, head[k], w[k]);
    fprintf(out, "%s\n", head[3]);
    for (size_t i = 0; i < rows->n; i++) {
        const lg_import_row *r = &rows->v[i];
        put_cell(out, r->unit, w[0]);
        put_cell(out, r->form, w[1]);
        if (*r->reason) {
            put_cell(out, lg_import_result_name(r->result), w[2]);
            fprintf(out, "%s\n", r->reason);
        } else {
            fprintf(out, "%s\n", lg_import_result_name(r->result));
        }
    }
}

/* ledgerc import [--input DIR] [--force] [--period PERIOD] FORM|FOLDER... */
static int cmd_import(int argc, char **argv, FILE *out, FILE *err)
{
    static const struct option longopts[] = {
        {"input", required_argument, NULL, 'i'}, {"force", no_argument, NULL, 'F'},
        {"period", required_argument, NULL, 'p'}, {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    lg_import_opts o = {.input_dir = "input"};
    bool quiet = false;
    optind = 1;
    opterr = 0;
    for (int ch; (ch = getopt_long(argc, argv, ":i:q", longopts, NULL)) != -1;) {
        switch (ch) {
        case 'i': o.input_dir = optarg; break;
        case 'F': o.force = true; break;
        case 'p':
            if (!lg_period_parse(optarg, &o.year, &o.month))
                return usage_error(err, "--period takes a month written YYYY-MM, not \"%s\"",
                                   optarg);
            break;
        case 'q': quiet = true; break;
        case 'h': fputs(_(usage), out); return LG_EXIT_OK;
        case ':': return usage_error(err, "option %s needs a value", argv[optind - 1]);
        default: return usage_error(err, "unknown option %s", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage_error(err, "%s", _("import needs the filled-in forms, e.g. kjj.xlsx"));
    if (!quiet)
        o.log = out;
    size_t n = (size_t)(argc - optind);
    lg_diags d = {0};
    lg_import_rows rows = {0};
    bool ok = lg_import(&o, (const char *const *)(argv + optind), n, &rows, &d);
    lg_diags_print(&d, err);
    int status = ok ? LG_EXIT_OK : failure_status(&d);
    size_t counts[LG_IMPORT_REFUSED + 1] = {0};
    for (size_t i = 0; i < rows.n; i++)
        counts[rows.v[i].result]++;
    if (rows.n && !quiet) {
        if (d.count)
            fputc('\n', out);
        print_import_table(&rows, out);
    }
    if (rows.n)
        fprintf(ok ? out : err,
                _("ledgerc: forms: %zu; imported %zu, replaced %zu, unchanged %zu, refused %zu\n"),
                rows.n, counts[LG_IMPORT_IMPORTED], counts[LG_IMPORT_REPLACED],
                counts[LG_IMPORT_UNCHANGED], counts[LG_IMPORT_REFUSED]);
    else if (!ok)
        fprintf(err,
                ngettext("ledgerc: %zu error; nothing was written\n",
                         "ledgerc: %zu errors; nothing was written\n", lg_diags_count(&d, LG_ERROR)),
                lg_diags_count(&d, LG_ERROR));
    else
        fputs(_("ledgerc: no forms to import\n"), err);
    lg_import_rows_free(&rows);
    lg_diags_free(&d);
    return status;
}

/* ledgerc verify FILE.pdf... | DIR... */
static int cmd_verify(int argc, char **argv, FILE *out, FILE *err)
{
    if (argc < 2)
        return usage_error(err, "%s",
                           _("verify needs PDFs or a month's output folder, e.g. output/2022-10"));
    if (strcmp(argv[1], "--help") == 0) {
        fputs(_(usage), out);
        return LG_EXIT_OK;
    }
    lg_diags d = {0};
    size_t pdfs = 0;
    bool ok = true;
    for (int i = 1; i < argc; i++)
        ok = lg_verify(argv[i], &pdfs, &d) && ok;
    lg_diags_print(&d, err);
    size_t errors = lg_diags_count(&d, LG_ERROR);
    if (ok)
        fprintf(out, ngettext("ledgerc: %zu PDF conforms to PDF/A-2b\n",
                              "ledgerc: %zu PDFs conform to PDF/A-2b\n", pdfs),
                pdfs);
    else
        fprintf(err,
                ngettext("ledgerc: %zu problem; not an archive copy as ledgerc writes it\n",
                         "ledgerc: %zu problems; not an archive copy as ledgerc writes it\n",
                         errors),
                errors);
    lg_diags_free(&d);
    return ok ? LG_EXIT_OK : LG_EXIT_INPUT;
}

int lg_cli_main(int argc, char **argv, FILE *out, FILE *err)
{
    if (argc < 2)
        return usage_error(err, "%s", _("no command given"));
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(_(usage), out);
        return LG_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        fputs("ledgerc " LG_VERSION "\n", out);
        return LG_EXIT_OK;
    }
    if (strcmp(cmd, "build") == 0)
        return cmd_build(argc - 1, argv + 1, out, err);
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc - 1, argv + 1, out, err);
    if (strcmp(cmd, "forms") == 0)
        return cmd_forms(argc - 1, argv + 1, out, err);
    if (strcmp(cmd, "import") == 0)
        return cmd_import(argc - 1, argv + 1, out, err);
    if (strcmp(cmd, "history") == 0)
        return cmd_history(argc - 1, argv + 1, out, err);
    if (strcmp(cmd, "verify") == 0)
        return cmd_verify(argc - 1, argv + 1, out, err);
    return usage_error(err, "unknown command \"%s\"", cmd);
}
