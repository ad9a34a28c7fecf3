"""Full public build at scale: `kaart build` against the naive MkDocs + Material pipeline, in the same run.

The naive pipeline is what a team would write first: load every YAML file with PyYAML, write one Markdown
page per record into a docs dir, and run `mkdocs build` with Material, its default navigation (every page in
the nav) and the built-in search plugin. Both run as child processes; we report wall time and the peak
resident memory of the largest process.

    python benchmarks/bench_build.py --sizes 1000 10000 --naive-timeout 1200

Synthetic data comes from benchmarks/generate.py and is cached in --work (default /tmp/kaart-bench).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

#: Runs a command and prints "seconds max_rss_kib returncode" — a clean child per measurement.
_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "try:\n"
    "    rc = subprocess.run(sys.argv[2:], timeout=float(sys.argv[1]), stdout=subprocess.DEVNULL,"
    " stderr=subprocess.DEVNULL).returncode\n"
    "except subprocess.TimeoutExpired:\n"
    "    rc = 'timeout'\n"
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)\n"
)

NAIVE_SCRIPT = r'''
import sys, yaml, pathlib
data, docs = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
def page(path, title, record):
    lines = [f"# {title}", ""]
    for key, value in record.items():
        lines.append(f"**{key}**: {value}")
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
for f in sorted(data.glob("roles/*.yaml")):
    r = yaml.load(f.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    page(docs / "rollen" / f"{r['id']}.md", r["name"], r)
for f in sorted(data.glob("needs/*.yaml")):
    r = yaml.load(f.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    page(docs / "hulpvragen" / f"{r['id']}.md", r["name"], r)
for f in sorted(data.glob("providers/*/*.yaml")):
    r = yaml.load(f.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    page(docs / "aanbieders" / f.parent.name / f"{r['id']}.md", r["name"], r)
(docs / "index.md").write_text("# Sociale Kaart\n", encoding="utf-8")
'''

NAIVE_CONFIG = """site_name: Naive
theme:
  name: material
  language: nl
plugins:
  - search
"""


def measure(cmd: list[str], timeout: float, cwd: Path | None = None) -> dict:
    out = subprocess.run([sys.executable, "-c", _MEASURE, str(timeout), *cmd], capture_output=True, text=True,
                         cwd=cwd, env={**os.environ, "CI": "1"})
    seconds, rss_kib, rc = out.stdout.split()
    return {"seconds": float(seconds), "peak_mib": int(rss_kib) / 1024, "rc": rc}


def naive(data: Path, work: Path, timeout: float) -> dict:
    project = work / "naive"
    shutil.rmtree(project, ignore_errors=True)
    (project / "docs").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(NAIVE_CONFIG, encoding="utf-8")
    script = project / "naive.py"
    script.write_text(NAIVE_SCRIPT, encoding="utf-8")
    started = time.perf_counter()
    gen = measure([sys.executable, str(script), str(data), str(project / "docs")], timeout)
    left = max(1.0, timeout - gen["seconds"])
    build = measure([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(project / "mkdocs.yml"),
                     "-d", str(project / "site")], left, cwd=project)
    index = project / "site" / "search" / "search_index.json"
    return {"seconds": time.perf_counter() - started, "peak_mib": max(gen["peak_mib"], build["peak_mib"]),
            "rc": build["rc"], "search_index_bytes": index.stat().st_size if index.exists() else None}


def ours(data: Path, work: Path, timeout: float) -> dict:
    out = work / "site"
    shutil.rmtree(out, ignore_errors=True)
    result = measure([sys.executable, "-m", "kaart.cli", "build", "--data", str(data), "--out", str(out)], timeout,
                     cwd=REPO)
    pages = sum(1 for _ in out.rglob("index.html")) if out.exists() else 0
    return {**result, "pages": pages}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000],
                        help="numbers of synthetic providers, e.g. --sizes 1000 10000 20000")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kaart-bench"), help="cache and scratch dir")
    parser.add_argument("--naive-timeout", type=float, default=1200,
                        help="stop the naive build after this many seconds (reported as '>')")
    parser.add_argument("--skip-naive", action="store_true", help="only measure kaart build")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    args = parser.parse_args(argv)
    rows = []
    for n in args.sizes:
        data = args.work / f"data-{n}"
        if not (data / "municipalities.yaml").exists():
            shutil.rmtree(data, ignore_errors=True)
            generate(data, n, 1)
        work = args.work / f"run-{n}"
        work.mkdir(parents=True, exist_ok=True)
        mine = ours(data, work, 3600)
        theirs = None if args.skip_naive else naive(data, work, args.naive_timeout)
        rows.append({"providers": n, "kaart": mine, "naive": theirs})
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    print("| providers | pages | kaart build | peak memory | naive build | naive peak | ratio (kaart/naive) |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        k, nv = r["kaart"], r["naive"]
        if nv:
            stopped = nv["rc"] == "timeout"
            naive_s = f"{'> ' if stopped else ''}{nv['seconds']:.1f} s"
            ratio = f"{'< ' if stopped else ''}{k['seconds'] / nv['seconds']:.2f}"
            naive_mem = f"{nv['peak_mib']:.0f} MiB"
        else:
            naive_s = naive_mem = ratio = "—"
        print(f"| {r['providers']} | {k['pages']} | {k['seconds']:.1f} s | {k['peak_mib']:.0f} MiB | {naive_s} | "
              f"{naive_mem} | {ratio} |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
