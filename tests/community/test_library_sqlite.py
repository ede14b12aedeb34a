"""The library search on SQLite, the first run's database: CI runs the suite on PostgreSQL, so
this runs test_library's search cases in a pytest of their own without DATABASE_URL (Wagtail's
database search then uses SQLite's FTS5 tables, and the same word roots)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_library_search_finds_other_forms_of_a_word_on_sqlite(tmp_path):
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("this run is on SQLite already: test_library's cases ran on it")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["MEDIA_ROOT"] = str(tmp_path)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/community/test_library.py",
            "-k",
            "search",
            "-o",
            "addopts=-q -p no:cacheprovider",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout
