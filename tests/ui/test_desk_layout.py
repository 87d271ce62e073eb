"""The desk screens as a hall buyer looks at them: arrows on every spin and combo box, charts
that can be read, figures from a real morning, and the manager's tabs fitting 1366 x 768."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QComboBox, QSpinBox, QStyle, QStyleOptionComboBox, QStyleOptionSpinBox, QWidget

from kiosk import open_hall
from kiosk.models import Staff
from ui.context import TerminalContext
from ui.worker import drain_jobs

MANAGER = Staff(login="admin", name="陈建华", role="manager")
SIZE = (1366, 768)


@pytest.fixture
def app(qapp):
    from ui.app import create_application

    return create_application()


@pytest.fixture
def busy_ctx(tmp_path: Path, app):
    """A hall after the screenshots' morning: tickets served with real waits, ratings, reviews."""
    from ui.screenshots import demo_activity, scene_clock

    clock = scene_clock()
    hall = open_hall(tmp_path / "h.db", seed_demo=True, durable=False, clock=clock)
    demo_activity(hall, clock)
    context = TerminalContext(hall)
    yield context
    drain_jobs()  # the console's reads of the day call back before the hall closes
    context.close()
    hall.close()


def dark_pixels(image: QImage, rect) -> int:  # noqa: ANN001 - a QRect
    n = 0
    for x in range(rect.left(), rect.right() + 1):
        for y in range(rect.top(), rect.bottom() + 1):
            if QColor(image.pixel(x, y)).lightness() < 90:
                n += 1
    return n


def test_spin_and_combo_boxes_draw_their_arrows(qtbot, app) -> None:
    from ui import theme

    host = QWidget()
    qtbot.addWidget(host)
    spin, combo = QSpinBox(host), QComboBox(host)
    spin.setRange(0, 10)
    spin.setValue(5)
    theme.tidy_spin_box(spin)
    combo.addItems(["窗口领取", "邮寄送达"])
    spin.setGeometry(10, 10, 200, 44)
    combo.setGeometry(10, 70, 200, 44)
    host.resize(240, 130)
    host.show()
    qtbot.waitExposed(host)
    image = host.grab().toImage()

    opt = QStyleOptionSpinBox()
    opt.initFrom(spin)
    opt.rect = spin.rect()
    opt.frame = True
    opt.subControls = QStyle.SubControl.SC_All
    for sc in (QStyle.SubControl.SC_SpinBoxUp, QStyle.SubControl.SC_SpinBoxDown):
        r = spin.style().subControlRect(QStyle.ComplexControl.CC_SpinBox, opt, sc, spin).translated(spin.pos())
        assert r.width() >= 16 and dark_pixels(image, r) >= 12, sc  # a drawn triangle, not a corner mark
    copt = QStyleOptionComboBox()
    copt.initFrom(combo)
    copt.rect = combo.rect()
    arrow = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, copt, QStyle.SubControl.SC_ComboBoxArrow,
                                         combo).translated(combo.pos())
    assert arrow.width() >= 16 and dark_pixels(image, arrow) >= 20
    # and the first digit keeps off the spin box's left border
    assert spin.lineEdit().textMargins().left() >= 4


def test_chart_labels_stay_readable_with_every_category(qtbot, app) -> None:
    from PySide6.QtGui import QFontMetrics

    from ui.admin.charts import BOTTOM_PX, LABEL_MIN_PX, TOP_PX, BarChart

    chart = BarChart("今日取号（按分类）", "个")
    qtbot.addWidget(chart)
    chart.set_data([(f"{c} 分类{c}", float(i)) for i, c in enumerate("ABCDEFGHIJ")])
    chart.resize(600, chart.minimumHeight())
    assert chart.label_font().pixelSize() >= LABEL_MIN_PX >= 14
    # the chart asks for the height its rows need: ten rows of 14 px labels do not overlap
    row_height = (chart.height() - TOP_PX - BOTTOM_PX) / 10
    assert row_height >= QFontMetrics(chart.label_font()).height()


