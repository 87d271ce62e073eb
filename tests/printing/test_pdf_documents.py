"""The A4 documents read back: text with pypdf, the QR code from a rendered page, the font."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re

import pytest
from printing_data import make_application, make_checklist, make_hall, make_notice, make_report, make_url_hall

from kiosk.models import Application, Checklist, HallInfo, Notice, Report
from printing import pdf_layout
from printing.pdf_checklist import build_checklist_pdf
from printing.pdf_notice import build_notice_pdf
from printing.pdf_receipt import build_receipt_pdf
from printing.pdf_report import build_report_pdf
from printing.pdf_rongque import build_rongque_pdf

# --- fixtures (see printing_data for why there is no conftest here) ---


@pytest.fixture
def application() -> Application:
    return make_application()


@pytest.fixture
def checklist() -> Checklist:
    return make_checklist()


@pytest.fixture
def hall() -> HallInfo:
    return make_hall()


@pytest.fixture
def notice() -> Notice:
    return make_notice()


@pytest.fixture
def report() -> Report:
    return make_report()


@pytest.fixture
def url_hall() -> HallInfo:
    return make_url_hall()


def pdf_text(data: bytes) -> str:
    """All pages' text with whitespace removed: table cells and wrapped lines join up."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def page_count(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def qr_codes(data: bytes, page: int = 0) -> list[str]:
    import pypdfium2
    import zxingcpp

    image = pypdfium2.PdfDocument(data)[page].render(scale=2).to_pil()
    return [r.text for r in zxingcpp.read_barcodes(image)]


@pytest.fixture
def no_fallback_font(monkeypatch: pytest.MonkeyPatch):
    """Fonts registered as on a machine without WenQuanYi Zen Hei."""
    monkeypatch.setattr(pdf_layout, "fallback_font_path", lambda: None)
    pdf_layout.load_fallback_font.cache_clear()
    yield
    pdf_layout.load_fallback_font.cache_clear()


# --- the receipt -----------------------------------------------------------------------


def test_receipt_shows_every_field_the_domain_requires(application: Application, hall: HallInfo) -> None:
    text = pdf_text(build_receipt_pdf(application, hall))
    for expected in (
        "受理回执",
        "330106202611250001",  # application number, printed whole
        "张*",
        "330106********1234",
        "138****5678",
        "个体工商户设立登记",
        "西湖区市场监督管理局",
        "收件时间2026年11月25日09:20",
        "受理时间2026年11月25日09:41",
        "承诺办结日期2026年11月30日",
        "王晓燕",
        "3号窗口",
        "收费标准不收费",
        "个体工商户登记（备案）申请书",
        "经营场所使用证明",
        "免提交",
        "容缺待补材料",
        "食品经营许可相关说明2026年11月30日待补齐",
        "扫描右上角二维码",
        "结果送达方式窗口领取",
        "申请人（签名）",
        "杭州市西湖区民生服务中心",
        "地址：杭州市西湖区文三路100号",
        "电话：0571-88888888",
    ):
        assert expected in text, expected


def test_receipt_leaves_out_materials_that_do_not_apply(application: Application, hall: HallInfo) -> None:
    assert "委托代理人身份证明" not in pdf_text(build_receipt_pdf(application, hall))


def test_receipt_qr_code_scans_to_the_application_number(application: Application, hall: HallInfo) -> None:
    assert qr_codes(build_receipt_pdf(application, hall)) == [application.number]


def test_receipt_qr_code_carries_the_follow_url_when_the_hall_has_one(
    application: Application, url_hall: HallInfo
) -> None:
    assert qr_codes(build_receipt_pdf(application, url_hall)) == ["https://hall.example/a/QXBwbGljYXRpb24x"]


def test_provisional_promised_date_is_marked_and_explained(hall: HallInfo) -> None:
    app = make_application(promised_date=dt.date(2027, 1, 8), promised_provisional=True)
    text = pdf_text(build_receipt_pdf(app, hall))
    assert "2027年1月8日（暂定）" in text
    assert "尚未公布法定节假日安排" in text


def test_post_delivery_is_stated(hall: HallInfo) -> None:
    text = pdf_text(build_receipt_pdf(make_application(delivery="post"), hall))
    assert "结果送达方式邮寄送达" in text


def test_full_id_number_in_the_id_field_is_masked_on_paper(hall: HallInfo) -> None:
    app = make_application(applicant_id_masked="33010619900307123X")
    text = pdf_text(build_receipt_pdf(app, hall))
    assert "33010619900307123X" not in text
    assert "330106********123X" in text


def test_font_is_embedded_as_a_truetype_subset(application: Application, hall: HallInfo) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(build_receipt_pdf(application, hall)))
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is not None:
                    fonts.append(descriptor.get_object())
    assert fonts
    assert all("/FontFile2" in d for d in fonts)
    assert all(re.match(r"^/[A-Z]{6}\+", d["/FontName"]) for d in fonts)  # subset tag


