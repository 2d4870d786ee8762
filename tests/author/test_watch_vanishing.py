"""`publish watch` survives its content folder vanishing and coming back (what a branch switch does)."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from conftest import copy_sample, wait_for


def test_watch_waits_while_the_folder_is_gone_and_resumes(tmp_path: Path) -> None:
    from publish.author.watch import watch
    from publish.build import build_html

    content = copy_sample(tmp_path)
    backup = tmp_path / "backup"
    shutil.copytree(content, backup)
    out = tmp_path / "watch.html"
    results, errors, waits, stop = [], [], [], threading.Event()
    thread = threading.Thread(
        target=watch, args=([content], lambda: build_html(content, out), results.append, errors.append, stop),
        kwargs={"debounce_ms": 100, "on_wait": waits.append}, daemon=True,
    )
    thread.start()
    wait_for(lambda: len(results) == 1)
    shutil.rmtree(content)
    wait_for(lambda: len(waits) == 1)
    assert waits[0] == [content] and errors == []  # it says it waits; no "content folder not found"
    shutil.copytree(backup, content)
    wait_for(lambda: len(results) == 2)
    # The new folder is watched: an edit rebuilds.
    beta = content / "methods" / "02-beta-paper.md"
    beta.write_text(beta.read_text(encoding="utf-8").replace("베타 논문의 요약입니다.", "다시 고친 요약입니다."), encoding="utf-8")
    wait_for(lambda: "다시 고친 요약입니다" in out.read_text(encoding="utf-8"))
    # Replaced within one batch (removed and restored at once): watched anew as well.
    shutil.rmtree(content)
    shutil.copytree(backup, content)
    wait_for(lambda: "다시 고친 요약입니다" not in out.read_text(encoding="utf-8"))
    beta.write_text(beta.read_text(encoding="utf-8").replace("베타 논문의 요약입니다.", "세 번째 요약입니다."), encoding="utf-8")
    wait_for(lambda: "세 번째 요약입니다" in out.read_text(encoding="utf-8"))
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive() and errors == []
