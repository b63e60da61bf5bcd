"""An office's month on a generated 60-unit city (issue 12): forms for the
next month, 50 of them filled in by openpyxl as units fill them in, some of
them wrong in the ways units get them wrong, all imported by one
`ledgerc import inbox/`; then build and check. And the runs that must not
collide or half-write: two builds into one folder, a build onto a full disk."""
import hashlib
import os
import re
import shutil
import subprocess
import time
import unittest
import xml.etree.ElementTree as ET

import openpyxl

from lgtest import LEDGERC, gen_corpus, run, workdir

NEXT = "2022-11"


def form_rows(wb):
    """task number -> first sheet row (1-based), from the hidden sheet."""
    rows, reading = {}, False
    for r in wb["ledgerc"].iter_rows(values_only=True):
        if reading and r[0]:
            rows[int(r[0])] = int(r[1])
        elif r[0] == "rows":
            reading = True
    return rows


def meta(wb):
    return {r[0]: r[1] for r in wb["ledgerc"].iter_rows(values_only=True) if r[0]}


def columns(wb):
    return {name: i + 1 for i, name in enumerate(meta(wb)["columns"].split())}


def ref(row, col):
    return "%s%d" % (openpyxl.utils.get_column_letter(col), row)


def width(text):
    """Columns on a terminal, as ledgerc counts them (U+1000 and up: two)."""
    return sum(2 if ord(ch) >= 0x1000 else 1 for ch in text)


def table(rows):
    """The closing table of `ledgerc import` for ROWS (unit, form, result, reason):
    the first three columns as wide as their widest cell and two spaces."""
    head = ("Unit", "Form", "Result", "Reason")
    w = [max([width(head[k])] + [width(r[k]) for r in rows]) for k in range(3)]

    def cell(text, k):
        return text + " " * (w[k] + 2 - width(text))

    lines = [cell(head[0], 0) + cell(head[1], 1) + cell(head[2], 2) + head[3]]
    for unit, form, result, reason in rows:
        lines.append(cell(unit, 0) + cell(form, 1) + (cell(result, 2) + reason if reason
                                                       else result))
    return "\n".join(lines) + "\n"


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def tree(folder):
    out = {}
    for root, _, files in os.walk(folder):
        for f in files:
            p = os.path.join(root, f)
            out[os.path.relpath(p, folder)] = sha(p)
    return out


