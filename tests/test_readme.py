"""The README stays true: its test command is what CI runs, and every command is documented."""

from __future__ import annotations

import re

import click

from ibdquiz.cli import cli
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _sh_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", README, flags=re.S)


def test_readme_test_command_is_what_ci_runs() -> None:
    test_commands = [b.strip() for b in _sh_blocks() if "pytest" in b]
    assert len(test_commands) == 1, "the README must give exactly one test command"
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_commands[0] in ci, "the .ci/run script must run the README's test command verbatim"


def test_readme_install_command_runs_ibdquiz() -> None:
    first = _sh_blocks()[0].strip()
    assert first.startswith("python3 -m venv") and first.endswith("&& ibdquiz")


def test_every_command_is_in_the_readme_and_has_help_with_an_example() -> None:
    context = click.Context(cli)
    commands = {name: cli.get_command(context, name) for name in cli.list_commands(context)}
    assert commands, "no commands registered"
    for name, command in commands.items():
        assert f"`ibdquiz {name}" in README, f"README does not document `ibdquiz {name}`"
        assert isinstance(command, click.Command)
        assert command.help, f"`ibdquiz {name}` has no help text"
        assert "Example" in command.help, f"`ibdquiz {name} --help` shows no example"
