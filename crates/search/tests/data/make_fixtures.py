#!/usr/bin/env python3
"""Writes the text-extraction fixtures of crates/search/tests/extract.rs.

The .docx and .xlsx files are written here as plain Office Open XML (no
third-party Python packages); the .pdf and .xls files are converted from them
by LibreOffice, which is needed only when the fixtures are remade:

    apt-get install -y --no-install-recommends libreoffice-writer-nogui \
        libreoffice-calc-nogui fonts-noto-cjk
    python3 crates/search/tests/data/make_fixtures.py

The personal data in them is made up: 13812345678 is a private mobile number
and 500237198001011237 an ID number with a valid check character, both of
which the privacy scanner must find.
"""

import os
import shutil
import subprocess
import tempfile
import zipfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
# A fixed timestamp keeps the ZIP files byte-identical across runs.
STAMP = (2021, 3, 1, 0, 0, 0)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def write_zip(path, parts):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts:
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))


def run(text):
    return f'<w:r><w:rPr><w:rFonts w:eastAsia="Noto Serif CJK SC"/></w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def paragraph(*pieces, center=False):
    """Pieces are strings (runs) or the markers "\t" (tab) and "\n" (line break)."""
    body = ""
    for piece in pieces:
        if piece == "\t":
            body += "<w:r><w:tab/></w:r>"
        elif piece == "\n":
            body += "<w:r><w:br/></w:r>"
        else:
            body += run(piece)
    ppr = '<w:pPr><w:jc w:val="center"/></w:pPr>' if center else ""
    return f"<w:p>{ppr}{body}</w:p>"


