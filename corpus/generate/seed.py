"""Rebuild the seed bulletin (Jintai District, Baoji, February 2023) as DOCX and PDF.

An office writes such a bulletin in a word processor and exports it, so the DOCX is made with
python-docx and rendered by LibreOffice headless. The text is the published one, mistakes
included: the pipeline is meant to find them, so nothing here is corrected.

Run from the repository root: ``python -m corpus.generate.seed``.
"""

import datetime as dt
from pathlib import Path

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.shared import Pt

from corpus.generate import docxkit as kit
from corpus.generate import office

OUT_DIR = Path(__file__).resolve().parents[1] / "seed"
STEM = "jintai_2023_02_hotline_bulletin"

# --- Content, exactly as printed ------------------------------------------------------------

ISSUER = "宝鸡市金台区人民政府办公室"
# Printed on three lines; text extracted from the original shows each break as a space.
TITLE_LINES = (
    "宝鸡市金台区人民政府办公室",
    "关于 2023 年 2 月份 12345 市民热线及市长",
    "信箱办理情况的通报",
)
RECIPIENTS = "各镇、街道办事处，区政府各工作部门："
# One paragraph per item: "# " a level-1 heading, "## " a level-2 heading, "" an empty line.
# The original splits 东风|路街道办事处 across a page; here it is one paragraph again.
BODY = (
    "为进一步做好“12345”市民热线及市委书记信箱、市长信箱留言办理工作，确保此项工作走在全市前列，"
    "现将 2 月份办理情况通报如下：",
    "# 一、总体情况",
    "## （一）市民热线办理情况",
    "2 月份，我区 12345 市民热线平台共接收市级交办工单事项 1589 件，实际办结 1588 件，总体办结"
    "率 99.94%。综合考评区市场监督管理局、区城市管理执法局、区教育体育局、十里铺街道办事处、东"
    "风路街道办事处排名靠前。",
    "## （二）市委书记信箱、市长信箱办理情况",
    "2 月份，市委书记信箱、市长信箱受理市民来信 56 件，实际办结 56 件，办结率 100%；"
    "按期办结 55 件，按期办结率 98.11%；市自然资源和规划局金台分局办理进展靠后。（详见附件 2）",
    "综合来看，2 月份 12345 政务服务便民热线工单办理工作中区教育局、区医疗保障局能及时联系市民，"
    "告知市民问题处理结果并做好市民情绪安抚工作，表现突出；东风路街道办事处、中山东路街道办事处"
    "还需持续改进，严格把关回复内容，进一步提升工单回复质量。",
    "# 二、热点问题",
    "2月份公众通过热线平台、市委书记信箱、市长信箱反映的问题主要集中在以下三个方面：",
    "（一）房产及物业服务类：本月共受理583件，总量占比36.71%。主要反映的是物业服务、捆绑收费、"
    "房产证办理小区停水等问题。",
    "（二）营商环境类：本月共受理360件，总量占比22.67%。主要反映占道经营、市场秩序、充值退费等"
    "问题。",
    "（三）教育类：本月共受理213件，总量占比13.41%。主要反映学生上下学道路安全、学校收费、寒假"
    "提前开学等问题。",
    "# 三、工作要求",
    "（一）提高办理质效。各镇街、各部门要进一步规范及时响应、限时办理、研判督办、回访反馈、办结"
    "归档、数据分析等环节全过程闭环运行工作流程。承办单位在接到工单后，须在接收确认交办事项后立"
    "即落实办理。退回工单须在平台下派后2小时内联系退回，退回理由要真实客观，需列明法律条文和政"
    "策法规依据。超时退单，视为已受理，不接受回退。要规范答复，回复内容要包含：基本情况、调查办"
    "理情况及下一步计划或工作措施、市民反馈（如保密工单可不回复此项）等基本要素。同时，上传现场"
    "协调照片、法律法规文件等多种形式的附件，为工单办理提供有效佐证，进一步提高工单办理的时效性"
    "与准确性。",
    "（二）增强服务意识。12345 热线承办单位要按照“属地管理优先”和“首接负责制”原则，明确牵头单位、"
    "责任单位、办理时限。承办单位要在接到工单后第一时间主动与来电人沟通，进一步了解诉求，明确下"
    "一步办理意见。对群众反映的事项要逐个回访，努力做到合理诉求办理到位，不合理投诉解释到位，涉"
    "法涉诉问题引导到位，杜绝超期办理。",
    "（三）严把考核工作。各镇街、各部门要建立12345市民热线工单办理台账及回访制度，提升办理效率"
    "和满意率，确保市民的诉求事事有回音、件件有着落。区政府办将对各镇街、各部门每月市民热线及市"
    "长信箱办理情况进行量化考核打分、评比，并进行全区通报，通报结果呈送区委、区政府主要领导。对"
    "因工单回复效率低、回复质量差被市上通报或连续三次被区级通报的镇街、部门，由单位主要领导向区"
    "委、区政府进行情况说明。",
    "联系人：聂洋 电话：3151139",
    "",
    "附件 1：2023 年 2 月金台区级市民热线办理考评表",
    "附件 2：2022 年 2 月金台区市长信箱信件办理统计表",
    "",
    "",
)
SIGNATURE = ("宝鸡市金台区人民政府办公室", "2023 年 3 月 6 日")

A1_LABEL, A1_TITLE = "附件 1:", "2023 年 2 月区级各部门市民热线办理考评表"
# Header row 1 as (text, columns spanned); a cell spanning one column also spans row 2.
A1_GROUPS = (
    ("序号", 1),
    ("部门名称", 1),
    ("办结得分\n(35分)", 2),
    ("按期办结得分\n(40分)", 2),
    ("逾期退单得分\n(5分)", 2),
    ("告警工单得分\n(10分)", 2),
    ("工作量得分\n(5分)", 3),
    ("返工工单得分", 1),
    ("最终得分", 1),
)
A1_SUBHEADS = ("工单数", "得分") * 4 + ("办结工单数量", "办结最高分", "得分")
# Rows 1-5 (15 cells) sit under the header; rows 6-35 follow on the next page and print one
# count more (16 cells) than the header has columns.
A1_ROWS = (
    "1 区市场监督管理局 135 35.00 135 40.00 0 5.00 0 10.00 135 345 1.96 5.00 96.96",
    "2 区城市管理执法局 172 35.00 169 39.30 0 5.00 0 10.00 172 345 2.49 5.00 96.80",
    "3 区教育局体育局 190 35.00 185 38.95 0 5.00 0 10.00 190 345 2.75 5.00 96.70",
    "4 十里铺街道办事处 42 35.00 42 40.00 0 5.00 0 10.00 42 345 0.61 5.00 95.61",
    "5 东风路街道办事处 39 35.00 39 40.00 0 5.00 0 10.00 39 345 0.57 5.00 95.57",
    "6 中山西路街道办事处 37 37 35.00 37 40.00 0 5.00 0 10.00 37 345 0.54 5.00 95.54",
    "7 区卫生健康局 31 31 35.00 31 40.00 0 5.00 0 10.00 31 345 0.45 5.00 95.45",
    "8 区医疗保障局 17 17 35.00 17 40.00 0 5.00 0 10.00 17 345 0.25 5.00 95.25",
    "9 金台区硃石镇 10 10 35.00 10 40.00 0 5.00 0 10.00 10 345 0.14 5.00 95.14",
    "10 区行政审批服务局 7 7 35.00 7 40.00 0 5.00 0 10.00 7 345 0.10 5.00 95.10",
    "11 区商务局 6 6 35.00 6 40.00 0 5.00 0 10.00 6 345 0.09 5.00 95.09",
    "12 区应急管理局 5 5 35.00 5 40.00 0 5.00 0 10.00 5 345 0.07 5.00 95.07",
    "13 市生态环境局金台分局 5 5 35.00 5 40.00 0 5.00 0 10.00 5 345 0.07 5.00 95.07",
    "14 区退役军人事务局 4 4 35.00 4 40.00 0 5.00 0 10.00 4 345 0.06 5.00 95.06",
    "15 区残联 3 3 35.00 3 40.00 0 5.00 0 10.00 3 345 0.04 5.00 95.04",
    "16 区文化和旅游游局 3 3 35.00 3 40.00 0 5.00 0 10.00 3 345 0.04 5.00 95.04",
    "17 区民政局 2 2 35.00 2 40.00 0 5.00 0 10.00 2 345 0.03 5.00 95.03",
    "18 金台区司法局 1 1 35.00 1 40.00 0 5.00 0 10.00 1 345 0.01 5.00 95.01",
    "19 金利苑筹建办 1 1 35.00 1 40.00 0 5.00 0 10.00 1 345 0.01 5.00 95.01",
    "20 北城建委 1 1 35.00 1 40.00 0 5.00 0 10.00 1 345 0.01 5.00 95.01",
    "21 政法委 1 1 35.00 1 40.00 0 5.00 0 10.00 1 345 0.01 5.00 95.01",
    "22 群众路街道办事处 50 50 35.00 49 39.20 0 5.00 0 10.00 50 345 0.72 5.00 94.92",
    "23 中山东路街道办事处 28 28 35.00 27 38.57 0 5.00 0 10.00 28 345 0.41 5.00 93.98",
    "24 区人力资源和社会保障局 216 216 35.00 191 35.37 0 5.00 0 10.00 216 345 3.13 5.00 93.50",
    "25 金台区蟠龙镇 20 20 35.00 19 38.00 0 5.00 0 10.00 20 345 0.29 5.00 93.29",
    "26 市自然资源和规划局金台分局 71 71 35.00 66 37.18 0 5.00 0 10.00 71 345 1.03 5.00 93.21",
    "27 西关街道办事处 49 49 35.00 45 36.73 0 5.00 0 10.00 49 345 0.71 5.00 92.44",
    "28 金台区金河镇 11 11 35.00 10 36.36 0 5.00 0 10.00 11 345 0.16 5.00 91.52",
    "29 区住房和城乡建设局 346 345 34.90 343 39.77 0 5.00 1 0.00 345 345 5.00 5.00 89.67",
    "30 金台区陈仓镇 20 20 35.00 17 34.00 0 5.00 0 10.00 20 345 0.29 5.00 89.29",
    "31 区林水局 6 6 35.00 5 33.33 0 5.00 0 10.00 6 345 0.09 5.00 88.42",
    "32 区交通运输局 5 5 35.00 4 32.00 0 5.00 0 10.00 5 345 0.07 5.00 87.07",
    "33 区农业农村分局 4 4 35.00 3 30.00 0 5.00 0 10.00 4 345 0.06 5.00 85.06",
    "34 卧龙寺街道办事处 48 48 35.00 33 27.50 0 5.00 0 10.00 48 345 0.70 5.00 83.20",
    "35 长乐源管委办 3 3 35.00 2 26.67 0 5.00 0 10.00 3 345 0.04 5.00 81.71",
)

A2_LABEL, A2_TITLE = "附件 2:", "2023 年 2 月区级各部门\n市长信箱留言办理情况统计表"
A2_HEAD = ("序号", "部门名称", "应办件数", "按期办结数", "办结数", "按期办结率")
A2_ROWS = (
    "1 区教育体育局 12 12 12 100%",
    "2 区住房和城乡建设局 6 6 6 100%",
    "3 区城市管理执法局 4 4 4 100%",
    "4 区数字化信息服务中心 3 3 3 100%",
    "5 中山西路街道办事处 3 3 3 100%",
    "6 陈仓镇 3 3 3 100%",
    "7 十里铺街道办事处 3 3 3 100%",
    "8 区市场监督管理局 3 3 3 100%",
    "9 硤石镇 1 1 1 100%",
    "10 区民政局 1 1 1 100%",
    "11 东风路街道办事处 1 1 1 100%",
    "12 区人力资源和社会保障局 1 1 1 100%",
    "13 西关街道办事处 1 1 1 100%",
    "14 区卫生健康局 1 1 1 100%",
    "15 区交通运输局 1 1 1 100%",
    "16 区行政审批服务局 1 1 1 100%",
    "17 市自然资源和规划局金台分局 8 7 8 88%",
)

# --- Layout (GB/T 9704 style) ---------------------------------------------------------------

SERIF, SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"  # from fonts-noto-cjk
LEFT, CENTER, RIGHT = kit.LEFT, kit.CENTER, kit.RIGHT
BODY_PT, BODY_LINE = 15, 26  # fixed line pitch; 15 pt keeps the letter on three pages
A1_PT, A1_ROW = 9, 15  # small and tight, so rows 6-35 fit on one landscape page
A1_WIDTHS = (28, 130, 52, 40, 40, 40, 40, 40, 40, 40, 60, 52, 40, 60, 44)
# The extra count of rows 6-35 takes half of the first 工单数 column, so the rest line up.
A1_WIDTHS_16 = (*A1_WIDTHS[:2], 26, 26, *A1_WIDTHS[3:])
A2_PT, A2_ROW = 12, 24
A2_WIDTHS = (32, 168, 56, 66, 48, 66)


def _run(par, text, size, font=SERIF, bold=False, color=None):
    return kit.add_run(par, text, size, font, bold, color)


def _para(parent, text, size=BODY_PT, font=SERIF, align=LEFT, line=BODY_LINE, bold=False):
    return kit.add_para(parent, text, size, font, align, line, bold)


def _defaults(doc):
    kit.set_default_font(doc, SERIF)
    props = doc.core_properties
    props.title, props.author = "".join(TITLE_LINES), ISSUER
    props.created = props.modified = dt.datetime(2023, 3, 6, 9, 0)


