"""The status of every row (亮灯), computed here from the XML of a generated
12-month city by the rules README documents ("Status"), against the 状态
column of ledger.xlsx's 数据 sheet, 汇总's counts of each status and its
ranking, the status `check --format json` and the 问题清单 give a row's problem, for May, August and October (the first two with tasks due the month after);
and how the status shows in the ledgers: each row's 是否达到序时进度 cell filled
with the template's colour of its status (a thick border when escalated) in
the XLSX, the legend on the first page of each part of the PDFs."""
import json
import os
import re
import subprocess
import unittest
import xml.etree.ElementTree as ET
import zipfile

import openpyxl

from lgtest import gen_corpus, run, workdir

YEAR = 2022
MONTHS = (5, 8, 10)
NAMES = ("已完成", "未报送", "逾期", "滞后", "临期", "正常")
KEYS = dict(zip(NAMES, ("done", "unreported", "overdue", "behind", "due-soon", "normal")))
RED = ("未报送", "滞后")


class City:
    """The corpus as read here, independently of ledgerc."""

    def __init__(self, inp):
        plan = ET.parse(os.path.join(inp, "plan.xml")).getroot()
        self.units = [(u.get("id"), u.get("name")) for u in plan.iter("unit")]
        ids = [u for u, _ in self.units]
        self.tasks = {int(t.get("no")): (ids if t.get("owners") == "*" else t.get("owners").split(),
                                         t.get("due"))
                      for t in plan.iter("task")}
        self.inp = inp
        self.cache = {}

    def reports(self, month):
        """unit id -> {task no: entry} of MONTH's reports (units that sent one)."""
        if month not in self.cache:
            d = os.path.join(self.inp, "reports", "%d-%02d" % (YEAR, month))
            out = {}
            for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
                root = ET.parse(os.path.join(d, f)).getroot()
                out[root.get("unit")] = {int(e.get("task")): e for e in root.iter("entry")}
            self.cache[month] = out
        return self.cache[month]

    def done_before(self, uid, no, month):
        """Reported completed in an earlier month and not reopened since."""
        done = False
        for k in range(1, month + 1):
            e = self.reports(k).get(uid, {}).get(no)
            if e is not None and e.get("completed") == "no":
                done = False
            elif k < month and e is not None and e.get("completed") == "yes":
                done = True
        return done

    def kind(self, uid, no, month):
        entry = self.reports(month).get(uid, {}).get(no)
        if self.done_before(uid, no, month) or (entry is not None and
                                                entry.get("completed") == "yes"):
            return "已完成"
        if entry is None:
            return "未报送"
        due = self.tasks[no][1]
        left = None
        if due != "ongoing":
            y, m = (int(due), 12) if len(due) == 4 else (int(due[:4]), int(due[5:]))
            left = y * 12 + m - (YEAR * 12 + month)
        if left is not None and left < 0:
            return "逾期"
        if entry.get("on-schedule") == "no":
            return "滞后"
        if left is not None and left <= 1:  # the default window: one month
            return "临期"
        return "正常"

    def status(self, uid, no, month):
        """(kind, escalated): 滞后 or 未报送 this month and last (the default 2),
        last month counting only when some unit reported in it."""
        k = self.kind(uid, no, month)
        esc = (k in RED and month > 1 and self.reports(month - 1)
               and uid in self.tasks[no][0] and self.kind(uid, no, month - 1) in RED)
        return k, bool(esc)


def template_states():
    """The template's statuses: [(name, colour RRGGBB)] in order, and the escalation's name."""
    src = os.path.join(os.environ["LG_SOURCE_DIR"], "templates", "ledger.xml")
    status = ET.parse(src).getroot().find("status")
    return [(s.get("name"), s.get("colour").upper()) for s in status.iter("state")], \
        status.get("escalated")


class Status(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        d = cls.out = workdir("status")
        cls.inp = os.path.join(d, "in")
        gen_corpus(cls.inp, "--units", "60", "--tasks", "300", "--months", "12")
        cls.city = City(cls.inp)
        cls.wb = {}
        for m in MONTHS:
            out = os.path.join(d, "out-%02d" % m)
            status, _, err = run("build", "--input", cls.inp, "--out", out, "--views",
                                 "summary,by-task", "--formats", "xlsx", "-q", "%d-%02d" % (YEAR, m))
            assert status == 0, err
            cls.wb[m] = openpyxl.load_workbook(os.path.join(out, "ledger.xlsx"))

    def expected(self, month):
        """(unit id, task no) -> 状态 as the data sheet shows it."""
        out = {}
        for no, (owners, _) in sorted(self.city.tasks.items()):
            for uid in owners:
                k, esc = self.city.status(uid, no, month)
                out[(uid, no)] = k + ("（连续滞后）" if esc else "")
        return out

    def test_every_rows_status_in_the_data_sheet(self):
        seen = set()
        for m in MONTHS:
            rows = list(self.wb[m]["数据"].iter_rows(values_only=True))
            head = list(rows[0])
            iu, it, ist = head.index("单位代码"), head.index("任务号"), head.index("状态")
            got = {(r[iu], int(r[it])): r[ist] for r in rows[1:]}
            want = self.expected(m)
            self.assertEqual(len(got), len(rows) - 1, m)
            self.assertEqual(got, want, m)
            seen |= set(want.values())
        # the corpus holds every status and escalations, so the rules were all tried
        self.assertTrue(set(NAMES) <= seen, seen)
        self.assertTrue(any("连续滞后" in s for s in seen), seen)

    def test_summary_counts_and_ranks(self):
        names = dict(self.city.units)
        for m in MONTHS:
            ws = self.wb[m]["汇总"]
            head = [c.value for c in ws[2]]
            rows = [dict(zip(head, (c.value for c in r))) for r in ws.iter_rows(min_row=3)]
            want = {}
            for (uid, no), label in self.expected(m).items():
                counts = want.setdefault(names[uid], dict.fromkeys(NAMES + ("连续滞后",), 0))
                counts[label.split("（")[0]] += 1
                counts["连续滞后"] += "（" in label
            for r in rows[:-1]:
                self.assertEqual({k: r[k] for k in want[r["单位"]]}, want[r["单位"]],
                                 (m, r["单位"]))
            total = rows[-1]
            self.assertEqual(total["单位"], "合计")
            for k in NAMES + ("连续滞后",):
                self.assertEqual(total[k], sum(w[k] for w in want.values()), (m, k))
            # ranked by rate, ties by fewer 逾期; equal standing, equal rank
            units = rows[:-1]
            keys = [(-r["序时进度达标率"], r["逾期"]) for r in units]
            self.assertEqual(keys, sorted(keys), m)
            for i, r in enumerate(units):
                rank = units[i - 1]["名次"] if i and keys[i] == keys[i - 1] else i + 1
                self.assertEqual(r["名次"], rank, (m, r["单位"]))

    def test_check_json_and_the_problem_list_carry_the_status(self):
        for m in MONTHS:
            want = self.expected(m)
            status, out, _ = run("check", "--input", self.inp, "--format", "json",
                                 "%d-%02d" % (YEAR, m))
            rows = [p for p in json.loads(out) if p["unit"] and p["task"]]
            self.assertGreater(len(rows), 10, m)
            for p in rows:
                label = want[(p["unit"], p["task"])]
                self.assertEqual((p["status"], p["escalated"]),
                                 (KEYS[label.split("（")[0]], "（" in label), (m, p))
            ws = self.wb[m]["问题清单"]
            head = [c.value for c in ws[2]]
            names = {n: u for u, n in self.city.units}
            listed = 0
            for r in ws.iter_rows(min_row=3, values_only=True):
                r = dict(zip(head, r))
                if r["任务"]:
                    self.assertEqual(r["状态"], want[(names[r["单位"]], int(r["任务"]))], (m, r))
                    listed += 1
            self.assertEqual(listed, len(rows), m)

    def test_bulletin_first_names_every_overdue_and_escalated_row(self):
        listed = 8  # on the first page; the rest in a section of their own, said so
        continued = chunked = 0
        for m in MONTHS:
            wb = self.wb[m]
            self.assertEqual(wb.sheetnames[0], "通报")
            sections, last = {}, None
            for r in wb["通报"].iter_rows(min_row=3, values_only=True):
                if not r[0] and last and str(r[1] or "").startswith("（续）"):
                    # a text split at a page break goes on in the next row
                    sections[last] += r[1][len("（续）"):]
                    continue
                if not r[0] and last and r[1]:
                    # a long list goes on in rows of at most 50 of its items
                    self.assertLessEqual(len(r[1].split("；")), 50, (m, last))
                    sections[last] += "；" + r[1]
                    chunked += 1
                    continue
                sections[r[0]], last = r[1], r[0]
            want = self.expected(m)
            names = dict(self.city.units)
            for name, note, rows in (
                    ("逾期任务", lambda k: None,
                     [k for k, label in want.items() if label.startswith("逾期")]),
                    ("连续滞后", lambda k: want[k].split("（")[0],
                     [k for k, label in want.items() if "（" in label])):
                head = "%s（%d条）" % (name, len(rows))
                self.assertIn(head, sections, m)
                text = sections[head]
                if len(rows) > listed:
                    self.assertTrue(text.endswith("；其余%d条见下文“%s（续）”"
                                                  % (len(rows) - listed, name)), (m, text))
                    text = text.rsplit("；", 1)[0] + "；" + sections[name + "（续）"]
                else:
                    self.assertNotIn(name + "（续）", sections)
                got = [(item.split(" ")[0], item.split(" ")[1].split("（")[0])
                       for item in text.split("；")] if rows else []
                self.assertEqual(sorted(got), sorted(("任务%d" % no, names[u]) for u, no in rows),
                                 (m, name))
                if name == "连续滞后":
                    self.assertEqual(sorted(item.split("（")[1].rstrip("）") for item in
                                            text.split("；")) if rows else [],
                                     sorted(note(k) for k in rows), m)
            continued += "逾期任务（续）" in sections
        self.assertGreater(continued, 0)  # the city's lists are long enough to go on
        self.assertGreater(chunked, 0)  # and on beyond one row of 50

    def assert_filled(self, cell, label, where):
        """CELL (openpyxl) shows the status LABEL (as the data sheet writes it):
        filled with its colour, a thick border when escalated."""
        colours = dict(template_states()[0])
        self.assertEqual(cell.fill.patternType, "solid", where)
        self.assertEqual(cell.fill.fgColor.rgb, "FF" + colours[label.split("（")[0]], where)
        self.assertEqual(cell.border.left.style, "medium" if "（" in label else "thin", where)

    def test_ledger_cells_filled_with_the_status_colour(self):
        names = {n: u for u, n in self.city.units}
        for m in MONTHS:
            want = self.expected(m)
            ws = self.wb[m]["全市台账"]
            head = [c.value for c in ws[2]]
            col = {h: i + 1 for i, h in enumerate(head)}
            task, seen = None, set()
            for r in range(3, ws.max_row + 1):
                text = ws.cell(r, col["工作任务"]).value
                number = re.match(r"(\d+)\.", text or "")
                task = int(number.group(1)) if number else task
                unit = ws.cell(r, col["单位"]).value
                if unit not in names:  # a long entry's extra row
                    continue
                key = (names[unit], task)
                self.assertNotIn(key, seen)
                seen.add(key)
                self.assert_filled(ws.cell(r, col["是否达到序时进度"]), want[key], (m, key))
                # the other cells are not
                self.assertIsNone(ws.cell(r, col["进展情况"]).fill.patternType, (m, key))
            self.assertEqual(seen, set(want), m)
            rows = list(self.wb[m]["数据"].iter_rows())
            head = [c.value for c in rows[0]]
            iu, it = head.index("单位代码"), head.index("任务号")
            for row in rows[1:]:
                key = (row[iu].value, int(row[it].value))
                for h in ("是否达到序时进度", "状态"):
                    self.assert_filled(row[head.index(h)], want[key], (m, key, h))

    def test_xlsx_legend_in_the_printed_header(self):
        states, escalated = template_states()
        legend = "&C图例：" + "".join("&K%s■&K000000%s　" % (c, n) for n, c in states) + \
            "粗框为" + escalated
        out = os.path.join(self.out, "out-10", "ledger.xlsx")
        with zipfile.ZipFile(out) as z:
            book = z.read("xl/workbook.xml").decode()
            rels = z.read("xl/_rels/workbook.xml.rels").decode()
            for name in ("全市台账", "汇总"):
                rid = re.search(r'name="%s" sheetId="\d+" r:id="(rId\d+)"' % name, book).group(1)
                part = re.search(r'Id="%s"[^>]*Target="([^"]+)"' % rid, rels).group(1)
                sheet = z.read("xl/" + part).decode()
                header = re.search(r"<oddHeader>(.*?)</oddHeader>", sheet)
                if name == "全市台账":
                    self.assertIsNotNone(header, name)
                    self.assertEqual(header.group(1).replace("&amp;", "&"), legend)
                else:  # no statuses, no legend
                    self.assertIsNone(header)

    def test_pdf_legend_on_the_first_page_of_each_part(self):
        states, escalated = template_states()
        legend = "图例：" + "".join(n for n, _ in states) + escalated
        out = os.path.join(workdir("status-pdf"), "out")
        status, _, err = run("build", "--input", self.inp, "--out", out, "--views",
                             "by-task,by-unit,units", "--formats", "pdf", "--pdf", "plain",
                             "-q", "2022-10")
        self.assertEqual(status, 0, err)

        def pages_with_legend(pdf):
            text = subprocess.run(["pdftotext", "-raw", pdf, "-"], capture_output=True,
                                  text=True, check=True).stdout
            return {i + 1 for i, page in enumerate(text.split("\f"))
                    if legend in re.sub(r"\s+", "", page)}

        # ledger.pdf: 全市台账 (one part), then 分单位台账 (a part per unit):
        # the pages its bookmarks point to
        pdf = os.path.join(out, "ledger.pdf")
        xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", pdf], capture_output=True,
                             text=True, check=True).stdout
        outline = ET.fromstring(re.search(r"<outline>.*</outline>", xml, re.S).group(0))
        items = list(outline)
        starts = set()
        for i, item in enumerate(items):
            if item.tag == "item" and item.text == "全市台账":
                starts.add(int(item.get("page")))
            if item.tag == "item" and item.text == "分单位台账":
                starts |= {int(u.get("page")) for u in items[i + 1].iter("item")}
        self.assertEqual(len(starts), 1 + len(self.city.units))
        self.assertEqual(pages_with_legend(pdf), starts)
        # each unit's own ledger: its first page
        units = os.path.join(out, "units")
        for name in sorted(os.listdir(units)):
            self.assertEqual(pages_with_legend(os.path.join(units, name)), {1}, name)

    def test_names_and_thresholds_from_the_template(self):
        src = os.path.join(os.environ["LG_SOURCE_DIR"], "templates", "ledger.xml")
        with open(src, encoding="utf-8") as f:
            text = f.read()
        changed = (text.replace('due-window="1"', 'due-window="2"')
                   .replace('escalated="连续滞后"', 'escalated="督办"')
                   .replace('name="逾期"', 'name="超期"'))
        self.assertNotEqual(changed.count("督办") * changed.count("超期"), 0)
        d = workdir("status-template")
        tpl = os.path.join(d, "ledger.xml")
        with open(tpl, "w", encoding="utf-8") as f:
            f.write(changed)
        out = os.path.join(d, "out")
        status, _, err = run("build", "--input", self.inp, "--out", out, "--template", tpl,
                             "--views", "summary,by-task", "--formats", "xlsx", "-q", "2022-10")
        self.assertEqual(status, 0, err)
        rows = list(openpyxl.load_workbook(os.path.join(out, "ledger.xlsx"))["数据"]
                    .iter_rows(values_only=True))
        head = list(rows[0])
        iu, it, ist = head.index("单位代码"), head.index("任务号"), head.index("状态")
        got = {(r[iu], int(r[it])): r[ist] for r in rows[1:]}
        for (uid, no), label in self.expected(10).items():
            label = label.replace("逾期", "超期").replace("连续滞后", "督办")
            due = self.city.tasks[no][1]
            if label == "正常" and due in ("2022", "2022-12"):  # two months on: 临期 now
                label = "临期"
            self.assertEqual(got[(uid, no)], label, (uid, no))
        self.assertIn("超期", got.values())
        self.assertIn("临期", got.values())


if __name__ == "__main__":
    unittest.main()
