"""Atomic outputs: a build killed with SIGKILL at any point leaves every output
file either its complete earlier version or its complete new one, never a
partial file, and the next complete run leaves no temporary file behind.

A generated city (60 units, 300 tasks; 20 and 100 in a sanitizer build,
where a build is three times slower) is built twice, with the default worker
processes: into A, and, from input that changes every file (the plan's
title), into B. Then, again and again, the B build is started over a copy of
A and killed at a random point (spread over the build's measured duration);
every file is compared byte for byte with A's and B's. The kills that land
while the renames of the end are under way leave some files of A and some of
B, each of them complete: outfile.c renames the files one by one, which the
issue allows. After each kill nothing may go on writing: the build's worker
processes die with it.

LG_KILL_POINTS sets the number of kills spread over the whole build (default
20), and 4 more land in its last tenth, where the files are flushed and
renamed; a kill that comes after the build has finished does not count.
LG_KILL_SEED sets the random seed (printed, so that a failure can be
replayed)."""
import filecmp
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

from lgtest import EPOCH, LEDGERC, gen_corpus, workdir

PERIOD = "2022-10"
TMP_SUFFIX = ".ledgerc-tmp"


def env():
    e = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    # A killed process never reaches the leak check; and in the sanitizer
    # build, stacks unwound through the libraries' frames (scripts/test asks
    # for them to match its suppressions) make every run several times slower.
    if "ASAN_OPTIONS" in e:
        e["ASAN_OPTIONS"] += ":fast_unwind_on_malloc=1:detect_leaks=0"
    return e


def sanitized():
    """Whether ledgerc is the sanitizer build (linked with libasan)."""
    ldd = subprocess.run(["ldd", LEDGERC], capture_output=True, text=True).stdout
    return "libasan" in ldd


def start(inp, out):
    """The build of INP into OUT, started. Its errors go to a file, not a
    pipe: waiting for a pipe to close would wait for every process that
    holds it, a worker left behind too."""
    err = tempfile.TemporaryFile()
    p = subprocess.Popen([LEDGERC, "build", "--quiet", "--input", inp, "--out", out, PERIOD],
                         env=env(), stdout=subprocess.DEVNULL, stderr=err)
    p.err = err
    return p


def build(inp, out):
    t0 = time.monotonic()
    p = start(inp, out)
    p.wait()
    p.err.seek(0)
    assert p.returncode == 0, p.err.read().decode()
    p.err.close()
    return time.monotonic() - t0


def files(root):
    """Relative paths of the regular files under ROOT."""
    out = []
    for d, _, names in os.walk(root):
        for n in names:
            out.append(os.path.relpath(os.path.join(d, n), root))
    return sorted(out)


def survivors(out):
    """Processes still running a build into OUT (a worker left behind)."""
    pids = []
    for pid in os.listdir("/proc"):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                args = f.read().split(b"\0")
        except OSError:
            continue
        if out.encode() in args:
            pids.append(int(pid))
    return pids


def tmp_state(root):
    """Name, size and time of each temporary file under ROOT."""
    out = []
    for d, _, names in os.walk(root):
        for n in names:
            if is_tmp(n):
                st = os.stat(os.path.join(d, n))
                out.append((os.path.join(d, n), st.st_size, st.st_mtime_ns))
    return sorted(out)


def is_tmp(rel):
    """A temporary file, or the lock of a killed run: its flock died with the
    run, and the next run takes the file over (outfile.c, lg_lock_folder)."""
    base = os.path.basename(rel)
    return base == ".ledgerc-lock" or (base.startswith(".") and base.endswith(TMP_SUFFIX))


