/* The command line: argv into options, results into an exit status. */
#ifndef LG_CLI_H
#define LG_CLI_H

#include <stdio.h>

/* Exit statuses. */
enum { LG_EXIT_OK = 0, LG_EXIT_INPUT = 1, LG_EXIT_USAGE = 2 };

/** Runs ledgerc with ARGV; messages go to OUT and ERR. Returns the exit status. */
int lg_cli_main(int argc, char **argv, FILE *out, FILE *err);

#endif
