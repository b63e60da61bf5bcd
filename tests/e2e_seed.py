"""The seed ledger (市科技局, 2022-10) compiled from input/ must
equal the real ledger cell for cell, as a user's program (openpyxl) reads it."""
import filecmp
import json
import os
import re
import subprocess
import unittest

from lgtest import EXAMPLES, SEED_EXPECTED, SOURCE, run, sheet_cells, workdir


MARK = "（续）"


def ledger_rows(body):
    """BODY's rows as the ledger has them: a row that a page break splits
    goes on below it in a row whose texts begin with （续）, joined here to
    the row above; a merged cell's text written again below a break (with
    （续） at its end) is the merge's part there, read as empty."""
    rows = []
    for row in body:
        if rows and any(c.startswith(MARK) for c in row) and \
                all(c == "" or c.startswith(MARK) or c.endswith(MARK) for c in row):
            for i, c in enumerate(row):
                if c.startswith(MARK):
                    rows[-1][i] += c[len(MARK):]
            continue
        rows.append(["" if c.endswith(MARK) else c for c in row])
    return rows


class SeedLedger(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = workdir("seed")
        status, _, err = run("build", "--input", EXAMPLES, "--out", cls.out, "2022-10")
        assert status == 0, err
        with open(SEED_EXPECTED, encoding="utf-8") as f:
            cls.expected = json.load(f)
        cls.ws, cls.rows, cls.merges = sheet_cells(os.path.join(cls.out, "units", "kjj.xlsx"))

    def test_title(self):
        self.assertEqual(self.rows[0][0], self.expected["title"])
        self.assertTrue(all(c == "" for c in self.rows[0][1:]))

    def test_header(self):
        self.assertEqual(self.rows[1], self.expected["header"])

    def test_body_cells(self):
        body = ledger_rows(self.rows[2:])
        self.assertEqual(len(body), len(self.expected["rows"]))
        self.assertEqual(sum(len(r) for r in body), 77)
        for got, want in zip(body, self.expected["rows"]):
            self.assertEqual(got, want)

    def test_merges(self):
        # 市直政府系统各单位 over its four tasks; 市科技局 over its seven, in
        # parts that end at each page break (the last row of a page) and
        # begin again below it with its name and （续）.
        self.assertIn("A3:A6", self.merges)
        self.assertIn("A1:G1", self.merges)
        breaks = [b.id for b in self.ws.row_breaks.brk]
        self.assertTrue(breaks)
        col_a = [r[0] for r in self.rows]
        last = len(self.rows)
        self.assertEqual(col_a[6], "市科技局")
        for b in breaks:
            self.assertGreater(b, 6)
            self.assertEqual(col_a[b], "市科技局" + MARK)  # row b + 1, 1-based
        for m in self.merges:
            rng = self.ws.merged_cells.ranges
            lo, hi = next((r.min_row, r.max_row) for r in rng if str(r) == m)
            self.assertFalse(any(lo <= b < hi for b in breaks), m)
        parts = [7] + [b + 1 for b in breaks]
        ends = [b for b in breaks] + [last]
        for first, end in zip(parts, ends):
            if end > first:
                self.assertIn("A%d:A%d" % (first, end), self.merges)

    def test_print_setup(self):
        ws = self.ws
        self.assertEqual(ws.page_setup.orientation, "landscape")
        self.assertEqual(int(ws.page_setup.paperSize), 9)  # A4
        self.assertEqual(ws.print_title_rows, "$2:$2")  # the header, not the title
        self.assertEqual(ws.freeze_panes, "A3")
        self.assertTrue(ws.sheet_properties.pageSetUpPr.fitToPage)
        self.assertIn(ws.page_setup.fitToWidth, (None, 1))  # 1 is the default, left out
        self.assertEqual(ws.page_setup.fitToHeight, 0)
        self.assertEqual(ws.oddFooter.center.text, "第 &P 页 共 &N 页")

    def test_row_heights_set(self):
        # Every body row has a height computed from its text; LibreOffice and
        # Excel do not grow merged or formatted rows by themselves.
        for r in range(3, self.ws.max_row + 1):
            self.assertIsNotNone(self.ws.row_dimensions[r].height, r)
            self.assertLessEqual(self.ws.row_dimensions[r].height, 409)

    def test_byte_identical(self):
        again = workdir("seed-again")
        status, _, err = run("build", "--input", EXAMPLES, "--out", again, "2022-10")
        self.assertEqual(status, 0, err)
        for name in os.listdir(os.path.join(self.out, "units")):
            self.assertTrue(filecmp.cmp(os.path.join(self.out, "units", name),
                                        os.path.join(again, "units", name), shallow=False), name)

    def test_pdf_columns_hold_every_cell_in_order(self):
        """Each column of kjj.pdf, read page by page with pdftotext inside the
        column's strip, is its header then its cells in row order, exactly
        once, whatever the page breaks (white space aside: wrapped lines; a
        continued row's label aside)."""
        import xml.etree.ElementTree as ET
        pdf = os.path.join(self.out, "units", "kjj.pdf")
        tpl = ET.parse(os.path.join(SOURCE, "templates", "ledger.xml")).getroot()
        page = tpl.find("page")
        widths = [float(c.get("width")) for c in tpl.find("view[@name='unit']")]
        pt = 72 / 25.4
        left = float(page.get("margin-left")) + (297 - float(page.get("margin-left"))
                                                  - float(page.get("margin-right"))
                                                  - sum(widths)) / 2
        top, bottom = float(page.get("margin-top")), 210 - float(page.get("margin-bottom"))
        info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        self.assertGreater(pages, 1)
        for col in range(1, 7):  # column 0 (单位) is merged and continues with （续）
            x0 = (left + sum(widths[:col])) * pt + 2
            x1 = (left + sum(widths[:col + 1])) * pt - 2
            header = self.expected["header"][col]
            got = ""
            for p in range(1, pages + 1):
                out = subprocess.run(
                    ["pdftotext", "-raw", "-f", str(p), "-l", str(p), "-x", str(int(x0)),
                     "-y", str(int(top * pt)), "-W", str(int(x1 - x0)),
                     "-H", str(int((bottom - top) * pt)), pdf, "-"],
                    capture_output=True, text=True, check=True).stdout
                flat = re.sub(r"\s+", "", out)
                # the title (page 1) and the header come first on a page
                self.assertIn(header, flat, (col, p))
                body = flat[flat.index(header) + len(header):]
                # a row continued from the page before begins with its label
                # again (its task's number with （续）), not the cell's text
                label = re.match(r"\d+\.（续）", body) if col == 1 else None
                got += body[label.end():] if label else body
            want = "".join(re.sub(r"\s+", "", r[col]) for r in self.expected["rows"])
            self.assertEqual(got, want, header)

    def test_footer_names_the_unit(self):
        """A printed page of the unit's own ledger says whose it is: 市科技局
        at the left of the footer, the page number in the middle (PDF and
        XLSX); the consolidated ledger's sheets name nobody there."""
        pdf = os.path.join(self.out, "units", "kjj.pdf")
        info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        for p in range(1, pages + 1):
            out = subprocess.run(["pdftotext", "-bbox", "-f", str(p), "-l", str(p), pdf, "-"],
                                 capture_output=True, text=True, check=True).stdout
            words = [(m.group(3), float(m.group(1)), float(m.group(2))) for m in re.finditer(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', out)]
            # below the bottom margin of A4 landscape, left to right
            foot = sorted((w for w in words if w[2] > 560), key=lambda w: w[1])
            self.assertEqual("".join(w[0] for w in foot), "市科技局第%d页共%d页" % (p, pages), p)
            self.assertLess(foot[0][1], 100, p)  # the name at the left margin
        self.assertEqual(self.ws.oddFooter.left.text, "市科技局")
        import openpyxl
        for ws in openpyxl.load_workbook(os.path.join(self.out, "ledger.xlsx")).worksheets:
            self.assertIsNone(ws.oddFooter.left.text, ws.title)

    def test_pdf_page_and_fonts(self):
        pdf = os.path.join(self.out, "units", "kjj.pdf")
        info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
        self.assertRegex(info, r"Page size:\s+841\.89 x 595\.27\d* pts \(A4\)")
        self.assertIn("Title:           " + self.expected["title"], info)
        self.assertIn("CreationDate:", info)
        fonts = subprocess.run(["pdffonts", pdf], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]
        self.assertTrue(fonts)
        for line in fonts:
            self.assertIn("NotoSerifCJKsc", line)
            self.assertEqual(line.split()[-5:-2], ["yes", "yes", "yes"], line)  # emb sub uni

    def test_pdf_fonts_cut_to_the_month(self):
        """The fonts are subset once per build to the month's characters
        (src/fonts.c), without subroutines or hints: the seed's unit ledger is under
        200 KB (648 KB when Cairo subsets the whole Noto CJK face)."""
        pdf = os.path.join(self.out, "units", "kjj.pdf")
        self.assertLess(os.path.getsize(pdf), 200 * 1024)

    def test_no_temporary_files_left(self):
        names = sorted(os.listdir(os.path.join(self.out, "units")))
        self.assertEqual([n for n in names if n.startswith(".")], [])


if __name__ == "__main__":
    unittest.main()
