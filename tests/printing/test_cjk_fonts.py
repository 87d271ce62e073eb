"""Font lookup order and the error a machine without a Chinese font gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from printing import fonts


def test_installed_micro_hei_is_found() -> None:
    path = fonts.cjk_font_path()
    assert path.is_file()
    assert path.suffix in (".ttc", ".ttf")


def test_a_font_shipped_in_resources_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = tmp_path / "wqy-microhei.ttc"
    shipped.write_bytes(b"")
    (tmp_path / "README.txt").write_text("not a font")
    monkeypatch.setattr(fonts, "RESOURCE_FONTS", tmp_path)
    assert fonts.cjk_font_path() == shipped


def test_no_font_anywhere_raises_a_chinese_error_naming_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fonts, "RESOURCE_FONTS", tmp_path / "none")
    monkeypatch.setattr(fonts, "DEBIAN_MICROHEI", (tmp_path / "missing.ttc",))
    monkeypatch.setattr(fonts, "_fc_match", lambda family: None)
    with pytest.raises(fonts.FontNotFound, match="fonts-wqy-microhei") as err:
        fonts.cjk_font_path()
    assert "中文字体" in str(err.value)


def test_fontconfig_substitute_of_another_family_is_not_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    """fc-match answers DejaVu Sans for a family it lacks; that file has no hanzi."""
    assert fonts._fc_match("No Such Family 12345") is None
