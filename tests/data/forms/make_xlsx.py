"""Writes the small XLSX files that tests/test_xlsx_read.c reads, into the
folder given as the only argument. Each is built from hand-written XML parts,
so that every case (shared and inline strings, rich text, cells without r,
escapes, zip bombs, encrypted entries ...) is exactly what a test expects.
Run by the test with /usr/bin/python3."""
import struct
import sys
import zipfile
import os

OUT = sys.argv[1]
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
</Types>"""


def pkg_rels(target="xl/workbook.xml"):
    return ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="%s">'
            '<Relationship Id="rId1" Type="%s/officeDocument" Target="%s"/>'
            '</Relationships>' % (RELS, DOC, target))


def wb_rels(rels):
    body = "".join('<Relationship Id="%s" Type="%s/%s" Target="%s"/>' % (i, DOC, t, tg)
                   for i, t, tg in rels)
    return '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="%s">%s</Relationships>' % (
        RELS, body)


def workbook(sheets):
    """sheets: (name, rid, state or None)"""
    body = "".join('<sheet name="%s" sheetId="%d" %sr:id="%s"/>' % (
        n, i + 1, 'state="%s" ' % st if st else "", rid) for i, (n, rid, st) in enumerate(sheets))
    return '<?xml version="1.0" encoding="UTF-8"?><workbook %s %s><sheets>%s</sheets></workbook>' % (
        NS, R, body)


def sheet(data, prefix=""):
    p = prefix + ":" if prefix else ""
    ns = NS.replace("xmlns=", "xmlns:%s=" % prefix) if prefix else NS
    return '<?xml version="1.0" encoding="UTF-8"?><%sworksheet %s><%ssheetData>%s</%ssheetData></%sworksheet>' % (
        p, ns, p, data, p, p)


def sst(items):
    return '<?xml version="1.0" encoding="UTF-8"?><sst %s count="%d" uniqueCount="%d">%s</sst>' % (
        NS, len(items), len(items), "".join("<si>%s</si>" % i for i in items))


def write(name, parts, compress=zipfile.ZIP_DEFLATED, methods=None):
    path = os.path.join(OUT, name)
    with zipfile.ZipFile(path, "w") as z:
        for part, data in parts:
            m = (methods or {}).get(part, compress)
            z.writestr(zipfile.ZipInfo(part), data, compress_type=m)
    return path


def standard(sheet_xml, strings=None, extra=()):
    parts = [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", pkg_rels()),
             ("xl/workbook.xml", workbook([("Data", "rId1", None)])),
             ("xl/_rels/workbook.xml.rels",
              wb_rels([("rId1", "worksheet", "worksheets/sheet1.xml")] +
                      ([("rId2", "sharedStrings", "sharedStrings.xml")] if strings is not None else []))),
             ("xl/worksheets/sheet1.xml", sheet_xml)]
    if strings is not None:
        parts.append(("xl/sharedStrings.xml", strings))
    return parts + list(extra)


# Everything a reader meets in files saved by Excel, WPS and LibreOffice.
strings = sst([
    "<t>plain</t>",
    # rich text: runs joined, the phonetic run left out
    '<r><t>富</t></r><r><rPr><b/></rPr><t xml:space="preserve">文本 </t></r>'
    '<rPh sb="0" eb="1"><t>ふ</t></rPh><phoneticPr fontId="0"/>',
    # Excel's escapes: CR LF in a cell, a literal "_x000D_", a character outside the BMP
    "<t>第一段_x000D_\n第二段</t>",
    "<t>_x005F_x000D_ stays</t>",
    "<t>_xD83D__xDE00_ smile</t>",
    "<t/>",
])
data = (
    '<row r="1"><c r="A1" t="s"><v>0</v></c>'
    '<c r="B1" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r><rPh><t>x</t></rPh></is></c>'
    '<c r="C1"><v>42</v></c><c r="D1" t="b"><v>1</v></c><c r="E1" t="e"><v>#N/A</v></c>'
    '<c r="F1" t="str"><f>A1&amp;"!"</f><v>plain!</v></c></row>'
    '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="s"><v>2</v></c>'
    '<c r="C2" t="s"><v>3</v></c><c r="D2" t="s"><v>4</v></c><c r="E2" t="s"><v>5</v></c>'
    '<c r="F2" s="3"/></row>'
    # no r on the row nor its cells; an empty cell still takes its column
    '<row><c t="inlineStr"><is><t>A3</t></is></c><c s="1"/><c t="inlineStr"><is><t>C3</t></is></c></row>'
    '<row r="7"><c r="B7" t="inlineStr"><is><t xml:space="preserve">  spaced  </t></is></c></row>'
    '<row><c t="inlineStr"><is><t>A8</t></is></c></row>'
)
parts = [("[Content_Types].xml", CONTENT_TYPES),
         ("_rels/.rels", pkg_rels("/xl/workbook.xml")),
         ("xl/workbook.xml", workbook([("Data", "rId7", None), ("Meta", "rId3", "hidden"),
                                       ("Secret", "rId4", "veryHidden")])),
         # sheets found through the relationships, not their file names
         ("xl/_rels/workbook.xml.rels", wb_rels([
             ("rId3", "worksheet", "worksheets/meta.xml"),
             ("rId4", "worksheet", "/xl/worksheets/../worksheets/secret.xml"),
             ("rId5", "sharedStrings", "sharedStrings.xml"),
             ("rId7", "worksheet", "./worksheets/data.xml")])),
         ("xl/worksheets/data.xml", sheet(data)),
         ("xl/worksheets/meta.xml", sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>key</t></is></c></row>')),
         ("xl/worksheets/secret.xml", sheet("")),
         ("xl/sharedStrings.xml", strings)]
write("cells.xlsx", parts)

# The same cells with a namespace prefix, as some .NET writers save them.
write("prefixed.xlsx", standard(sheet('<x:row r="2"><x:c r="B2" t="inlineStr"><x:is><x:t>pre</x:t></x:is></x:c></x:row>', "x")))

# Not an XLSX at all.
with open(os.path.join(OUT, "notzip.xlsx"), "w") as f:
    f.write("名称,进展\n这不是表格\n")
# An old .xls, or a workbook with a password to open: an OLE compound file.
with open(os.path.join(OUT, "cfb.xlsx"), "wb") as f:
    f.write(bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + b"\0" * 504)
# A zip without a workbook.
write("noworkbook.xlsx", [("hello.txt", "hello")])

# A zip bomb: a few hundred kilobytes that inflate to 100 MB.
bomb = sst(["<t>x</t>"]).replace("</sst>", " " * (100 << 20) + "</sst>")
write("bomb.xlsx", standard(sheet(""), bomb))

# A part compressed with bzip2, which no XLSX uses.
write("bzip2.xlsx", standard(sheet("")), methods={"xl/worksheets/sheet1.xml": zipfile.ZIP_BZIP2})

# A sheet stored (not compressed) with one byte changed after the CRC was
# computed: libzip notices at the end of the entry.
p = write("crc.xlsx", standard(sheet('<row r="1"><c r="A1"><v>12345</v></c></row>')),
          compress=zipfile.ZIP_STORED)
raw = bytearray(open(p, "rb").read())
i = raw.index(b"<v>12345</v>")
raw[i + 3] = ord("9")
open(p, "wb").write(bytes(raw))

# An encrypted entry: the "encrypted" bit set in both headers of the sheet.
p = write("encrypted.xlsx", standard(sheet("")))
raw = bytearray(open(p, "rb").read())
name = b"xl/worksheets/sheet1.xml"
for sig, flag_off, name_off in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
    start = 0
    while True:
        i = raw.find(sig, start)
        if i < 0:
            break
        start = i + 4
        if raw[i + name_off:i + name_off + len(name)] == name:
            flags = struct.unpack_from("<H", raw, i + flag_off)[0] | 1
            struct.pack_into("<H", raw, i + flag_off, flags)
open(p, "wb").write(bytes(raw))

# A part with a DOCTYPE (and an entity to expand): refused.
write("doctype.xlsx", standard(
    '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY e "boom">]>'
    '<worksheet %s><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row>'
    '</sheetData></worksheet>' % NS))

# Not well-formed.
write("broken.xlsx", standard(sheet('<row r="1"><c r="A1"><v>1</v></row>')))

# A shared string index past the end; a cell reference out of Excel's range.
write("badindex.xlsx", standard(sheet('<row r="1"><c r="C1" t="s"><v>7</v></c></row>'), sst(["<t>a</t>"])))
write("badref.xlsx", standard(sheet('<row r="1"><c r="XFE1"><v>1</v></c></row>')))

# A sheet whose relationship is missing.
write("norel.xlsx", [("_rels/.rels", pkg_rels()),
                     ("xl/workbook.xml", workbook([("Data", "rId9", None)])),
                     ("xl/_rels/workbook.xml.rels", wb_rels([]))])

# Many entries.
write("many.xlsx", standard(sheet(""), extra=[("xl/media/f%d.txt" % i, "x") for i in range(50)]))
