"""PDF/A-2b, `ledgerc verify` and SHA256SUMS on a generated city (60 units,
300 tasks) for 2022-10: every PDF the build writes passes verify; a copy
broken on purpose for each clause (no XMP, wrong pdfaid, a title that is not
the Info's, no OutputIntent, a font not embedded, no /ID) is refused naming
that clause; `sha256sum -c` passes in the month's folder and verify names a
changed or missing file; the same bytes from two builds and on one worker or
two; --pdf plain writes Cairo's file, which verify refuses. Files are broken
by replacing bytes with as many others, so the cross-reference table stays
right and only the clause under test is wrong."""
import json
import os
import re
import shutil
import subprocess
import unittest

from lgtest import gen_corpus, run, workdir

QPDF = shutil.which("qpdf") or "/usr/bin/qpdf"


def tree(root):
    """Relative path -> bytes of every file under ROOT."""
    out = {}
    for d, _, names in os.walk(root):
        for n in names:
            p = os.path.join(d, n)
            with open(p, "rb") as f:
                out[os.path.relpath(p, root)] = f.read()
    return out


def qpdf_objects(path):
    """The trailer and objects of PATH as qpdf --json reads them, streams decoded."""
    p = subprocess.run([QPDF, "--json=2", "--json-key=qpdf", "--json-stream-data=inline",
                        "--decode-level=generalized", path], capture_output=True, check=True)
    return json.loads(p.stdout)["qpdf"][1]