def docx(path, paragraphs, header=None, footer=None):
    rels = [f'<Relationship Id="rIdStyles" Type="{R_NS}/styles" Target="styles.xml"/>']
    overrides = [
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>',
        '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>',
    ]
    parts = []
    sect = ""
    for kind, text in (("header", header), ("footer", footer)):
        if text is None:
            continue
        tag = "hdr" if kind == "header" else "ftr"
        rels.append(f'<Relationship Id="rId{kind}" Type="{R_NS}/{kind}" Target="{kind}1.xml"/>')
        overrides.append(
            f'<Override PartName="/word/{kind}1.xml" '
            f'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"/>'
        )
        parts.append((f"word/{kind}1.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                      f'<w:{tag} xmlns:w="{W_NS}" xmlns:r="{R_NS}">{paragraph(text, center=True)}</w:{tag}>'))
        sect += f'<w:{kind}Reference w:type="default" r:id="rId{kind}"/>'
    sect += '<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/>'
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>'
        + "".join(paragraphs)
        + f"<w:sectPr>{sect}</w:sectPr></w:body></w:document>"
    )
    styles = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:styles xmlns:w="{W_NS}"><w:docDefaults><w:rPrDefault><w:rPr>'
        '<w:rFonts w:ascii="Noto Serif CJK SC" w:hAnsi="Noto Serif CJK SC" w:eastAsia="Noto Serif CJK SC"/>'
        '<w:sz w:val="28"/><w:lang w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault></w:docDefaults></w:styles>'
    )
    write_zip(path, [
        ("[Content_Types].xml",
         '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
         '<Default Extension="xml" ContentType="application/xml"/>' + "".join(overrides) + "</Types>"),
        ("_rels/.rels",
         '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         f'<Relationships xmlns="{PKG_RELS}"><Relationship Id="rId1" Type="{DOC_REL}" Target="word/document.xml"/></Relationships>'),
        ("word/_rels/document.xml.rels",
         '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         f'<Relationships xmlns="{PKG_RELS}">' + "".join(rels) + "</Relationships>"),
        ("word/document.xml", document),
        ("word/styles.xml", styles),
    ] + parts)


def xlsx(path, sheets):
    """sheets: [(name, rows)], rows of cells (str or int)."""
    shared = []
    index = {}

    def sst(text):
        if text not in index:
            index[text] = len(shared)
            shared.append(text)
        return index[text]

    def col(i):
        return chr(ord("A") + i)

    sheet_parts = []
    for n, (_, rows) in enumerate(sheets, start=1):
        xml_rows = ""
        for r, row in enumerate(rows, start=1):
            cells = ""
            for c, value in enumerate(row):
                ref = f"{col(c)}{r}"
                if isinstance(value, int):
                    cells += f'<c r="{ref}"><v>{value}</v></c>'
                else:
                    cells += f'<c r="{ref}" t="s"><v>{sst(value)}</v></c>'
            xml_rows += f'<row r="{r}">{cells}</row>'
        sheet_parts.append((
            f"xl/worksheets/sheet{n}.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<sheetData>{xml_rows}</sheetData></worksheet>",
        ))
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{main}" xmlns:r="{R_NS}"><sheets>'
        + "".join(f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>' for n, (name, _) in enumerate(sheets, start=1))
        + "</sheets></workbook>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{PKG_RELS}">'
        + "".join(f'<Relationship Id="rId{n}" Type="{R_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>' for n in range(1, len(sheets) + 1))
        + f'<Relationship Id="rIdS" Type="{R_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    )
    strings = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst xmlns="{main}" count="{len(shared)}" uniqueCount="{len(shared)}">'
        + "".join(f"<si><t>{escape(s)}</t></si>" for s in shared)
        + "</sst>"
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    write_zip(path, [
        ("[Content_Types].xml",
         '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
         '<Default Extension="xml" ContentType="application/xml"/>'
         '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
         '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
         + overrides + "</Types>"),
        ("_rels/.rels",
         '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         f'<Relationships xmlns="{PKG_RELS}"><Relationship Id="rId1" Type="{DOC_REL}" Target="xl/workbook.xml"/></Relationships>'),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", rels),
        ("xl/sharedStrings.xml", strings),
    ] + sheet_parts)


def ofd(path, lines):
    """A minimal OFD (GB/T 33190-2016) package with one page of text objects."""
    ns = "http://www.ofdspec.org/2016"
    objects = "".join(
        f'<ofd:TextObject ID="{10 + i}" Boundary="20 {30 + 10 * i} 170 8" Font="2" Size="5">'
        f'<ofd:TextCode X="0" Y="5">{escape(line)}</ofd:TextCode></ofd:TextObject>'
        for i, line in enumerate(lines)
    )
    write_zip(path, [
        ("OFD.xml",
         '<?xml version="1.0" encoding="UTF-8"?>\n'
         f'<ofd:OFD xmlns:ofd="{ns}" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>gongkai-fixture</ofd:DocID></ofd:DocInfo>'
         "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"),
        ("Doc_0/Document.xml",
         '<?xml version="1.0" encoding="UTF-8"?>\n'
         f'<ofd:Document xmlns:ofd="{ns}"><ofd:CommonData><ofd:MaxUnitID>100</ofd:MaxUnitID>'
         '<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>'
         '<ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>'),
        ("Doc_0/Pages/Page_0/Content.xml",
         '<?xml version="1.0" encoding="UTF-8"?>\n'
         f'<ofd:Page xmlns:ofd="{ns}"><ofd:Content><ofd:Layer ID="3">{objects}</ofd:Layer></ofd:Content></ofd:Page>'),
    ])


def convert(source, target_ext, target):
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation=file://{out}/profile", "--convert-to", target_ext, "--outdir", out, source],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        produced = os.path.join(out, os.path.splitext(os.path.basename(source))[0] + "." + target_ext)
        shutil.move(produced, target)


TITLE = "巫山县人民政府办公室关于印发巫山县2021年政务公开工作要点的通知"


def main():
    notice = os.path.join(HERE, "notice.docx")
    docx(
        notice,
        [
            paragraph(TITLE, center=True),
            paragraph("各乡镇人民政府、街道办事处，县政府各部门，有关单位："),
            paragraph("现将《巫山县2021年政务公开工作要点》印发给你们，请认真贯彻落实。"),
            paragraph("文号：", "\t", "巫山府办发〔2021〕48号"),
            paragraph("联系人：李明", "\n", "联系电话：13812345678"),
        ],
        header="巫山县人民政府办公室",
        footer="第1页",
    )
    clean = os.path.join(HERE, "clean.docx")
    docx(
        clean,
        [
            paragraph("巫山县2021年政务公开工作要点", center=True),
            paragraph("一、深化重点领域信息公开，做好政策解读和回应关切。"),
            paragraph("二、加强政府网站和政务新媒体建设，严格落实“三审三校”制度。"),
        ],
    )
    convert(notice, "pdf", os.path.join(HERE, "notice.pdf"))
    convert(clean, "pdf", os.path.join(HERE, "clean.pdf"))

    roster = os.path.join(HERE, "roster.xlsx")
    xlsx(
        roster,
        [
            ("补贴发放名单", [["序号", "姓名", "身份证号码", "金额（元）"], [1, "王小红", "500237198001011237", 1200]]),
            ("说明", [["巫山县民政局2021年临时救助资金发放情况"]]),
        ],
    )
    convert(roster, "xls", os.path.join(HERE, "roster.xls"))

    ofd(os.path.join(HERE, "notice.ofd"), [TITLE, "联系电话：13812345678"])


if __name__ == "__main__":
    main()
