"""The month's whole output on a generated city (60 units, 300 tasks, 12
months) for 2022-10: the summary's figures equal figures computed here from
the XML, its units ranked by rate, the city-wide ledger has one row per (task, reporting unit), and
`check` finds exactly the missing reports, missing entries and stale copies
that the corpus holds; its 问题清单 is an official page, in Chinese whatever
the locale, with no machine path, in ledger.xlsx and ledger.pdf. A task a unit reported completed in an earlier
month counts as reported, on schedule and completed, and has no other warning."""
import json
import os
import re
import subprocess
import unittest
import xml.etree.ElementTree as ET

import openpyxl

from lgtest import EPOCH, LEDGERC, SANITIZED, gen_corpus, run, run_watching_children, workdir

PERIOD = (2022, 10)


# Paragraphs lose XML's white space at their ends; a full-width space is text.
XML_SPACE = " \t\n\r"


def paragraphs(el):
    ps = el.findall("p")
    if ps:
        return "\n".join((p.text or "").strip(XML_SPACE) for p in ps)
    return (el.text or "").strip(XML_SPACE)


class Corpus:
    """The corpus as read here, independently of ledgerc."""

    def __init__(self, inp):
        plan = ET.parse(os.path.join(inp, "plan.xml")).getroot()
        self.units = [(u.get("id"), u.get("name")) for u in plan.iter("unit")]
        self.tasks = sorted(plan.iter("task"), key=lambda t: int(t.get("no")))
        self.inp = inp

    def owners(self, task):
        o = task.get("owners")
        return [u for u, _ in self.units] if o == "*" else o.split()

    def report(self, uid, period):
        path = os.path.join(self.inp, "reports", "%04d-%02d" % period, uid + ".xml")
        if not os.path.exists(path):
            return None
        return {e.get("task"): e for e in ET.parse(path).getroot().iter("entry")}

    def done_before(self, uid):
        """The tasks UID reported completed before PERIOD (the corpus never reopens one)."""
        done = set()
        for m in range(1, PERIOD[1]):
            for no, e in (self.report(uid, (PERIOD[0], m)) or {}).items():
                if e.get("completed") == "yes":
                    done.add(no)
        return done

    @staticmethod
    def overdue(task, entry):
        due = task.get("due")
        if due == "ongoing" or (entry is not None and entry.get("completed") == "yes"):
            return False
        y, m = (int(due), 12) if len(due) == 4 else (int(due[:4]), int(due[5:]))
        return y * 12 + m < PERIOD[0] * 12 + PERIOD[1]


