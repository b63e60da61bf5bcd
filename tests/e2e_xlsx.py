"""The spreadsheets as units receive them (issue 14), read back with openpyxl
on a generated city of 12 units with many long and hard texts: the data
sheet (数据) holds one row per task and unit with the texts of the XML, whole,
under a filter; a text too tall for one row continues only where a sentence
(or, lacking one, a clause) ends, marked （续）, and its parts give it back."""
import os
import re
import unittest
import xml.etree.ElementTree as ET
import zipfile

import openpyxl

from e2e_city import due_label, paragraphs
from lgtest import gen_corpus, run, workdir

PERIOD = "2022-10"
MARK = "（续）"
SENTENCE_ENDS = "。；！？!?;"
CLAUSE_ENDS = "，、：,:"
CLOSERS = "”’」』）》〉】)\""
# The faces Excel and WPS on Windows have for Chinese text.
WINDOWS_FACES = {"宋体", "新宋体", "仿宋", "仿宋_GB2312", "楷体", "楷体_GB2312", "黑体", "等线"}
HEADER = ["单位代码", "单位", "任务号", "工作任务", "时限要求", "进展情况", "下个月工作计划",
          "是否达到序时进度", "备注", "已完成", "状态"]


def expected_data(inp):
    """The data sheet's rows as the XML gives them: tasks in number order, for
    each the units that report on it in plan order."""
    plan = ET.parse(os.path.join(inp, "plan.xml")).getroot()
    units = [(u.get("id"), u.get("name")) for u in plan.iter("unit")]
    tasks = sorted(plan.iter("task"), key=lambda t: int(t.get("no")))
    reports = {}
    done = {}  # (unit, task): the month of the year it was reported completed in, before PERIOD
    year, month = (int(x) for x in PERIOD.split("-"))
    for uid, _ in units:
        for mo in range(1, month + 1):
            path = os.path.join(inp, "reports", "%04d-%02d" % (year, mo), uid + ".xml")
            if not os.path.exists(path):
                continue
            for e in ET.parse(path).getroot().iter("entry"):
                key = (uid, e.get("task"))
                if mo == month:
                    reports.setdefault(uid, {})[e.get("task")] = e
                elif e.get("completed") == "yes":
                    done.setdefault(key, mo)
                elif e.get("completed") == "no":
                    done.pop(key, None)  # reopened
    rows = []
    for t in tasks:
        owners = t.get("owners")
        for uid, name in units:
            if owners != "*" and uid not in owners.split():
                continue
            e = reports.get(uid, {}).get(t.get("no"))
            row = [uid, name, int(t.get("no")), t.text, due_label(t)]
            if (uid, t.get("no")) in done:
                row += ["已完成（%d年%d月）" % (year, done[(uid, t.get("no"))]), "", "是", "", "是"]
            elif e is None:
                row += ["未报送", "", "", "", ""]
            else:
                row += [paragraphs(e.find("progress")), paragraphs(e.find("plan")),
                        "是" if e.get("on-schedule") == "yes" else "否",
                        paragraphs(e.find("remark")),
                        "是" if e.get("completed") == "yes" else "否"]
            rows.append(row)
    return rows


def value(c):
    return "" if c.value is None else c.value


def join_parts(column):
    """The texts of a column, each as the list of its parts: a part marked
    （续） continues the text of the row above."""
    texts = []
    for v in column:
        v = str(v)
        if v.startswith(MARK) and texts:
            texts[-1].append(v[len(MARK):])
        else:
            texts.append([v])
    return texts


def ends_sentence_or_clause(before):
    t = before.rstrip(CLOSERS)
    return t != "" and t[-1] in SENTENCE_ENDS + CLAUSE_ENDS


