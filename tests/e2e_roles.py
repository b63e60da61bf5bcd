"""Plans with sections, lead units, leaders and targets (issue 19) over a
generated city (scripts/gen-corpus --roles), checked against the XML with
independent code: the 是否达到 of every row of a quantitative task in the
主要指标 ledger (templates/zhibiao.xml) as computed here from <target> and
<actual>, the 分管领导台账 (templates/fengong.xml) holding exactly each
leader's tasks, leader by leader, and the section headings (一、…) of every
ledger that shows tasks: before the first of each section's tasks in each
part, in plan order, again with （续） atop each further PDF page the section
goes on to, merged across the spreadsheet, and a bookmark level of their own."""
import json
import os
import re
import subprocess
import unittest
import xml.etree.ElementTree as ET
from decimal import Decimal

import openpyxl

from lgtest import SOURCE, gen_corpus, run, workdir

MONTH = 10


CONTINUED = MARK = "（续）"


def band_rows(ws):
    """The rows of WS (1-based) that are one cell merged across every column,
    below the title: the section headings."""
    return {m.min_row for m in ws.merged_cells.ranges
            if m.min_row == m.max_row > 1 and m.min_col == 1 and m.max_col == ws.max_column}


def sheet_rows(path, name):
    """The body rows of sheet NAME (below the title and header rows), the
    hidden parts of merged cells filled with the merged cell's text; the
    section headings left out. Below a page break a merged cell's text is
    written again with （续）, read here as the text; a row split by the break
    goes on in a row whose texts begin with （续） (its label, unit or task
    number, ends with it), joined here to the row above."""
    ws = openpyxl.load_workbook(path)[name]
    cells = [["" if c.value is None else str(c.value) for c in r]
             for r in ws.iter_rows(min_row=3, max_row=ws.max_row)]
    for m in ws.merged_cells.ranges:
        for r in range(max(m.min_row, 3), m.max_row + 1):
            for c in range(m.min_col, m.max_col + 1):
                cells[r - 3][c - 1] = cells[m.min_row - 3][m.min_col - 1]
    bands = band_rows(ws)
    rows = []
    for i, row in enumerate(cells):
        if i + 3 in bands:
            continue
        if rows and any(c.startswith(MARK) for c in row):
            for k, c in enumerate(row):
                if c.startswith(MARK):
                    rows[-1][k] += c[len(MARK):]
            continue
        rows.append([c[:-len(MARK)] if c.endswith(MARK) else c for c in row])
    return rows


def step(state, text, labels):
    """The heading or task that TEXT (the next text in reading order: a line
    of a PDF, a cell of the task column) begins, as ("band", label) or
    ("task", no), or None; STATE ({"last": None} at first) carries the task
    before. A task begins at a text "N." that is not the task before it
    again (a merged cell or a row going on); LABELS are the sections'
    headings."""
    if text in labels:
        state["last"] = None
        return ("band", text)
    m = re.match(r"(\d+)\.(?!\d)", text)
    if m and int(m.group(1)) != state["last"]:
        state["last"] = int(m.group(1))
        return ("task", state["last"])
    return None


def events(items, labels):
    """The headings and tasks that ITEMS begin, in order (see step)."""
    state = {"last": None}
    return [e for e in (step(state, x, labels) for x in items) if e]


