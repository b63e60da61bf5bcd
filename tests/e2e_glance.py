"""Status at a glance (issue 16), items 3 and 4, on a generated city of 60
units and 300 tasks, October: every unit of 汇总 leads to its part of
分单位台账 (XLSX: a hyperlink to a defined name on the part's first row; PDF: a
link annotation to a destination on the page and at the height of the
unit's bookmark), and the 通报's first page holds the ranking chart of every
unit (PDF: the names, ranks and rates on page 1 in ranked order; XLSX: a
column chart over the 通报's chart row whose categories are the ranked
units, every name shown)."""
import json
import os
import re
import subprocess
import unittest
import zipfile

import openpyxl

from lgtest import gen_corpus, run, workdir


def pdf_json(path):
    return json.loads(subprocess.run(["qpdf", "--json=2", path], capture_output=True,
                                     text=True, check=True).stdout)


def deref(objs, v):
    return objs["obj:" + v]["value"] if isinstance(v, str) and v.endswith(" R") else v


def page_words(pdf, page):
    """(text, xmin, ymin, xmax, ymax) of each word of PAGE, from the top left."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), pdf, "-"],
                         capture_output=True, text=True, check=True).stdout
    return [(m.group(5), float(m.group(1)), float(m.group(2)), float(m.group(3)),
             float(m.group(4)))
            for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                                 r'yMax="([\d.]+)">([^<]*)</word>', out)]


class Glance(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        d = workdir("glance")
        cls.inp = os.path.join(d, "in")
        gen_corpus(cls.inp, "--units", "60", "--tasks", "300", "--months", "12")
        cls.out = os.path.join(d, "out")
        status, _, err = run("build", "--input", cls.inp, "--out", cls.out, "--views",
                             "summary,by-unit", "-q", "2022-10")
        assert status == 0, err
        cls.xlsx = os.path.join(cls.out, "ledger.xlsx")
        cls.pdf = os.path.join(cls.out, "ledger.pdf")
        cls.wb = openpyxl.load_workbook(cls.xlsx)
        summary = cls.wb["汇总"]
        head = [c.value for c in summary[2]]
        cls.ranked = [(r[head.index("名次")], r[head.index("单位")], r[head.index("序时进度达标率")])
                      for r in summary.iter_rows(min_row=3, values_only=True) if r[0] is not None]
        assert len(cls.ranked) == 60, cls.ranked

    def parts(self):
        """Unit name -> the first row of its part of 分单位台账: the parts in
        plan order, each beginning a printed page (a page that goes on with a
        part shows its unit again with （续）)."""
        ws = self.wb["分单位台账"]
        starts = [3] + [b.id + 1 for b in ws.row_breaks.brk  # not a page of a part going on
                        if not str(ws.cell(b.id + 1, 1).value or "").endswith("（续）")]
        ends = starts[1:] + [ws.max_row + 1]
        out, pending = {}, None
        for a, b in zip(starts, ends):
            names = {ws.cell(r, 1).value for r in range(a, b)}
            mine = [u for _, u, _ in self.ranked if u in names]
            if not mine:  # the part's shared tasks fill its first page
                pending = pending or a
                continue
            self.assertEqual(len(mine), 1, (a, names))
            out[mine[0]], pending = pending or a, None
        return out

    def test_xlsx_summary_units_lead_to_their_part(self):
        ws = self.wb["汇总"]
        parts = self.parts()
        self.assertEqual(len(parts), 60)
        col = [c.value for c in ws[2]].index("单位") + 1
        for r in range(3, 3 + 60):
            cell = ws.cell(r, col)
            self.assertEqual(cell.value, self.ranked[r - 3][1])  # the name, as before
            self.assertIsNotNone(cell.hyperlink, cell.value)
            name = cell.hyperlink.location
            target = self.wb.defined_names[name].attr_text
            self.assertEqual(target, "'分单位台账'!$A$%d" % parts[cell.value], cell.value)
        self.assertIsNone(ws.cell(3 + 60, col).hyperlink)  # 合计 leads nowhere

    def test_pdf_unit_pages_name_their_unit(self):
        """Each printed page of 分单位台账 names, at the left of its footer,
        the unit whose part it is (from its bookmark to the next); the
        pages before it (通报, 汇总, …) name nobody there."""
        j = pdf_json(self.pdf)
        marks = {o["title"]: o for o in j["outlines"]}
        kids = marks["分单位台账"]["kids"]
        starts = [(k["destpageposfrom1"], k["title"]) for k in kids]
        after = [o["destpageposfrom1"] for o in j["outlines"]
                 if o["destpageposfrom1"] > starts[-1][0]]
        end = min(after) if after else len(j["pages"]) + 1
        owner = {}
        for (a, unit), b in zip(starts, [s for s, _ in starts[1:]] + [end]):
            for page in range(a, b):
                owner[page] = unit
        for page in list(range(1, starts[0][0])) + sorted(owner):
            h = 595.28
            foot = sorted((w for w in page_words(self.pdf, page) if w[2] > h - 35),
                          key=lambda w: w[1])  # left to right
            text = "".join(w[0] for w in foot)
            number = re.search(r"第\d+页共\d+页$", text)
            self.assertIsNotNone(number, (page, text))
            self.assertEqual(text[:number.start()], owner.get(page, ""), page)

    def test_pdf_summary_units_link_to_their_bookmark(self):
        j = pdf_json(self.pdf)
        objs = j["qpdf"][1]
        page_of = {p["object"]: i + 1 for i, p in enumerate(j["pages"])}
        root = deref(objs, objs["trailer"]["value"]["/Root"])
        dests = deref(objs, deref(objs, root["/Names"])["/Dests"])["/Names"]
        dest = {dests[i][2:]: dests[i + 1] for i in range(0, len(dests), 2)}
        marks = {o["title"]: o for o in j["outlines"]}
        by_unit = {k["title"]: k for k in marks["分单位台账"]["kids"]}
        first, last = marks["汇总"]["destpageposfrom1"], marks["年度趋势"]["destpageposfrom1"]
        linked = {}
        for page in range(first, last):
            p = deref(objs, j["pages"][page - 1]["object"])
            h = float(deref(objs, p["/MediaBox"])[3])
            words = page_words(self.pdf, page)
            for a in p.get("/Annots", []):
                a = deref(objs, a)
                x0, y0, x1, y1 = (float(v) for v in a["/Rect"])
                inside = "".join(w[0] for w in words
                                 if w[1] >= x0 - 1 and w[3] <= x1 + 1 and
                                 w[2] >= h - y1 - 1 and w[4] <= h - y0 + 1)
                d = dest[a["/Dest"][2:]]
                linked[inside] = (page_of[d[0]], round(float(d[3])))
        self.assertEqual(sorted(linked), sorted(u for _, u, _ in self.ranked))
        for unit, (page, y) in linked.items():
            mark = by_unit[unit]
            self.assertEqual(page, mark["destpageposfrom1"], unit)
            self.assertEqual(y, round(float(mark["dest"][3])), unit)

    def test_pdf_bulletin_page_one_holds_the_ranking(self):
        text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", self.pdf, "-"],
                              capture_output=True, text=True, check=True).stdout
        self.assertIn("达标率排名", text)
        # every unit with its rank and rate, in ranked order
        chart = text[text.index("达标率排名"):]
        pos = 0
        for rank, unit, rate in self.ranked:
            m = re.compile(r"(\d+) +%s\s" % re.escape(unit)).search(chart, pos)
            self.assertIsNotNone(m, (unit, chart[pos:pos + 200]))
            self.assertEqual(int(m.group(1)), rank, unit)
            pos = m.end()
        rates = re.findall(r"(\d+\.\d)%", chart)
        for _, _, rate in self.ranked:
            self.assertIn("%.1f" % (100 * rate), rates)
        # the lists begin on page 1 and say where they go on
        self.assertRegex(text, r"逾期任务（\d+条）")
        self.assertIn("见下文“逾期任务（续）”", text)
        page2 = subprocess.run(["pdftotext", "-f", "2", "-l", "2", self.pdf, "-"],
                               capture_output=True, text=True, check=True).stdout
        self.assertIn("逾期任务（续）", page2)
        self.assertNotIn("达标率排名", page2)

    def test_pdf_labels_at_least_7pt(self):
        words = [w for w in page_words(self.pdf, 1) if w[0] in {u for _, u, _ in self.ranked}]
        self.assertGreaterEqual(len(words), 60)
        for w in words:  # a Noto CJK line is 1.437 em tall
            self.assertGreaterEqual((w[4] - w[2]) / 1.437, 6.95, w)

    def test_xlsx_bulletin_chart_of_the_ranked_units(self):
        ws = self.wb["通报"]
        rows = {r[0]: i for i, r in enumerate(ws.iter_rows(min_row=1, values_only=True), 1)}
        chart_row = [i for k, i in rows.items() if k and k.startswith("达标率排名")]
        self.assertEqual(len(chart_row), 1)
        with zipfile.ZipFile(self.xlsx) as z:
            names = z.namelist()
            drawing = z.read("xl/drawings/drawing1.xml").decode()
            chart = z.read([n for n in names if re.match(r"xl/charts/chart\d+\.xml", n)
                            and "通报" in z.read(n).decode()][0]).decode()
            rels = z.read("xl/worksheets/_rels/sheet1.xml.rels").decode()
        self.assertIn("drawing1.xml", rels)  # the 通报 (sheet 1) has the drawing
        # anchored on the chart row's cell B
        self.assertRegex(drawing, r"<xdr:from><xdr:col>1</xdr:col><xdr:colOff>\d+</xdr:colOff>"
                                  r"<xdr:row>%d</xdr:row>" % (chart_row[0] - 1))
        self.assertIn("<c:barDir val=\"col\"/>", chart)
        self.assertIn("<c:tickLblSkip val=\"1\"/>", chart)
        self.assertNotIn("plotVisOnly", chart)  # hidden data plotted (the default: visible only)
        cats = re.search(r"<c:cat>.*?<c:f>([^<]*)</c:f>", chart, re.S).group(1)
        m = re.fullmatch(r"'通报'!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", cats)
        self.assertIsNotNone(m, cats)
        col, r0, r1 = m.group(1), int(m.group(2)), int(m.group(4))
        self.assertEqual(r1 - r0 + 1, 60)
        got = [ws["%s%d" % (col, r)].value for r in range(r0, r1 + 1)]
        self.assertEqual(got, [u for _, u, _ in self.ranked])
        vals = re.search(r"<c:val>.*?<c:f>([^<]*)</c:f>", chart, re.S).group(1)
        vcol = re.fullmatch(r"'通报'!\$([A-Z]+)\$%d:\$[A-Z]+\$%d" % (r0, r1), vals).group(1)
        self.assertEqual([round(ws["%s%d" % (vcol, r)].value, 9) for r in range(r0, r1 + 1)],
                         [round(v, 9) for _, _, v in self.ranked])
        # the data is hidden and the page prints the table only
        n = openpyxl.utils.column_index_from_string(col)
        self.assertTrue(any(d.hidden and d.min <= n <= d.max
                            for d in ws.column_dimensions.values()), col)
        last = max(i for i, r in enumerate(ws.iter_rows(min_row=1, max_col=2, values_only=True), 1)
                   if r[0] or r[1])  # the table's last row
        self.assertEqual(ws.print_area, ["$A$1:$B$%d" % last])


if __name__ == "__main__":
    unittest.main()