class Month(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        d = workdir("month")
        cls.inp = os.path.join(d, "in")
        cls.out = os.path.join(d, "out")
        gen_corpus(cls.inp, "--units", "60", "--tasks", "300", "--months", "12")
        status, cls.stdout, err = run("build", "--input", cls.inp, "--out", cls.out,
                                      "--views", "summary,by-task", "--formats", "xlsx",
                                      "2022-10")
        assert status == 0, err
        cls.c = Corpus(cls.inp)
        cls.wb = openpyxl.load_workbook(os.path.join(cls.out, "ledger.xlsx"))

    def test_sheets(self):
        self.assertEqual(self.wb.sheetnames, ["通报", "汇总", "各单位序时进度达标率", "年度趋势",
                                              "各单位序时进度达标率年度趋势", "全市台账", "数据",
                                              "问题清单"])

    def test_summary_figures(self):
        # the figures that are not statuses (those: e2e_status), the units ranked
        ws = self.wb["汇总"]
        head = [c.value for c in ws[2]]
        rows = [dict(zip(head, (c.value for c in r))) for r in ws.iter_rows(min_row=3)]
        self.assertEqual(len(rows), len(self.c.units) + 1)
        by_name = {r["单位"]: r for r in rows[:-1]}
        total = [0, 0]
        for uid, name in self.c.units:
            rep = self.c.report(uid, PERIOD)
            done = self.c.done_before(uid)
            owned = [t for t in self.c.tasks if uid in self.c.owners(t)]
            n_done = sum(t.get("no") in done for t in owned)
            owned_open = [t for t in owned if t.get("no") not in done]
            entries = [rep.get(t.get("no")) if rep else None for t in owned_open]
            got = [e for e in entries if e is not None]
            on = sum(e.get("on-schedule") == "yes" for e in got) + n_done
            want = [len(owned), len(got) + n_done]
            row = by_name[name]
            self.assertEqual([row["任务数"], row["已报送"]], want, name)
            self.assertAlmostEqual(row["序时进度达标率"], on / len(owned) if owned else 0,
                                   places=9)
            total = [a + b for a, b in zip(total, want)]
        self.assertEqual(rows[-1]["单位"], "合计")
        self.assertEqual([rows[-1]["任务数"], rows[-1]["已报送"]], total)
        keys = [(-r["序时进度达标率"], r["逾期"]) for r in rows[:-1]]
        self.assertEqual(keys, sorted(keys))
        self.assertEqual(rows[0]["名次"], 1)

    def test_by_task_one_row_per_task_and_reporting_unit(self):
        ws = self.wb["全市台账"]
        names = dict(self.c.units)
        want = [(t.get("no"), names[u]) for t in self.c.tasks
                for u, _ in self.c.units if u in self.c.owners(t)]
        got, task = [], None
        for r in ws.iter_rows(min_row=3, values_only=True):
            if r[0]:
                task = r[0].split(".", 1)[0]
            # a continuation row (an entry past 409 pt) has no unit; one below
            # a page break has the unit again with （续）
            if r[2] and not r[2].endswith("（续）"):
                got.append((task, r[2]))
        self.assertEqual(got, want)

    def test_each_printed_page_names_its_first_rows_task_and_unit(self):
        """Below each page break of 全市台账 the first row says whose it is: its
        task (the merged text again, or the task's own cell with its number
        and （续）) and its unit; a row that goes on from the page before does
        not leave either blank."""
        ws = self.wb["全市台账"]
        head = [c.value for c in ws[2]]
        task, unit = head.index("工作任务") + 1, head.index("单位") + 1
        breaks = [b.id for b in ws.row_breaks.brk]
        self.assertGreater(len(breaks), 10)
        own = 0
        for b in breaks:
            t, u = ws.cell(b + 1, task).value, ws.cell(b + 1, unit).value
            self.assertTrue(t, "row %d" % (b + 1))
            self.assertTrue(u, "row %d" % (b + 1))
            if re.fullmatch(r"\d+\.（续）", t):  # a task only this unit reports on
                own += 1
                self.assertTrue(u.endswith("（续）"), (b + 1, u))
        self.assertGreater(own, 0)

    def test_check_finds_exactly_what_the_corpus_holds(self):
        status, out, _ = run("check", "--input", self.inp, "--format", "json", "2022-10")
        self.assertEqual(status, 1)  # warnings only
        problems = json.loads(out)
        keys = {"severity", "kind", "unit", "task", "status", "file", "line", "message"}
        for p in problems:
            # a problem of a (task, unit) row carries the row's status (e2e_status)
            row = p["unit"] is not None and p["task"] is not None
            self.assertEqual(set(p), keys | {"escalated"} if row else keys, p)
            self.assertEqual(p["status"] is not None, row, p)
            self.assertEqual(p["severity"], "warning")

        def found(kind):
            return sorted((p["unit"], p["task"]) for p in problems if p["kind"] == kind)

        missing_report, missing_entry, stale = [], [], []
        for uid, _ in self.c.units:
            rep = self.c.report(uid, PERIOD)
            earlier = [self.c.report(uid, (2022, m)) or {} for m in range(1, PERIOD[1])]
            done = self.c.done_before(uid)
            if rep is None:
                missing_report.append((uid, None))
                continue
            for t in self.c.tasks:
                no = t.get("no")
                if uid not in self.c.owners(t) or no in done:
                    continue
                if no not in rep:
                    missing_entry.append((uid, int(no)))
                    continue
                text = paragraphs(rep[no].find("progress"))
                same = [i for i, r in enumerate(earlier)
                        if no in r and paragraphs(r[no].find("progress")) == text]
                if text and same:  # any earlier month of the year
                    stale.append((uid, int(no)))
        self.assertTrue(missing_report and missing_entry and stale)
        self.assertEqual(found("missing-report"), sorted(missing_report))
        self.assertEqual(found("missing-entry"), sorted(missing_entry))
        self.assertEqual(found("stale"), sorted(stale))

    @unittest.skipIf(SANITIZED, "the sanitizer build renders in one process (build.c, workers())")
    def test_same_bytes_on_one_worker_and_two(self):
        outs = []
        for jobs in (1, 2):
            out = os.path.join(os.path.dirname(self.out), "jobs%d" % jobs)
            status, err, most = run_watching_children(
                "build", "--input", self.inp, "--out", out, "--jobs", str(jobs), "2022-10")
            self.assertEqual(status, 0, err)
            # --jobs 1 renders in the build's own process; --jobs 2 in two
            # worker processes at once.
            self.assertEqual(most, 0 if jobs == 1 else 2)
            outs.append(out)
        names = sorted(os.path.relpath(os.path.join(d, f), outs[0])
                       for d, _, fs in os.walk(outs[0]) for f in fs)
        self.assertEqual(len(names), 4 + 2 * 60)  # with SHA256SUMS and .ledgerc-month
        for name in names:
            with open(os.path.join(outs[0], name), "rb") as a, \
                    open(os.path.join(outs[1], name), "rb") as b:
                self.assertTrue(a.read() == b.read(), name)

    def test_problem_list_is_an_official_page(self):
        ws = self.wb["问题清单"]
        header = [c.value for c in ws[2]]
        self.assertEqual(header, ["单位", "任务", "状态", "级别", "类别", "文件:行", "说明"])
        rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
        kinds = {r[4] for r in rows}
        self.assertEqual(kinds, {"未报送", "缺项", "照抄上月", "否但无说明", "逾期未完成", "进展为空"}
                         & kinds)
        self.assertTrue({"未报送", "缺项", "照抄上月"} <= kinds)
        # a file name, and the file and line of the 文件:行 column
        file_name = re.compile(r"(reports/\d{4}-\d{2}/[a-z0-9_-]+|plan)\.xml(:\d+)?")
        for r in rows:
            for v in r:
                text = "" if v is None else str(v)
                self.assertNotIn(self.inp, text)
                self.assertFalse(text.startswith("/"), text)
                self.assertIsNone(re.search("[A-Za-z]", file_name.sub("", text)), r)
            if r[5] is not None:
                self.assertRegex(r[5], "^" + file_name.pattern + "$")
        stale = [r for r in rows if r[4] == "照抄上月"][0]
        self.assertRegex(stale[6], r"^任务\d+：进展情况与2022年9月的报告一字不差，是否照抄了上月的内容？$")
        missing = [r for r in rows if r[4] == "未报送"][0]
        self.assertRegex(missing[6], r"^.+未报送2022年10月的报告（输入文件夹中应有reports/2022-10/"
                                     r"[a-z0-9_-]+\.xml），\d+项任务显示为未报送$")

    def test_problem_list_chinese_whatever_the_locale_and_in_the_pdf(self):
        d = os.path.dirname(self.out)
        sheets, out = [], None
        for lang in ("C", "zh_CN.UTF-8"):
            out = os.path.join(d, "lang-" + lang)
            env = dict(os.environ, LANG=lang, SOURCE_DATE_EPOCH=EPOCH)
            env.pop("LC_ALL", None)
            env.pop("LC_MESSAGES", None)
            p = subprocess.run([LEDGERC, "build", "--input", self.inp, "--out", out, "--views",
                                "summary", "2022-10"], capture_output=True, text=True, env=env)
            self.assertEqual(p.returncode, 0, p.stderr)
            wb = openpyxl.load_workbook(os.path.join(out, "ledger.xlsx"))
            sheets.append([[c.value for c in r] for r in wb["问题清单"].iter_rows()])
        self.assertEqual(sheets[0], sheets[1])
        self.assertEqual(sheets[0], [[c.value for c in r] for r in self.wb["问题清单"].iter_rows()])
        # ledger.pdf: the 问题清单 after the summary, with its bookmark, in Chinese
        pdf = os.path.join(out, "ledger.pdf")
        outlines = json.loads(subprocess.run(
            ["qpdf", "--json=2", "--json-key=outlines", pdf], capture_output=True, text=True,
            check=True).stdout)["outlines"]
        self.assertEqual([o["title"] for o in outlines], ["通报", "汇总", "年度趋势", "问题清单"])
        self.assertEqual(outlines[0]["destpageposfrom1"], 1)  # the 通报 comes first
        page = outlines[-1]["destpageposfrom1"]
        text = subprocess.run(["pdftotext", "-layout", "-f", str(page), pdf, "-"],
                              capture_output=True, text=True, check=True).stdout
        self.assertIn("问题清单", text)
        self.assertIn("照抄上月", text)
        self.assertNotIn(self.inp, text)

    def test_build_counts_warnings(self):
        status, out, _ = run("check", "--input", self.inp, "2022-10")
        n = out.strip().splitlines()[-1]
        warnings = int(n.split(", ")[1].split()[0])
        self.assertIn("ledgerc: %d warnings" % warnings, self.stdout)
        problems = self.wb["问题清单"]
        self.assertEqual(problems.max_row - 2, warnings)


if __name__ == "__main__":
    unittest.main()
