"""One linter and formatter (ruff) for the whole code base, run with the tests."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.unit


def ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_check():
    result = ruff("check", "scripts", "tests")
    assert result.returncode == 0, result.stdout


def test_ruff_format():
    result = ruff("format", "--check", "scripts", "tests")
    assert result.returncode == 0, result.stdout