def _letter(doc):
    head = _para(doc, "", align=CENTER, line=44)
    _run(head, ISSUER, 30, SERIF, True, "E00000")
    rule = OxmlElement("w:pBdr")  # the red separator line under the issuer
    rule.append(kit.edge("w:bottom", 18, "E00000"))
    head._p.get_or_add_pPr().insert_element_before(rule, "w:spacing", "w:ind", "w:jc")
    title = _para(doc, "\n".join(TITLE_LINES), 22, align=CENTER, line=34, bold=True)
    title.paragraph_format.space_before = Pt(BODY_LINE)
    _para(doc, RECIPIENTS).paragraph_format.space_before = Pt(BODY_LINE)
    for text in BODY:
        level = len(text) - len(text.lstrip("#"))
        font = SANS if level == 1 else SERIF
        par = _para(doc, text.lstrip("# "), font=font, align=kit.JUSTIFY, bold=level == 2)
        par.paragraph_format.first_line_indent = Pt(2 * BODY_PT)
    for text, chars in zip(SIGNATURE, (2, 4), strict=True):  # date 4 chars in from the right
        _para(doc, text, align=RIGHT).paragraph_format.right_indent = Pt(chars * BODY_PT)


def _grid(doc, n_rows, widths, height):
    """A fixed-width table ruled on all sides; borders set directly so LibreOffice draws them."""
    table = doc.add_table(rows=n_rows, cols=len(widths))
    table.alignment, table.autofit = WD_TABLE_ALIGNMENT.CENTER, False
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    kit.table_borders(table._tbl.tblPr, dict.fromkeys(sides, 4))
    kit.cell_margins(table._tbl.tblPr)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Pt(width)
        for cell in column.cells:
            cell.width = Pt(width)
    for row in table.rows:
        row.height, row.height_rule = Pt(height), WD_ROW_HEIGHT_RULE.EXACTLY
    return table


def _fill(cell, text, size, font=SERIF):
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    _run(kit.set_format(cell.paragraphs[0], CENTER, size * 1.25), text, size, font)


def _body_rows(rows, lines, size):
    for row, line in zip(rows, lines, strict=True):
        for cell, text in zip(row.cells, line.split(), strict=True):
            _fill(cell, text, size)


def _attachment_title(doc, label, title, size):
    _para(doc, label, size, SANS, line=size * 1.6)
    par = _para(doc, title, size + 4, align=CENTER, line=(size + 4) * 1.5, bold=True)
    par.paragraph_format.space_after = Pt(size * 0.6)


def _attachment_1(doc):
    _attachment_title(doc, A1_LABEL, A1_TITLE, 14)
    table = _grid(doc, 2 + 5, A1_WIDTHS, A1_ROW)
    top, sub = table.rows[0].cells, table.rows[1].cells  # taken before any merge
    col = 0
    for text, span in A1_GROUPS:
        last = top[col + span - 1] if span > 1 else sub[col]
        _fill(top[col].merge(last), text, A1_PT, SANS)
        col += span
    for cell, text in zip(sub[2:13], A1_SUBHEADS, strict=True):
        _fill(cell, text, A1_PT, SANS)
    for row in table.rows[:2]:
        row.height, row.height_rule = Pt(A1_ROW + 9), WD_ROW_HEIGHT_RULE.AT_LEAST
    _body_rows(table.rows[2:], A1_ROWS[:5], A1_PT)
    # Rows 6-35 continue on the next page as a second table, without a repeated header.
    kit.page_break(doc)
    rest = _grid(doc, len(A1_ROWS) - 5, A1_WIDTHS_16, A1_ROW)
    _body_rows(rest.rows, A1_ROWS[5:], A1_PT)


def _attachment_2(doc):
    _attachment_title(doc, A2_LABEL, A2_TITLE, 16)
    table = _grid(doc, 1 + len(A2_ROWS), A2_WIDTHS, A2_ROW)
    for cell, text in zip(table.rows[0].cells, A2_HEAD, strict=True):
        _fill(cell, text, A2_PT, SANS)
    _body_rows(table.rows[1:], A2_ROWS, A2_PT)


def build():
    doc = Document()
    _defaults(doc)
    kit.set_page(doc.sections[0], landscape=False)
    kit.add_footer(doc.sections[0], SERIF)  # later sections inherit it
    _letter(doc)
    kit.new_section(doc, landscape=True)
    _attachment_1(doc)
    kit.new_section(doc, landscape=False)
    _attachment_2(doc)
    return doc


def to_pdf(docx):
    """Render with LibreOffice (see office.py)."""
    return office.convert([docx], docx.parent)[0]


def main():
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    docx = OUT_DIR / f"{STEM}.docx"
    build().save(str(docx))
    print(docx)
    print(to_pdf(docx))


if __name__ == "__main__":
    main()