class OfficeMonth(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = d = workdir("office")
        cls.inp = inp = os.path.join(d, "city")
        gen_corpus(inp, "--units", "60", "--tasks", "300", "--months", "2", "--start",
                   "2022-09", "--seed", "12")
        for period in ("2022-10", NEXT):
            status, _, err = run("forms", "--input", inp, "--out", os.path.join(d, period), period)
            assert status == 0, err
        plan = ET.parse(os.path.join(inp, "plan.xml")).getroot()
        cls.names = {u.get("id"): u.get("name") for u in plan.iter("unit")}
        forms = os.path.join(d, NEXT, "forms")
        ids = sorted(f[:-5] for f in os.listdir(forms))[:50]
        cls.inbox = inbox = os.path.join(d, "inbox")
        os.makedirs(inbox)
        cls.expected = {}  # form file -> (result, reason)
        cls.written = []   # unit ids whose report must be written
        for i, uid in enumerate(ids):
            dest = os.path.join(inbox, uid + ".xlsx")
            cls.expected[dest] = cls.make_form(i, uid, forms, dest)
        with open(os.path.join(inbox, "说明.txt"), "w", encoding="utf-8") as f:
            f.write("not a form\n")
        cls.before10 = tree(os.path.join(inp, "reports", "2022-10"))
        cls.status, cls.out, cls.err = run("import", "--input", inp, inbox)

    @classmethod
    def make_form(cls, i, uid, forms, dest):
        """Form number I of the inbox, for unit UID, saved at DEST; returns
        what import must say of it: (result, reason)."""
        name = cls.names[uid]
        if i < 2:  # sent back untouched
            shutil.copy(os.path.join(forms, uid + ".xlsx"), dest)
            return ("refused", "nothing was filled in: the form came back as it was sent; ask "
                    "%s to fill it in and send it again" % name)
        src = os.path.join(cls.dir, "2022-10", "forms", uid + ".xlsx") if i == 2 else \
            os.path.join(forms, uid + ".xlsx")
        wb = openpyxl.load_workbook(src)
        ws = wb[meta(wb)["sheet"]]
        cols, rows = columns(wb), form_rows(wb)
        tasks = sorted(rows)
        for no in tasks:
            r = rows[no]
            ws.cell(r, cols["progress"]).value = "%s：任务%d本月按计划推进。" % (name, no)
            ws.cell(r, cols["plan"]).value = "继续推进任务%d。" % no
            ws.cell(r, cols["on-schedule"]).value = "是"
        first = rows[tasks[0]]
        at = 'sheet "%s", cell ' % name
        result = ("imported", "")
        if i == 2:
            result = ("refused", "this is the form of 2022-10, but 2022-11 is the month being "
                      "reported: was last month's form sent by mistake? Ask the unit for the "
                      "form of 2022-11; to import it into 2022-10 all the same, give --period "
                      "2022-10")
        elif i in (3, 4):
            junk = "基本是" if i == 3 else "Y"
            ws.cell(first, cols["on-schedule"]).value = junk
            result = ("refused", '%s%s: task %d: 是否达到序时进度 is "%s"; write 是, 否 or 已完成 (or '
                      "choose one from the drop-down)"
                      % (at, ref(first, cols["on-schedule"]), tasks[0], junk))
        elif i == 5:
            cell = ws.cell(first, cols["task"])
            cell.value = cell.value[:-3] + "等等" + cell.value[-2:]
            result = ("refused", None)  # checked by pattern: the texts are long
        elif i == 6:
            ws.title = "Sheet1"
            result = ("imported", "1 warning(s), listed above")
        elif i == 7:
            ws.insert_rows(first + 1)
            result = ("imported", "1 warning(s), listed above") if len(tasks) > 1 else result
        elif i == 8 and len(tasks) > 1:
            ws.insert_rows(first + 1)
            ws.cell(first + 1, cols["progress"]).value = "另起一行写的进展。"
            result = ("refused", "%s%s: row %d is not the row of any task, but holds text (was "
                      "a row inserted?); move the text into the row of its task, and delete "
                      "row %d" % (at, ref(first + 1, cols["progress"]), first + 1, first + 1))
        wb.save(dest)
        if result[0] == "imported":
            cls.written.append(uid)
        return result

    def test_exit_status_and_every_good_form_written(self):
        self.assertEqual(self.status, 1, self.err)
        month = os.path.join(self.inp, "reports", NEXT)
        self.assertEqual(sorted(os.listdir(month)), sorted(u + ".xml" for u in self.written))
        for uid in self.written:
            root = ET.parse(os.path.join(month, uid + ".xml")).getroot()
            self.assertEqual(root.get("form"), uid + ".xlsx")
            entries = list(root.iter("entry"))
            self.assertTrue(entries)
            for e in entries:
                self.assertRegex(e.get("cell"), r"^[A-Z]+\d+$")
                self.assertEqual(e.find("progress").text,
                                 "%s：任务%s本月按计划推进。" % (self.names[uid], e.get("task")))
        # last month's form did not touch last month
        self.assertEqual(tree(os.path.join(self.inp, "reports", "2022-10")), self.before10)

    def test_last_months_form_with_its_period(self):
        """--period names the month of last month's form: then it is read, and
        --force with it replaces that month's report, keeping the old one."""
        form = sorted(self.expected)[2]
        uid = os.path.basename(form)[:-5]
        report = os.path.join(self.inp, "reports", "2022-10", uid + ".xml")
        with open(report, "rb") as f:
            old = f.read()
        status, out, err = run("import", "--input", self.inp, "--period", "2022-10", form)
        self.assertEqual(status, 1)
        self.assertIn("to replace it, import with --force --period 2022-10", err)
        status, out, err = run("import", "--input", self.inp, "--period", "2022-10", "--force",
                               form)
        self.assertEqual(status, 0, err)
        self.assertRegex(out, r"\n\S+ +%s +replaced\n" % re.escape(form))
        with open(report + ".bak-1", "rb") as f:
            self.assertEqual(f.read(), old)
        self.assertEqual(ET.parse(report).getroot().get("form"), uid + ".xlsx")

    def test_result_table(self):
        rows = []
        for form in sorted(self.expected):
            uid = os.path.basename(form)[:-5]
            result, reason = self.expected[form]
            rows.append((self.names[uid], form, result,
                         "<changed>" if reason is None else reason))
        # the changed task text: its reason shows where the texts differ
        changed = re.search(r'refused  +(sheet "[^"]*", cell A\d+: task \d+: 工作任务 was '
                            r'changed to "(.*)"; it is locked and must read "(.*)" as in the '
                            r'plan; [^\n]*)\n', self.out)
        self.assertIsNotNone(changed, self.out)
        self.assertIn("等等", changed.group(2))
        self.assertNotIn("等等", changed.group(3))
        got = self.out[self.out.index("Unit  "):].replace(changed.group(1), "<changed>")
        self.assertEqual(got, table(rows))
        counts = [sum(1 for r in self.expected.values() if r[0] == k)
                  for k in ("imported", "refused")]
        self.assertEqual(counts, [len(self.written), 50 - len(self.written)])
        self.assertGreaterEqual(counts[1], 7)
        self.assertTrue(self.err.endswith(
            "ledgerc: forms: 50; imported %d, replaced 0, unchanged 0, refused %d\n"
            % tuple(counts)), self.err)

    def test_every_reason_is_listed(self):
        self.assertIn("%s: warning: not a form (a form is an .xlsx file); skipped\n"
                      % os.path.join(self.inbox, "说明.txt"), self.err)
        for form, (result, reason) in self.expected.items():
            if result == "refused" and reason:
                self.assertIn("%s: error: %s\n" % (form, reason), self.err)

    def test_then_build_and_check(self):
        out = os.path.join(self.dir, "out")
        status, stdout, err = run("build", "--input", self.inp, "--out", out, "--formats",
                                  "xlsx", NEXT)
        self.assertEqual(status, 0, err)
        self.assertIn("run: ledgerc check --input %s %s" % (self.inp, NEXT), stdout)
        self.assertTrue(os.path.exists(os.path.join(out, "units", self.written[0] + ".xlsx")))
        status, stdout, err = run("check", "--input", self.inp, NEXT)
        self.assertEqual(status, 1, err)  # warnings only: the units that did not report

    def test_import_again_changes_nothing(self):
        before = tree(self.inp)
        status, out, err = run("import", "--input", self.inp, os.path.join(
            self.inbox, self.written[0] + ".xlsx"))
        self.assertEqual(status, 0, err)
        self.assertRegex(out, r"\n\S+ +\S+ +unchanged(  [^\n]*)?\n")
        self.assertEqual(tree(self.inp), before)


class Runs(unittest.TestCase):
    """Two runs into one folder; a run onto a full disk."""

    @classmethod
    def setUpClass(cls):
        cls.dir = d = workdir("office-runs")
        cls.inp = os.path.join(d, "city")
        gen_corpus(cls.inp, "--units", "60", "--tasks", "300", "--months", "1", "--start",
                   "2022-10", "--seed", "7")

    def test_two_builds_at_once(self):
        out = os.path.join(self.dir, "two")
        first = subprocess.Popen([LEDGERC, "build", "--input", self.inp, "--out", out, "--jobs",
                                  "1", "2022-10"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 env=dict(os.environ, SOURCE_DATE_EPOCH="1667260800"))
        lock = os.path.join(out, ".ledgerc-lock")
        deadline = time.time() + 120
        while not os.path.exists(lock) and first.poll() is None and time.time() < deadline:
            time.sleep(0.01)
        status, stdout, err = run("build", "--input", self.inp, "--out", out, "2022-10")
        first_out, first_err = first.communicate()
        self.assertEqual(first.returncode, 0, first_err)
        self.assertEqual(status, 4, err)
        self.assertEqual(err, "%s: error: another ledgerc run (process %d) is writing into this "
                         "folder; wait until it has finished, then run again\n"
                         "ledgerc: stopped; the files that were there before are as they were\n"
                         % (out, first.pid))
        # the first run's files are whole, and the lock is gone with it
        status, _, err = run("verify", out)
        self.assertEqual(status, 0, err)
        self.assertFalse(os.path.exists(lock))

    def test_import_while_another_holds_the_month(self):
        """The month's reports folder is locked as ledgerc locks it: import
        stops at once, naming the process, and writes nothing."""
        import fcntl
        inp = os.path.join(self.dir, "locked-in")
        shutil.copytree(self.inp, inp)
        status, _, err = run("forms", "--input", inp, "--out", os.path.join(self.dir, "lf"),
                             "2022-10")
        self.assertEqual(status, 0, err)
        month = os.path.join(inp, "reports", "2022-10")
        form = os.path.join(self.dir, "lf", "forms", sorted(os.listdir(
            os.path.join(self.dir, "lf", "forms")))[0])
        wb = openpyxl.load_workbook(form)
        ws, cols = wb[meta(wb)["sheet"]], columns(wb)
        for no, r in form_rows(wb).items():
            ws.cell(r, cols["progress"]).value = "新的进展。"
            ws.cell(r, cols["plan"]).value = "新的计划。"
            ws.cell(r, cols["on-schedule"]).value = "否"
        wb.save(form)
        before = tree(month)
        with open(os.path.join(month, ".ledgerc-lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            lock.write("4711\n")
            lock.flush()
            status, out, err = run("import", "--input", inp, "--force", "--period", "2022-10",
                                   form)
        self.assertEqual(status, 4, err)
        self.assertTrue(err.startswith("%s: error: another ledgerc run (process 4711) is "
                                       "writing into this folder; wait until it has finished, "
                                       "then run again\n" % month), err)
        self.assertRegex(out, r"\n\S+ +%s +refused +not imported: the run stopped before "
                         r"this form\n" % re.escape(form))
        after = tree(month)
        del after[".ledgerc-lock"]  # the other run's
        self.assertEqual(after, before)
        # and once the other run is gone
        os.unlink(os.path.join(month, ".ledgerc-lock"))
        status, out, err = run("import", "--input", inp, "--force", "--period", "2022-10", form)
        self.assertEqual(status, 0, err)
        self.assertRegex(out, r"\n\S+ +%s +replaced\n" % re.escape(form))
        self.assertFalse(os.path.exists(os.path.join(month, ".ledgerc-lock")))

    def test_forms_while_another_run_writes_the_folder(self):
        import fcntl
        out = os.path.join(self.dir, "forms-locked")
        os.makedirs(out)
        with open(os.path.join(out, ".ledgerc-lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            lock.write("4712\n")
            lock.flush()
            status, _, err = run("forms", "--input", self.inp, "--out", out, NEXT)
        self.assertEqual(status, 4, err)
        self.assertTrue(err.startswith("%s: error: another ledgerc run (process 4712) is "
                                       "writing into this folder" % out), err)
        self.assertEqual(os.listdir(out), [".ledgerc-lock"])

    def test_import_onto_a_full_disk(self):
        inp = os.path.join(self.dir, "full-in")
        shutil.copytree(self.inp, inp)
        status, _, err = run("forms", "--input", inp, "--out", os.path.join(self.dir, "ff"), NEXT)
        self.assertEqual(status, 0, err)
        forms = os.path.join(self.dir, "ff", "forms")
        filled = []
        for name in sorted(os.listdir(forms))[:2]:
            wb = openpyxl.load_workbook(os.path.join(forms, name))
            ws, cols = wb[meta(wb)["sheet"]], columns(wb)
            for no, r in form_rows(wb).items():
                ws.cell(r, cols["progress"]).value = "进展。"
                ws.cell(r, cols["plan"]).value = "计划。"
                ws.cell(r, cols["on-schedule"]).value = "是"
            filled.append(os.path.join(self.dir, "ff", name))
            wb.save(filled[-1])
        month = os.path.join(inp, "reports", NEXT)
        os.makedirs(month)
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", month],
                          capture_output=True).returncode != 0:
            self.skipTest("cannot mount a small tmpfs here")
        try:
            st = os.statvfs(month)
            with open(os.path.join(month, ".filler"), "wb") as f:
                f.write(b"\0" * (st.f_bavail * st.f_frsize))
            status, out, err = run("import", "--input", inp, *filled)
            self.assertEqual(status, 3, err)
            self.assertTrue(err.startswith("%s: error: cannot write into this folder: the disk is "
                                           "full (No space left on device)\n" % month), err)
            self.assertEqual(err.count("error:"), 3, err)  # and each form's "not imported"
            for form in filled:
                self.assertRegex(out, r"\n\S+ +%s +refused +not imported: the run stopped "
                                 r"before this form\n" % re.escape(form))
            self.assertEqual(sorted(os.listdir(month)), [".filler"])
        finally:
            subprocess.run(["umount", month])

    def test_full_disk(self):
        mnt = os.path.join(self.dir, "small")
        os.makedirs(mnt, exist_ok=True)
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mnt],
                          capture_output=True).returncode != 0:
            self.skipTest("cannot mount a small tmpfs here")
        try:
            out = os.path.join(mnt, "2022-10")
            # a first build that fits, then one that does not (PDFs too)
            status, _, err = run("build", "--input", self.inp, "--out", out, "--formats", "xlsx",
                                 "--views", "summary", "2022-10")
            self.assertEqual(status, 0, err)
            before = tree(out)
            # room for the lock and a few files, not for the month: the disk
            # fills while the files are made
            st = os.statvfs(mnt)
            with open(os.path.join(mnt, "filler"), "wb") as f:
                f.write(b"\0" * (st.f_bavail * st.f_frsize - (256 << 10)))
            status, stdout, err = run("build", "--input", self.inp, "--out", out, "2022-10")
            self.assertEqual(status, 3, err)
            self.assertEqual(stdout, "")
            self.assertEqual(err, "%s: error: cannot write into this folder: the disk is full "
                             "(No space left on device)\nledgerc: stopped; the files that were "
                             "there before are as they were\n" % out)
            self.assertEqual(tree(out), before)
        finally:
            subprocess.run(["umount", mnt])


if __name__ == "__main__":
    unittest.main()