def test_same_application_gives_the_same_pdf_bytes(application: Application, hall: HallInfo) -> None:
    assert build_receipt_pdf(application, hall) == build_receipt_pdf(application, hall)


def test_one_page_receipt_stays_small(application: Application, hall: HallInfo) -> None:
    data = build_receipt_pdf(application, hall)
    assert page_count(data) == 1
    assert len(data) < 120_000


# --- characters the font cannot draw ---------------------------------------------------


@pytest.mark.usefixtures("no_fallback_font")
def test_name_character_missing_from_the_font_is_shown_as_its_code_point(hall: HallInfo) -> None:
    app = make_application(applicant_name="𠮷*", matter_name="䶮字测试登记")
    text = pdf_text(build_receipt_pdf(app, hall))
    assert "[U+20BB7]*" in text
    assert "[U+4DAE]字测试登记" in text


@pytest.mark.usefixtures("no_fallback_font")
def test_markup_keeps_drawable_characters_and_escapes_markup() -> None:
    assert pdf_layout.markup("王<b>&") == "王&lt;b&gt;&amp;"
    assert pdf_layout.markup("〇·￥") == "〇·￥"


def test_missing_character_is_drawn_with_zen_hei_when_installed() -> None:
    fallback = pdf_layout.load_fallback_font()
    if fallback is None or 0x4DAE not in fallback.cmap:
        pytest.skip("WenQuanYi Zen Hei (fonts-wqy-zenhei) is not installed or lacks U+4DAE")
    assert pdf_layout.markup("王䶮") == f'王<font name="{fallback.name}">䶮</font>'
    assert pdf_layout.markup("𠮷") == "[U+20BB7]"  # Extension B: not even Zen Hei has it


def test_receipt_with_zen_hei_character_embeds_both_fonts(hall: HallInfo) -> None:
    fallback = pdf_layout.load_fallback_font()
    if fallback is None or 0x4DAE not in fallback.cmap:
        pytest.skip("WenQuanYi Zen Hei (fonts-wqy-zenhei) is not installed")
    text = pdf_text(build_receipt_pdf(make_application(applicant_name="䶮*"), hall))
    assert "䶮*" in text and "[U+4DAE]" not in text


# --- 容缺 notice and undertaking ---------------------------------------------------------


def test_rongque_notice_lists_items_deadlines_and_the_consequence(application: Application, hall: HallInfo) -> None:
    data = build_rongque_pdf(application, hall)
    text = pdf_text(data)
    assert page_count(data) == 2  # the citizen's notice, the hall's signed undertaking
    assert "容缺受理通知书" in text and "容缺受理承诺书" in text
    assert "食品经营许可相关说明" in text and "2026年11月30日" in text
    assert "本次申请予以终止" in text and "须重新提出申请" in text
    assert "承诺人（签名）" in text and "日期：" in text
    assert qr_codes(data, page=1) == [application.number]


def test_rongque_uses_the_undertaking_text_the_citizen_signed(hall: HallInfo) -> None:
    app = make_application(undertaking="本人承诺在期限内补齐材料，逾期申请终止。")
    assert "本人承诺在期限内补齐材料，逾期申请终止。" in pdf_text(build_rongque_pdf(app, hall))


def test_rongque_notice_refuses_an_application_without_pending_items(hall: HallInfo) -> None:
    with pytest.raises(ValueError, match="没有容缺材料"):
        build_rongque_pdf(make_application(pending=()), hall)


# --- one-time notice -------------------------------------------------------------------


def test_one_time_notice_cites_article_32_lists_every_item_and_is_dated(notice: Notice, hall: HallInfo) -> None:
    text = pdf_text(build_notice_pdf(notice, hall))
    assert "一次性告知书" in text
    assert "《中华人民共和国行政许可法》第三十二条" in text
    assert "GZ330106202611250003" in text
    for item in notice.items:
        assert item.name in text
        assert item.reason in text
        assert item.what_to_bring.replace(" ", "") in text
    assert "缺少" in text and "有误" in text
    assert "共2项" in text
    assert "2026年11月25日" in text
    assert "330106********5678" in text


def test_a_notice_and_checklist_with_the_longest_note_the_catalog_takes_still_print(
    notice: Notice, checklist: Checklist, hall: HallInfo
) -> None:
    """The catalog takes notes up to 4,000 characters and the notice copies a material's notes
    into its cell: a row taller than a page goes on over the next one, never fails the document."""
    from kiosk.catalog import MAX_TEXT

    note = ("须提供近三个月内出具的证明原件，" * 400)[:MAX_TEXT - 4] + "以此为准"
    item = dataclasses.replace(notice.items[0], reason=note, what_to_bring=note)
    text = pdf_text(build_notice_pdf(dataclasses.replace(notice, items=(item, *notice.items[1:])), hall))
    assert text.count("以此为准") == 2 and "《中华人民共和国行政许可法》第三十二条" in text
    first = checklist.items[0]
    long_item = dataclasses.replace(first, material=dataclasses.replace(first.material, notes=note))
    document = build_checklist_pdf(dataclasses.replace(checklist, items=(long_item, *checklist.items[1:])), hall)
    assert "以此为准" in pdf_text(document) and page_count(document) >= 2


