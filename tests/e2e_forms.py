"""The monthly loop: `ledgerc forms` makes a form per unit, a unit fills it in
(here python3-openpyxl, as another program would, and LibreOffice re-saving
it), `ledgerc import` reads it back into a report, and `ledgerc build` shows
exactly the text that was filled in. Malformed forms are refused with a
message naming the file, sheet and cell, and nothing is written."""
import hashlib
import os
import re
import shutil
import subprocess
import unittest
import xml.etree.ElementTree as ET
import zipfile

import openpyxl

from decimal import ROUND_HALF_UP, Decimal

from e2e_roles import sheet_rows
from lgtest import EXAMPLES, SOURCE, gen_corpus, run, sheet_cells, workdir

PERIOD = "2022-11"
SHEET = "市科技局"

# What the kjj unit fills in, by task: progress, plan, 是否 as typed, remark.
FILLED = {
    1: ("我局坚持把学习贯彻习近平新时代中国特色社会主义思想作为首要政治任务。\n"
        "一是组织专题学习；\n二是开展研讨交流。", "继续深入学习。", "是", ""),
    2: ("认真办好人大代表提出的议案和意见建议。", "认真完成交办的各项工作。", " 是 ", ""),
    3: ("开展警示教育 <3 次> & “清廉机关”创建。", "有序推进清廉机关创建工作。", "是\u3000", ""),
    4: ("完成项目绩效申报。\n\n保障人员经费到位。", "计划完成编制2023年部门预算", "否",
        "受疫情影响，预算编制延后。"),
    139: ("征集“揭榜挂帅”项目需求８个，组织专家研讨。", "开展现场检查。", "是", ""),
    140: ("8个“揭榜挂帅”项目正在顺利进行中。", "持续跟进各个项目进展。", "是", ""),
    141: ("截至目前，累计登记技术合同176份，合同金额24.3亿元。", "预计登记合同金额4亿元。", "是", ""),
    142: ("与清华大学碳中和研究院进行第三次工作对接。", "确认研究院装修方案。", "否",
         "场地尚未落实。\n已报市政府协调。"),
    143: ("新建省级创新平台5家。", "组织申报第二批。", "是", ""),
    144: ("新增高新技术企业18家。", "做好认定后续服务。", "是", ""),
    # 145 is left empty: a warning, and the ledger shows 未报送
}


def copy_examples(dest):
    shutil.copytree(EXAMPLES, dest)
    return dest


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def snapshot(folder):
    """Every file under FOLDER with a hash of its contents."""
    out = {}
    for root, _, files in os.walk(folder):
        for f in files:
            p = os.path.join(root, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, folder)] = hashlib.sha256(fh.read()).hexdigest()
    return out


def form_rows(wb):
    """task number -> first sheet row (1-based), from the hidden sheet."""
    meta = wb["ledgerc"]
    rows, reading = {}, False
    for r in meta.iter_rows(values_only=True):
        if reading and r[0]:
            rows[int(r[0])] = int(r[1])
        elif r[0] == "rows":
            reading = True
    return rows


def columns(wb):
    meta = {r[0]: r[1] for r in wb["ledgerc"].iter_rows(values_only=True) if r[0]}
    return {name: i + 1 for i, name in enumerate(meta["columns"].split())}


def fill(src, dest, filled=FILLED, edit=None):
    """Fills in the form SRC with openpyxl as a unit's program would; EDIT(wb)
    may then break it. Saves as DEST."""
    wb = openpyxl.load_workbook(src)
    ws = wb[SHEET]
    cols = columns(wb)
    for no, row in form_rows(wb).items():
        if no not in filled:
            continue
        progress, plan, yes_no, remark = filled[no]
        ws.cell(row, cols["progress"]).value = progress
        ws.cell(row, cols["plan"]).value = plan
        ws.cell(row, cols["on-schedule"]).value = yes_no
        ws.cell(row, cols["remark"]).value = remark or None
    if edit:
        edit(wb)
    wb.save(dest)
    return dest


def paragraphs(el):
    ps = el.findall("p")
    if ps:
        return "\n".join((p.text or "").strip() for p in ps)
    return (el.text or "").strip()