class Roles(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = workdir("roles")
        cls.inp = os.path.join(cls.dir, "in")
        gen_corpus(cls.inp, "--units", "12", "--tasks", "80", "--months", str(MONTH), "--roles")
        # every unit's word against its figures: the ledger must follow the figures
        folder = os.path.join(cls.inp, "reports", "2022-%02d" % MONTH)
        for name in os.listdir(folder):
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as f:
                lines = f.read().split("\n")
            for i, line in enumerate(lines[:-1]):
                if "<actual " in lines[i + 1]:
                    lines[i] = line.replace('on-schedule="yes"', 'on-schedule="x"') \
                        .replace('on-schedule="no"', 'on-schedule="yes"') \
                        .replace('on-schedule="x"', 'on-schedule="no"')
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(lines))
        cls.plan = ET.parse(os.path.join(cls.inp, "plan.xml")).getroot()
        cls.names = {u.get("id"): u.get("name") for u in cls.plan.iter("unit")}

    def holds(self, task):
        """Whether TASK (a <task>) is in the plan in month MONTH."""
        since = task.get("since", "2022-01")
        until = task.get("until", "2022-12")
        return since <= "2022-%02d" % MONTH <= until

    def tasks(self):
        """(no, section heading or None, owners, leader) of the month's tasks, in plan order."""
        out = []
        for child in self.plan.find("tasks"):
            for t in ([child] if child.tag == "task" else child.iter("task")):
                label = None if child.tag == "task" else "%s、%s" % (child.get("no"),
                                                                     child.get("title"))
                if self.holds(t):
                    out.append((int(t.get("no")), label, t.get("owners").split(), t.get("leader")))
        return out

    def expected(self):
        """Each ledger's parts as the lists of headings and tasks they show, in
        order: a part heads each of its sections once, before its first task."""
        tasks = self.tasks()

        def part(chosen):
            out, open_ = [], None
            for no, label, _, _ in chosen:
                if label and label != open_:
                    out.append(("band", label))
                open_ = label
                out.append(("task", no))
            return out
        by_unit = {}
        for u in self.plan.iter("unit"):
            uid = u.get("id")
            by_unit[uid] = part([t for t in tasks if t[2] == ["*"]]) + \
                part([t for t in tasks if uid in t[2]])
        leaders = []
        for t in tasks:
            if t[3] and t[3] not in leaders:
                leaders.append(t[3])
        return {
            "全市台账": [part(tasks)],
            "分单位台账": [by_unit[u.get("id")] for u in self.plan.iter("unit")],
            "分管领导台账": [part([t for t in tasks if t[3] == who]) for who in leaders],
            "units": by_unit,
        }

    def labels(self):
        return {"%s、%s" % (s.get("no"), s.get("title")) for s in self.plan.iter("section")}

    def build(self, template, views):
        out = os.path.join(self.dir, template)
        status, _, err = run("build", "-q", "-f", "xlsx", "--views", views, "-i", self.inp,
                             "-t", os.path.join(SOURCE, "templates", template + ".xml"),
                             "-o", out, "2022-%02d" % MONTH)
        self.assertEqual(status, 0, err)
        return os.path.join(out, "ledger.xlsx")

    def entry(self, month, unit, no):
        path = os.path.join(self.inp, "reports", "2022-%02d" % month, unit + ".xml")
        if not os.path.exists(path):
            return None
        for e in ET.parse(path).getroot().iter("entry"):
            if int(e.get("task")) == no:
                return e
        return None

    def test_computed_on_schedule(self):
        rows = sheet_rows(self.build("zhibiao", "by-task"), "全市台账")
        by_name = {v: k for k, v in self.names.items()}
        targets = {int(t.get("no")): t.find("target") for t in self.plan.iter("task")}
        checked = 0
        for row in rows:
            no = int(row[0].split(".")[0])
            target = targets[no]
            if target is None:
                continue
            unit = by_name[row[2]]
            done_before = any(
                (e := self.entry(m, unit, no)) is not None and e.get("completed") == "yes"
                for m in range(1, MONTH))
            e = self.entry(MONTH, unit, no)
            if done_before:
                want = "是"
            elif e is None:
                want = ""
            else:
                actual = Decimal(e.find("actual").get("value"))
                goal = Decimal(target.get("value"))
                if target.get("kind") == "growth":
                    want = "是" if actual >= goal else "否"
                else:
                    want = "是" if actual * 12 >= goal * MONTH else "否"
                checked += 1
            self.assertEqual(row[6], want, "task %d, %s" % (no, unit))
        self.assertGreater(checked, 5)

    def test_by_leader_holds_each_leaders_tasks(self):
        rows = sheet_rows(self.build("fengong", "by-leader"), "分管领导台账")
        tasks = sorted((int(t.get("no")), t.get("leader")) for t in self.plan.iter("task")
                       if t.get("leader"))
        leaders = []
        for _, leader in tasks:
            if leader not in leaders:
                leaders.append(leader)
        want = []
        for leader in leaders:
            for no, who in tasks:
                if who == leader and no not in [n for n, _ in want]:
                    want.append((no, leader))
        got = []
        for row in rows:
            key = (int(row[0].split(".")[0]), row[1])
            if not got or got[-1] != key:
                got.append(key)
        self.assertEqual(got, want)
        self.assertGreater(len(leaders), 3)

    def build_fengong(self):
        """The 分工台账 of every view that shows tasks, in both formats (made once)."""
        out = os.path.join(self.dir, "fengong-all")
        if not os.path.exists(out):
            status, _, err = run("build", "-q", "--views", "by-task,by-unit,by-leader,units",
                                 "-i", self.inp,
                                 "-t", os.path.join(SOURCE, "templates", "fengong.xml"),
                                 "-o", out, "2022-%02d" % MONTH)
            self.assertEqual(status, 0, err)
        return out

    def check_pdf_part(self, pdf, first, last, want, headers):
        """Pages FIRST..LAST of PDF show the headings and tasks WANT in order;
        each page that a section goes on to begins with its heading and
        （续）, and no other page shows one; no heading ends a page."""
        labels = self.labels()
        section_of = {no: label for no, label, _, _ in self.tasks()}
        state, got, section = {"last": None}, [], None
        pages = subprocess.run(["pdftotext", "-raw", pdf, "-"], capture_output=True, text=True,
                               check=True).stdout.split("\f")
        for page in range(first, last + 1):
            where = "%s page %d" % (os.path.basename(pdf), page)
            lines = pages[page - 1].split("\n")
            body = [x for x in lines[lines.index(headers) + 1:]  # below the header row
                    if x.strip() and not re.fullmatch(r"第 \d+ 页 共 \d+ 页", x)]
            again = [i for i, x in enumerate(body)
                     if x.endswith(CONTINUED) and x[:-len(CONTINUED)] in labels]
            top = step(dict(state), body[0], labels)
            goes_on = page > first and section is not None and not (
                top and (top[0] == "band" or section_of[top[1]] != section))
            self.assertEqual(again, [0] if goes_on else [], "%s: %r open" % (where, section))
            if goes_on:
                self.assertEqual(body[0], section + CONTINUED, where)
            self.assertNotIn(body[-1], labels, "%s ends with a heading" % where)
            for i, x in enumerate(body):
                e = None if i in again else step(state, x, labels)
                if e:
                    got.append(e)
                    section = e[1] if e[0] == "band" else section_of[e[1]]
        self.assertEqual(got, want, os.path.basename(pdf))

    def outline_parts(self, pdf):
        """The PDF's top bookmarks as {title: (first page, last page, kids)}."""
        outlines = json.loads(subprocess.run(
            ["qpdf", "--json=2", "--json-key=outlines", pdf], capture_output=True, text=True,
            check=True).stdout)["outlines"]
        pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
            ["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout).group(1))
        out = {}
        for i, o in enumerate(outlines):
            end = outlines[i + 1]["destpageposfrom1"] - 1 if i + 1 < len(outlines) else pages
            out[o["title"]] = (o["destpageposfrom1"], end, o["kids"])
        return out

    def test_section_headings_pdf(self):
        out = self.build_fengong()
        want = self.expected()
        headers = "工作任务 牵头领导 牵头单位 配合单位 完成时限 报送单位 进展情况 存在问题 下步打算"
        pdf = os.path.join(out, "ledger.pdf")
        parts = self.outline_parts(pdf)
        repeated = 0
        for name in ("全市台账", "分单位台账", "分管领导台账"):
            first, last, _ = parts[name]
            self.check_pdf_part(pdf, first, last, [e for p in want[name] for e in p], headers)
        for uid, events_ in want["units"].items():
            path = os.path.join(out, "units", uid + ".pdf")
            first, last, _ = self.outline_parts(path)[next(iter(self.outline_parts(path)))]
            self.check_pdf_part(path, first, last, events_, headers)
        text = subprocess.run(["pdftotext", "-raw", pdf, "-"], capture_output=True, text=True,
                              check=True).stdout
        repeated = sum(1 for x in text.split("\n") if x.endswith(CONTINUED) and
                       x[:-len(CONTINUED)] in self.labels())
        self.assertGreater(repeated, 20)  # sections go on over pages, often
        self.assertGreater(len(self.labels()), 3)

    def test_section_bookmarks(self):
        """A bookmark per section: under the table in 全市台账 with its tasks
        under it; under each unit and each leader, in the order shown."""
        out = self.build_fengong()
        want = self.expected()
        labels = self.labels()
        parts = self.outline_parts(os.path.join(out, "ledger.pdf"))
        kids = parts["全市台账"][2]
        got = [k["title"] for k in kids if k["title"] in labels]
        self.assertEqual(got, [w for kind, w in want["全市台账"][0] if kind == "band"])
        for k in kids:
            if k["title"] in labels:
                self.assertTrue(k["kids"], k["title"])
                self.assertTrue(all(re.match(r"\d+\.", t["title"]) for t in k["kids"]))
        for name in ("分单位台账", "分管领导台账"):
            got = [[s["title"] for s in k["kids"]] for k in parts[name][2]]
            self.assertEqual(got, [[w for kind, w in p if kind == "band"] for p in want[name]],
                             name)

    def test_section_headings_xlsx(self):
        out = self.build_fengong()
        want = self.expected()
        labels = self.labels()

        def check(path, name, parts):
            ws = openpyxl.load_workbook(path)[name]
            bands = band_rows(ws)
            items = []
            for r in range(3, ws.max_row + 1):
                v = ws.cell(r, 1).value
                if r in bands:
                    self.assertIn(v, labels)
                    self.assertTrue(ws.cell(r, 1).font.b, (name, r))
                    self.assertTrue(all(ws.cell(r, c).value is None
                                        for c in range(2, ws.max_column + 1)))
                elif v in labels:
                    self.fail("%s row %d: a heading not merged across" % (name, r))
                if v is not None:
                    items.append(str(v))
            self.assertEqual(events(items, labels), [e for p in parts for e in p], name)
        xlsx = os.path.join(out, "ledger.xlsx")
        for name in ("全市台账", "分单位台账", "分管领导台账"):
            check(xlsx, name, want[name])
        for uid, events_ in want["units"].items():
            path = os.path.join(out, "units", uid + ".xlsx")
            check(path, openpyxl.load_workbook(path).sheetnames[0], [events_])
        # the data sheet stays a flat list: one row per task and unit, no heading
        ws = openpyxl.load_workbook(xlsx)["数据"]
        self.assertEqual(list(ws.merged_cells.ranges), [])
        self.assertFalse(any(c.value in labels for row in ws.iter_rows() for c in row))
        rows = sum(len(owners) if owners != ["*"] else len(list(self.plan.iter("unit")))
                   for _, _, owners, _ in self.tasks())
        self.assertEqual(ws.max_row - 1, rows)


if __name__ == "__main__":
    unittest.main()