def test_the_footer_of_a_hall_with_a_long_name_and_address_keeps_its_phone_clear_of_the_page_number(
    application: Application,
) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    hall = HallInfo("330106", "杭州市西湖区行政服务中心（市民之家）",
                    "浙江省杭州市西湖区西溪路3号西湖区行政服务中心一楼大厅", "0571-85086000")
    lines, size = pdf_layout.footer_lines(hall, pdf_layout.load_fonts().name)
    assert len(lines) == 2 and size == 8.5 and "0571-85086000" in lines[0]
    assert all(stringWidth(line, pdf_layout.load_fonts().name, size) <= pdf_layout.FOOTER_W for line in lines)
    text = pdf_text(build_rongque_pdf(application, hall))
    assert "咨询电话：0571-85086000" in text  # in the body too: the footer is not the only place
    short = pdf_layout.footer_lines(make_hall(), pdf_layout.load_fonts().name)
    assert len(short[0]) == 1  # a short one stays on one line


def test_one_time_notice_has_a_qr_only_when_it_belongs_to_an_application(notice: Notice, hall: HallInfo) -> None:
    assert qr_codes(build_notice_pdf(notice, hall)) == []
    linked = dataclasses.replace(notice, application_number="330106202611250009")
    assert qr_codes(build_notice_pdf(linked, hall)) == ["330106202611250009"]


# --- checklist -------------------------------------------------------------------------


def test_checklist_separates_what_to_bring_shared_data_and_other_situations(
    checklist: Checklist, hall: HallInfo
) -> None:
    text = pdf_text(build_checklist_pdf(checklist, hall))
    bring = text.index("一、需要携带的材料")
    shared = text.index("二、免提交材料")
    other = text.index("三、其他情形下需要的材料")
    assert bring < text.index("经营场所使用证明") < shared
    assert shared < text.index("经营者身份证明") < other
    assert "免提交" in text[shared:other]
    assert other < text.index("委托代理人身份证明及授权委托书")
    assert "委托代理人办理的" in text[other:]
    assert "适用情形：从事食品经营的" in text
    assert "可容缺" in text


def test_checklist_shows_time_limits_fee_department_and_answers(checklist: Checklist, hall: HallInfo) -> None:
    text = pdf_text(build_checklist_pdf(checklist, hall))
    for expected in ("个体工商户设立登记", "承诺时限3个工作日", "法定时限15个工作日", "收费标准不收费",
                     "西湖区市场监督管理局", "您的情形从事食品经营的", "330106-GT-001"):
        assert expected in text, expected


# --- report ----------------------------------------------------------------------------


def test_report_shows_totals_acceptance_one_visit_share_and_satisfaction(report: Report, hall: HallInfo) -> None:
    text = pdf_text(build_report_pdf(report, hall))
    for expected in ("服务大厅运行日报", "统计期间：2026年11月25日", "取号总数182", "已办结171",
                     "其中容缺受理11", "一次性告知7", "容缺逾期1", "97件，占94.2%", "满意率97.9%",
                     "未整改差评1"):
        assert expected in text, expected


def test_report_has_tables_by_category_window_and_clerk(report: Report, hall: HallInfo) -> None:
    text = pdf_text(build_report_pdf(report, hall))
    assert text.index("四、按业务类别") < text.index("不动产登记") < text.index("五、按窗口")
    assert text.index("五、按窗口") < text.index("3号窗口") < text.index("六、按工作人员")
    assert text.index("六、按工作人员") < text.index("陈建国")
    assert "合计" in text


def test_report_over_several_days_names_the_range(report: Report, hall: HallInfo) -> None:
    ranged = dataclasses.replace(report, date_to=dt.date(2026, 11, 30))
    text = pdf_text(build_report_pdf(ranged, hall))
    assert "服务大厅运行报表" in text
    assert "2026年11月25日至2026年11月30日" in text


def test_the_qr_code_is_encoded_once_and_every_page_refers_to_it(hall: HallInfo) -> None:
    import pypdf

    story = [pdf_layout.para("第一页"), *pdf_layout.new_titled_page(), pdf_layout.para("第二页")]
    data = pdf_layout.render(story, hall, "测试", qr_payload="330106202611250001")
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    forms = [page["/Resources"]["/XObject"] for page in pages]
    assert len(pages) == 2 and all(len(f) == 1 for f in forms)
    assert forms[0][next(iter(forms[0]))].indirect_reference == forms[1][next(iter(forms[1]))].indirect_reference
    assert all(b" re" not in page.get_contents().get_data() for page in pages)  # no rectangles drawn per page
    assert [qr_codes(data, page=i) for i in range(2)] == [["330106202611250001"]] * 2
