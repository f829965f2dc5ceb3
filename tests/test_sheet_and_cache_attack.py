"""Review of the sheet's kept layouts (sheetstore format 2): an overflowing sheet's message,
which a warm check takes from the kept shares without setting the page, is the uncached one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _check(workspace: Path, cache: Path | None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("DECKBUILDER_NO_CACHE", None)
    if cache is None:
        env["DECKBUILDER_NO_CACHE"] = "1"
    else:
        env["DECKBUILDER_CACHE_DIR"] = str(cache)
    return subprocess.run([sys.executable, "-m", "deckbuilder", "check"], cwd=workspace, env=env,
                          capture_output=True, text=True, timeout=60)


def test_overflowing_sheet_reports_the_same_warm_and_uncached(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    workspace.mkdir()
    shutil.copytree(ROOT / "content", workspace / "content")
    shutil.copytree(ROOT / "templates", workspace / "templates")
    shutil.copy(ROOT / "deckbuilder.toml", workspace / "deckbuilder.toml")
    interview = workspace / "content" / "interview.yaml"
    items = "".join(f'      - "Extra reminder {i} with some words to take room on the page"\n' for i in range(60))
    interview.write_text(interview.read_text().replace(
        "reminders:\n", "reminders:\n  - heading: Lots\n    items:\n" + items + "\n", 1))
    cache = tmp_path / "cache"
    cold = _check(workspace, cache)
    assert list((cache / "sheet").glob("*.json")), "the layout was kept"
    warm = _check(workspace, cache)
    uncached = _check(workspace, None)
    assert uncached.returncode == 2
    assert "final-prep.pdf does not fit on one page" in uncached.stderr + uncached.stdout
    for run in (cold, warm):
        assert (run.returncode, run.stdout, run.stderr) == (uncached.returncode, uncached.stdout, uncached.stderr)


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