class PdfA(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = workdir("pdfa")
        cls.inp = os.path.join(cls.dir, "in")
        gen_corpus(cls.inp, "--units", "60", "--tasks", "300")
        cls.outs = {}
        for name, jobs in (("a", "2"), ("b", "2"), ("one", "1")):
            out = os.path.join(cls.dir, name)
            status, _, err = run("build", "--input", cls.inp, "--out", out, "-j", jobs, "2022-10")
            assert status == 0, (status, err)
            cls.outs[name] = out
        cls.out = cls.outs["a"]
        cls.pdfs = sorted(n for n in tree(cls.out) if n.endswith(".pdf"))
        cls.unit = os.path.basename(cls.pdfs[1])[:-4]  # the first unit's id

    def verify(self, *paths):
        return run("verify", *paths)

    def test_verify_passes_every_pdf_of_the_build(self):
        self.assertEqual(len(self.pdfs), 61)  # ledger.pdf and one a unit
        status, out, err = self.verify(self.out)
        self.assertEqual((status, err), (0, ""))
        self.assertEqual(out, "ledgerc: 61 PDFs conform to PDF/A-2b\n")
        status, out, err = self.verify(*(os.path.join(self.out, p) for p in self.pdfs))
        self.assertEqual((status, out, err), (0, "ledgerc: 61 PDFs conform to PDF/A-2b\n", ""))

    def test_what_the_archive_copy_carries(self):
        o = qpdf_objects(os.path.join(self.out, "ledger.pdf"))
        trailer = o["trailer"]["value"]
        root = o["obj:" + trailer["/Root"]]["value"]
        info = o["obj:" + trailer["/Info"]]["value"]
        self.assertEqual(len(trailer["/ID"]), 2)
        self.assertEqual(root["/Lang"], "u:zh-CN")
        self.assertEqual(root["/PageMode"], "/UseOutlines")  # the ledger has bookmarks
        intent = root["/OutputIntents"][0]
        self.assertEqual(intent["/S"], "/GTS_PDFA1")
        icc = o["obj:" + intent["/DestOutputProfile"]]["stream"]
        self.assertEqual(icc["dict"]["/N"], 3)
        self.assertEqual(info["/Title"], "u:2022年度《政府工作报告》落实情况台账（2022.10）")
        self.assertEqual(info["/CreationDate"], "u:D:20221101000000Z")
        import base64
        xmp = base64.b64decode(o["obj:" + root["/Metadata"]]["stream"]["data"]).decode()
        self.assertIn("<pdfaid:part>2</pdfaid:part>", xmp)
        self.assertIn("<pdfaid:conformance>B</pdfaid:conformance>", xmp)
        self.assertIn('<dc:title><rdf:Alt><rdf:li xml:lang="x-default">'
                      "2022年度《政府工作报告》落实情况台账（2022.10）</rdf:li>", xmp)
        self.assertIn("<xmp:CreateDate>2022-11-01T00:00:00Z</xmp:CreateDate>", xmp)
        check = subprocess.run([QPDF, "--check", os.path.join(self.out, "ledger.pdf")],
                               capture_output=True, text=True)
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)

    def test_objects_on_lines_of_their_own(self):
        """ISO 19005-2 6.1.9, which verify does not check (qpdf reads past
        it): an end of line before each object's number and after "obj",
        before and after "endobj", generation 0, in every PDF of the build.
        Cairo's streams are compressed, so the pattern is not met inside
        one by chance."""
        import re
        checked = 0
        for name in self.pdfs:
            with open(os.path.join(self.out, name), "rb") as f:
                data = f.read()
            for m in re.finditer(rb"(\d+) (\d+) obj(.)", data, re.S):
                self.assertIn(data[m.start() - 1:m.start()], (b"\n", b"\r"), name)
                self.assertIn(m.group(3), b"\r\n", name)
                self.assertEqual(m.group(2), b"0", name)
                checked += 1
            for m in re.finditer(rb"endobj(.)", data, re.S):
                self.assertIn(data[m.start() - 1:m.start()], (b"\n", b"\r"), name)
                self.assertIn(m.group(1), b"\r\n", name)
        self.assertGreater(checked, 61 * 10)

    def test_one_subset_of_each_face(self):
        """Every text of ledger.pdf, the 通报's and the 问题清单's messages
        included, is drawn from the build's cut faces: one subset of each
        face, none of the system's whole Noto CJK beside it (80 KB more)."""
        lines = subprocess.run(["pdffonts", os.path.join(self.out, "ledger.pdf")],
                               capture_output=True, text=True, check=True).stdout.splitlines()
        faces = sorted(line.split()[0].split("+")[1] for line in lines[2:])
        self.assertEqual(faces, ["NotoSerifCJKsc-Bold", "NotoSerifCJKsc-Regular"])

    def broken(self, name, pattern, repl, count=1):
        """A copy of units/<first>.pdf with PATTERN (a regex on bytes)
        replaced by REPL of the same length."""
        # ledgerc keeps dictionaries in compressed object streams: a copy
        # with every object written plainly, still PDF/A-2b, is patched
        src = os.path.join(self.dir, name + "-plain.pdf")
        subprocess.run([QPDF, "--object-streams=disable", "--newline-before-endstream",
                        "--deterministic-id", os.path.join(self.out, self.pdfs[1]), src],
                       check=True)
        self.assertEqual(self.verify(src)[0], 0, src)
        with open(src, "rb") as f:
            data = f.read()
        new, n = re.subn(pattern, repl, data, count=count)
        self.assertGreater(n, 0, pattern)
        self.assertEqual(len(new), len(data))
        path = os.path.join(self.dir, name + ".pdf")
        with open(path, "wb") as f:
            f.write(new)
        return path

    def refused(self, path, clause, words):
        status, out, err = self.verify(path)
        self.assertEqual(status, 1, err)
        self.assertEqual(out, "")
        self.assertIn("%s: error: not PDF/A-2b: ISO 19005-2 clause %s: " % (path, clause), err)
        self.assertIn(words, err)
        return err

    def test_refuses_a_file_without_xmp(self):
        path = self.broken("no-xmp", rb"/Metadata (\d+ 0 R)", rb"/Metadatx \1")
        self.refused(path, "6.6.2.1", "the catalog has no /Metadata stream (XMP)")

    def test_refuses_a_wrong_pdfaid(self):
        path = self.broken("pdfaid", rb"<pdfaid:part>2</pdfaid:part>", rb"<pdfaid:part>1</pdfaid:part>")
        err = self.refused(path, "6.6.4", "identifies the file as PDF/A-1B, not PDF/A-2B")
        self.assertEqual(err.count(": error: "), 1, err)

    def test_refuses_a_title_that_is_not_the_infos(self):
        path = self.broken("title", "（2022.10）</rdf:li></rdf:Alt></dc:title>".encode(),
                           "（2022.11）</rdf:li></rdf:Alt></dc:title>".encode())
        err = self.refused(path, "6.6.3", "the Info dictionary's Title \"2022年度《政府工作报告》"
                           "落实情况台账（2022.10）\" is not the XMP's title \"2022年度《政府工作报告》"
                           "落实情况台账（2022.11）\"")
        self.assertEqual(err.count(": error: "), 1, err)

    def test_refuses_a_file_without_output_intent(self):
        path = self.broken("no-intent", rb"/OutputIntents", rb"/OutputIntentx")
        self.refused(path, "6.2.3", "the catalog has no OutputIntent of subtype GTS_PDFA1")
        self.refused(path, "6.2.4.3", "page 1 uses /DeviceRGB without an OutputIntent")

    def test_refuses_a_font_not_embedded(self):
        path = self.broken("no-font", rb"/FontFile3", rb"/FontFileX", count=0)
        err = self.refused(path, "6.2.11.4.1", "the font /")
        self.assertIn("NotoSerifCJKsc-", err)
        self.assertEqual(err.count(": error: "), 1, err)

    def test_refuses_a_file_without_id(self):
        path = self.broken("no-id", rb"/ID \[", rb"/XD [")
        err = self.refused(path, "6.1.3", "the trailer has no /ID of two strings")
        self.assertEqual(err.count(": error: "), 1, err)

    def test_sha256sum_reads_the_manifest(self):
        with open(os.path.join(self.out, "SHA256SUMS"), encoding="ascii") as f:
            lines = f.read().splitlines()
        names = [line[66:] for line in lines]
        # every file but the manifest and the hidden month marker (.ledgerc-month)
        self.assertEqual(names, sorted(n for n in tree(self.out)
                                       if n != "SHA256SUMS" and not n.startswith(".")))
        self.assertIn("units/%s.pdf" % self.unit, names)
        p = subprocess.run(["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=self.out,
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(p.stdout.count(": OK\n"), 2 + 2 * 60)

    def test_verify_names_a_changed_or_missing_file(self):
        copy = os.path.join(self.dir, "changed")
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(self.out, copy)
        xlsx = os.path.join(copy, "units", self.unit + ".xlsx")
        with open(xlsx, "r+b") as f:
            f.seek(100)
            b = f.read(1)
            f.seek(100)
            f.write(bytes([b[0] ^ 1]))
        os.remove(os.path.join(copy, "ledger.pdf"))
        extra = os.path.join(copy, "units", "notes.txt")
        with open(extra, "w") as f:
            f.write("x")
        status, out, err = self.verify(copy)
        self.assertEqual(status, 1)
        self.assertIn(xlsx + ": error: has changed since it was written", err)
        self.assertIn(os.path.join(copy, "ledger.pdf") + ": error: is listed in SHA256SUMS "
                      "but cannot be read", err)
        self.assertIn(extra + ": error: is not listed in SHA256SUMS", err)
        self.assertEqual(err.count(": error: "), 3, err)
        self.assertEqual(err.splitlines()[-1],
                         "ledgerc: 3 problems; not an archive copy as ledgerc writes it")

        os.remove(os.path.join(copy, "SHA256SUMS"))
        status, out, err = self.verify(copy)
        self.assertEqual(status, 1)
        self.assertIn(os.path.join(copy, "SHA256SUMS") + ": error: cannot read the folder's "
                      "manifest", err)

    def test_same_bytes_from_two_builds_and_any_number_of_workers(self):
        a = tree(self.outs["a"])
        # two ledgers, SHA256SUMS, the month marker, two files per unit
        self.assertEqual(len(a), 4 + 2 * 60)
        for other in ("b", "one"):
            b = tree(self.outs[other])
            self.assertEqual(sorted(a), sorted(b))
            for name in a:
                self.assertTrue(a[name] == b[name], "%s differs in %s" % (name, other))

    def test_pdf_plain_is_cairos_file(self):
        out = os.path.join(self.dir, "plain")
        status, _, err = run("build", "--input", self.inp, "--out", out, "--pdf", "plain",
                             "--views", "units", "--formats", "pdf", "2022-10")
        self.assertEqual(status, 0, err)
        path = os.path.join(out, "units", self.unit + ".pdf")
        with open(path, "rb") as f:
            data = f.read()
        self.assertTrue(data.startswith(b"%PDF-1.5\n"))
        self.assertNotIn(b"/Metadata", data)
        self.assertNotIn(b"/ID", data)
        status, _, err = self.verify(path)
        self.assertEqual(status, 1)
        for clause in ("6.1.3", "6.2.3", "6.6.2.1", "6.6.4"):
            self.assertIn("clause %s: " % clause, err)
        status, out_, err = run("build", "--input", self.inp, "--out", out, "--pdf", "a4", "2022-10")
        self.assertEqual(status, 2)
        self.assertIn("--pdf takes pdfa or plain, not \"a4\"", err)


if __name__ == "__main__":
    unittest.main()
