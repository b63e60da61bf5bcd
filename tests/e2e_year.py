"""A year, not a month: over a generated 12-month city, a completion reported
in March on a form (filled in by openpyxl, imported) shows 已完成（2022年3月）
in April … December without any entry, and 汇总's figures match what the
report files say, counted here independently; a task completed before shows
done and locked on later forms; copied text is found in any earlier month."""
import os
import re
import unittest
import xml.etree.ElementTree as ET

import openpyxl

from lgtest import gen_corpus, run, workdir

YEAR = 2022


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def plan_tasks(inp):
    """task no -> (owners or None for every unit, due) from plan.xml."""
    root = ET.parse(os.path.join(inp, "plan.xml")).getroot()
    units = [u.get("id") for u in root.iter("unit")]
    tasks = {}
    for t in root.iter("task"):
        owners = t.get("owners")
        tasks[int(t.get("no"))] = (units if owners == "*" else owners.split(), t.get("due"))
    return units, tasks


def report_entries(inp, month, unit):
    """task no -> entry element of UNIT's report for MONTH; None: no report."""
    path = os.path.join(inp, "reports", "%d-%02d" % (YEAR, month), unit + ".xml")
    if not os.path.exists(path):
        return None
    return {int(e.get("task")): e for e in ET.parse(path).getroot().iter("entry")}


def due_before(due, month):
    """Whether a task due DUE ("ongoing", "YYYY-MM" or "YYYY") was due before MONTH began."""
    if due == "ongoing":
        return False
    y, m = (int(due[:4]), int(due[5:7])) if "-" in due else (int(due), 12)
    return y * 12 + m < YEAR * 12 + month


def expected_summary(inp, month):
    """unit id -> (已报送, 未报送, 逾期未完成, 已完成), from the report files: a task
    completed in an earlier month (no report reopens one here) counts as
    reported and completed, never as unreported or overdue."""
    units, tasks = plan_tasks(inp)
    out = {}
    for u in units:
        done = set()
        for k in range(1, month):
            for no, e in (report_entries(inp, k, u) or {}).items():
                if e.get("completed") == "yes":
                    done.add(no)
        now = report_entries(inp, month, u) or {}
        owned = [no for no, (owners, _) in tasks.items() if u in owners]
        reported = sum(1 for no in owned if no in done or no in now)
        completed = sum(1 for no in owned
                        if no in done or (no in now and now[no].get("completed") == "yes"))
        overdue = sum(1 for no in owned if no not in done and due_before(tasks[no][1], month)
                      and not (no in now and now[no].get("completed") == "yes"))
        out[u] = (reported, len(owned) - reported, overdue, completed)
    return out


def summary_figures(path, names):
    """unit id -> (已报送, 未报送, 逾期未完成, 已完成) from 汇总 of ledger.xlsx."""
    ws = openpyxl.load_workbook(path)["汇总"]
    rows = list(ws.iter_rows(values_only=True))
    head = list(rows[1])
    cols = [head.index(h) for h in ("已报送", "未报送", "逾期未完成", "已完成")]
    by_name = {r[0]: tuple(r[c] for c in cols) for r in rows[2:]}
    return {u: by_name[n] for u, n in names.items()}


def ledger_rows(path):
    """task no -> {header: value} of a unit's ledger XLSX."""
    ws = openpyxl.load_workbook(path).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    head = rows[1]
    out = {}
    for r in rows[2:]:
        m = re.match(r"(\d+)\.", r[head.index("工作任务")] or "")
        if m:
            out[int(m.group(1))] = dict(zip(head, r))
    return out


def hidden_rows(wb):
    """task no -> (first sheet row, completed month or None) from the hidden sheet."""
    rows, reading = {}, False
    for r in wb["ledgerc"].iter_rows(values_only=True):
        if reading and r[0]:
            rows[int(r[0])] = (int(r[1]), r[3] if len(r) > 3 else None)
        elif r[0] == "rows":
            reading = True
    return rows


def form_columns(wb):
    meta = {r[0]: r[1] for r in wb["ledgerc"].iter_rows(values_only=True) if r[0]}
    return {name: i + 1 for i, name in enumerate(meta["columns"].split())}


