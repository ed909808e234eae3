"""Benchmark pelican-chatlog against Pelican's Markdown reader and irclog2html.

    python bench/run.py [--sizes 2000 20000 100000] [--runs 5] [--json bench/results.json]
                        [--only sizes|hostile] [--hostile-scale 1] [--timeout 120]

Everything is measured in this one run, side by side, and reported as
ratios: the machines this runs on are shared and noisy, so only ratios
measured together mean anything.  Each measurement runs in a fresh
process (so peak memory is its own); the runs of the builds, and of the
two previews, alternate in rounds, each ratio is the median of the
rounds' ratios (top and bottom measured seconds apart), so that load that
comes and goes weighs on both sides of a ratio alike.

1. a full `pelican` build of a one-post site: the conversation as `.chat`
   versus the same text as a `.md` post with a blank line between messages
   (ratio chat/markdown; the fair baseline), and versus the text as one
   Markdown paragraph up to 20,000 messages (the figure before 0.2: a paragraph of tens of
   thousands of lines makes Python-Markdown itself slow), and Pelican's own
   share of the chat build, timed with our page made beforehand ("floor": no
   reader could make the ratio smaller than this);
2. the conversation fragment's size over the chat text's, in bytes;
3. the conversation as an IRC log: `pelican-chatlog preview` versus
   `irclog2html` on the same file (ratio ours/theirs);
4. time per message at each size (does 10x the messages cost 10x the time?);
5. peak memory of the chat build versus the Markdown build (ratio);
6. a second chat build with Pelican's content cache on versus the Markdown
   build, in the same rounds (a ratio to the first chat build would get
   worse as that got faster);
7. hostile shapes (bench/hostile.py): chat text made to cost the square of
   its size, read and rendered at n and 4n (ratio 4 when linear);
8. the CPU each build of (1) used, in user code and in the kernel, and its
   page faults: callgrind's instruction counts (`--instructions`) see only
   the first.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import hostile  # noqa: E402
import synthetic  # noqa: E402

TARGETS = {
    "chat/markdown build time at 20,000": ("build_ratio", 20000, 0.40),
    "fragment/chat text bytes at 20,000": ("size_ratio", 20000, 3.5),
    "ours/irclog2html at 20,000 lines": ("irc_ratio", 20000, 1.0),
    "cached chat rebuild/markdown build at 20,000": ("cache_ratio", 20000, 0.25),
    "chat/markdown peak memory at 20,000": ("memory_ratio", 20000, 1.2),
    "per-message time, largest/smallest size": ("per_message_growth", None, 1.15),
}

# Python-Markdown takes minutes on one paragraph of a larger chat: that column stops here
ONE_PARAGRAPH_LIMIT = 20_000
HOSTILE_GROWTH_LIMIT = 6  # time at 4n over time at n: 4 is linear, 16 quadratic

# Runs inside a fresh interpreter: one hostile shape read and rendered, then its time.
HOSTILE = r"""
import json, sys, time
root, name, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path[:0] = [root, root + "/bench"]
import hostile
shape = hostile.SHAPES[name][0]
hostile.read_and_render(*shape(1))  # templates compiled, Markdown set up: not part of the figure
text, format = shape(size)
started = time.perf_counter()
hostile.read_and_render(text, format)
print(json.dumps({"seconds": time.perf_counter() - started}))
"""

# Runs inside a fresh interpreter: the conversation fragment of a .chat file, its size in bytes.
FRAGMENT = r"""
import json, sys
sys.path[:0] = [sys.argv[1]]
from pelican_chatlog import parse, render
with open(sys.argv[2], encoding="utf-8") as source:
    fragment = render(parse(source.read()))
print(json.dumps({"bytes": len(fragment.encode("utf-8"))}))
"""

# Runs inside a fresh interpreter: one Pelican build, then its time and peak memory.
BUILD = r"""
import json, logging, resource, sys, time
from pelican import Pelican
from pelican.settings import read_settings
content, output, cache, plugins = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
use_cache = cache != "-"
if "--floor" in sys.argv:
    # Pelican's own share: our reader's page is made before the clock starts
    import glob
    from pelican.tests.support import get_settings
    from pelican_chatlog import pelican_plugin
    ready = pelican_plugin.ChatReader(get_settings()).read(glob.glob(content + "/*.chat")[0])
    pelican_plugin.ChatReader.read = lambda self, path: (ready[0], dict(ready[1]))