class Forms(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = workdir("forms")
        cls.inp = copy_examples(os.path.join(cls.dir, "in"))
        out = os.path.join(cls.dir, "out")
        status, stdout, err = run("forms", "--input", cls.inp, "--out", out, PERIOD)
        assert status == 0, err
        cls.form = os.path.join(out, "forms", "kjj.xlsx")
        cls.filled = fill(cls.form, os.path.join(cls.dir, "kjj.xlsx"))

    def fresh_input(self, name):
        return copy_examples(os.path.join(self.dir, name))

    # ---- the form ------------------------------------------------------------

    def test_form_is_locked_but_its_cells_to_fill_in(self):
        wb = openpyxl.load_workbook(self.form)
        self.assertEqual(wb.sheetnames, [SHEET, "ledgerc"])
        self.assertEqual(wb[SHEET].sheet_state, "visible")
        self.assertEqual(wb["ledgerc"].sheet_state, "hidden")
        ws = wb[SHEET]
        self.assertTrue(ws.protection.sheet)
        self.assertIsNone(ws.protection.password)
        self.assertTrue(wb["ledgerc"].protection.sheet)
        cols = columns(wb)
        # no task of the seed has a target: no 目标, no 累计完成
        self.assertEqual(list(cols), ["task", "due", "promised-plan", "progress", "problems",
                                      "plan", "on-schedule", "remark"])
        rows = form_rows(wb)
        self.assertEqual(list(rows), [1, 2, 3, 4, 139, 140, 141, 142, 143, 144, 145])
        for no, r in rows.items():
            for name in ("task", "due", "promised-plan"):
                self.assertTrue(ws.cell(r, cols[name]).protection.locked, (no, name))
            for name in ("progress", "problems", "plan", "on-schedule", "remark"):
                cell = ws.cell(r, cols[name])
                self.assertFalse(cell.protection.locked, (no, name))
                self.assertEqual(cell.fill.fgColor.rgb, "FFFFF2CC", (no, name))
                self.assertIsNone(cell.value)
            self.assertTrue(ws.cell(r, cols["task"]).value.startswith("%d." % no))
            self.assertGreaterEqual(ws.row_dimensions[r].height, 60)  # room to write
        # the drop-down
        dvs = ws.data_validations.dataValidation
        self.assertEqual(len(dvs), 1)
        self.assertEqual(dvs[0].type, "list")
        self.assertEqual(dvs[0].formula1, '"是,否,已完成"')
        col = openpyxl.utils.get_column_letter(cols["on-schedule"])
        self.assertEqual(str(dvs[0].sqref), "%s3:%s%d" % (col, col, max(rows.values())))
        # what the unit promised last month, from the 2022-10 report
        self.assertEqual(ws.cell(rows[139], cols["promised-plan"]).value,
                         "计划对承担2021年各类市级科技计划项目执行情况和专项经费使用情况进行现场检查。")
        self.assertEqual(ws.cell(2, cols["promised-plan"]).value, "本月计划（上月填报）")
        self.assertEqual(ws.cell(1, 1).value,
                         "2022年度《政府工作报告》落实情况台账（2022.11）\n填报单位：市科技局")
        # prints well: repeated header, paper from the template
        self.assertEqual(ws.print_title_rows, "$2:$2")  # the header, not the title
        self.assertEqual(ws.page_setup.orientation, "landscape")
        self.assertEqual(int(ws.page_setup.paperSize), 9)  # A4

    def test_form_without_last_months_report(self):
        d = workdir("forms-first")
        inp = copy_examples(os.path.join(d, "in"))
        shutil.rmtree(os.path.join(inp, "reports"))
        status, _, err = run("forms", "--input", inp, "--out", os.path.join(d, "out"), PERIOD)
        self.assertEqual(status, 0, err)
        wb = openpyxl.load_workbook(os.path.join(d, "out", "forms", "kjj.xlsx"))
        cols = columns(wb)
        for r in form_rows(wb).values():
            self.assertIsNone(wb[SHEET].cell(r, cols["promised-plan"]).value)

    # ---- the round trip --------------------------------------------------------

    def test_round_trip(self):
        inp = self.fresh_input("round-trip")
        status, out, err = run("import", "--input", inp, self.filled)
        self.assertEqual(status, 0, err)
        report = os.path.join(inp, "reports", PERIOD, "kjj.xml")
        self.assertIn("%s -> %s" % (self.filled, report), out)
        self.assertIn("task 145 was not filled in; it is left out of the report", err)
        self.assertIn("%s: warning: sheet \"%s\", cell D13: task 145" % (self.filled, SHEET), err)

        root = ET.parse(report).getroot()
        self.assertEqual((root.get("unit"), root.get("period")), ("kjj", PERIOD))
        entries = {int(e.get("task")): e for e in root.iter("entry")}
        self.assertEqual(sorted(entries), sorted(FILLED))
        for no, (progress, plan, yes_no, remark) in FILLED.items():
            e = entries[no]
            self.assertEqual(e.get("on-schedule"), "yes" if "是" in yes_no else "no", no)
            self.assertEqual(paragraphs(e.find("progress")), progress, no)
            self.assertEqual(paragraphs(e.find("plan")), plan, no)
            self.assertEqual(paragraphs(e.find("remark")), remark, no)
        self.assertEqual(len(entries[1].find("progress").findall("p")), 3)

        # the ledger of the month shows exactly what was filled in
        built = os.path.join(self.dir, "round-trip-out")
        status, _, err = run("build", "--input", inp, "--out", built, "--formats", "xlsx", PERIOD)
        self.assertEqual(status, 0, err)
        _, rows, _ = sheet_cells(os.path.join(built, "units", "kjj.xlsx"))
        body = [r for r in rows[2:] if any(r)]
        by_task = {int(r[1].split(".")[0]): r for r in body}
        for no, (progress, plan, yes_no, remark) in FILLED.items():
            self.assertEqual(by_task[no][3:7],
                             [progress, plan, "是" if "是" in yes_no else "否", remark], no)
        self.assertEqual(by_task[145][3], "未报送")

    def test_libreoffice_resave_imports_the_same(self):
        if not shutil.which("soffice"):
            self.skipTest("LibreOffice is not installed")
        lo = os.path.join(self.dir, "lo")
        os.makedirs(lo, exist_ok=True)
        profile = "file://" + os.path.join(self.dir, "lo-profile")
        subprocess.run(["soffice", "-env:UserInstallation=" + profile, "--headless",
                        "--convert-to", "xlsx", "--outdir", lo, self.filled],
                       check=True, capture_output=True, timeout=600)
        resaved = os.path.join(lo, "kjj.xlsx")
        with zipfile.ZipFile(resaved) as z:  # really LibreOffice's file
            self.assertIn('<fileVersion appName="Calc"', z.read("xl/workbook.xml").decode())
        reports = []
        for name, form in (("lo-a", self.filled), ("lo-b", resaved)):
            inp = self.fresh_input(name)
            status, _, err = run("import", "--input", inp, form)
            self.assertEqual(status, 0, err)
            with open(os.path.join(inp, "reports", PERIOD, "kjj.xml"), "rb") as f:
                reports.append(f.read())
        self.assertEqual(reports[0], reports[1])

    def test_excel_line_breaks_import_the_same(self):
        """Excel writes a line break typed as CR LF with the escape _x000D_."""
        excel = os.path.join(self.dir, "excel", "kjj.xlsx")
        os.makedirs(os.path.dirname(excel), exist_ok=True)
        with zipfile.ZipFile(self.filled) as src, zipfile.ZipFile(excel, "w", zipfile.ZIP_DEFLATED) as z:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename == "xl/worksheets/sheet1.xml":
                    # openpyxl writes non-ASCII text as character references
                    semicolon = "；\n".encode() if "；\n".encode() in data else b"&#65307;\n"
                    self.assertEqual(data.count(semicolon), 1)
                    data = data.replace(semicolon, semicolon[:-1] + b"_x000D_\n")
                z.writestr(info.filename, data)
        reports = []
        for name, form in (("excel-a", self.filled), ("excel-b", excel)):
            inp = self.fresh_input(name)
            status, _, err = run("import", "--input", inp, form)
            self.assertEqual(status, 0, err)
            with open(os.path.join(inp, "reports", PERIOD, "kjj.xml"), "rb") as f:
                reports.append(f.read())
        self.assertEqual(reports[0], reports[1])

    def test_task_taller_than_a_row(self):
        """A task too long for one spreadsheet row continues on more rows; its
        cells to fill in are merged over them and read back from the top."""
        d = workdir("forms-tall")
        inp = copy_examples(os.path.join(d, "in"))
        plan = os.path.join(inp, "plan.xml")
        write(plan, read(plan).replace("建好运城碳中和产业研究院。",
                                       "建好运城碳中和产业研究院。" + "推进重点项目建设，强化要素保障。" * 200))
        status, _, err = run("forms", "--input", inp, "--out", os.path.join(d, "out"), PERIOD)
        self.assertEqual(status, 0, err)
        wb = openpyxl.load_workbook(os.path.join(d, "out", "forms", "kjj.xlsx"))
        spans = {int(r[0]): (int(r[1]), int(r[2])) for r in wb["ledgerc"].iter_rows(values_only=True)
                 if r[0] and r[0].isdigit()}
        first, last = spans[142]
        self.assertGreater(last, first)
        ws = wb[SHEET]
        cols = columns(wb)
        col = openpyxl.utils.get_column_letter(cols["progress"])
        self.assertIn("%s%d:%s%d" % (col, first, col, last), [str(m) for m in ws.merged_cells.ranges])
        self.assertEqual(spans[143][0], last + 1)
        p = fill(os.path.join(d, "out", "forms", "kjj.xlsx"), os.path.join(d, "kjj.xlsx"))
        status, _, err = run("import", "--input", inp, p)
        self.assertEqual(status, 0, err)
        e = [e for e in ET.parse(os.path.join(inp, "reports", PERIOD, "kjj.xml")).getroot().iter("entry")
             if e.get("task") == "142"][0]
        self.assertEqual(paragraphs(e.find("remark")), FILLED[142][3])

    def test_existing_report_replaced_only_with_force(self):
        inp = self.fresh_input("force")
        report = os.path.join(inp, "reports", PERIOD, "kjj.xml")
        status, _, err = run("import", "--input", inp, self.filled)
        self.assertEqual(status, 0, err)
        with open(report, "rb") as f:
            first = f.read()

        # the same form again: nothing to do
        status, out, err = run("import", "--input", inp, self.filled)
        self.assertEqual(status, 0, err)
        self.assertIn("is already as this form says", out)
        self.assertEqual(sorted(os.listdir(os.path.dirname(report))), ["kjj.xml"])

        changed = dict(FILLED)
        changed[139] = ("改过的进展。", "改过的计划。", "否", "改过。")
        second_form = fill(self.form, os.path.join(self.dir, "force", "kjj.xlsx"), changed)
        before = snapshot(inp)
        status, out, err = run("import", "--input", inp, second_form)
        self.assertEqual(status, 1)
        self.assertIn("%s: error: the report of %s, %s, is already there and says otherwise; "
                      "to replace it, import with --force --period %s"
                      % (second_form, PERIOD, report, PERIOD), err)
        self.assertEqual(snapshot(inp), before)
        # --force alone names no month: an archived report is never replaced by mistake
        status, out, err = run("import", "--input", inp, "--force", second_form)
        self.assertEqual(status, 1)
        self.assertEqual(snapshot(inp), before)

        status, out, err = run("import", "--input", inp, "--force", "--period", PERIOD, second_form)
        self.assertEqual(status, 0, err)
        self.assertIn("the old report is kept as %s.bak-1" % report, out)
        with open(report + ".bak-1", "rb") as f:
            self.assertEqual(f.read(), first)
        with open(report, encoding="utf-8") as f:
            self.assertIn("改过的进展。", f.read())
        self.assertEqual(sorted(os.listdir(os.path.dirname(report))), ["kjj.xml", "kjj.xml.bak-1"])
        # the backup is not a report: the month still builds
        status, _, err = run("build", "--input", inp, "--out", os.path.join(self.dir, "force-out"),
                             "--formats", "xlsx", PERIOD)
        self.assertEqual(status, 0, err)

    # ---- malformed forms ---------------------------------------------------------

    def assert_refused(self, form, message, *options, inp=None):
        """Importing FORM fails with MESSAGE (a regular expression) and writes nothing."""
        inp = inp or self.fresh_input("bad-" + os.path.basename(os.path.dirname(form)))
        before = snapshot(inp)
        status, out, err = run("import", "--input", inp, *options, form)
        self.assertEqual(status, 1, err)
        self.assertRegex(out, r"\n.* %s +refused  " % re.escape(form))
        self.assertRegex(err, message)
        self.assertTrue(err.endswith(
            "ledgerc: forms: 1; imported 0, replaced 0, unchanged 0, refused 1\n"), err)
        self.assertEqual(snapshot(inp), before)
        return err

    def bad(self, name):
        d = os.path.join(self.dir, "bad", name)
        os.makedirs(d, exist_ok=True)
        return os.path.join(d, "kjj.xlsx")

    def test_not_a_zip(self):
        p = self.bad("notzip")
        write(p, "任务,进展\n")
        self.assert_refused(p, re.escape(p) + r": error: not an XLSX workbook \(it is not a zip archive\)")

    def test_zip_bomb(self):
        p = self.bad("bomb")
        with zipfile.ZipFile(self.filled) as src, zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename == "xl/worksheets/sheet1.xml":  # openpyxl writes no sharedStrings
                    data = data.replace(b"</worksheet>", b" " * (200 << 20) + b"</worksheet>")
                z.writestr(info.filename, data)
        self.assertLess(os.path.getsize(p), 1 << 20)
        self.assert_refused(p, re.escape(p) + r': error: part "xl/worksheets/sheet1.xml" is compressed '
                            r"more than 200:1 .*refused as a zip bomb")

    def test_sheet_missing(self):
        def rename(wb):
            wb[SHEET].title = "Sheet1"
        p = fill(self.form, self.bad("nosheet"), edit=rename)
        inp = self.fresh_input("renamed")
        status, out, err = run("import", "--input", inp, p)
        self.assertEqual(status, 0, err)
        self.assertIn('%s: warning: the sheet "市科技局" was renamed "Sheet1"; it was read all '
                      'the same\n' % p, err)
        def rename_and_add(wb):
            rename(wb)
            wb.create_sheet("Sheet2")
        p = fill(self.form, self.bad("nosheet2"), edit=rename_and_add)
        self.assert_refused(p, re.escape(p) + r': error: the form\'s sheet "市科技局" is missing')
        p = fill(self.form, self.bad("nometa"), edit=lambda wb: wb.remove(wb["ledgerc"]))
        self.assert_refused(p, re.escape(p) + r': error: not a ledgerc form: it has no \(hidden\) '
                            r'sheet "ledgerc"')

    def test_changed_task_text(self):
        def edit(wb):
            ws = wb[SHEET]
            r = form_rows(wb)[139]
            ws.cell(r, 1).value = ws.cell(r, 1).value.replace("揭榜挂帅制", "揭榜制")
        p = fill(self.form, self.bad("locked"), edit=edit)
        self.assert_refused(p, re.escape(p) + r': error: sheet "市科技局", cell A7: task 139: '
                            r'工作任务 was changed to "139\.落实好揭榜制.*"; it is locked and must '
                            r'read "139\.落实好揭榜挂帅制')

    def test_changed_task_text_late(self):
        """A change near the end of a long text is shown where it is."""
        def edit(wb):
            ws = wb[SHEET]
            r = form_rows(wb)[139]
            v = ws.cell(r, 1).value
            ws.cell(r, 1).value = v[:-6] + "某某" + v[-4:]
        p = fill(self.form, self.bad("locked-late"), edit=edit)
        err = self.assert_refused(p, re.escape(p) + r': error: sheet "市科技局", cell A7: task 139: ')
        changed = re.search(r'was changed to "…([^"]*)"; it is locked and must read "…([^"]*)"', err)
        self.assertIsNotNone(changed, err)
        self.assertIn("某某", changed.group(1))
        self.assertNotIn("某某", changed.group(2))

    def test_unknown_task_row(self):
        def edit(wb):
            meta = wb["ledgerc"]
            for row in meta.iter_rows():
                if row[0].value == "139":
                    row[0].value = "999"
        p = fill(self.form, self.bad("unknown"), edit=edit)
        self.assert_refused(p, re.escape(p) + r': error: sheet "市科技局", cell A7: this row is of '
                            r'task "999", which is not a task of')

    def test_yes_no_not_yes_or_no(self):
        filled = dict(FILLED)
        filled[140] = (FILLED[140][0], FILLED[140][1], "基本是", "")
        filled[141] = (FILLED[141][0], FILLED[141][1], "", "")
        p = fill(self.form, self.bad("yesno"), filled)
        err = self.assert_refused(p, re.escape(p) + r': error: sheet "市科技局", cell G8: task 140: '
                                  r'是否达到序时进度 is "基本是"; write 是, 否 or 已完成')
        self.assertIn('cell G9: task 141: 是否达到序时进度 is empty; choose 是, 否 or 已完成', err)

    def test_form_of_another_unit(self):
        d = workdir("forms-fgw")
        inp = copy_examples(os.path.join(d, "in"))
        plan = os.path.join(inp, "plan.xml")
        text = read(plan)
        text = text.replace('<unit id="kjj" name="市科技局"/>',
                            '<unit id="kjj" name="市科技局"/>\n    <unit id="fgw" name="市发改委"/>')
        text = text.replace("</tasks>", '  <task no="146" owners="fgw" due="2022">推进重大项目建设。</task>\n  </tasks>')
        write(plan, text)
        status, _, err = run("forms", "--input", inp, "--out", os.path.join(d, "out"), PERIOD)
        self.assertEqual(status, 0, err)
        fgw = os.path.join(d, "out", "forms", "fgw.xlsx")
        wb = openpyxl.load_workbook(fgw)
        self.assertEqual(wb.sheetnames, ["市发改委", "ledgerc"])
        # 市发改委's form, sent back under 市科技局's name
        p = self.bad("fgw")
        shutil.copy(fgw, p)
        self.assert_refused(p, re.escape(p) + r': error: this is the form of 市发改委 \(unit "fgw"\) '
                            r'but the file is named after 市科技局 \(unit "kjj"\)', inp=inp)
        # and into a plan that has no such unit
        p = os.path.join(os.path.dirname(p), "fgw.xlsx")
        shutil.copy(fgw, p)
        self.assert_refused(p, re.escape(p) + r': error: sheet "ledgerc", cell B2: the form is for '
                            r'unit "fgw", which is not a unit of')

    def test_form_of_another_period(self):
        d = workdir("forms-period")
        inp = copy_examples(os.path.join(d, "in"))
        status, _, err = run("forms", "--input", inp, "--out", os.path.join(d, "out"), "2022-12")
        self.assertEqual(status, 0, err)
        p = fill(os.path.join(d, "out", "forms", "kjj.xlsx"), self.bad("december"))
        self.assert_refused(p, re.escape(p) + r": error: the form is for 2022-12, not for 2022-11 "
                            r"as --period asks", "--period", PERIOD)
        # a form of another year's plan
        plan = os.path.join(inp, "plan.xml")
        text = read(plan).replace('year="2022"', 'year="2021"')
        write(plan, text)
        shutil.rmtree(os.path.join(inp, "reports"))
        status, _, err = run("forms", "--input", inp, "--out", os.path.join(d, "out21"), "2021-11")
        self.assertEqual(status, 0, err)
        p = fill(os.path.join(d, "out21", "forms", "kjj.xlsx"), self.bad("2021"))
        self.assert_refused(p, re.escape(p) + r": error: the form is for 2021-11 but the plan .*"
                            r"plan\.xml is for 2022")

    def test_two_forms_of_one_unit_are_both_refused(self):
        inp = self.fresh_input("twice")
        copy = os.path.join(self.dir, "twice", "kjj (2).xlsx")
        os.makedirs(os.path.dirname(copy), exist_ok=True)
        shutil.copy(self.filled, copy)
        before = snapshot(inp)
        status, out, err = run("import", "--input", inp, self.filled, copy)
        self.assertEqual(status, 1)
        for this, other in ((self.filled, copy), (copy, self.filled)):
            self.assertIn('%s: error: 市科技局 (unit "kjj") sent two forms of %s in this batch: '
                          'this one and %s; import the one that is right\n'
                          % (this, PERIOD, other), err)
            self.assertRegex(out, r"\n市科技局  %s +refused " % re.escape(this))
        self.assertEqual(snapshot(inp), before)

    def test_one_bad_form_stops_no_other(self):
        inp = self.fresh_input("bad-batch")
        p = self.bad("batch")
        with open(p, "wb") as f:
            f.write(b"PK\x03\x04 truncated")
        self.assert_refused(p, re.escape(p) + r": error: ", inp=inp)
        status, out, err = run("import", "--input", inp, self.filled, p)
        self.assertEqual(status, 1)
        self.assertTrue(os.path.exists(os.path.join(inp, "reports", PERIOD, "kjj.xml")))
        self.assertRegex(out, r"\n市科技局  %s +imported +1 warning" % re.escape(self.filled))
        self.assertRegex(out, r"\n +%s +refused +not an XLSX workbook" % re.escape(p))

    def test_command_line(self):
        status, _, err = run("import")
        self.assertEqual(status, 2)
        self.assertTrue(err.startswith("ledgerc: import needs the filled-in forms"), err)
        status, _, err = run("forms")
        self.assertEqual(status, 2)
        status, _, err = run("import", "--period", "2022-13", "x.xlsx")
        self.assertEqual(status, 2)


class QuantitativeForms(unittest.TestCase):
    """A generated city with sections, lead units, leaders and targets
    (gen-corpus --roles): its November forms, filled in with figures and
    存在问题, come back as <actual> and <problems> and show in the 主要指标
    and 分工台账 ledgers; a figure that is not a number is refused."""
    MONTH = 11

    @classmethod
    def setUpClass(cls):
        cls.dir = workdir("forms-roles")
        cls.inp = os.path.join(cls.dir, "in")
        gen_corpus(cls.inp, "--units", "12", "--tasks", "80", "--months", "10", "--roles")
        plan = ET.parse(os.path.join(cls.inp, "plan.xml")).getroot()
        cls.targets = {int(t.get("no")): t.find("target") for t in plan.iter("task")
                       if t.find("target") is not None}
        cls.leads = {int(t.get("no")): (t.get("lead"), t.get("owners").split())
                     for t in plan.iter("task") if t.get("lead")}
        cls.names = {u.get("id"): u.get("name") for u in plan.iter("unit")}
        out = os.path.join(cls.dir, "out")
        status, _, err = run("forms", "-i", cls.inp, "-o", out, "2022-%02d" % cls.MONTH)
        assert status == 0, err
        cls.forms = sorted(os.path.join(out, "forms", f) for f in os.listdir(os.path.join(out, "forms")))
        cls.filled_dir = os.path.join(cls.dir, "filled")
        os.makedirs(cls.filled_dir, exist_ok=True)
        cls.typed = {}  # (unit, task) -> (figure typed or None, problems)
        cls.computed = set()  # (unit, task) whose 是否 was left empty beside a figure
        cls.filled = [cls.fill(f) for f in cls.forms]

    @classmethod
    def figure(cls, no):
        """What a unit types as task NO's figure: 84% or 95% of an amount (a
        float, as a spreadsheet holds it: behind, or on schedule, after 11
        months), a negative growth."""
        t = cls.targets[no]
        if t.get("kind") == "growth":
            return -1.2
        return float(Decimal(t.get("value")) * Decimal("0.84" if no % 4 < 2 else "0.95"))

    @classmethod
    def fill(cls, form):
        wb = openpyxl.load_workbook(form)
        unit = os.path.basename(form)[:-len(".xlsx")]
        ws = wb.worksheets[0]
        cols = columns(wb)
        done = {int(r[0]) for r in wb["ledgerc"].iter_rows(values_only=True)
                if r[0] and r[0].isdigit() and len(r) > 3 and r[3]}
        for no, r in form_rows(wb).items():
            if no in done:  # completed before: all locked
                continue
            ws.cell(r, cols["progress"]).value = "%s：任务%d本月进展。" % (cls.names[unit], no)
            ws.cell(r, cols["plan"]).value = "下月继续推进。"
            problems = "资金到位慢。\n用地指标紧张。" if no % 3 == 0 else ""
            ws.cell(r, cols["problems"]).value = problems or None
            figure = None
            if no in cls.targets:
                figure = cls.figure(no)
                ws.cell(r, cols["actual"]).value = figure
            # 是否 left empty beside a figure: computed from it
            computed = figure is not None and no % 2 == 1
            ws.cell(r, cols["on-schedule"]).value = None if computed else "是"
            cls.typed[(unit, no)] = (figure, problems)
            if computed:
                cls.computed.add((unit, no))
        path = os.path.join(cls.filled_dir, os.path.basename(form))
        wb.save(path)
        return path

    @classmethod
    def on_schedule(cls, no, figure, month):
        """Whether FIGURE reaches task NO's target by MONTH, computed here."""
        t = cls.targets[no]
        got, goal = Decimal(str(figure)), Decimal(t.get("value"))
        return got >= goal if t.get("kind") == "growth" else got * 12 >= goal * month

    def imported(self, name):
        inp = os.path.join(self.dir, name)
        shutil.copytree(self.inp, inp)
        status, _, err = run("import", "-i", inp, *self.filled)
        self.assertEqual(status, 0, err)
        return inp

    def test_form_has_target_figure_and_problems_cells(self):
        checked = 0
        for form in self.forms:
            wb = openpyxl.load_workbook(form)
            ws = wb.worksheets[0]
            cols = columns(wb)
            rows = form_rows(wb)
            mine = [no for no in rows if no in self.targets]
            if not mine:  # none of its tasks has a target: no such columns
                self.assertNotIn("actual", cols, form)
                self.assertNotIn("target", cols, form)
                continue
            self.assertEqual(ws.cell(2, cols["target"]).value, "目标")
            self.assertEqual(ws.cell(2, cols["actual"]).value, "累计完成（只填数字）")
            checks = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation
                      if dv.type == "decimal"}
            for no, r in rows.items():
                if (os.path.basename(form)[:-5], no) not in self.typed:
                    continue  # completed before: all locked
                cell = ws.cell(r, cols["actual"])
                ref = "%s%d" % (openpyxl.utils.get_column_letter(cols["actual"]), r)
                self.assertFalse(ws.cell(r, cols["problems"]).protection.locked)
                t = self.targets.get(no)
                if t is None:
                    self.assertTrue(cell.protection.locked, (form, no))
                    self.assertNotIn(ref, checks)
                    continue
                self.assertFalse(cell.protection.locked, (form, no))
                growth = t.get("kind") == "growth"
                self.assertEqual(ws.cell(r, cols["target"]).value,
                                 "增长%s%%" % t.get("value") if growth
                                 else t.get("value") + t.get("unit"))
                dv = checks[ref]
                if growth:
                    self.assertEqual((dv.operator or "between", dv.formula1, dv.formula2),
                                     ("between", "-10000000000", "10000000000"))
                else:
                    self.assertEqual((dv.operator, dv.formula1), ("greaterThanOrEqual", "0"))
                self.assertEqual(dv.errorStyle or "stop", "stop")
                checked += 1
        self.assertEqual(checked, sum(1 for (_, no) in self.typed if no in self.targets))
        self.assertGreater(checked, 3)

    def test_round_trip(self):
        inp = self.imported("round-trip")
        entries = {}
        folder = os.path.join(inp, "reports", "2022-%02d" % self.MONTH)
        for name in os.listdir(folder):
            for e in ET.parse(os.path.join(folder, name)).getroot().iter("entry"):
                entries[(name[:-4], int(e.get("task")))] = e
        self.assertEqual(sorted(entries), sorted(self.typed))
        figures = 0
        for key, (figure, problems) in self.typed.items():
            e = entries[key]
            actual = e.find("actual")
            if figure is None:
                self.assertIsNone(actual, key)
            else:
                self.assertEqual(Decimal(actual.get("value")), Decimal(str(figure)), key)
                figures += 1
            p = e.find("problems")
            self.assertEqual(paragraphs(p) if p is not None else "", problems, key)
            want = self.on_schedule(key[1], figure, self.MONTH) if key in self.computed else True
            self.assertEqual(e.get("on-schedule"), "yes" if want else "no", key)
        self.assertGreater(figures, 3)
        self.assertEqual({self.on_schedule(no, self.typed[u, no][0], self.MONTH)
                          for u, no in self.computed}, {True, False})

        # 主要指标: each quantitative row's figure, 完成率 and computed 是否达到
        out = os.path.join(self.dir, "zhibiao")
        status, _, err = run("build", "-q", "-f", "xlsx", "--views", "by-task", "-i", inp,
                             "-t", os.path.join(SOURCE, "templates", "zhibiao.xml"), "-o", out,
                             "2022-%02d" % self.MONTH)
        self.assertEqual(status, 0, err)
        by_name = {v: k for k, v in self.names.items()}
        seen = 0
        for row in sheet_rows(os.path.join(out, "ledger.xlsx"), "全市台账"):
            head = row[0].split(".")[0]
            if not head.isdigit() or int(head) not in self.targets:
                continue
            no, t = int(head), self.targets[int(head)]
            figure, problems = self.typed[(by_name[row[2]], no)]
            goal, got = Decimal(t.get("value")), Decimal(str(figure))
            shown = "%s" % got.normalize() if got != got.to_integral() else "%d" % got
            if t.get("kind") == "growth":
                self.assertEqual(row[3], "增长%s%%" % shown)
                self.assertEqual(row[4], "")
                on = got >= goal
            else:
                self.assertEqual(row[3], shown + t.get("unit"))
                rate = (got / goal * 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP)
                self.assertEqual(row[4], "%d.%d%%" % (rate // 10, rate % 10))
                on = got * 12 >= goal * self.MONTH
            self.assertEqual(row[6], "是" if on else "否", row)
            self.assertEqual(row[7], problems, row)
            seen += 1
        self.assertEqual(seen, sum(1 for (_, no) in self.typed if no in self.targets))

        # 分工台账: 存在问题 beside 进展情况; under the lead's row in its own
        # ledger, its cooperating units' rows
        out = os.path.join(self.dir, "fengong")
        status, _, err = run("build", "-q", "-f", "xlsx", "-i", inp, "-o", out,
                             "-t", os.path.join(SOURCE, "templates", "fengong.xml"),
                             "2022-%02d" % self.MONTH)
        self.assertEqual(status, 0, err)
        rows = sheet_rows(os.path.join(out, "ledger.xlsx"), "全市台账")
        shown = 0
        for row in rows:
            head = row[0].split(".")[0]
            key = (by_name.get(row[5]), int(head)) if head.isdigit() else None
            if key in self.typed:  # not a task completed before
                self.assertEqual(row[7], self.typed[key][1], row)
                shown += 1
        self.assertEqual(shown, len(self.typed))
        for no, (lead, owners) in self.leads.items():
            units = [row[5] for row in sheet_rows(os.path.join(out, "units", lead + ".xlsx"),
                                                  self.names[lead])
                     if row[0].startswith("%d." % no)]
            self.assertEqual(units, [self.names[lead]] + [self.names[o] for o in owners
                                                          if o != lead], no)

    def test_figure_not_a_number_refused(self):
        no = min(n for n, t in self.targets.items() if t.get("kind") != "growth")
        unit = next(u for (u, n) in self.typed if n == no)
        src = next(f for f in self.filled if os.path.basename(f) == unit + ".xlsx")
        for name, typed in (("words", "六十二亿"), ("negative", -5), ("unit", "62.5亿元")):
            wb = openpyxl.load_workbook(src)
            ws = wb.worksheets[0]
            cols, r = columns(wb), form_rows(wb)[no]
            ws.cell(r, cols["actual"]).value = typed
            d = os.path.join(self.dir, "bad-" + name)
            os.makedirs(d, exist_ok=True)
            p = os.path.join(d, unit + ".xlsx")
            wb.save(p)
            inp = os.path.join(self.dir, "in-bad-" + name)
            shutil.copytree(self.inp, inp)
            before = snapshot(inp)
            status, _, err = run("import", "-i", inp, p)
            self.assertEqual(status, 1, err)
            ref = "%s%d" % (openpyxl.utils.get_column_letter(cols["actual"]), r)
            self.assertIn('%s: error: sheet "%s", cell %s: task %d: 累计完成 holds "%s", which '
                          "is not a figure; type the figure cumulative to the month in the "
                          "target's unit as a number only, without the unit"
                          % (p, self.names[unit], ref, no, typed), err)
            self.assertEqual(snapshot(inp), before)

    def test_figure_typed_as_text(self):
        """A figure in a cell a program wrote as text, white space around it."""
        no = min(n for n, t in self.targets.items() if t.get("kind") != "growth")
        unit = next(u for (u, n) in self.typed if n == no)
        src = next(f for f in self.filled if os.path.basename(f) == unit + ".xlsx")
        wb = openpyxl.load_workbook(src)
        ws = wb.worksheets[0]
        ws.cell(form_rows(wb)[no], columns(wb)["actual"]).value = "\u3000 70.25 "
        d = os.path.join(self.dir, "text-figure")
        os.makedirs(d, exist_ok=True)
        p = os.path.join(d, unit + ".xlsx")
        wb.save(p)
        inp = os.path.join(self.dir, "in-text-figure")
        shutil.copytree(self.inp, inp)
        status, _, err = run("import", "-i", inp, p)
        self.assertEqual(status, 0, err)
        report = ET.parse(os.path.join(inp, "reports", "2022-%02d" % self.MONTH, unit + ".xml"))
        e = next(e for e in report.getroot().iter("entry") if int(e.get("task")) == no)
        self.assertEqual(e.find("actual").get("value"), "70.25")


class OldForms(unittest.TestCase):
    """A form made by ledgerc before 存在问题 and figures (form version 1,
    tests/data/forms/kjj-v1.xlsx: the examples' 市科技局 for 2022-11) is
    still read, as it was."""

    def test_version_1_form_imports(self):
        d = workdir("forms-v1")
        old = os.path.join(SOURCE, "tests", "data", "forms", "kjj-v1.xlsx")
        meta = {r[0]: r[1] for r in openpyxl.load_workbook(old)["ledgerc"].iter_rows(values_only=True)
                if r[0]}
        self.assertEqual((meta["ledgerc-form"], meta["columns"]),
                         ("1", "task due promised-plan progress plan on-schedule remark"))
        filled = fill(old, os.path.join(d, "kjj.xlsx"))
        inp = copy_examples(os.path.join(d, "in"))
        status, _, err = run("import", "--input", inp, filled)
        self.assertEqual(status, 0, err)
        root = ET.parse(os.path.join(inp, "reports", PERIOD, "kjj.xml")).getroot()
        entries = {int(e.get("task")): e for e in root.iter("entry")}
        self.assertEqual(sorted(entries), sorted(FILLED))
        for no, (progress, plan, yes_no, remark) in FILLED.items():
            e = entries[no]
            self.assertEqual(paragraphs(e.find("progress")), progress, no)
            self.assertEqual(paragraphs(e.find("plan")), plan, no)
            self.assertEqual(paragraphs(e.find("remark")), remark, no)
            self.assertIsNone(e.find("problems"))


if __name__ == "__main__":
    unittest.main()