def test_the_screenshot_morning_has_real_waits_service_times_and_ratings(busy_ctx) -> None:
    hall = busy_ctx.hall
    report = hall.report(hall.today())
    assert report.totals.served >= 20
    assert report.totals.avg_wait_min > 0 and report.totals.avg_service_min > 0
    assert len(report.by_window) >= 4 and sum(g.avg_wait_min > 0 for g in report.by_window) >= 3
    assert report.ratings >= 10 and 0 < report.satisfaction < 1
    assert report.acceptances > 0 and report.notices > 0 and report.rongque_acceptances > 0
    assert [r.status for r in hall.bad_reviews()] == ["called_back", "open"]
    status = hall.queue_status()
    assert sum(status.waiting.values()) > 0  # people still waiting for the display and the report
    assert any(w.clerk and not w.current for w in status.windows)  # a window free for a new call


def _console(qtbot, ctx):
    from ui.admin import AdminConsole

    console = AdminConsole(ctx, MANAGER)
    qtbot.addWidget(console)
    console.resize(*SIZE)
    console.show()
    qtbot.waitExposed(console)
    return console


def test_the_catalog_tab_fits_a_1366_screen(qtbot, busy_ctx) -> None:
    console = _console(qtbot, busy_ctx)
    tab = console.catalog
    console.tabs.setCurrentWidget(tab)  # the board is the console's first tab
    rich = max(busy_ctx.hall.matters(), key=lambda m: len(m.materials))
    tab.select_matter(rich.code)
    qtbot.wait(50)
    assert tab.cat_table.verticalScrollBar().maximum() == 0  # every category row in sight
    header = tab.cat_table.horizontalHeader()
    for col in range(tab.cat_table.columnCount()):  # no heading cut (the English rides hidden)
        if tab.cat_table.isColumnHidden(col):
            continue
        label = tab.cat_table.horizontalHeaderItem(col).text()
        assert header.sectionSize(col) >= header.fontMetrics().horizontalAdvance(label)
    for field in (tab.f_name, tab.f_dept):  # the long ones are shown whole
        assert field.fontMetrics().horizontalAdvance(field.text()) < field.width() - 12
        assert field.toolTip() == field.text()
    t = tab.mat_table
    assert t.columnWidth(0) >= 200  # the material name has the room
    for r in range(t.rowCount()):
        for col in (0, 4, 8):
            assert t.item(r, col).toolTip() == t.item(r, col).text()
    assert tab.matter_list.currentItem().data(256) == rich.code  # the list shows the matter in the form


def test_the_settings_and_report_tabs_fit_without_scrolling(qtbot, busy_ctx) -> None:
    from PySide6.QtWidgets import QScrollArea

    console = _console(qtbot, busy_ctx)
    console.tabs.setCurrentWidget(console.settings)
    qtbot.wait(50)
    scroll = console.settings.findChild(QScrollArea)
    assert scroll.verticalScrollBar().maximum() == 0

    reports = console.reports
    console.tabs.setCurrentWidget(reports)
    reports.make_report_now(busy_ctx.hall.today(), busy_ctx.hall.today())
    reports.refresh_today_now()
    qtbot.wait(50)
    assert reports.table.verticalScrollBar().maximum() == 0  # every category and the total row
    assert "合计" == reports.table.item(reports.table.rowCount() - 1, 0).text()
    table, header = reports.table, reports.table.horizontalHeader()
    for r in range(table.rowCount()):  # every category's name whole, not "不动…"
        name = table.item(r, 0).text()
        assert table.columnWidth(0) >= table.fontMetrics().horizontalAdvance(name) + 8, name
    for col in range(table.columnCount()):  # and every heading, line by line
        for line in table.horizontalHeaderItem(col).text().splitlines():
            assert header.sectionSize(col) >= header.fontMetrics().horizontalAdvance(line), line
    assert len(reports.chart_waits.items) >= 4 and max(v for _, v in reports.chart_waits.items) > 0


def test_a_refusal_names_its_source_once() -> None:
    from ui.admin.common import readable

    assert readable("事项：事项“有限责任公司变更登记”.materials[0]：主要材料不允许容缺") == (
        "事项“有限责任公司变更登记” 第1项材料：主要材料不允许容缺")
    assert readable("设置：端口无效") == "设置：端口无效"
