"""The window's queue as a plain model: editing, saving, surviving a crash."""

from __future__ import annotations

import json

from batch.queue import JobQueue, output_name, render_item


def test_edits_are_saved_at_once_and_survive_a_restart(tmp_path):
    q = JobQueue(tmp_path / "data", tmp_path / "out")
    a = q.add("a.png", ["s.png"], {"seed": 1}, "mask.png", ["smask.png"])
    b, c = q.add_photos(["b.png", "c.png"], ["s.png", "t.png"], {"seed": 2})
    d = q.duplicate(a.id)
    q.move(c.id, 0)
    q.remove(b.id)
    assert [it.content for it in q.items] == ["c.png", "a.png", "a.png"]
    assert d.id != a.id and d.content_mask == "mask.png" and d.style_masks == ["smask.png"]

    again = JobQueue(tmp_path / "data", tmp_path / "out")
    assert [(it.id, it.content, it.styles, it.settings) for it in again.items] == [
        (it.id, it.content, it.styles, it.settings) for it in q.items
    ]
    assert again.notice == ""


def test_a_job_running_when_the_app_died_is_queued_again(tmp_path):
    q = JobQueue(tmp_path, tmp_path / "out")
    a = q.add("a.png", ["s.png"])
    q.set_state(a.id, "running", fraction=0.4)
    again = JobQueue(tmp_path, tmp_path / "out")
    assert again.get(a.id).status == "queued" and again.get(a.id).fraction == 0.0


def test_a_damaged_queue_file_is_moved_aside_with_a_notice(tmp_path):
    (tmp_path / "queue.json").write_text("{not json")
    q = JobQueue(tmp_path, tmp_path / "out")
    assert q.items == [] and "could not be read" in q.notice
    assert (tmp_path / "queue.json.damaged").read_text() == "{not json"


def test_next_to_run_follows_the_current_order_and_skips_done(tmp_path):
    q = JobQueue(tmp_path, tmp_path / "out")
    a, b, c = (q.add(n, ["s.png"]) for n in ("a.png", "b.png", "c.png"))
    q.set_state(a.id, "done")
    assert q.next_to_run().id == b.id
    q.move(c.id, 0)
    assert q.next_to_run().id == c.id
    assert q.next_to_run(skip={c.id}).id == b.id


def test_render_item_writes_the_output_and_reports_a_broken_photo(pics, tmp_path):
    q = JobQueue(tmp_path, tmp_path / "out")
    settings = {"quality": "custom", "iterations": 2, "size": 64}
    good = q.add(pics["cat"], [pics["wave"]], settings)
    out = output_name(q, good)
    assert out.name == "cat__wave.png"
    outcome = render_item(good.job(out.name), out)
    assert outcome.ok and outcome.saved == str(out) and out.is_file()
    assert output_name(q, good).name == "cat__wave-2.png"  # never over an earlier result
    bad = q.add(pics["broken"], [pics["wave"]], settings)
    outcome = render_item(bad.job("x.png"), tmp_path / "out" / "x.png")
    assert not outcome.ok and "damaged or truncated" in outcome.reason
    assert not (tmp_path / "out" / "x.png").exists()
    assert json.loads((tmp_path / "queue.json").read_text())["items"][0]["content"] == pics["cat"]
