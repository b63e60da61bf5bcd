"""Helpers for the end-to-end tests: run the built ledgerc, read its outputs
with independent readers. Run by ctest with LEDGERC, LG_SOURCE_DIR and
LG_WORK_DIR set (see tests/CMakeLists.txt)."""
import os
import shutil
import subprocess
import tempfile
import time

LEDGERC = os.environ["LEDGERC"]
SOURCE = os.environ["LG_SOURCE_DIR"]
WORK = os.environ.get("LG_WORK_DIR", tempfile.gettempdir())
EPOCH = "1667260800"  # 2022-11-01 00:00:00 UTC
# The seed month (市科技局, 2022-10): the sample input of the repository, and
# the cells of the real ledger that it must give.
EXAMPLES = os.path.join(SOURCE, "input")
SEED_EXPECTED = os.path.join(SOURCE, "tests", "data", "seed", "expected-kjj-2022-10.json")
GEN_CORPUS = os.path.join(SOURCE, "scripts", "gen-corpus")
# Built with AddressSanitizer: that build renders in one process whatever --jobs says.
with open(LEDGERC, "rb") as _f:
    SANITIZED = b"__asan_init" in _f.read()


def workdir(name):
    """A fresh empty folder for one test."""
    d = os.path.join(WORK, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def run(*args, epoch=EPOCH, cwd=None):
    """Runs ledgerc with ARGS; returns (status, stdout, stderr)."""
    env = dict(os.environ)
    if epoch is None:
        env.pop("SOURCE_DATE_EPOCH", None)
    else:
        env["SOURCE_DATE_EPOCH"] = epoch
    p = subprocess.run([LEDGERC, *args], capture_output=True, text=True, env=env, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def run_watching_children(*args):
    """Runs ledgerc with ARGS as run() does, looking at its child processes
    every 2 ms; returns (status, stderr, the most children seen at once)."""
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    err = tempfile.TemporaryFile()
    p = subprocess.Popen([LEDGERC, *args], stdout=subprocess.DEVNULL, stderr=err, env=env)
    most = 0
    children = "/proc/%d/task/%d/children" % (p.pid, p.pid)
    while p.poll() is None:
        try:
            with open(children) as f:
                most = max(most, len(f.read().split()))
        except OSError:
            pass  # it has just ended
        time.sleep(0.002)
    err.seek(0)
    with err:
        return p.returncode, err.read().decode(), most


def gen_corpus(out, *args):
    """Generates a corpus into OUT with scripts/gen-corpus ARGS."""
    subprocess.run(["/usr/bin/python3", GEN_CORPUS, "--out", out, *args], check=True)


def sheet_cells(path):
    """Title, header and body rows of the first sheet of an XLSX, as openpyxl
    reads them (merged cells' hidden parts read as empty), and the merges."""
    import openpyxl
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    rows = [["" if c.value is None else str(c.value) for c in r]
            for r in ws.iter_rows(min_row=1, max_row=ws.max_row)]
    merges = sorted(str(m) for m in ws.merged_cells.ranges)
    return ws, rows, merges
