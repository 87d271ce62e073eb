"""Which hall a terminal opens: what the command line says now beats the PC's terminal.toml."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from commands.terminal_config import ConfigError, resolve

TOKEN = "A" * 43


def args(config: Path, **given: object) -> argparse.Namespace:
    fields = dict(config=str(config), role=None, window=None, hall=None, token=None, orientation=None, lang=None,
                  db=None)
    fields.update(given)
    return argparse.Namespace(**fields)


@pytest.fixture
def server_config(tmp_path: Path) -> Path:
    path = tmp_path / "terminal.toml"
    path.write_text(f'hall = "https://hall-server:8470"\ntoken = "{TOKEN}"\nrole = "clerk"\nwindow = 3\n',
                    encoding="utf-8")
    return path


def test_a_hall_file_named_on_the_command_line_wins_over_the_configs_server(server_config, tmp_path):
    conf = resolve(args(server_config, db=str(tmp_path / "local.db")))
    assert conf.hall == "" and conf.role == "clerk" and conf.window == 3


def test_the_configs_server_is_used_when_no_file_is_named(server_config):
    assert resolve(args(server_config)).hall == "https://hall-server:8470"


def test_a_server_and_a_file_together_are_refused(server_config, tmp_path):
    with pytest.raises(ConfigError, match="只能给一个"):
        resolve(args(server_config, hall="http://127.0.0.1:8470", db=str(tmp_path / "local.db")))


def test_the_console_registered_as_manager_opens_with_role_manager_too(tmp_path):
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    assert resolve(args(empty, role="manager")).role == "admin"
    config = tmp_path / "console.toml"
    config.write_text(f'hall = "http://hall:8470"\ntoken = "{TOKEN}"\nrole = "manager"\n', encoding="utf-8")
    assert resolve(args(config)).role == "admin"
