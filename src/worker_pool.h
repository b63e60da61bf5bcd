/* Work in forked worker processes (worker_pool.c). Each worker is forked from
 * the caller, so it starts with everything the caller has loaded, and sends
 * back what it did through a pipe of its own; the caller reads the pipes.
 * Fork only from a process that has started no threads (Pango's, glib's):
 * a lock held by one of them at the fork is never released in the child. */
#ifndef LG_WORKER_POOL_H
#define LG_WORKER_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/** Runs in a worker: does its share of the work and writes its results to
 * OUT. CTX is the caller's, as it was at the fork. */
typedef void lg_pool_work_fn(void *ctx, FILE *out);

/** Runs in the caller: reads one result a worker wrote to IN; false at the
 * end of the pipe (the worker is done, or died). */
typedef bool lg_pool_read_fn(void *ctx, FILE *in);

/** How many worker processes to run for JOBS asked (0: one per core). The
 * sanitizer build runs one: gcc 12's AddressSanitizer does not take its
 * allocator's lock around fork. */
size_t lg_pool_size(unsigned jobs);

/** Forks N workers, each running WORK then exiting; reads each one's pipe
 * with READ_ONE until it returns false, one worker after the other, and waits
 * for each. A worker dies with the caller (PR_SET_PDEATHSIG). Returns how
 * many workers started, fewer than N when a fork or pipe failed: with 0,
 * the caller does the work itself. */
size_t lg_pool_run(size_t n, lg_pool_work_fn *work, lg_pool_read_fn *read_one, void *ctx);

#endif