class Kill(unittest.TestCase):
    def test_kill_at_random_points(self):
        points = int(os.environ.get("LG_KILL_POINTS", "20"))
        tail = 4
        seed = int(os.environ.get("LG_KILL_SEED", str(random.randrange(1 << 30))))
        print("kill test: %d + %d points, LG_KILL_SEED=%d" % (points, tail, seed), file=sys.stderr)
        rng = random.Random(seed)

        d = workdir("kill")
        in_a = os.path.join(d, "in-a")
        units, tasks = ("20", "100") if sanitized() else ("60", "300")
        gen_corpus(in_a, "--units", units, "--tasks", tasks)
        in_b = os.path.join(d, "in-b")
        shutil.copytree(in_a, in_b)
        plan = os.path.join(in_b, "plan.xml")
        with open(plan, encoding="utf-8") as f:
            text = f.read()
        with open(plan, "w", encoding="utf-8") as f:
            f.write(text.replace(' title="', ' title="（修订）', 1))

        out_a, out_b = os.path.join(d, "a"), os.path.join(d, "b")
        duration = build(in_a, out_a)
        build(in_b, out_b)
        names = files(out_a)
        self.assertEqual(names, files(out_b))
        self.assertGreater(len(names), 40)
        for n in names:
            if n == ".ledgerc-month":  # the month built, the same in both
                continue
            self.assertFalse(filecmp.cmp(os.path.join(out_a, n), os.path.join(out_b, n),
                                         shallow=False), "%s is the same in A and B" % n)
        print("a build takes %.1f s and writes %d files" % (duration, len(names)),
              file=sys.stderr)

        # Stratified: kill k lands in the k-th of POINTS equal slices of the
        # build, so that the points cover the whole run. A build that finished
        # before its kill (it ran faster than measured) shortens the estimate
        # and its slice is tried again.
        run = os.path.join(d, "run")
        leftover = None  # a killed folder that has temporary files
        seen = {"a": 0, "b": 0, "mixed": 0}
        k = tries = 0
        while k < points + tail:
            tries += 1
            self.assertLessEqual(tries, 3 * (points + tail),
                                 "builds keep finishing before their kill")
            shutil.rmtree(run, ignore_errors=True)
            shutil.copytree(out_a, run)
            if k < points:
                at = duration * (k + rng.random()) / points
            else:
                at = duration * (0.9 + 0.1 * rng.random())
            p = start(in_b, run)
            time.sleep(at)
            p.send_signal(signal.SIGKILL)
            p.wait()
            p.err.close()
            killed = p.returncode == -signal.SIGKILL
            if not killed:
                duration = at * 0.95

            # a worker left running would go on writing its temporary file
            before = tmp_state(run)
            time.sleep(0.1)
            self.assertEqual(survivors(run), [],
                             "kill %d at %.2f s: a worker outlived the build" % (k, at))
            self.assertEqual(tmp_state(run), before,
                             "kill %d at %.2f s: something still writes after the kill" % (k, at))
            now = files(run)
            tmps = [n for n in now if is_tmp(n)]
            self.assertEqual([n for n in now if not is_tmp(n)], names,
                             "kill %d at %.2f s: files appeared or disappeared" % (k, at))
            versions = set()
            for n in names:
                path = os.path.join(run, n)
                if filecmp.cmp(path, os.path.join(out_a, n), shallow=False):
                    versions.add("a")
                elif filecmp.cmp(path, os.path.join(out_b, n), shallow=False):
                    versions.add("b")
                else:
                    self.fail("kill %d at %.2f s: %s is neither A's nor B's (%d bytes; A %d, B %d)"
                              % (k, at, n, os.path.getsize(path),
                                 os.path.getsize(os.path.join(out_a, n)),
                                 os.path.getsize(os.path.join(out_b, n))))
            state = "mixed" if len(versions) == 2 else versions.pop()
            print("kill %2d at %5.2f s%s: %s, %d temporary files" %
                  (k, at, "" if killed else " (had finished: not counted)", state, len(tmps)),
                  file=sys.stderr)
            if not killed:
                continue
            k += 1
            seen[state] += 1
            if tmps and leftover is None:
                leftover = os.path.join(d, "leftover")
                shutil.copytree(run, leftover)

        print("%d kills: %d left every file A's, %d every file B's, %d some of each"
              % (points + tail, seen["a"], seen["b"], seen["mixed"]), file=sys.stderr)
        self.assertGreater(seen["a"], 0, "no kill landed before the renames")
        self.assertIsNotNone(leftover, "no kill left temporary files: nothing to clean up")

        # The next complete run writes B and removes what the killed one left.
        build(in_b, leftover)
        self.assertEqual(files(leftover), names)
        for n in names:
            self.assertTrue(filecmp.cmp(os.path.join(leftover, n), os.path.join(out_b, n),
                                        shallow=False), n)


if __name__ == "__main__":
    unittest.main()
