"""Plans with sections, lead units, leaders and targets (issue 19) over a
generated city (scripts/gen-corpus --roles), checked against the XML with
independent code: the 是否达到 of every row of a quantitative task in the
主要指标 ledger (templates/zhibiao.xml) as computed here from <target> and
<actual>, and the 分管领导台账 (templates/fengong.xml) holding exactly each
leader's tasks, leader by leader."""
import os
import unittest
import xml.etree.ElementTree as ET
from decimal import Decimal

import openpyxl

from lgtest import SOURCE, gen_corpus, run, workdir

MONTH = 10


MARK = "（续）"


def sheet_rows(path, name):
    """The body rows of sheet NAME (below the title and header rows), the
    hidden parts of merged cells filled with the merged cell's text. Below a
    page break a merged cell's text is written again with （续）, read here
    as the text; a row split by the break goes on in a row whose texts begin
    with （续） (its label, unit or task number, ends with it), joined here to
    the row above."""
    ws = openpyxl.load_workbook(path)[name]
    cells = [["" if c.value is None else str(c.value) for c in r]
             for r in ws.iter_rows(min_row=3, max_row=ws.max_row)]
    for m in ws.merged_cells.ranges:
        for r in range(max(m.min_row, 3), m.max_row + 1):
            for c in range(m.min_col, m.max_col + 1):
                cells[r - 3][c - 1] = cells[m.min_row - 3][m.min_col - 1]
    rows = []
    for row in cells:
        if rows and any(c.startswith(MARK) for c in row):
            for i, c in enumerate(row):
                if c.startswith(MARK):
                    rows[-1][i] += c[len(MARK):]
            continue
        rows.append([c[:-len(MARK)] if c.endswith(MARK) else c for c in row])
    return rows


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


if __name__ == "__main__":
    unittest.main()
