"""The hall's settings, grouped as a manager thinks of them; saved all together or not at all.

Number fields accept out-of-range values on purpose: the facade's validator owns the rules
and its Chinese message says what is wrong, instead of a spin box silently clamping.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from devices.ports import port_problems
from kiosk import Hall
from kiosk.errors import ValidationError
from kiosk.settings import BAUD_RATES, TEXT_NAMES, pattern_problems
from ui import theme
from ui.admin.common import AdminTab, muted_label, options_combo, side_by_side

PORTS = ("idcard_port", "printer_port", "scanner_port")
BAUDS = {str(b): str(b) for b in BAUD_RATES}
POLICIES = {"strict": "严格优先：优先号总是先叫", "ratio": "按比例：每 N 个普通号插 1 个优先号"}
OVERDUE = {"terminate": "终止办件", "mark": "仅标记逾期"}
UNRATED = {"0": "不计入评价", "5": "非常满意", "4": "满意", "3": "基本满意"}
# the application-number rule as a manager chooses it; the stored value stays the template
CUSTOM = ""  # the combo's data for a rule typed by hand
NUMBER_RULES = {
    "{hall}{date:%Y%m%d}{seq:05d}": "大厅代码＋年月日＋5位序号",
    "{hall}-{date:%Y%m%d}-{seq:05d}": "大厅代码-年月日-5位序号（带短横线）",
    "{hall}{date:%Y%m%d}{seq:06d}": "大厅代码＋年月日＋6位序号",
    "{date:%Y%m%d}{seq:05d}": "年月日＋5位序号（不含大厅代码）",
    CUSTOM: "自定义（按省里规定的写法）",
}
NUMBER_HELP = ("自定义写法：{hall} 代表行政区划代码，{date:%Y%m%d} 代表受理日期（年月日），"
               "{seq:05d} 代表当天第几件（5位，不足补0）；须含日期和序号，其余只可用字母、数字或短横线。")
_ENCODINGS = {"gb18030": "全部汉字", "gbk": "常用汉字", "utf-8": "UTF-8编码"}
_CUTS = {"full": "全切", "partial": "半切", "none": "无切刀"}


def profile_words(name: str) -> str:
    """A printer profile as a manager picks it (paper width, characters, cutter); the code it
    is stored as (generic-80) stays in the setting and shows in the tooltip."""
    from printing.profiles import DEFAULT_PROFILE, PROFILES

    p = PROFILES.get(name)
    if p is None:
        return name
    words = [_ENCODINGS.get(p.encoding, p.encoding), _CUTS.get(p.cut, p.cut)]
    if not p.native_qr:
        words.append("二维码按图片打印")
    # the paper width first: what a manager reads off the printer; the rest may be cut short in the box
    return f"{p.paper_mm}毫米纸" + ("（推荐）" if name == DEFAULT_PROFILE else "") + "：" + "、".join(words)


def number_preview(pattern: str, hall_code: str, day: dt.date, seq: int = 1) -> tuple[bool, str]:
    """(usable, words): the application number this rule gives the day's `seq`th application,
    or why it cannot be used (the rule the hall checks when the settings are saved)."""
    problems = pattern_problems(pattern, hall_code or "330106")
    if problems:
        return False, "此规则不能使用：" + "；".join(problems)
    at = dt.datetime.combine(day, dt.time(9, 0))
    return True, f"编号示例：{pattern.format(hall=hall_code, date=at, seq=seq)}（今天受理的第{seq}件）"


def _spin(low: int = -999, high: int = 999_999, suffix: str = "") -> QSpinBox:
    s = QSpinBox()
    s.setRange(low, high)
    s.setSuffix(suffix)
    s.setMaximumWidth(200)  # a number and its unit, not a line of text
    theme.tidy_spin_box(s)
    return s


class SettingsTab(AdminTab):
    title = "设置"

    shown: dict[str, object] = {}  # the form's values as last read from the hall

    def __init__(self, hall: Hall, parent: QWidget | None = None) -> None:
        super().__init__(hall, parent)
        from printing.profiles import PROFILES

        w: dict[str, QWidget] = {
            "hall_name": QLineEdit(), "hall_code": QLineEdit(), "hall_address": QLineEdit(),
            "hall_phone": QLineEdit(), "follow_url": QLineEdit(), "display_notice": QLineEdit(),
            "priority_policy": options_combo(POLICIES), "priority_ratio": _spin(suffix=" 个普通号"),
            "max_skips": _spin(suffix=" 次"),
            "idle_seconds": _spin(suffix=" 秒无人操作"), "manager_pin": QLineEdit(),
            "helper_response_seconds": _spin(suffix=" 秒无人接手"),
            "allow_phone_instead_of_id": QCheckBox("无身份证时可用手机号取号"),
            "allow_skip_id": QCheckBox("可不刷证直接取号"),
            "application_pattern": QLineEdit(), "pending_overdue_policy": options_combo(OVERDUE),
            "bad_review_callback_days": _spin(suffix=" 个工作日"), "bad_review_rectify_days": _spin(suffix=" 个工作日"),
            "retention_days": _spin(suffix=" 天"),
            "unrated_counts_as": options_combo(UNRATED), "unrated_after_days": _spin(suffix=" 个工作日"),
            "idcard_port": QLineEdit(), "idcard_baud": options_combo(BAUDS),
            "printer_port": QLineEdit(), "printer_baud": options_combo(BAUDS), "printer_profile": options_combo({p: profile_words(p) for p in PROFILES}),
            "scanner_port": QLineEdit(), "scanner_baud": options_combo(BAUDS),
        }
        self.fields = w
        w["manager_pin"].setEchoMode(QLineEdit.EchoMode.Password)
        w["idle_seconds"].setToolTip("自助终端上无人操作这么久，就清除本次填写的内容，回到首页")
        w["bad_review_callback_days"].setPrefix("回访 ")
        w["bad_review_rectify_days"].setPrefix("整改 ")
        w["unrated_after_days"].setPrefix("超过 ")
        for combo in w.values():  # a long choice is cut short in the box, not widening the column
            if isinstance(combo, QComboBox):
                combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                combo.setMinimumContentsLength(6)
        printer_model = w["printer_profile"]
        printer_model.setToolTip("打印机型号决定小票的汉字、二维码和切纸方式；不清楚时选“推荐”")
        for i in range(printer_model.count()):  # type: ignore[attr-defined]
            printer_model.setItemData(  # type: ignore[attr-defined]
                i, f"{printer_model.itemText(i)}（型号代码 {printer_model.itemData(i)}）",  # type: ignore[attr-defined]
                Qt.ItemDataRole.ToolTipRole)
        w["helper_response_seconds"].setToolTip("帮办呼叫超过这个时间无人接手，会再次提醒并记为超时")


        w["unrated_after_days"].setToolTip("办结后多少个工作日内未评价，即视为所选等级")
        w["bad_review_callback_days"].setToolTip("差评回访期限")
        w["bad_review_rectify_days"].setToolTip("差评整改期限")
        # the PIN is stored only hashed and never read back: the field is for a new one
        w["manager_pin"].setPlaceholderText("留空则不修改")
        for key in PORTS:
            w[key].setPlaceholderText("未连接")  # an empty port: no such device on the PC
            w[key].setToolTip("如 /dev/ttyUSB0、COM3、socket://10.0.0.5:9100；留空即本机没有这台设备")

        groups = [
            ("大厅信息", [(TEXT_NAMES[key], key) for key in TEXT_NAMES],  # named as the hall's messages name them
             "填公网访问地址后，二维码可用手机查进度；留空则只含编号。"),
            ("取号与叫号", [("优先策略", "priority_policy"), ("比例 N", "priority_ratio"),
                            ("过号可重呼", "max_skips")],
             "每日取号上限按分类设置（见“事项目录”中的分类）。号码为前缀字母加三位数，每日重置。"),
            ("自助终端", [("返回首页", "idle_seconds"), ("帮办时限", "helper_response_seconds"),
                          ("管理员PIN", "manager_pin"),
                          ("", "allow_phone_instead_of_id"), ("", "allow_skip_id")],
             "身份证号在任何屏幕和小票上都只显示前6后4位。"),
            ("受理与评价", [("办件编号规则", "application_pattern"), ("容缺逾期", "pending_overdue_policy"),
                            ("差评回访/整改", "bad_review_callback_days", "bad_review_rectify_days"),
                            ("个人信息保留", "retention_days"), ("未评价视为", "unrated_counts_as", "unrated_after_days")],
             "办件编号永不重复：每天的序号从1起，编号里须有日期。"),
            # each port with its baud rate on one line
            ("设备连接", [("身份证阅读器", "idcard_port", "idcard_baud"),
                                          ("取号打印机", "printer_port", "printer_baud"),
                                          ("打印机型号", "printer_profile"),
                                          ("扫码器", "scanner_port", "scanner_baud")],
             "端口填设备接在电脑上的口，如 COM3、/dev/ttyUSB0，网络打印机如 socket://10.0.0.5:9100；"
             "留空即未连接。窗口工作台只用读卡器。"
             "某台电脑的设备与此不同时，在“终端登记”中为它单独设置。改动即时生效。"),
        ]
        self.labels = {key: (label or w[key].text()) + ("波特率" if key.endswith("_baud") else "")  # type: ignore[attr-defined]
                       for _, rows, _ in groups for label, *keys in rows for key in keys}
        placed = {**w, "application_pattern": self._number_rule_box()}
        inner = QWidget()
        grid = QGridLayout(inner)
        # three columns of two boxes, so everything is in sight at 1366 x 768 without scrolling:
        # (hall, kiosk) (queue, acceptance) (devices, exclusions); labels aligned down a column
        place = [(0, 0), (0, 1), (1, 0), (1, 1), (0, 2)]
        self._label_columns: list[list[QWidget]] = [[], [], []]
        for (title, rows, note), (r, c) in zip(groups, place, strict=True):
            box = QGroupBox(title)
            form = QFormLayout(box)
            for label, *keys in rows:
                field = placed[keys[0]] if len(keys) == 1 else side_by_side(*(w[k] for k in keys))
                form.addRow(label, field)
                if label:
                    self._label_columns[c].append(form.labelForField(field))
            if note:
                form.addRow(muted_label(note))
            grid.addWidget(box, r, c)
        for c in range(3):
            grid.setColumnStretch(c, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)

        grid.addWidget(self._exclusion_box(), 1, 2)

        root = QVBoxLayout(self)
        root.addWidget(self.message)
        root.addWidget(scroll, 1)
        row = QHBoxLayout()
        revert = QPushButton("还原")
        revert.setProperty("role", "secondary")
        revert.clicked.connect(self.reload)
        save = QPushButton("保存设置")
        save.setProperty("role", "ok")
        save.clicked.connect(self.save)
        row.addStretch(1)
        row.addWidget(revert)
        row.addWidget(save)
        root.addLayout(row)
        self.reload()

    def _number_rule_box(self) -> QWidget:
        """The application-number rule as plain choices, the template typed only for 自定义,
        and a line under it showing the number the rule gives (or why it cannot be used)."""
        pattern = self.fields["application_pattern"]
        assert isinstance(pattern, QLineEdit)
        self.number_rule = options_combo(NUMBER_RULES)
        self.number_help = muted_label(NUMBER_HELP)
        self.number_preview = QLabel()
        self.number_preview.setWordWrap(True)
        pattern.setToolTip(NUMBER_HELP)
        pattern.setPlaceholderText("{hall}{date:%Y%m%d}{seq:05d}")
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.number_rule)
        column.addWidget(pattern)
        column.addWidget(self.number_help)
        column.addWidget(self.number_preview)
        self.number_rule.currentIndexChanged.connect(self._number_rule_chosen)
        pattern.textChanged.connect(self._show_number_preview)
        hall_code = self.fields["hall_code"]
        assert isinstance(hall_code, QLineEdit)
        hall_code.textChanged.connect(self._show_number_preview)
        return box

    def _number_rule_chosen(self) -> None:
        rule = self.number_rule.currentData()
        pattern = self.fields["application_pattern"]
        assert isinstance(pattern, QLineEdit)
        if rule != CUSTOM and pattern.text().strip() != rule:
            pattern.setText(rule)
        self._show_number_preview()

    def _show_number_preview(self) -> None:
        pattern = self.fields["application_pattern"].text().strip()  # type: ignore[attr-defined]
        if pattern not in NUMBER_RULES and self.number_rule.currentData() != CUSTOM:
            self._choose_number_rule(CUSTOM)  # a rule of the hall's own: shown as typed
        custom = self.number_rule.currentData() == CUSTOM
        self.fields["application_pattern"].setVisible(custom)
        self.number_help.setVisible(custom)
        hall_code = self.fields["hall_code"].text().strip()  # type: ignore[attr-defined]
        usable, words = number_preview(pattern, hall_code, self.hall.today())
        self.number_preview.setText(words)
        self.number_preview.setStyleSheet("font-weight: bold;" if usable else
                                          f"color: {theme.ACCENT}; font-weight: bold;")

    def _choose_number_rule(self, rule: str) -> None:
        self.number_rule.blockSignals(True)
        self.number_rule.setCurrentIndex(self.number_rule.findData(rule if rule in NUMBER_RULES else CUSTOM))
        self.number_rule.blockSignals(False)
        self._show_number_preview()

    def showEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        """Once the style has given the labels their size: one label width per column."""
        super().showEvent(event)
        for labels in self._label_columns:
            width = max((label.sizeHint().width() for label in labels), default=0)
            for label in labels:
                label.setMinimumWidth(width)

    def _exclusion_box(self) -> QGroupBox:
        """容缺 exclusion list: ID numbers go in, only keyed hashes are kept, so the list is
        replaced as a whole and never shown back."""
        box = QGroupBox("容缺受理排除名单（失信等）")
        layout = QVBoxLayout(box)
        self.exclusion_count = muted_label("")
        self.exclusion_input = QPlainTextEdit()
        self.exclusion_input.setPlaceholderText("每行一个身份证号码；保存后只保留不可还原的校验值，号码本身不存储")
        self.exclusion_input.setMinimumHeight(80)
        self.exclusion_input.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        replace_button = QPushButton("替换排除名单")
        replace_button.setProperty("role", "secondary")
        replace_button.clicked.connect(self.replace_exclusions)
        layout.addWidget(self.exclusion_count)
        layout.addWidget(self.exclusion_input, 1)  # the list takes the box's spare height
        layout.addWidget(replace_button, 0, Qt.AlignmentFlag.AlignRight)
        return box

    def replace_exclusions(self) -> bool:
        numbers = [line.strip() for line in self.exclusion_input.toPlainText().splitlines() if line.strip()]

        def run() -> None:
            self.hall.set_rongque_exclusions(numbers)
            self.exclusion_input.clear()
            self.reload()

        return self.attempt(run, f"排除名单已替换，共{len(numbers)}人")

    def reload(self) -> None:
        s = self.hall.settings()
        for key in self.fields:
            self.set_value(key, getattr(s, key, ""))
        self._choose_number_rule(s.application_pattern)  # the stored rule's plain name
        self.shown = self.values()  # what the manager's edits are measured against
        self.exclusion_count.setText(f"当前名单：{len(s.rongque_excluded)}人")

    def set_value(self, key: str, value: object) -> None:
        widget = self.fields[key]
        if isinstance(widget, QLineEdit):
            widget.setText(str(value))
        elif isinstance(widget, QSpinBox):
            widget.setValue(int(value))  # type: ignore[call-overload]
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QComboBox):
            index = widget.findData(str(value))
            if index < 0:  # a stored value this screen does not list: keep it selectable
                widget.addItem(str(value), str(value))
                index = widget.count() - 1
            widget.setCurrentIndex(index)

    def values(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for key, widget in self.fields.items():
            if isinstance(widget, QLineEdit):
                out[key] = widget.text().strip()
            elif isinstance(widget, QSpinBox):
                out[key] = widget.value()
            elif isinstance(widget, QCheckBox):
                out[key] = widget.isChecked()
            elif isinstance(widget, QComboBox):
                data = widget.currentData()
                out[key] = int(data) if key.endswith("_baud") or key == "unrated_counts_as" else data
        return out

    def save(self) -> bool:
        # only what the manager changed on this form since it was read: a setting another console
        # or the terminal command changed meanwhile is kept, not written back from the stale form
        current = self.hall.settings()
        values = self.values()
        new_pin = str(values.pop("manager_pin", "") or "")
        changes = {k: v for k, v in values.items() if self.shown.get(k) != v and getattr(current, k) != v}

        def run() -> None:
            from kiosk.hall_pin import pin_problems

            problems = port_problems({k: changes[k] for k in PORTS if k in changes})
            problems += pin_problems(new_pin) if new_pin else []
            problems += replace(current, **changes).validate() if changes else []
            if problems:
                raise ValidationError(problems, "设置")
            if changes:
                self.hall.update_settings(**changes)
            if new_pin:
                self.hall.set_manager_pin(new_pin)
                self.set_value("manager_pin", "")

        changed = [*changes, *(["manager_pin"] if new_pin else [])]
        names = "、".join(self.labels.get(k, k) for k in changed) if changed else "无改动"
        if not self.attempt(run, f"设置已保存（{names}）"):
            return False
        self.reload()  # the form now shows what is stored, others' changes included
        return True
