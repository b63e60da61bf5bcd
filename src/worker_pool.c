#define _DEFAULT_SOURCE /* fork */
#include "worker_pool.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arena.h"

size_t lg_pool_size(unsigned jobs)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t n = jobs ? jobs : cores > 0 ? (size_t)cores : 1;
#if defined(__SANITIZE_ADDRESS__)
    n = 1;
#endif
    return n;
}

/* In the worker of pipe FD, after the fork: the caller's ends of the pipes of
 * the STARTED workers before it, and the caller's lists, are not its own. */
static void run_worker(int fd[2], FILE **pipes, pid_t *pids, size_t started, pid_t parent,
                       lg_pool_work_fn *work, void *ctx)
{
    /* A worker dies with its parent: a run killed half-way must not leave a
     * process that goes on writing temporary files, which the next run
     * would sweep and write again under the same names (outfile.c). */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(1);
    close(fd[0]);
    for (size_t i = 0; i < started; i++)
        if (pipes[i])
            fclose(pipes[i]);
    free(pipes);
    free(pids);
    FILE *out = fdopen(fd[1], "wb");
    work(ctx, out);
    fclose(out);
    _exit(0);
}

size_t lg_pool_run(size_t n, lg_pool_work_fn *work, lg_pool_read_fn *read_one, void *ctx)
{
    fflush(NULL); /* nothing buffered may be written twice */
    pid_t *pids = lg_xcalloc(n + 1, sizeof *pids);
    FILE **pipes = lg_xcalloc(n + 1, sizeof *pipes);
    size_t started = 0;
    pid_t parent = getpid();
    for (; started < n; started++) {
        int fd[2];
        if (pipe(fd) != 0)
            break;
        pid_t pid = fork();
        if (pid < 0) {
            close(fd[0]);
            close(fd[1]);
            break;
        }
        if (pid == 0)
            run_worker(fd, pipes, pids, started, parent, work, ctx);
        close(fd[1]);
        pids[started] = pid;
        pipes[started] = fdopen(fd[0], "rb");
    }
    /* Each worker goes on without the others, so reading one pipe to its
     * end while another waits on a full pipe cannot deadlock. */
    for (size_t i = 0; i < started; i++) {
        while (pipes[i] && read_one(ctx, pipes[i]))
            ;
        if (pipes[i])
            fclose(pipes[i]);
        waitpid(pids[i], NULL, 0);
    }
    free(pipes);
    free(pids);
    return started;
}
