"""Messages in the user's language: the most common messages word for word in
Chinese under LANG=zh_CN.UTF-8 and in English under LANG=C, whether or not the
system has generated the locale zh_CN.UTF-8 (LC_ALL=zh_CN.nosuch stands for a
locale the system lacks); LC_MESSAGES before LANG; check --format json with its
English kinds and messages in the locale's language; the outputs the same in
every locale."""
import filecmp
import json
import os
import shutil
import subprocess
import unittest

import openpyxl

from lgtest import EPOCH, LEDGERC, SOURCE, workdir

W = workdir("lang")


def ledgerc(*args, **env):
    """Runs ledgerc in W with the locale variables of ENV only."""
    e = {k: v for k, v in os.environ.items()
         if k not in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LC_CTYPE")}
    e.update(SOURCE_DATE_EPOCH=EPOCH, **env)
    p = subprocess.run([LEDGERC, *args], capture_output=True, text=True, cwd=W, env=e)
    return p.returncode, p.stdout, p.stderr


def setUpModule():
    shutil.copytree(os.path.join(SOURCE, "tests", "data", "check"), os.path.join(W, "in"))
    shutil.copytree(os.path.join(W, "in"), os.path.join(W, "bad"))
    b = os.path.join(W, "bad", "reports", "2022-10", "b.xml")
    with open(b, encoding="utf-8") as f:
        text = f.read()
    with open(b, "w", encoding="utf-8") as f:
        f.write(text.replace('unit="b"', 'unit="a"'))


# (arguments, exit status, stream, its lines in Chinese, in English); the
# first lines only for a stream "out-start" or "err-start" (the rest is above,
# or a usage error's help)
CASES = [
    (("check", "-i", "in", "2022-10"), 1, "out", [
        "== 1个单位未报送2022-10的报告",
        "市丙局",
        "",
        "== 市甲局",
        "in/reports/2022-10/a.xml:3: 警告: 任务1：进展情况与2022年9月的报告一字不差，是否照抄了上月的内容？",
        "in/reports/2022-10/a.xml:8: 警告: 任务2未达到序时进度（填“否”），但备注为空；请在备注中说明原因",
        "in/reports/2022-10/a.xml:8: 警告: 任务2的完成时限为2022年6月底前，尚未报告完成",
        "in/reports/2022-10/a.xml:2: 警告: 任务4：市甲局的报告中没有该任务，台账中显示为未报送",
        "",
        "== 市乙局",
        "in/reports/2022-10/b.xml:3: 警告: 任务1：进展情况为空，台账中该格将为空白",
        "in/reports/2022-10/b.xml:8: 警告: 任务3：进展情况中的字符“\U0010fffd”（编码10FFFD）没有模板正文"
        "字体列表中的字体能显示，打印出来将是空框；请换一种写法，或安装含有该字的字体并将其加入模板正文字体的"
        "family列表",
        "",
        "== 市丙局",
        "ledgerc: 警告: 市丙局未报送2022年10月的报告（输入文件夹中应有reports/2022-10/c.xml），1项任务显示为"
        "未报送",
        "",
        "ledgerc: 2022-10：0个错误，7个警告",
    ], [
        "== 1 unit has not reported for 2022-10",
        "市丙局",
        "",
        "== 市甲局",
        "in/reports/2022-10/a.xml:3: warning: task 1: the progress is word for word the same as in "
        "the 2022-09 report; was last month's text copied?",
        "in/reports/2022-10/a.xml:8: warning: task 2 is behind schedule (on-schedule=\"no\") but "
        "the remark (备注) is empty; say why it is behind",
        "in/reports/2022-10/a.xml:8: warning: task 2 was due 2022年6月底前 and is not reported "
        "completed",
        "in/reports/2022-10/a.xml:2: warning: task 4: 市甲局's report has no entry for it; the "
        "ledger shows 未报送",
        "",
        "== 市乙局",
        "in/reports/2022-10/b.xml:3: warning: task 1: the progress (进展情况) is empty; the ledger "
        "will show an empty cell",
        "in/reports/2022-10/b.xml:8: warning: task 3: its progress (进展情况) has the character "
        "\"\U0010fffd\" (U+10FFFD), which no font of the template's body font list has: it would "
        "print as an empty box; write it another way, or install a font that has it and add it "
        "to the family list of the template's body font",
        "",
        "== 市丙局",
        "ledgerc: warning: 市丙局 sent no report for 2022-10 (expected reports/2022-10/c.xml in "
        "the input folder); tasks shown 未报送: 1",
        "",
        "ledgerc: 2022-10: 0 errors, 7 warnings",
    ]),
    (("build", "-i", "in", "-o", "out", "--formats", "xlsx", "2022-10"), 0, "out", [
        "ledgerc: 已将2022-10的台账生成到 out/",
        "ledgerc: 7个警告（未报送、照抄上月等）：请查看 ledger.xlsx 的问题清单，或运行：ledgerc check --input in 2022-10",
    ], [
        "ledgerc: compiled 2022-10 into out/",
        "ledgerc: 7 warnings (missing reports, stale copies, ...): see the 问题清单 sheet of "
        "ledger.xlsx or run: ledgerc check --input in 2022-10",
    ]),
    (("build", "-i", "bad", "-o", "out2", "2022-10"), 1, "err", [
        "bad/reports/2022-10/b.xml:2: 错误: 报告单位“a”与文件名“b.xml”不符；报告以其单位代码命名：请把文件"
        "改名为“a.xml”，或改正单位",
        "ledgerc: 1个错误；未写出任何文件",
    ], [
        "bad/reports/2022-10/b.xml:2: error: report unit \"a\" does not match the file name "
        "\"b.xml\"; a report is named after its unit's id: name the file \"a.xml\" or correct the "
        "unit",
        "ledgerc: 1 error; nothing was written",
    ]),
    (("check", "-i", "bad", "2022-10"), 2, "out-start", [
        "== 1个单位未报送2022-10的报告", "市丙局", "", "== 市甲局",
        "bad/reports/2022-10/b.xml:2: 错误: 报告单位“a”与文件名“b.xml”不符；报告以其单位代码命名：请把文件"
        "改名为“a.xml”，或改正单位",
    ], [
        "== 1 unit has not reported for 2022-10", "市丙局", "", "== 市甲局",
        "bad/reports/2022-10/b.xml:2: error: report unit \"a\" does not match the file name "
        "\"b.xml\"; a report is named after its unit's id: name the file \"a.xml\" or correct the "
        "unit",
    ]),
    (("build", "-i", "in", "-t", "no-such.xml", "2022-10"), 1, "err", [
        "no-such.xml: 错误: 无法打开文件：没有那个文件或目录",
        "ledgerc: 1个错误；未写出任何文件",
    ], [
        "no-such.xml: error: cannot open the file: No such file or directory",
        "ledgerc: 1 error; nothing was written",
    ]),
    ((), 2, "err-start", ["ledgerc: 未给出命令"], ["ledgerc: no command given"]),
    (("build",), 2, "err-start", ["ledgerc: build 需要指定月份 PERIOD，例如 2022-10"],
     ["ledgerc: build needs the PERIOD, e.g. 2022-10"]),
    (("build", "--bogus", "2022-10"), 2, "err-start", ["ledgerc: 未知选项 --bogus"],
     ["ledgerc: unknown option --bogus"]),
    (("build", "2022-13"), 2, "err-start", ["ledgerc: 月份 PERIOD 应写作 YYYY-MM，例如 2022-10，不能是“2022-13”"],
     ["ledgerc: PERIOD is a month written YYYY-MM, e.g. 2022-10, not \"2022-13\""]),
    (("frob",), 2, "err-start", ["ledgerc: 未知命令“frob”"], ["ledgerc: unknown command \"frob\""]),
    (("build", "--formats", "doc", "2022-10"), 2, "err-start",
     ["ledgerc: --formats 只能是 xlsx、pdf 或 xlsx,pdf，不能是“doc”"],
     ["ledgerc: --formats takes xlsx, pdf or xlsx,pdf, not \"doc\""]),
    (("--help",), 0, "out-start", ["用法：ledgerc build [选项]... 月份"],
     ["Usage: ledgerc build [OPTION]... PERIOD"]),
]


class Messages(unittest.TestCase):
    def check_cases(self, zh, **env):
        for args, status, stream, zh_lines, en_lines in CASES:
            with self.subTest(args=args, env=env):
                shutil.rmtree(os.path.join(W, "out"), ignore_errors=True)
                got_status, out, err = ledgerc(*args, **env)
                self.assertEqual(got_status, status, err)
                text = out if stream.startswith("out") else err
                want = zh_lines if zh else en_lines
                got = text.splitlines()
                self.assertEqual(got[:len(want)] if stream.endswith("-start") else got, want)

    def test_chinese_under_lang_zh_cn(self):
        self.check_cases(True, LANG="zh_CN.UTF-8")

    def test_english_under_lang_c(self):
        self.check_cases(False, LANG="C")

    def test_english_with_no_locale_variable(self):
        self.check_cases(False)

    def test_chinese_when_the_system_lacks_the_locale(self):
        self.check_cases(True, LC_ALL="zh_CN.nosuch")

    def test_lc_messages_before_lang(self):
        self.check_cases(False, LANG="zh_CN.UTF-8", LC_MESSAGES="C")
        self.check_cases(True, LANG="C", LC_MESSAGES="zh_CN.UTF-8")

    def test_json_kinds_in_english_messages_in_the_locale(self):
        _, out, _ = ledgerc("check", "-i", "in", "--format", "json", "2022-10", LANG="zh_CN.UTF-8")
        got = json.loads(out)
        self.assertEqual([p["kind"] for p in got],
                         ["stale", "behind-no-remark", "overdue", "missing-entry",
                          "empty-progress", "missing-glyph", "missing-report"])
        self.assertEqual(got[0]["message"],
                         "任务1：进展情况与2022年9月的报告一字不差，是否照抄了上月的内容？")
        _, out, _ = ledgerc("check", "-i", "in", "--format", "json", "2022-10", LANG="C")
        self.assertEqual(json.loads(out)[0]["message"],
                         "task 1: the progress is word for word the same as in the 2022-09 "
                         "report; was last month's text copied?")

    def test_errors_hide_no_warnings(self):
        # b.xml is refused; a's warnings and c's missing report are still told,
        # and b, whose report is there but in error, is not called missing
        status, out, _ = ledgerc("check", "-i", "bad", "2022-10", LANG="C")
        self.assertEqual(status, 2)
        lines = out.splitlines()
        self.assertEqual(lines[-1], "ledgerc: 2022-10: 1 error, 5 warnings")
        self.assertEqual(sum(": warning: " in line for line in lines), 5)
        self.assertEqual(sum(": error: " in line for line in lines), 1)
        self.assertNotIn("市乙局 sent no report", out)

    def test_outputs_the_same_in_every_locale(self):
        outs = []
        # the fonts' default language (fontconfig reads LANG) stays the same
        for i, env in enumerate(({"LANG": "C"}, {"LANG": "zh_CN.UTF-8"},
                                 {"LC_ALL": "zh_CN.nosuch"})):
            out = "same%d" % i
            status, _, err = ledgerc("build", "-i", "in", "-o", out, "2022-10",
                                     FC_LANG="zh-cn", **env)
            self.assertEqual(status, 0, err)
            outs.append(os.path.join(W, out))
        for other in outs[1:]:
            cmp = filecmp.dircmp(outs[0], other)
            self.assertEqual((cmp.left_only, cmp.right_only), ([], []))
            names = ["ledger.xlsx", "ledger.pdf", "units/a.xlsx", "units/b.pdf", "SHA256SUMS"]
            match, mismatch, errors = filecmp.cmpfiles(outs[0], other, names, shallow=False)
            self.assertEqual((mismatch, errors), ([], []))


def bad_inbox(inbox, forms):
    """INBOX with the forms of FORMS (ledgerc forms' folder) as units get them
    wrong: a's with junk and nothing in 是否 and a changed task text, b's sent back
    untouched; c's filled in well; a workbook that is no form, and a file that
    is no workbook."""
    os.makedirs(inbox)
    wb = openpyxl.load_workbook(os.path.join(forms, "a.xlsx"))
    ws = wb["市甲局"]
    ws["D3"], ws["F3"], ws["G3"] = "推进中。", "继续推进。", "大概"
    ws["D4"], ws["F4"] = "已完成。", "无。"
    ws["A5"], ws["D5"], ws["F5"], ws["G5"] = "4.年内完成的重点任务。", "推进中。", "继续推进。", "是"
    wb.save(os.path.join(inbox, "a.xlsx"))
    shutil.copy(os.path.join(forms, "b.xlsx"), os.path.join(inbox, "b.xlsx"))
    wb = openpyxl.load_workbook(os.path.join(forms, "c.xlsx"))
    ws = wb["市丙局"]
    for row in range(3, ws.max_row + 1):
        ws.cell(row, 4, "推进中。")
        ws.cell(row, 6, "继续推进。")
        ws.cell(row, 7, "是")
    wb.save(os.path.join(inbox, "c.xlsx"))
    wb = openpyxl.Workbook()
    wb.active["A1"] = "工作任务"
    wb.save(os.path.join(inbox, "d.xlsx"))
    with open(os.path.join(inbox, "notes.txt"), "w", encoding="utf-8") as f:
        f.write("请查收。")


class ImportMessages(unittest.TestCase):
    """An import of bad forms under LANG=zh_CN.UTF-8: every message and the
    closing table in Chinese, word for word."""

    @classmethod
    def setUpClass(cls):
        status, _, err = ledgerc("forms", "-i", "in", "-o", "formsout", "2022-11")
        assert status == 0, err
        bad_inbox(os.path.join(W, "inbox"), os.path.join(W, "formsout", "forms"))

    def run_import(self, **env):
        shutil.rmtree(os.path.join(W, "imp"), ignore_errors=True)
        shutil.copytree(os.path.join(W, "in"), os.path.join(W, "imp"))
        return ledgerc("import", "-i", "imp", "inbox", **env)

    def test_chinese_messages_and_table(self):
        status, out, err = self.run_import(LANG="zh_CN.UTF-8")
        self.assertEqual(status, 1, err)
        self.assertEqual(err.splitlines(), [
            "inbox/notes.txt: 警告: 不是填报表（填报表是 .xlsx 文件）；已跳过",
            "inbox/a.xlsx: 错误: 工作表“市甲局”，单元格 G3：任务1：是否达到序时进度为“大概”；"
            "请填写“是”“否”或“已完成”（或从下拉列表中选择）",
            "inbox/a.xlsx: 错误: 工作表“市甲局”，单元格 G4：任务2：是否达到序时进度为空；"
            "请选择“是”“否”或“已完成”",
            "inbox/a.xlsx: 错误: 工作表“市甲局”，单元格 A5：任务4：工作任务被改成了"
            "“4.年内完成的重点任务。”；该单元格受保护，应与计划一致，为“4.年内完成的任务。”；"
            "请撤销修改，或重新填写一份填报表",
            "inbox/b.xlsx: 错误: 未填写任何内容：填报表退回时与发出时相同；请市乙局填写后重新报送",
            "inbox/d.xlsx: 错误: 不是 ledgerc 填报表：没有（隐藏的）工作表“ledgerc”；"
            "请填写 `ledgerc forms` 生成的填报表，不要把其中的单元格复制到另一个工作簿中填写",
            "ledgerc：填报表 4 份：已导入 1，已替换 0，无变化 0，退回 3",
        ])
        self.assertEqual(out.splitlines(), [
            "inbox/c.xlsx -> imp/reports/2022-11/c.xml",
            "",
            "单位    文件          结果    原因",
            "市甲局  inbox/a.xlsx  退回    工作表“市甲局”，单元格 G3：任务1：是否达到序时进度为"
            "“大概”；请填写“是”“否”或“已完成”（或从下拉列表中选择）（另有2项，见上文）",
            "市乙局  inbox/b.xlsx  退回    未填写任何内容：填报表退回时与发出时相同；"
            "请市乙局填写后重新报送",
            "市丙局  inbox/c.xlsx  已导入",
            "        inbox/d.xlsx  退回    不是 ledgerc 填报表：没有（隐藏的）工作表“ledgerc”；"
            "请填写 `ledgerc forms` 生成的填报表，不要把其中的单元格复制到另一个工作簿中填写",
        ])

    def test_english_under_lang_c(self):
        status, out, err = self.run_import(LANG="C")
        self.assertEqual(status, 1, err)
        self.assertIn('inbox/d.xlsx: error: not a ledgerc form: it has no (hidden) sheet '
                      '"ledgerc"; fill in the form that `ledgerc forms` made, not a copy of '
                      'its cells in another workbook\n', err)
        self.assertEqual(out.splitlines()[2:6], [
            "Unit    Form          Result    Reason",
            '市甲局  inbox/a.xlsx  refused   sheet "市甲局", cell G3: task 1: 是否达到序时进度 is '
            '"大概"; write 是, 否 or 已完成 (or choose one from the drop-down) (and 2 more, '
            'listed above)',
            "市乙局  inbox/b.xlsx  refused   nothing was filled in: the form came back as it was "
            "sent; ask 市乙局 to fill it in and send it again",
            "市丙局  inbox/c.xlsx  imported",
        ])


if __name__ == "__main__":
    unittest.main()
