/* The command line: argv into options, results into an exit status. */
#ifndef LG_CLI_H
#define LG_CLI_H

#include <stdio.h>

/* Exit statuses. build, forms, import: 0 done, 1 errors in the input (or a
 * form refused), 2 wrong command line, 3 could not write (disk full,
 * permission, read-only), 4 another ledgerc run holds the output's lock.
 * check: 0 clean, 1 warnings only, 2 errors (of the input or the command line). */
enum {
    LG_EXIT_OK = 0,
    LG_EXIT_INPUT = 1,
    LG_EXIT_USAGE = 2,
    LG_EXIT_WRITE = 3,
    LG_EXIT_LOCKED = 4,
    LG_EXIT_CHECK_WARNINGS = 1,
    LG_EXIT_CHECK_ERRORS = 2,
};

/** Runs ledgerc with ARGV; messages go to OUT and ERR. Returns the exit status. */
int lg_cli_main(int argc, char **argv, FILE *out, FILE *err);

#endif
