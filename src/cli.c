#include "cli.h"

#include <getopt.h>
#include <stdbool.h>
#include <string.h>

#include "build.h"
#include "diag.h"
#include "model.h"

#ifndef LG_VERSION
#define LG_VERSION "0"
#endif

static const char usage[] =
    "Usage: ledgerc build [OPTION]... PERIOD\n"
    "Compile the implementation ledgers (落实情况台账) of the month PERIOD (YYYY-MM).\n"
    "\n"
    "  -i, --input DIR       folder with plan.xml and reports/PERIOD/ (default: input)\n"
    "  -t, --template FILE   layout template (default: templates/ledger.xml)\n"
    "  -o, --out DIR         where to write (default: output/PERIOD)\n"
    "  -f, --formats LIST    xlsx, pdf or xlsx,pdf (default: xlsx,pdf)\n"
    "  -q, --quiet           print only problems\n"
    "  -v, --verbose         list every file written\n"
    "      --help            show this help and exit\n"
    "      --version         show the version and exit\n"
    "\n"
    "Writes OUT/units/UNIT-ID.xlsx and .pdf for every unit of the plan. Problems in\n"
    "the input are printed as FILE:LINE: error: ... and nothing is written.\n"
    "Exit status: 0 done, 1 the input has errors, 2 wrong command line.\n";

static int usage_error(FILE *err, const char *fmt, const char *arg)
{
    fputs("ledgerc: ", err);
    fprintf(err, fmt, arg);
    fputs("\n", err);
    fputs(usage, err);
    return LG_EXIT_USAGE;
}

static bool parse_formats(const char *s, unsigned *out)
{
    unsigned f = 0;
    char buf[64];
    if (strlen(s) >= sizeof buf)
        return false;
    strcpy(buf, s);
    for (char *save, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (strcmp(tok, "xlsx") == 0)
            f |= LG_FORMAT_XLSX;
        else if (strcmp(tok, "pdf") == 0)
            f |= LG_FORMAT_PDF;
        else
            return false;
    }
    *out = f;
    return f != 0;
}

static int cmd_build(int argc, char **argv, FILE *out, FILE *err)
{
    static const struct option longopts[] = {
        {"input", required_argument, NULL, 'i'},
        {"template", required_argument, NULL, 't'},
        {"out", required_argument, NULL, 'o'},
        {"formats", required_argument, NULL, 'f'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    lg_build_opts o = {.input_dir = "input", .formats = LG_FORMAT_XLSX | LG_FORMAT_PDF};
    bool quiet = false, verbose = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":i:t:o:f:qv", longopts, NULL)) != -1) {
        switch (c) {
        case 'i': o.input_dir = optarg; break;
        case 't': o.template_path = optarg; break;
        case 'o': o.out_dir = optarg; break;
        case 'f':
            if (!parse_formats(optarg, &o.formats))
                return usage_error(err, "--formats takes xlsx, pdf or xlsx,pdf, not \"%s\"", optarg);
            break;
        case 'q': quiet = true; break;
        case 'v': verbose = true; break;
        case 'h': fputs(usage, out); return LG_EXIT_OK;
        case ':': return usage_error(err, "option %s needs a value", argv[optind - 1]);
        default: return usage_error(err, "unknown option %s", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage_error(err, "%s", "build needs the PERIOD to compile, e.g. 2022-10");
    if (optind + 1 < argc)
        return usage_error(err, "one PERIOD at a time; unexpected \"%s\"", argv[optind + 1]);
    if (!lg_period_parse(argv[optind], &o.year, &o.month))
        return usage_error(err, "PERIOD is a month written YYYY-MM, e.g. 2022-10, not \"%s\"",
                           argv[optind]);
    if (verbose)
        o.log = out;
    char default_out[32];
    if (!o.out_dir) {
        snprintf(default_out, sizeof default_out, "output/%04d-%02d", o.year, o.month);
        o.out_dir = default_out;
    }

    lg_diags d = {0};
    bool ok = lg_build_time(&o.created, &d) && lg_build(&o, &d);
    lg_diags_print(&d, err);
    size_t errors = lg_diags_count(&d, LG_ERROR);
    if (!ok && errors)
        fprintf(err, "ledgerc: %zu error%s; nothing was written\n", errors, errors == 1 ? "" : "s");
    else if (ok && !quiet)
        fprintf(out, "ledgerc: compiled %04d-%02d into %s/\n", o.year, o.month, o.out_dir);
    lg_diags_free(&d);
    return ok ? LG_EXIT_OK : LG_EXIT_INPUT;
}

int lg_cli_main(int argc, char **argv, FILE *out, FILE *err)
{
    if (argc < 2)
        return usage_error(err, "%s", "no command given");
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(usage, out);
        return LG_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        fputs("ledgerc " LG_VERSION "\n", out);
        return LG_EXIT_OK;
    }
    if (strcmp(cmd, "build") == 0)
        return cmd_build(argc - 1, argv + 1, out, err);
    return usage_error(err, "unknown command \"%s\"", cmd);
}