settings = read_settings(override={
    "PATH": content, "OUTPUT_PATH": output, "PLUGINS": plugins, "THEME": "simple",
    "TIMEZONE": "UTC", "SITEURL": "", "FEED_DOMAIN": "https://bench.test",
    "CACHE_CONTENT": use_cache, "LOAD_CONTENT_CACHE": use_cache, "CACHE_PATH": cache if use_cache else "cache",
})
logging.disable(logging.WARNING)
before = resource.getrusage(resource.RUSAGE_SELF)
started = time.perf_counter()
Pelican(settings).run()
seconds = time.perf_counter() - started
after = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": seconds, "peak_mb": after.ru_maxrss / 1024,
                  "user_s": after.ru_utime - before.ru_utime, "system_s": after.ru_stime - before.ru_stime,
                  "page_faults": after.ru_minflt - before.ru_minflt}))
"""


def run_build(content: Path, output: Path, plugins: list[str], cache: Path | None = None, floor=False) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", BUILD, str(content), str(output), str(cache or "-"), json.dumps(plugins)]
        + (["--floor"] if floor else []),
        capture_output=True, text=True, check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def timed_command(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True)
    return time.perf_counter() - started


def interleaved(runs: int, measures: dict) -> dict[str, list[dict]]:
    """Each measure's runs, taken in rounds of one run of each: on a shared
    machine, load that comes and goes then weighs on both sides of a ratio alike."""
    results: dict[str, list[dict]] = {name: [] for name in measures}
    for _ in range(runs):
        for name, measure in measures.items():
            results[name].append(measure())
    return results


def median(done: list[dict], key: str = "seconds") -> float:
    return statistics.median(result[key] for result in done)


def paired_ratio(top: list[dict], bottom: list[dict], key: str = "seconds", bottom_key: str = "seconds") -> float:
    """The median, over rounds, of top over bottom measured in the same round.

    The machine's speed drifts by a quarter within minutes; two builds a
    second apart drift together, so each round's ratio holds where the
    ratio of the two medians (taken from different rounds) moved with it."""
    return statistics.median(one[key] / other[bottom_key] for one, other in zip(top, bottom))


def bench_size(size: int, runs: int, work: Path) -> dict:
    folder = work / str(size)
    posts = (("chat", "chat", synthetic.chat_post(size)), ("md", "md", synthetic.markdown_post(size)),
             ("md1", "md", synthetic.markdown_post(size, blank_lines=False)))  # md1: one paragraph
    for kind, suffix, text in posts:
        (folder / kind / "content").mkdir(parents=True)
        (folder / kind / "content" / f"post.{suffix}").write_text(text, encoding="utf-8")
    chat_file = folder / "chat" / "content" / "post.chat"
    fragment = json.loads(subprocess.run(
        [sys.executable, "-c", FRAGMENT, str(HERE.parent), str(chat_file)], capture_output=True, text=True, check=True,
    ).stdout.strip().splitlines()[-1])

    def cached_pair():
        cache = folder / "cache"
        shutil.rmtree(cache, ignore_errors=True)
        first = run_build(folder / "chat" / "content", folder / "chat" / "out", ["pelican_chatlog"], cache)
        second = run_build(folder / "chat" / "content", folder / "chat" / "out", ["pelican_chatlog"], cache)
        return {"first": first["seconds"], "second": second["seconds"]}

    builds = {
        "chat": lambda: run_build(folder / "chat" / "content", folder / "chat" / "out", ["pelican_chatlog"]),
        "markdown": lambda: run_build(folder / "md" / "content", folder / "md" / "out", []),
        "floor": lambda: run_build(folder / "chat" / "content", folder / "chat" / "out", ["pelican_chatlog"], floor=True),
        # in the same rounds as the Markdown build it is a ratio to, like the others
        "cached": cached_pair,
    }
    if size <= ONE_PARAGRAPH_LIMIT:
        builds["one_paragraph"] = lambda: run_build(folder / "md1" / "content", folder / "md1" / "out", [])
    timed = interleaved(runs, builds)
    chat, markdown, floor, cached = timed["chat"], timed["markdown"], timed["floor"], timed["cached"]
    one_paragraph = timed.get("one_paragraph")
    log = folder / "channel.log"
    log.write_text(synthetic.irc_log(size), encoding="utf-8")
    irclog2html = shutil.which("irclog2html") or str(Path(sys.executable).parent / "irclog2html")
    previews = interleaved(runs, {
        "ours": lambda: {"seconds": timed_command([sys.executable, "-m", "pelican_chatlog", "preview", str(log),
                                                   "--format", "irc", "-o", str(folder / "ours.html")])},
        "theirs": lambda: {"seconds": timed_command([irclog2html, "-o", str(folder / "theirs.html"), str(log)])},
    })
    ours, theirs = previews["ours"], previews["theirs"]
    return {
        "messages": size,
        "chat_build_s": median(chat),
        "markdown_build_s": median(markdown),
        "build_ratio": paired_ratio(chat, markdown),
        "one_paragraph_build_s": one_paragraph and median(one_paragraph),
        "one_paragraph_ratio": one_paragraph and paired_ratio(chat, one_paragraph),
        "size_ratio": fragment["bytes"] / chat_file.stat().st_size,
        "bytes_per_message": fragment["bytes"] / size,
        "pelican_share_s": median(floor),
        "floor_ratio": paired_ratio(floor, markdown),
        "chat_peak_mb": median(chat, "peak_mb"),
        "markdown_peak_mb": median(markdown, "peak_mb"),
        "memory_ratio": paired_ratio(chat, markdown, "peak_mb", "peak_mb"),
        "per_message_us": median(chat) / size * 1e6,
        **{f"{side}_{key}": median(done, key) for side, done in (("chat", chat), ("markdown", markdown))
           for key in ("user_s", "system_s", "page_faults")},
        "user_ratio": paired_ratio(chat, markdown, "user_s", "user_s"),
        "cache_first_s": median(cached, "first"),
        "cache_second_s": median(cached, "second"),
        "cache_ratio": paired_ratio(cached, markdown, "second"),
        "ours_irc_s": median(ours),
        "irclog2html_s": median(theirs),
        "irc_ratio": paired_ratio(ours, theirs),
    }


def instructions(command: list[str]) -> int:
    """The instructions one run of ``command`` executes, whole process, counted by
    valgrind's callgrind: the same on every run, however loaded the machine is."""
    with tempfile.TemporaryDirectory(prefix="chatlog-callgrind-") as folder:
        out = os.path.join(folder, "callgrind.out")
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *command],
                       capture_output=True, check=True)
        with open(out, encoding="utf-8") as counts:
            for line in counts:
                if line.startswith(("summary:", "totals:")):
                    return int(line.split()[1])
    raise RuntimeError(f"callgrind wrote no total for {command}")


def bench_instructions(size: int, work: Path) -> dict:
    """The build ratios and the preview's, by instructions: one run each, whole processes."""
    folder = work / f"instructions-{size}"
    for kind, suffix, text in (("chat", "chat", synthetic.chat_post(size)), ("md", "md", synthetic.markdown_post(size))):
        (folder / kind / "content").mkdir(parents=True)
        (folder / kind / "content" / f"post.{suffix}").write_text(text, encoding="utf-8")

    def build(kind: str, plugins: list[str], cache: Path | None = None) -> list[str]:
        return [sys.executable, "-c", BUILD, str(folder / kind / "content"), str(folder / kind / "out"),
                str(cache or "-"), json.dumps(plugins)]

    cache = folder / "cache"
    subprocess.run(build("chat", ["pelican_chatlog"], cache), capture_output=True, check=True)  # the cache to use
    log = folder / "channel.log"
    log.write_text(synthetic.irc_log(size), encoding="utf-8")
    irclog2html = shutil.which("irclog2html") or str(Path(sys.executable).parent / "irclog2html")
    counts = {
        "markdown": instructions(build("md", [])),
        "chat": instructions(build("chat", ["pelican_chatlog"])),
        "cached": instructions(build("chat", ["pelican_chatlog"], cache)),
        "ours": instructions([sys.executable, "-m", "pelican_chatlog", "preview", str(log), "--format", "irc",
                              "-o", str(folder / "ours.html")]),
        "theirs": instructions([irclog2html, "-o", str(folder / "theirs.html"), str(log)]),
    }
    return {
        "messages": size, **{f"{name}_instructions": count for name, count in counts.items()},
        "build_ratio": counts["chat"] / counts["markdown"],
        "cache_ratio": counts["cached"] / counts["markdown"],
        "irc_ratio": counts["ours"] / counts["theirs"],
    }


def run_hostile(name: str, size: int, timeout: float) -> dict:
    """Seconds to read and render one shape, or None past the timeout."""
    try:
        result = subprocess.run(
            [sys.executable, "-c", HOSTILE, str(HERE.parent), name, str(size)],
            capture_output=True, text=True, check=True, timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"seconds": None}
    return json.loads(result.stdout.strip().splitlines()[-1])


def median_or_none(runs: int, measure) -> float | None:
    """The median time of runs; None (over the timeout) counts as the slowest."""
    times = []
    for _ in range(runs):
        times.append(measure()["seconds"])
        if times[-1] is None:
            break  # the other runs would time out as well
    if None in times:
        return None
    return statistics.median(times)


def bench_hostile(runs: int, scale: float, timeout: float) -> list[dict]:
    rows = []
    for name, (_, size) in hostile.SHAPES.items():
        size = max(1, int(size * scale))
        print(f"measuring hostile shape {name} …", file=sys.stderr, flush=True)
        small = median_or_none(runs, lambda: run_hostile(name, size, timeout))
        large = median_or_none(runs, lambda: run_hostile(name, 4 * size, timeout)) if small is not None else None
        growth = large / small if small and large is not None else None
        rows.append({"shape": name, "n": size, "seconds_n": small, "seconds_4n": large, "growth": growth,
                     "timeout": timeout, "met": growth is not None and growth <= HOSTILE_GROWTH_LIMIT})
    return rows


def hostile_table(rows: list[dict]) -> str:
    def seconds(value, row):
        return f"> {row['timeout']:.0f}" if value is None else f"{value:.2f}"

    lines = [f"{'hostile shape':<22} {'n':>7} {'s at n':>8} {'s at 4n':>8} {'4n/n':>6}  target ≤ {HOSTILE_GROWTH_LIMIT}"]
    for row in rows:
        growth = "-" if row["growth"] is None else f"{row['growth']:.1f}"
        state = "met" if row["met"] else "MISSED"
        lines.append(f"{row['shape']:<22} {row['n']:>7,} {seconds(row['seconds_n'], row):>8} "
                     f"{seconds(row['seconds_4n'], row):>8} {growth:>6}  {state}")
    return "\n".join(lines)


def table(results: list[dict]) -> str:
    columns = [
        ("messages", "{:>9,}"), ("chat_build_s", "{:>8.2f}"), ("markdown_build_s", "{:>8.2f}"),
        ("build_ratio", "{:>6.2f}"), ("one_paragraph_ratio", "{:>6.2f}"), ("floor_ratio", "{:>6.2f}"),
        ("size_ratio", "{:>6.2f}"), ("bytes_per_message", "{:>6.0f}"), ("per_message_us", "{:>8.0f}"), ("chat_peak_mb", "{:>7.0f}"),
        ("markdown_peak_mb", "{:>7.0f}"), ("memory_ratio", "{:>6.2f}"), ("cache_ratio", "{:>6.2f}"),
        ("ours_irc_s", "{:>7.2f}"), ("irclog2html_s", "{:>7.2f}"), ("irc_ratio", "{:>6.2f}"),
    ]
    heads = ["messages", "chat s", "md s", "ratio", "1-par", "floor", "size", "B/msg", "µs/msg", "chat MB", "md MB",
             "mem", "cache",
             "ours s", "i2h s", "irc"]
    widths = [len(fmt.format(0)) for _, fmt in columns]
    lines = [" ".join(head.rjust(width) for head, width in zip(heads, widths))]
    for result in results:
        lines.append(" ".join(
            fmt.format(result[key]) if result[key] is not None else "-".rjust(width)
            for (key, fmt), width in zip(columns, widths)
        ))
    return "\n".join(lines)


def cpu_lines(results: list[dict]) -> str:
    """Where each build's time went: the CPU in our code and Pelican's, and in the kernel
    (page faults, files written), which callgrind's instruction counts leave out."""
    return "\n".join(
        f"CPU at {r['messages']:,}: chat {r['chat_user_s']:.2f} s user + {r['chat_system_s']:.2f} s system "
        f"({r['chat_page_faults']:,.0f} page faults), Markdown {r['markdown_user_s']:.2f} + "
        f"{r['markdown_system_s']:.2f} ({r['markdown_page_faults']:,.0f}); user-time ratio {r['user_ratio']:.2f}"
        for r in results
    )


def verdicts(results: list[dict]) -> list[dict]:
    by_size = {result["messages"]: result for result in results}
    growth = results[-1]["per_message_us"] / results[0]["per_message_us"]
    checks = []
    for name, (key, size, limit) in TARGETS.items():
        if key == "per_message_growth":
            value = growth if len(results) > 1 else None
        else:
            value = by_size[size][key] if size in by_size else None
        checks.append({"target": name, "limit": limit, "value": value,
                       "met": None if value is None else value <= limit})
    return checks


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000, 100000])
    parser.add_argument("--runs", type=int, default=5, help="rounds of each measurement; medians are used")
    parser.add_argument("--json", type=Path, default=HERE / "results.json")
    parser.add_argument("--only", choices=["sizes", "hostile"], help="run only the size tables or the hostile shapes")
    parser.add_argument("--hostile-scale", type=float, default=1.0, help="multiply each hostile shape's n")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a hostile run is cut short")
    parser.add_argument("--instructions", type=int, metavar="SIZE",
                        help="also count instructions (valgrind's callgrind, minutes) at this size")
    arguments = parser.parse_args(argv)
    report = {"python": sys.version.split()[0], "cpus": os.cpu_count(), "runs": arguments.runs}
    # Our package runs from this source tree; installed, it has its bytecode, as Pelican and
    # irclog2html have theirs. Compiled once here, so that no timed process compiles it again
    # (with PYTHONDONTWRITEBYTECODE set, every fresh process would: 0.05 s of a preview).
    compileall.compile_dir(HERE.parent / "pelican_chatlog", quiet=1)
    if arguments.only != "hostile":
        results = []
        with tempfile.TemporaryDirectory(prefix="chatlog-bench-") as work:
            for size in sorted(arguments.sizes):
                print(f"measuring {size:,} messages …", file=sys.stderr, flush=True)
                results.append(bench_size(size, arguments.runs, Path(work)))
        print(table(results))
        print()
        print(cpu_lines(results))
        print()
        checks = verdicts(results)
        for check in checks:
            state = "n/a" if check["met"] is None else ("met" if check["met"] else "MISSED")
            value = "-" if check["value"] is None else f"{check['value']:.2f}"
            print(f"{state:>6}  {check['target']}: {value} (target ≤ {check['limit']})")
        report.update(results=results, targets=checks)
    if arguments.instructions:
        print(f"counting instructions at {arguments.instructions:,} messages (callgrind) …", file=sys.stderr, flush=True)
        with tempfile.TemporaryDirectory(prefix="chatlog-bench-") as work:
            counted = bench_instructions(arguments.instructions, Path(work))
        print(f"\nby instructions at {arguments.instructions:,} (whole processes, one run each):")
        for key, name, limit in (("build_ratio", "chat/markdown build", 0.40),
                                 ("cache_ratio", "cached chat rebuild/markdown build", 0.25),
                                 ("irc_ratio", "ours/irclog2html", 1.0)):
            state = "met" if counted[key] <= limit else "MISSED"
            print(f"{state:>6}  {name}: {counted[key]:.2f} (target ≤ {limit})")
        report["instructions"] = counted
    if arguments.only != "sizes":
        rows = bench_hostile(arguments.runs, arguments.hostile_scale, arguments.timeout)
        print()
        print(hostile_table(rows))
        report["hostile"] = rows
    arguments.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nfigures written to {arguments.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
