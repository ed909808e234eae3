"""The benchmark script runs end to end on a tiny size.

Timings stay out of the test suite (these machines are shared and noisy);
this only checks that `make bench` works and reports every figure.
"""

import json
import subprocess
import sys

from conftest import ROOT


def test_benchmark_runs_on_a_tiny_size(tmp_path):
    figures = tmp_path / "figures.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "40", "80", "--runs", "1", "--json", str(figures)],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(figures.read_text())
    assert [row["messages"] for row in report["results"]] == [40, 80]
    for row in report["results"]:
        for key in ("build_ratio", "memory_ratio", "cache_ratio", "irc_ratio", "per_message_us"):
            assert row[key] > 0
    assert {check["target"] for check in report["targets"]} >= {"chat/markdown build time at 20,000"}
    for row in report["results"]:  # where the time went: user and kernel CPU, page faults
        assert row["chat_user_s"] > 0 and row["markdown_page_faults"] > 0 and row["user_ratio"] > 0
        assert f"CPU at {row['messages']:,}: chat {row['chat_user_s']:.2f} s user" in result.stdout
    assert "per-message time, largest/smallest size" in result.stdout
    assert result.stdout.splitlines()[0].split()[:2] == ["messages", "chat"]


def test_synthetic_conversations_are_deterministic_and_read_cleanly():
    sys.path.insert(0, str(ROOT / "bench"))
    import synthetic

    from pelican_chatlog import parse

    assert synthetic.chat_post(300) == synthetic.chat_post(300)
    conversation = parse(synthetic.chat_post(300))
    assert len(conversation.messages) == 300
    assert sum(len(m.quotes) for m in conversation.messages) == 14
    assert all(q.target is not None for m in conversation.messages for q in m.quotes)
    assert all(m.time is not None for m in conversation.messages)
    assert conversation.problems == []


def test_hostile_shapes_table_runs_on_a_tiny_scale(tmp_path):
    figures = tmp_path / "figures.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--only", "hostile", "--hostile-scale", "0.01",
         "--runs", "1", "--json", str(figures)],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(figures.read_text())
    sys.path.insert(0, str(ROOT / "bench"))
    import hostile

    assert [row["shape"] for row in report["hostile"]] == list(hostile.SHAPES)
    assert all(row["seconds_n"] > 0 and row["seconds_4n"] > 0 for row in report["hostile"])
    assert "results" not in report  # --only hostile skips the size tables
    assert "4n/n" in result.stdout


def test_instructions_are_counted_by_callgrind():
    sys.path.insert(0, str(ROOT / "bench"))
    import run

    idle = run.instructions([sys.executable, "-S", "-c", "pass"])
    busy = run.instructions([sys.executable, "-S", "-c", "sum(range(300_000))"])
    assert 0 < idle < busy


def test_a_ratio_is_the_median_of_each_round_s_own_ratio():
    sys.path.insert(0, str(ROOT / "bench"))
    import run

    # the third round's chat build ran while the machine was busy, its Markdown build after:
    # the rounds say 0.5, the two medians apart would say 0.8
    chat = [{"seconds": 1.0}, {"seconds": 2.0}, {"seconds": 1.6}]
    markdown = [{"seconds": 2.0}, {"seconds": 4.0}, {"seconds": 2.0}]
    assert run.paired_ratio(chat, markdown) == 0.5
    assert run.median(chat) / run.median(markdown) == 0.8
    assert run.paired_ratio([{"peak_mb": 90, "seconds": 1}], [{"peak_mb": 75, "seconds": 9}], "peak_mb", "peak_mb") == 1.2
