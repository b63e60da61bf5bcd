"""A year, not a month. Plan amendments from 2022-06 (scripts/gen-corpus
--amend: a unit added, one dissolved, a task withdrawn, one reassigned, a due
date changed, a text revised): every month before June builds to the same
bytes before and after the plan is amended, June on follows the new plan, and
a report entry that breaks the month's plan is refused saying how the plan
stood. Over a generated 12-month city, a completion reported
in March on a form (filled in by openpyxl, imported) shows 已完成（2022年3月）
in April … December without any entry, and 汇总's figures match what the
report files say, counted here independently; a task completed before shows
done and locked on later forms; copied text is found in any earlier month."""
import hashlib
import json
import os
import re
import shutil
import subprocess
import unittest
import xml.etree.ElementTree as ET
import zipfile

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
    """unit id -> (已报送, 未报送, 逾期, 已完成), from the report files: a task
    completed in an earlier month (no report reopens one here) counts as
    reported and completed, never as unreported or overdue; 逾期 is a status,
    which 未报送 comes before."""
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
                      and no in now and now[no].get("completed") != "yes")
        out[u] = (reported, len(owned) - reported, overdue, completed)
    return out


def summary_figures(path, names):
    """unit id -> (已报送, 未报送, 逾期, 已完成) from 汇总 of ledger.xlsx."""
    ws = openpyxl.load_workbook(path)["汇总"]
    rows = list(ws.iter_rows(values_only=True))
    head = list(rows[1])
    cols = [head.index(h) for h in ("已报送", "未报送", "逾期", "已完成")]
    by_name = {r[head.index("单位")]: tuple(r[c] for c in cols) for r in rows[2:]}
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
        # the city already has the later months: --period says this is March's
        status, _, err = run("import", "-i", cls.inp, "--period", "2022-03", cls.form)
        assert status == 0, err
        cls.out = {}
        for k in range(1, 13):
            out = os.path.join(cls.dir, "out-%02d" % k)
            fmt = "xlsx,pdf" if k == 9 else "xlsx"
            status, _, err = run("build", "-i", cls.inp, "-o", out, "-f", fmt, "-w",
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

    def test_trend_is_each_months_rate(self):
        # the rate of each month from the reports: (reported on schedule + done before) / owned
        units, tasks = plan_tasks(self.inp)
        want = {}
        for k in range(1, 10):
            for u in units:
                done = {no for j in range(1, k) for no, e in
                        (report_entries(self.inp, j, u) or {}).items()
                        if e.get("completed") == "yes"}
                now = report_entries(self.inp, k, u) or {}
                owned = [no for no, (owners, _) in tasks.items() if u in owners]
                on = sum(1 for no in owned if no in done or
                         (no in now and now[no].get("on-schedule") == "yes"))
                want[u, k] = on / len(owned) if owned else None
        path = os.path.join(self.out[9], "ledger.xlsx")
        wb = openpyxl.load_workbook(path)
        self.assertEqual(wb.sheetnames[:5], ["通报", "汇总", "各单位序时进度达标率", "年度趋势",
                                             "各单位序时进度达标率年度趋势"])
        rows = list(wb["年度趋势"].iter_rows(values_only=True))
        self.assertEqual(rows[1], ("单位",) + tuple("%d月" % k for k in range(1, 10)))
        by_name = {r[0]: r[1:] for r in rows[2:]}
        for u in units:
            for k in range(1, 10):
                self.assertAlmostEqual(by_name[self.names[u]][k - 1], want[u, k], places=9,
                                       msg=(u, k))
        self.assertEqual(rows[-1][0], "合计")
        # a native line chart: a series per unit over the nine months (October's report is re-imported by another test)
        with zipfile.ZipFile(path) as z:
            charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/")]
        line = [c for c in charts if "<c:lineChart>" in c]
        self.assertEqual(len(line), 1)
        self.assertEqual(line[0].count("<c:ser>"), len(units))
        self.assertIn("'年度趋势'!$B$2:$J$2", line[0])
        text = subprocess.run(["pdftotext", "-layout", os.path.join(self.out[9], "ledger.pdf"),
                               "-"], capture_output=True, text=True, check=True).stdout
        self.assertIn("年度趋势", text)
        self.assertIn("各单位序时进度达标率年度趋势", text)

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
        status, _, err = run("import", "-i", self.inp, "--period", "2022-10", "--force", filled)
        self.assertEqual(status, 0, err)
        self.assertNotIn(self.task, report_entries(self.inp, 10, self.unit))
        out = os.path.join(self.dir, "out-10-again")
        status, _, err = run("build", "-i", self.inp, "-o", out, "-f", "xlsx", "-w", "units",
                             "-q", "%d-10" % YEAR)
        self.assertEqual(status, 0, err)
        row = ledger_rows(os.path.join(out, "units", self.unit + ".xlsx"))[self.task]
        self.assertEqual(row["进展情况"], "已完成（2022年3月）")

    def test_history_of_one_task_is_what_the_reports_say(self):
        out = os.path.join(self.dir, "history")
        status, _, err = run("history", "-i", self.inp, "-o", out, "--task", str(self.task),
                             "2022-12")
        self.assertEqual(status, 0, err)
        self.assertEqual(sorted(os.listdir(out)), ["SHA256SUMS", "history.pdf", "history.xlsx"])
        status, _, err = run("verify", out)
        self.assertEqual(status, 0, err)
        wb = openpyxl.load_workbook(os.path.join(out, "history.xlsx"))
        self.assertEqual(wb.sheetnames, ["任务%d" % self.task])
        rows = list(wb.worksheets[0].iter_rows(values_only=True))
        self.assertEqual(rows[0][0], "2022年度《政府工作报告》落实情况台账（2022.12）\n"
                                     "任务%d：2022年1月至12月" % self.task)
        head = rows[1]
        self.assertEqual(head, ("工作任务", "月份", "单位", "进展情况", "下个月工作计划",
                                "是否达到序时进度", "完成情况", "备注"))
        want, done = [], None
        for k in range(1, 13):
            e = (report_entries(self.inp, k, self.unit) or {}).get(self.task)
            if done:
                cells = ("已完成（2022年%d月）" % done, None, "是", "已完成", None)
            elif e is None:
                cells = ("未报送", None, None, None, None)
            else:
                text = {n: "\n".join(p.strip() for p in (e.find(n).itertext())) or None
                        for n in ("progress", "plan", "remark")}
                cells = (text["progress"], text["plan"],
                         "是" if e.get("on-schedule") == "yes" else "否",
                         "本月完成" if e.get("completed") == "yes" else None, text["remark"])
            want.append(("2022年%d月" % k, self.names[self.unit]) + cells)
            if e is not None and e.get("completed") == "yes" and not done:
                done = k
        got = [r[1:] for r in rows[2:]]
        self.assertEqual(got, want)
        text = subprocess.run(["pdftotext", "-layout", os.path.join(out, "history.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
        self.assertIn("任务%d：2022年1月至12月" % self.task, text)
        self.assertIn("已完成（2022年3月）", text)

    def test_history_refuses_an_unknown_task_or_unit(self):
        out = os.path.join(self.dir, "history-bad")
        status, _, err = run("history", "-i", self.inp, "-o", out, "--task", "9999", "2022-12")
        self.assertEqual(status, 1)
        self.assertIn("task 9999 is not a task in the plan in 2022-01…2022-12", err)
        status, _, err = run("history", "-i", self.inp, "-o", out, "--unit", "nope", "2022-12")
        self.assertEqual(status, 1)
        self.assertIn('unit "nope" is not a unit of the plan in 2022-01…2022-12', err)
        self.assertFalse(os.path.exists(out))

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


def snapshot(folder):
    out = {}
    for root, _, files in os.walk(folder):
        for f in files:
            p = os.path.join(root, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, folder)] = hashlib.sha256(fh.read()).hexdigest()
    return out


def sheet_rows(path, sheet):
    return list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))


class Amendments(unittest.TestCase):
    ARGS = ("--units", "8", "--tasks", "30", "--months", "12", "--hard-text", "0", "--seed", "4")

    @classmethod
    def setUpClass(cls):
        cls.dir = workdir("year-amend")
        cls.plain = os.path.join(cls.dir, "plain")
        cls.amended = os.path.join(cls.dir, "amended")
        gen_corpus(cls.plain, *cls.ARGS)
        gen_corpus(cls.amended, *cls.ARGS, "--amend", "2022-06")
        with open(os.path.join(cls.amended, "amendments.json")) as f:
            cls.notes = json.load(f)
        # The office's folder: the plan as it was, January to May built ...
        cls.inp = os.path.join(cls.dir, "in")
        shutil.copytree(cls.plain, cls.inp)
        for k in range(6, 13):
            shutil.rmtree(os.path.join(cls.inp, "reports", "2022-%02d" % k))
        cls.before = {k: cls.build(k, "before") for k in range(1, 6)}
        status, _, err = run("forms", "-i", cls.inp, "-o", os.path.join(cls.dir, "f5"), "2022-05")
        assert status == 0, err
        # ... then the plan amended from June, and June's reports on
        shutil.copy(os.path.join(cls.amended, "plan.xml"), os.path.join(cls.inp, "plan.xml"))
        for k in range(6, 13):
            shutil.copytree(os.path.join(cls.amended, "reports", "2022-%02d" % k),
                            os.path.join(cls.inp, "reports", "2022-%02d" % k))

    @classmethod
    def build(cls, month, tag, inp=None):
        out = os.path.join(cls.dir, "out-%s-%02d" % (tag, month))
        status, _, err = run("build", "-i", inp or cls.inp, "-o", out, "-q", "-j", "2",
                             "2022-%02d" % month)
        assert status == 0, err
        return out

    def test_reports_before_june_unchanged_by_the_generator(self):
        for k in range(1, 6):
            d = os.path.join("reports", "2022-%02d" % k)
            self.assertEqual(snapshot(os.path.join(self.plain, d)),
                             snapshot(os.path.join(self.amended, d)), k)

    def test_earlier_months_rebuild_to_the_same_bytes(self):
        for k in range(1, 6):
            again = self.build(k, "after")
            self.assertEqual(snapshot(again), snapshot(self.before[k]), k)
            self.assertGreater(len(snapshot(again)), 4)

    def test_june_on_follows_the_new_plan(self):
        n = self.notes
        gone, new = n["dissolved-unit"], n["added-unit"]
        no, _, to = n["reassigned"]
        may = self.before[5]
        for k in (6, 9, 12):
            out = self.build(k, "new")
            units = sorted(os.listdir(os.path.join(out, "units")))
            self.assertNotIn(gone + ".xlsx", units, k)
            self.assertIn(new + ".xlsx", units, k)
            by_task = sheet_rows(os.path.join(out, "ledger.xlsx"), "全市台账")
            # a task's first row (below a page break its number again with （续）)
            tasks = {r[0].split(".", 1)[0]: r for r in by_task[2:]
                     if r[0] and not r[0].endswith("（续）")}
            for w in n["withdrawn"]:
                self.assertNotIn(str(w), tasks, k)
            self.assertIn(str(n["added-task"]), tasks, k)
            self.assertEqual(tasks[str(n["due-changed"])][1], "2023年底前", k)
            self.assertIn("（6月起调整为：", tasks[str(n["revised"])][0], k)
            rows = ledger_rows(os.path.join(out, "units", new + ".xlsx"))
            self.assertIn(no, rows, k)
            self.assertIn(n["added-task"], rows, k)
            summary = [r[1] for r in sheet_rows(os.path.join(out, "ledger.xlsx"), "汇总")[2:]]
            self.assertIn("市数据和政务服务管理局", summary)
        may_tasks = {r[0].split(".", 1)[0]: r
                     for r in sheet_rows(os.path.join(may, "ledger.xlsx"), "全市台账")[2:] if r[0]}
        for w in n["withdrawn"]:
            self.assertIn(str(w), may_tasks)
        self.assertNotEqual(may_tasks[str(n["due-changed"])][1], "2023年底前")
        self.assertTrue(os.path.exists(os.path.join(may, "units", gone + ".xlsx")))

    def test_entry_against_the_months_plan_refused(self):
        n = self.notes
        inp = os.path.join(self.dir, "bad")
        shutil.rmtree(inp, ignore_errors=True)
        shutil.copytree(self.inp, inp)
        june = os.path.join(inp, "reports", "2022-06")
        # the dissolved unit reports in June
        src = next(p for p in (os.path.join(inp, "reports", "2022-%02d" % k,
                                            n["dissolved-unit"] + ".xml") for k in (5, 4, 3))
                   if os.path.exists(p))
        shutil.copy(src, os.path.join(june, n["dissolved-unit"] + ".xml"))
        p = os.path.join(june, n["dissolved-unit"] + ".xml")
        write(p, re.sub(r'period="2022-0\d"', 'period="2022-06"', read(p)))
        # another unit reports on the reassigned task, and on a withdrawn one
        other = sorted(f for f in os.listdir(june) if f != n["added-unit"] + ".xml"
                       and f != n["dissolved-unit"] + ".xml")[0]
        q = os.path.join(june, other)
        entry = ('  <entry task="%d" on-schedule="yes">\n    <progress>推进。</progress>\n'
                 '    <plan>继续。</plan>\n    <remark/>\n  </entry>\n')
        write(q, read(q).replace("</report>", entry % n["reassigned"][0] +
                                 entry % n["withdrawn"][0] + "</report>"))
        status, out, err = run("check", "-i", inp, "2022-06")
        self.assertEqual(status, 2, out + err)
        err = out + err
        plan = os.path.join(inp, "plan.xml")
        lines = read(plan).split("\n")

        def line_of(pattern):
            return next(i + 1 for i, l in enumerate(lines) if re.search(pattern, l))
        self.assertIn('error: report unit "%s" is not a unit of the plan in 2022-06: %s holds it '
                      "only in 2022-01…2022-05 (line %d); remove the report, or change the "
                      "unit's since/until" % (n["dissolved-unit"], plan,
                                              line_of('id="%s"' % n["dissolved-unit"])), err)
        no = n["reassigned"][0]
        self.assertIn("error: entry for task %d: in 2022-06 the plan %s gives task %d to "
                      "市数据和政务服务管理局 (line %d), not to unit \"%s\"; remove the entry"
                      % (no, plan, no, line_of('no="%d".*since="2022-06"' % no),
                         other[:-4]), err)
        w = n["withdrawn"][0]
        self.assertIn("error: entry for task %d: the plan %s has no task %d in 2022-06, it "
                      "holds only in 2022-01…2022-05 (line %d); remove the entry"
                      % (w, plan, w, line_of('no="%d"' % w)), err)

    def test_june_forms_follow_the_new_plan(self):
        out = os.path.join(self.dir, "f6")
        status, _, err = run("forms", "-i", self.inp, "-o", out, "2022-06")
        self.assertEqual(status, 0, err)
        n = self.notes
        self.assertFalse(os.path.exists(os.path.join(out, "forms", n["dissolved-unit"] + ".xlsx")))
        # the new unit promised nothing in May: not another unit's plans
        wb = openpyxl.load_workbook(os.path.join(out, "forms", n["added-unit"] + ".xlsx"))
        ws, cols = wb.worksheets[0], form_columns(wb)
        rows = hidden_rows(wb)
        self.assertIn(n["reassigned"][0], rows)
        for no, (row, _) in rows.items():
            self.assertIsNone(ws.cell(row, cols["promised-plan"]).value, no)

    def test_form_sent_before_the_amendment_imports(self):
        gone = self.notes["dissolved-unit"]
        inp = os.path.join(self.dir, "forms-in")
        shutil.rmtree(inp, ignore_errors=True)
        shutil.copytree(self.inp, inp)
        may = os.path.join(inp, "reports", "2022-05", gone + ".xml")
        if os.path.exists(may):
            os.remove(may)
        wb = openpyxl.load_workbook(os.path.join(self.dir, "f5", "forms", gone + ".xlsx"))
        ws, cols = wb.worksheets[0], form_columns(wb)
        for no, (row, done) in hidden_rows(wb).items():
            if not done:
                ws.cell(row, cols["progress"]).value = "五月推进。"
                ws.cell(row, cols["plan"]).value = "继续。"
                ws.cell(row, cols["on-schedule"]).value = "是"
        form = os.path.join(self.dir, gone + "-2022-05.xlsx")
        wb.save(form)
        status, _, err = run("import", "-i", inp, "--period", "2022-05", form)
        self.assertEqual(status, 0, err)
        self.assertTrue(report_entries(inp, 5, gone))


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
