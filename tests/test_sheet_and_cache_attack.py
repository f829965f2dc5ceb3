"""Review of the sheet's kept layouts (sheetstore format 2): an overflowing sheet's message,
which a warm check takes from the kept shares without setting the page, is the uncached one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from deckbuilder.outputs import fitstore, sheetstore

ROOT = Path(__file__).resolve().parents[1]


def test_overflowing_sheet_reports_the_same_warm_and_uncached(tmp_path: Path, run_cli, monkeypatch) -> None:
    workspace = tmp_path / "ws"
    workspace.mkdir()
    shutil.copytree(ROOT / "content", workspace / "content")
    interview = workspace / "content" / "interview.yaml"
    items = "".join(f'      - "Extra reminder {i} with some words to take room on the page"\n' for i in range(60))
    interview.write_text(interview.read_text().replace(
        "reminders:\n", "reminders:\n  - heading: Lots\n    items:\n" + items + "\n", 1))
    cache = tmp_path / "cache"
    monkeypatch.setenv("DECKBUILDER_CACHE_DIR", str(cache))
    monkeypatch.delenv("DECKBUILDER_NO_CACHE", raising=False)

    def check() -> tuple[int, str, str]:
        sheetstore.forget()  # as a new process: the kept layouts read from the file
        fitstore.forget()
        result = run_cli("check", workspace)
        return result.code, result.out, result.err

    cold = check()
    assert list((cache / "sheet").glob("*.json")), "the layout was kept"
    warm = check()
    monkeypatch.setenv("DECKBUILDER_NO_CACHE", "1")
    uncached = check()
    assert uncached[0] == 2
    assert "final-prep.pdf does not fit on one page" in uncached[1] + uncached[2]
    assert cold == uncached and warm == uncached


def test_reading_a_link_in_a_kind_folder_sets_no_time_outside_the_cache_folder(tmp_path, monkeypatch) -> None:
    import time

    from deckbuilder import cache

    monkeypatch.setenv("DECKBUILDER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("DECKBUILDER_NO_CACHE", raising=False)
    assert cache.write("kind", "ours", b"x")
    outside = tmp_path / "users-file"
    outside.write_bytes(b"the user's")
    outside.chmod(0o600)
    week_ago = time.time() - 7 * 24 * 3600
    os.utime(outside, (week_ago, week_ago))
    (tmp_path / "cache" / "kind" / "link").symlink_to(outside)
    cache.read("kind", "link")
    assert os.stat(outside).st_mtime == week_ago
    cache.prune(tmp_path / "cache" / "kind", keep="ours")
    assert outside.read_bytes() == b"the user's"