class Spreadsheets(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        d = workdir("xlsx")
        cls.inp = os.path.join(d, "in")
        cls.out = os.path.join(d, "out")
        gen_corpus(cls.inp, "--units", "12", "--tasks", "60", "--months", "10",
                   "--hard-text", "0.3")
        status, _, err = run("build", "--input", cls.inp, "--out", cls.out, "--formats", "xlsx",
                             PERIOD)
        assert status == 0, err
        cls.wb = openpyxl.load_workbook(os.path.join(cls.out, "ledger.xlsx"))

    def test_data_sheet_one_row_per_task_and_unit_with_the_xml_texts(self):
        ws = self.wb["数据"]
        rows = [[value(c) for c in r] for r in ws.iter_rows()]
        self.assertEqual(rows[0], HEADER)
        want = expected_data(self.inp)
        self.assertGreater(len(want), 100)
        self.assertEqual(len(rows) - 1, len(want))
        for got, w in zip(rows[1:], want):
            self.assertEqual(got[:-1], w)  # 状态: e2e_status
        # a number, so that it sorts as one
        self.assertEqual(ws["C2"].data_type, "n")

    def test_data_sheet_filters_every_row_without_merges(self):
        ws = self.wb["数据"]
        self.assertEqual(ws.auto_filter.ref, "A1:K%d" % ws.max_row)
        self.assertEqual(list(ws.merged_cells.ranges), [])
        self.assertEqual(ws.freeze_panes, "A2")
        self.assertEqual(ws.print_title_rows, "$1:$1")
        for col in "DFGI":  # long texts wrap
            self.assertTrue(ws[col + "2"].alignment.wrap_text, col)
        for r in range(1, ws.max_row + 1):
            self.assertLessEqual(ws.row_dimensions[r].height, 409)

    def check_parts(self, parts, text, where):
        """PARTS give TEXT back: each split at a sentence or clause end, or at
        a paragraph end (whose line feed the split drops)."""
        pos = 0
        for i, p in enumerate(parts):
            if i > 0:
                if text[pos:pos + 1] == "\n":
                    pos += 1
                else:
                    self.assertTrue(ends_sentence_or_clause(parts[i - 1]),
                                    (where, parts[i - 1][-20:], p[:20]))
            self.assertEqual(text[pos:pos + len(p)], p, where)
            pos += len(p)
        self.assertEqual(pos, len(text), where)

    def test_texts_split_only_at_a_sentence_or_clause_end(self):
        ws = self.wb["全市台账"]
        want = expected_data(self.inp)
        n_splits = 0
        for col, field in (("D", 5), ("E", 6), ("G", 8)):
            column = [value(ws["%s%d" % (col, r)]) for r in range(3, ws.max_row + 1)]
            texts = join_parts(c for c in column if c != "")
            expect = [w[field] for w in want if w[field] != ""]
            self.assertEqual(len(texts), len(expect), col)
            for parts, text in zip(texts, expect):
                self.check_parts(parts, text, col)
                n_splits += len(parts) - 1
        self.assertGreater(n_splits, 10)


    def test_cells_aligned_as_in_the_pdf(self):
        # The PDF draws a cell's text from its top and centres a cell merged
        # over table rows (工作任务 and 时限要求 over a task's units, 单位 over
        # its tasks) in its part of each page.
        merged_columns = {"全市台账": "AB", "分单位台账": "A"}
        for name in ("全市台账", "分单位台账"):
            ws = self.wb[name]
            starts = {m.coord.split(":")[0] for m in ws.merged_cells.ranges}
            n_centred = 0
            for row in ws.iter_rows(min_row=3, max_row=min(ws.max_row, 60)):
                for c in row:
                    if type(c).__name__ == "MergedCell":  # inside a merge: no style
                        continue
                    if c.column_letter in merged_columns[name]:
                        # a single row's cell, or a merge's part (maybe one
                        # row, at a page break)
                        self.assertIn(c.alignment.vertical, ("center", "top"), c.coordinate)
                        n_centred += c.coordinate in starts and c.alignment.vertical == "center"
                    else:
                        self.assertEqual(c.alignment.vertical, "top", (name, c.coordinate))
            self.assertGreater(n_centred, 3, name)

    def workbooks(self):
        units = os.path.join(self.out, "units")
        return [os.path.join(self.out, "ledger.xlsx")] + \
            [os.path.join(units, f) for f in sorted(os.listdir(units))[:3]]

    def test_every_font_is_a_windows_face_for_chinese(self):
        for path in self.workbooks():
            wb = openpyxl.load_workbook(path)
            fonts = list(wb._fonts) + [wb._named_styles["Normal"].font]
            for f in fonts:
                self.assertIn(f.name, WINDOWS_FACES, path)
                self.assertEqual(f.charset, 134, path)
                self.assertEqual(f.family, 3, path)  # as Excel declares these faces
            with zipfile.ZipFile(path) as z:
                for name in z.namelist():
                    if name == "xl/styles.xml" or name.startswith("xl/charts/"):
                        self.assertNotIn(b"Calibri", z.read(name), (path, name))

    def test_columns_print_inside_the_page_in_excel(self):
        # Excel draws W digits of the Normal font's widest digit d as
        # floor((256W + floor(128/d)) / 256 * d) px; a Chinese face's digit
        # at 11 pt is 8 px (Calibri's is 7). The columns fill the printable
        # width of A4 landscape (less 1.5% of room), no more.
        digit = 8
        for path in self.workbooks():
            wb = openpyxl.load_workbook(path)
            normal = wb._named_styles["Normal"].font
            self.assertEqual((normal.name, normal.sz), ("宋体", 11), path)
            for name in ("全市台账", "分单位台账") if path.endswith("ledger.xlsx") else \
                    wb.sheetnames[:1]:
                ws = wb[name]
                m = ws.page_margins
                room = (297 / 25.4 - m.left - m.right) * 96
                px = sum(int((256 * d.width + 128 // digit) / 256 * digit) * (d.max - d.min + 1)
                         for d in ws.column_dimensions.values() if d.width)
                self.assertLessEqual(px, room, (path, name))
                self.assertGreaterEqual(px, 0.97 * room, (path, name))

    def test_chart_text_names_an_east_asian_face(self):
        with zipfile.ZipFile(os.path.join(self.out, "ledger.xlsx")) as z:
            charts = [n for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml$", n)]
            # the 通报's ranking, the summary's bar chart and the year's trend
            self.assertEqual(len(charts), 3)
            xmls = [z.read(c).decode() for c in charts]
        for xml in xmls:
            latin = re.findall(r'<a:latin typeface="([^"]*)" charset="134"/>', xml)
            ea = re.findall(r'<a:ea typeface="([^"]*)" charset="134"/>', xml)
            self.assertGreater(len(latin), 2)
            self.assertEqual(ea, latin)
            self.assertTrue(set(ea) <= WINDOWS_FACES)
            self.assertNotIn('lang="en-US"', xml)

    def test_chart_shows_every_unit_name_upright(self):
        with zipfile.ZipFile(os.path.join(self.out, "ledger.xlsx")) as z:
            # the summary's, on its chart sheet (the 通报's is a column chart)
            xml, = [x for x in (z.read(n).decode() for n in z.namelist()
                                if re.match(r"xl/charts/chart\d+\.xml$", n))
                    if '<c:barDir val="bar"/>' in x]
            sheet = z.read("xl/chartsheets/sheet1.xml").decode()
        self.assertIn('<c:tickLblSkip val="1"/>', xml)
        # 12 units: the names at 9 pt (the most), the title at 14
        sizes = {int(v) / 100 for v in re.findall(r'<a:defRPr sz="(\d+)"', xml)}
        self.assertEqual(sizes, {9.0, 14.0})
        self.assertIn('orientation="portrait"', sheet)


if __name__ == "__main__":
    unittest.main()
