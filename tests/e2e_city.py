"""A generated city (60 units, 300 tasks): every unit's ledger opens in
openpyxl and in LibreOffice, and holds exactly the rows and text of the XML,
read here independently of ledgerc."""
import os
import shutil
import subprocess
import unittest
import xml.etree.ElementTree as ET

from lgtest import gen_corpus, run, sheet_cells, workdir

PERIOD = "2022-10"
DUE = {"ongoing": "长期推进"}


def due_label(task):
    if task.get("due-label"):
        return task.get("due-label")
    due = task.get("due")
    if due == "ongoing":
        return "长期推进"
    if len(due) == 4:
        return "%s年底前" % due
    return "%s年%d月底前" % (due[:4], int(due[5:]))


# Paragraphs lose XML's white space at their ends; a full-width space is text.
XML_SPACE = " \t\n\r"


def paragraphs(el):
    ps = el.findall("p")
    if ps:
        return "\n".join((p.text or "").strip(XML_SPACE) for p in ps)
    return (el.text or "").strip(XML_SPACE)


def expected_rows(inp):
    """unit id -> list of rows of (task cell, due, progress, plan, 是否, remark)."""
    plan = ET.parse(os.path.join(inp, "plan.xml")).getroot()
    units = [u.get("id") for u in plan.iter("unit")]
    tasks = sorted(plan.iter("task"), key=lambda t: int(t.get("no")))
    out = {}
    for uid in units:
        path = os.path.join(inp, "reports", PERIOD, uid + ".xml")
        entries = {}
        if os.path.exists(path):
            for e in ET.parse(path).getroot().iter("entry"):
                entries[e.get("task")] = e
        done = {}  # task no -> the month it was first reported completed, before PERIOD
        for m in range(int(PERIOD[5:]) - 1, 0, -1):
            p = os.path.join(inp, "reports", "%s-%02d" % (PERIOD[:4], m), uid + ".xml")
            if os.path.exists(p):
                for e in ET.parse(p).getroot().iter("entry"):
                    if e.get("completed") == "yes":
                        done[e.get("task")] = m
        rows = []
        for shared in (True, False):
            for t in tasks:
                owners = t.get("owners")
                if (owners == "*") != shared or (not shared and uid not in owners.split()):
                    continue
                e = entries.get(t.get("no"))
                cells = ["%s.%s" % (t.get("no"), t.text), due_label(t)]
                if t.get("no") in done:
                    cells += ["已完成（%s年%d月）" % (PERIOD[:4], done[t.get("no")]), "", "是", ""]
                elif e is None:
                    cells += ["未报送", "", "", ""]
                else:
                    cells += [paragraphs(e.find("progress")), paragraphs(e.find("plan")),
                              "是" if e.get("on-schedule") == "yes" else "否",
                              paragraphs(e.find("remark"))]
                rows.append(cells)
        out[uid] = rows
    return out


def logical_rows(body):
    """Joins continuation rows (an entry taller than Excel's 409 pt row limit,
    or split at a page break, continues on rows whose task cell is empty or
    its number again with （续）, each part of a text marked （续）) into one
    row per entry."""
    rows = []
    for r in body:
        cells = r[1:]
        if (cells[0] == "" or "（续）" in (cells[0][:3], cells[0][-3:])) and rows:
            rows[-1] = [a + b.removeprefix("（续）") if b.startswith("（续）") else a
                        for a, b in zip(rows[-1], cells)]
        else:
            rows.append(cells)
    return rows


def flat(text):
    # A split at a paragraph end drops that paragraph's line feed.
    return text.replace("\n", "")


class City(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        d = workdir("city")
        cls.inp = os.path.join(d, "in")
        cls.out = os.path.join(d, "out")
        gen_corpus(cls.inp, "--units", "60", "--tasks", "300", "--months", "10")
        status, _, err = run("build", "--input", cls.inp, "--out", cls.out, "--formats", "xlsx", PERIOD)
        assert status == 0, err
        cls.expected = expected_rows(cls.inp)

    def test_every_unit_opens_with_its_rows_and_text(self):
        self.assertEqual(len(self.expected), 60)
        for uid, want in self.expected.items():
            ws, rows, _ = sheet_cells(os.path.join(self.out, "units", uid + ".xlsx"))
            got = logical_rows(rows[2:])
            self.assertEqual(len(got), len(want), uid)
            for g, w in zip(got, want):
                self.assertEqual([flat(x) for x in g], [flat(x) for x in w], uid)
            for r in range(1, ws.max_row + 1):
                h = ws.row_dimensions[r].height
                self.assertIsNotNone(h, (uid, r))
                self.assertLessEqual(h, 409, (uid, r))

    @unittest.skipUnless(shutil.which("soffice"), "LibreOffice is not installed")
    def test_libreoffice_converts_every_file(self):
        pdfs = os.path.join(os.path.dirname(self.out), "lo")
        os.makedirs(pdfs, exist_ok=True)
        files = sorted(os.path.join(self.out, "units", f)
                       for f in os.listdir(os.path.join(self.out, "units")))
        profile = "file://" + os.path.join(os.path.dirname(self.out), "lo-profile")
        subprocess.run(["soffice", "-env:UserInstallation=" + profile, "--headless",
                        "--convert-to", "pdf", "--outdir", pdfs, *files],
                       check=True, capture_output=True, timeout=1200)
        made = sorted(f for f in os.listdir(pdfs) if f.endswith(".pdf"))
        self.assertEqual(len(made), 60)
        for f in made:
            self.assertGreater(os.path.getsize(os.path.join(pdfs, f)), 1000, f)


if __name__ == "__main__":
    unittest.main()
