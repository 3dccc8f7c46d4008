"""The commit-msg hook of .pre-commit-config.yaml: short subject, blank line, a body."""

import importlib.util
from pathlib import Path

SPEC = importlib.util.spec_from_file_location(
    "check_commit_message",
    Path(__file__).resolve().parents[2] / ".githooks" / "check_commit_message.py",
)
hook = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(hook)


def test_a_short_subject_with_a_body_passes():
    assert hook.problems("Reminders: one digest a day\n\nTwo sweeps sent twice before.\n") == []


def test_a_long_subject_or_a_missing_body_is_refused():
    long = "x" * 73 + "\n\nbody\n"
    assert "73 characters" in hook.problems(long)[0]
    assert hook.problems("Subject only\n")
    assert hook.problems("Subject\nno blank line\n")
