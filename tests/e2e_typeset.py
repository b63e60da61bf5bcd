"""bench/typeset-report on a PDF written here glyph by glyph, where every
answer is known: each measure counts exactly the cases put in, and a built
ledger reads back as its own tables."""
import json
import os
import subprocess
import sys
import unittest

from lgtest import EXAMPLES, SOURCE, run, workdir

REPORT = os.path.join(SOURCE, "bench", "typeset-report")
H = 595.28  # A4 landscape; the template's bottom margin (15 mm) is at 552.76 from the top
BOTTOM = H - 15 * 72 / 25.4


class Writer:
    """A one-font PDF in the shape Cairo writes: a Type0 font with /W widths
    and a ToUnicode map, cells stroked as rectangles, text shown with TJ."""

    def __init__(self):
        self.codes, self.pages = {}, []

    def code(self, ch):
        return self.codes.setdefault(ch, len(self.codes) + 1)

    def page(self):
        self.pages.append([])
        return self.pages[-1]

    def cell(self, page, x0, y0, x1, y1):
        page.append(f"{x0} {H - y1:.3f} {x1 - x0} {y1 - y0:.3f} re S")

    def text(self, page, x, baseline, chars, gap_em=0.0):
        """CHARS at 10 pt from X, GAP_EM of extra space after each but the last."""
        items = []
        for k, ch in enumerate(chars):
            items.append(f"<{self.code(ch):04x}>")
            if gap_em and k + 1 < len(chars):
                items.append(str(-gap_em * 1000))
        page.append(f"BT /F1 10 Tf 1 0 0 1 {x} {H - baseline:.3f} Tm [{' '.join(items)}] TJ ET")

    def write(self, path):
        n_pages = len(self.pages)
        objs = {1: "<< /Type /Catalog /Pages 2 0 R >>"}
        kids = " ".join(f"{10 + 2 * i} 0 R" for i in range(n_pages))
        objs[2] = f"<< /Type /Pages /Kids [ {kids} ] /Count {n_pages} >>"
        objs[3] = ("<< /Type /Font /Subtype /Type0 /BaseFont /Test /Encoding /Identity-H "
                   "/DescendantFonts [ 4 0 R ] /ToUnicode 5 0 R >>")
        widths = " ".join(f"{c} [ {500 if ch.isascii() else 1000} ]" for ch, c in self.codes.items())
        objs[4] = f"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /Test /W [ {widths} ] >>"
        cmap = "begincmap\n{} beginbfchar\n{}\nendbfchar\nendcmap".format(
            len(self.codes), "\n".join(f"<{c:04x}> <{ord(ch):04x}>" for ch, c in self.codes.items()))
        streams = {5: cmap}
        for i, content in enumerate(self.pages):
            objs[10 + 2 * i] = (f"<< /Type /Page /Parent 2 0 R /MediaBox [ 0 0 841.89 {H} ] "
                                f"/Resources << /Font << /F1 3 0 R >> >> /Contents {11 + 2 * i} 0 R >>")
            streams[11 + 2 * i] = "\n".join(content)
        out = b"%PDF-1.7\n"
        for n in sorted(set(objs) | set(streams)):
            if n in streams:
                data = streams[n].encode()
                out += f"{n} 0 obj\n<< /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream\nendobj\n"
            else:
                out += f"{n} 0 obj\n{objs[n]}\nendobj\n".encode()
        out += b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
        with open(path, "wb") as f:
            f.write(out)


def report(*paths):
    p = subprocess.run([sys.executable, REPORT, "--json", *paths], capture_output=True,
                       text=True, check=True)
    return json.loads(p.stdout)


class KnownAnswers(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        w = Writer()
        ideo = "政协民主监督和社会舆论监督工作"
        # page 1: the title, the header, row A (every line case), row B split
        p = w.page()
        w.text(p, 120, 30, "标题")
        w.cell(p, 100, 50, 242, 70)
        w.text(p, 105, 64, "单位")
        w.cell(p, 100, 70, 242, 170)
        w.text(p, 105, 82, ideo[:10], 0.3)   # full, gaps of 0.3 em
        w.text(p, 105, 96, ideo[:13])        # full, no gap
        w.text(p, 105, 110, "220", 0.2)      # digits letter-spaced
        w.text(p, 105, 124, ideo[2:15])      # full ...
        w.text(p, 105, 138, "局")            # ... and a lone last character
        w.text(p, 105, 152, ideo[:13])       # full ...
        w.text(p, 105, 166, "，好的")          # ... and a line that begins with ，
        w.cell(p, 100, 170, 242, BOTTOM)     # row B: ends at the margin, one line here
        w.text(p, 105, 185, "第一行")
        # page 2: row B's one line continued without a label, then row C
        p = w.page()
        w.cell(p, 100, 50, 242, 70)
        w.text(p, 105, 64, "单位")
        w.cell(p, 100, 70, 242, 100)
        w.text(p, 105, 85, "第二行")
        w.cell(p, 100, 100, 242, 120)
        w.text(p, 105, 115, "好")
        # page 3: only the total
        p = w.page()
        w.cell(p, 100, 50, 242, 70)
        w.text(p, 105, 64, "单位")
        w.cell(p, 100, 70, 242, 90)
        w.text(p, 105, 85, "合计")
        cls.dir = workdir("typeset")
        cls.path = os.path.join(cls.dir, "known.pdf")
        w.write(cls.path)
        cls.r = report(cls.path)

    def test_gaps(self):
        r = self.r
        self.assertEqual(r["justified_chinese_lines"], 4)
        self.assertAlmostEqual(r["gap_max_em"], 0.3, places=3)
        self.assertAlmostEqual(r["gap_p99_em"], 0.3, places=3)
        self.assertEqual(r["lines_over_0.15_em"], 1)
        self.assertEqual(r["lines_over_0.25_em"], 1)
        self.assertEqual(r["lines_over_0.35_em"], 0)

    def test_line_cases(self):
        r = self.r
        self.assertEqual(r["pages"], 3)
        self.assertEqual(r["lines"], 12)
        self.assertEqual(r["latin_letter_spaced"], 1)
        self.assertEqual(r["lone_last_chars"], 1)
        self.assertEqual(r["kinsoku_breaks"], 1)

    def test_page_cases(self):
        r = self.r
        self.assertEqual(r["widows"], 1)
        self.assertEqual(r["orphans"], 1)
        self.assertEqual(r["split_rows_fitting_next_page"], 1)
        self.assertEqual(r["avoidable_splits"], 1)
        self.assertEqual(r["unlabelled_continuations"], 1)
        self.assertEqual(r["lone_totals"], 1)

    def test_seed(self):
        """The seed month as ledgerc builds it: every continued part
        labelled, no widow, orphan, avoidable split or 避头尾 break."""
        out = os.path.join(self.dir, "seed")
        status, _, err = run("build", "--input", EXAMPLES, "--out", out, "--formats", "pdf",
                             "2022-10")
        self.assertEqual(status, 0, err)
        r = report(out)
        self.assertEqual(r["pdfs"], 2)
        self.assertGreater(r["justified_chinese_lines"], 300)
        for k in ("widows", "orphans", "avoidable_splits", "unlabelled_continuations",
                  "lone_totals", "kinsoku_breaks"):
            self.assertEqual(r[k], 0, k)


if __name__ == "__main__":
    unittest.main()