class Completion(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = workdir("year-completion")
        cls.inp = os.path.join(cls.dir, "in")
        gen_corpus(cls.inp, "--units", "6", "--tasks", "24", "--months", "12",
                   "--hard-text", "0", "--seed", "3")
        units, tasks = plan_tasks(cls.inp)
        root = ET.parse(os.path.join(cls.inp, "plan.xml")).getroot()
        cls.names = {u.get("id"): u.get("name") for u in root.iter("unit")}
        # A unit's own task, due in the year, that the corpus never completes.
        cls.unit, cls.task = next(
            (owners[0], no) for no, (owners, due) in sorted(tasks.items())
            if len(owners) == 1 and due != "ongoing" and not any(
                (report_entries(cls.inp, k, owners[0]) or {}).get(no, ET.Element("e"))
                .get("completed") == "yes" for k in range(1, 13)))
        # No entry for it from April on: the completion alone must carry it.
        for k in range(4, 13):
            p = os.path.join(cls.inp, "reports", "%d-%02d" % (YEAR, k), cls.unit + ".xml")
            if os.path.exists(p):
                write(p, re.sub(r'  <entry task="%d"[ >].*?</entry>\n' % cls.task, "", read(p),
                                flags=re.S))
        # March comes from the unit's form, filled in by openpyxl.
        os.remove(os.path.join(cls.inp, "reports", "%d-03" % YEAR, cls.unit + ".xml"))
        status, _, err = run("forms", "-i", cls.inp, "-o", os.path.join(cls.dir, "f3"),
                             "%d-03" % YEAR)
        assert status == 0, err
        wb = openpyxl.load_workbook(os.path.join(cls.dir, "f3", "forms", cls.unit + ".xlsx"))
        ws, cols = wb.worksheets[0], form_columns(wb)
        cls.march_done_before = {}
        for no, (row, done) in hidden_rows(wb).items():
            if done:  # completed in January or February: locked, left alone
                cls.march_done_before[no] = done
                continue
            ws.cell(row, cols["progress"]).value = "三月推进任务%d。" % no
            ws.cell(row, cols["plan"]).value = "四月继续推进。"
            ws.cell(row, cols["on-schedule"]).value = "已完成" if no == cls.task else "是"
        cls.form = os.path.join(cls.dir, cls.unit + "-2022-03.xlsx")
        wb.save(cls.form)
        status, _, err = run("import", "-i", cls.inp, cls.form)
        assert status == 0, err
        cls.out = {}
        for k in range(1, 13):
            out = os.path.join(cls.dir, "out-%02d" % k)
            status, _, err = run("build", "-i", cls.inp, "-o", out, "-f", "xlsx", "-w",
                                 "summary,units", "-q", "-j", "1", "%d-%02d" % (YEAR, k))
            assert status == 0, err
            cls.out[k] = out

    def test_import_writes_the_completion(self):
        e = report_entries(self.inp, 3, self.unit)[self.task]
        self.assertEqual((e.get("completed"), e.get("on-schedule")), ("yes", "yes"))
        for no in self.march_done_before:  # no entry that could undo them
            self.assertNotIn(no, report_entries(self.inp, 3, self.unit))

    def test_done_from_the_month_after_without_entries(self):
        march = ledger_rows(os.path.join(self.out[3], "units", self.unit + ".xlsx"))
        self.assertEqual(march[self.task]["进展情况"], "三月推进任务%d。" % self.task)
        for k in range(4, 13):
            self.assertNotIn(self.task, report_entries(self.inp, k, self.unit) or {})
            row = ledger_rows(os.path.join(self.out[k], "units", self.unit + ".xlsx"))[self.task]
            self.assertEqual(row["进展情况"], "已完成（2022年3月）", k)
            self.assertEqual(row["是否达到序时进度"], "是", k)
            self.assertIsNone(row["下个月工作计划"], k)

    def test_summary_counts_from_the_reports(self):
        for k in range(1, 13):
            got = summary_figures(os.path.join(self.out[k], "ledger.xlsx"), self.names)
            self.assertEqual(got, expected_summary(self.inp, k), k)
        # the month after March, the unit's completion is counted
        april = summary_figures(os.path.join(self.out[4], "ledger.xlsx"), self.names)
        self.assertGreaterEqual(april[self.unit][3], 1)

    def test_later_form_shows_it_done_and_locked_and_keeps_it(self):
        status, _, err = run("forms", "-i", self.inp, "-o", os.path.join(self.dir, "f10"),
                             "%d-10" % YEAR)
        self.assertEqual(status, 0, err)
        path = os.path.join(self.dir, "f10", "forms", self.unit + ".xlsx")
        wb = openpyxl.load_workbook(path)
        ws, cols = wb.worksheets[0], form_columns(wb)
        row, done = hidden_rows(wb)[self.task]
        self.assertEqual(done, "2022-03")
        self.assertEqual(ws.cell(row, cols["progress"]).value, "已完成（2022年3月）")
        self.assertEqual(ws.cell(row, cols["on-schedule"]).value, "已完成")
        for name in ("progress", "plan", "on-schedule", "remark"):
            self.assertTrue(ws.cell(row, cols[name]).protection.locked, name)
        # A program that ignores the lock writes into the row: import leaves it out,
        # and the completion stays.
        for no, (r, d) in hidden_rows(wb).items():
            ws.cell(r, cols["progress"]).value = "十月推进。"
            ws.cell(r, cols["plan"]).value = "继续。"
            ws.cell(r, cols["on-schedule"]).value = "否" if no == self.task else "是"
            ws.cell(r, cols["remark"]).value = "原因。"
        filled = os.path.join(self.dir, self.unit + "-2022-10.xlsx")
        wb.save(filled)
        status, _, err = run("import", "-i", self.inp, "--force", filled)
        self.assertEqual(status, 0, err)
        self.assertNotIn(self.task, report_entries(self.inp, 10, self.unit))
        out = os.path.join(self.dir, "out-10-again")
        status, _, err = run("build", "-i", self.inp, "-o", out, "-f", "xlsx", "-w", "units",
                             "-q", "%d-10" % YEAR)
        self.assertEqual(status, 0, err)
        row = ledger_rows(os.path.join(out, "units", self.unit + ".xlsx"))[self.task]
        self.assertEqual(row["进展情况"], "已完成（2022年3月）")

    def test_reopen_and_done_entry_warning(self):
        d = workdir("year-reopen")
        inp = os.path.join(d, "in")
        os.makedirs(inp)
        write(os.path.join(inp, "plan.xml"), read(os.path.join(self.inp, "plan.xml")))
        for k in (3, 5, 6):
            src = os.path.join(self.inp, "reports", "%d-%02d" % (YEAR, k), self.unit + ".xml")
            os.makedirs(os.path.join(inp, "reports", "%d-%02d" % (YEAR, k)))
            write(os.path.join(inp, "reports", "%d-%02d" % (YEAR, k), self.unit + ".xml"),
                  read(src))
        entry = ('  <entry task="%d" on-schedule="no"%s>\n    <progress>又有新情况%d。</progress>\n'
                 '    <plan>继续。</plan>\n    <remark>原因。</remark>\n  </entry>\n</report>')
        p5 = os.path.join(inp, "reports", "%d-05" % YEAR, self.unit + ".xml")
        write(p5, read(p5).replace("</report>", entry % (self.task, "", 5)))
        status, out, err = run("check", "-i", inp, "%d-05" % YEAR)
        self.assertIn("task %d was reported completed in 2022-03; the ledger shows "
                      "已完成（2022年3月） and not this entry; to reopen the task write "
                      'completed="no" on it' % self.task, out + err)
        write(p5, read(p5).replace('task="%d" on-schedule="no">' % self.task,
                                   'task="%d" on-schedule="no" completed="no">' % self.task))
        for k, want in ((5, "又有新情况5。"), (6, "未报送")):
            out = os.path.join(d, "out-%d" % k)
            status, _, err = run("build", "-i", inp, "-o", out, "-f", "xlsx", "-w", "units",
                                 "-q", "%d-%02d" % (YEAR, k))
            self.assertEqual(status, 0, err)
            row = ledger_rows(os.path.join(out, "units", self.unit + ".xlsx"))[self.task]
            self.assertEqual(row["进展情况"], want, k)


class CopiedText(unittest.TestCase):
    def test_copied_from_any_earlier_month(self):
        d = workdir("year-copied")
        inp = os.path.join(d, "in")
        gen_corpus(inp, "--units", "3", "--tasks", "6", "--months", "5", "--hard-text", "0",
                   "--seed", "5")
        units, _ = plan_tasks(inp)
        u, no = next((u, no) for u in units for no in sorted(report_entries(inp, 1, u) or {})
                     if no in (report_entries(inp, 5, u) or {}))
        progress = r'(<entry task="%d"[^>]*>\s*<progress>)(.*?)(</progress>)' % no
        jan = re.search(progress, read(os.path.join(inp, "reports", "2022-01", u + ".xml")),
                        flags=re.S).group(2)
        p = os.path.join(inp, "reports", "%d-05" % YEAR, u + ".xml")
        body = read(p)
        new = re.sub(progress, lambda m: m.group(1) + jan + m.group(3), body, count=1,
                     flags=re.S)
        self.assertNotEqual(new, body)
        write(p, new)
        status, out, err = run("check", "-i", inp, "%d-05" % YEAR)
        self.assertIn("task %d: the progress is word for word the same as in the 2022-01 "
                      "report; was that month's text copied?" % no, out + err)


if __name__ == "__main__":
    unittest.main()
