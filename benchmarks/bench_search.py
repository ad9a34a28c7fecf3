"""Search benchmark: build time and memory per step, and what a visitor's browser downloads to search.

For each size (synthetic data from benchmarks/generate.py):
  1. `kaart build` in a child process: seconds per build step and peak memory (the build process and, separately,
     its biggest child: MkDocs or Pagefind).
  2. Search bytes for a cold first query, a follow-up query and then one chosen filter (gemeente): the real
     search page (/zoeken/, our UI on the Pagefind JS API) in headless Chromium against the built site on
     127.0.0.1, summing the bodies of the files actually fetched from pagefind/ plus the filter menus
     (assets/kaart/facets.json) and the words for "Bedoelde u" (assets/kaart/woorden.txt) (gzip size, as a server with compression sends them; Pagefind's index files
     are compressed already, so for those it is their size).
  3. For comparison, Material's built-in search index for the same pages: a plain MkDocs project with one
     Markdown page per record page (the record's HTML body), `plugins: [search]`; size of
     search/search_index.json raw and gzipped. That file is what Material downloads before the first result.

    .venv/bin/python benchmarks/bench_search.py --sizes 1000 10000 20000 --work /tmp/kaart-bench-search
    .venv/bin/python benchmarks/bench_search.py --sizes 50000 --no-material --no-browser

Prints a Markdown table (paste it into benchmarks/README.md under "Zoeken").
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

#: Runs in the child: the real build, with a Progress that records when each step starts.
CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from kaart.site import build

class Timed:
    verbose = True
    def __init__(self):
        self.steps = []
    def step(self, message):
        if not message.startswith("  "):
            self.steps.append((message, time.perf_counter()))

progress = Timed()
start = time.perf_counter()
code = build(Path(sys.argv[1]), Path(sys.argv[2]), progress=progress)
end = time.perf_counter()
steps = []
for i, (name, t) in enumerate(progress.steps):
    nxt = progress.steps[i + 1][1] if i + 1 < len(progress.steps) else end
    steps.append([name, round(nxt - t, 2)])
print(json.dumps({"code": code, "seconds": round(end - start, 2), "steps": steps,
                  "self_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "child_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def generate(data: Path, providers: int) -> None:
    if data.exists():
        return
    subprocess.run([PY, str(ROOT / "benchmarks" / "generate.py"), "--providers", str(providers), "--out", str(data)],
                   check=True, cwd=ROOT)


def build(data: Path, out: Path) -> dict:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run([PY, "-c", CHILD, str(data), str(out)], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"build failed:\n{result.stderr[-3000:]}")
    info = json.loads(result.stdout.strip().splitlines()[-1])
    if info["code"] != 0:
        raise SystemExit(f"kaart build exited {info['code']}:\n{result.stderr[-3000:]}")
    return info


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def pagefind_transfer(site: Path, first: str, second: str) -> dict:
    """Bytes fetched for search: a cold first query (from ?q=), a follow-up typed query, then one filter chosen."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    fetched: list[tuple[str, int]] = []
    status = "#kaart-search-status"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())

            def on_response(resp):
                if ("/pagefind/" in resp.url or resp.url.endswith(("/facets.json", "/woorden.txt"))) and resp.ok:
                    try:
                        body = resp.body()
                        # What a server with gzip sends: Pagefind's index files are compressed already.
                        fetched.append((resp.url, min(len(body), len(gzip.compress(body, 6)))))
                    except Exception:  # noqa: BLE001 - a cancelled request has no body
                        pass

            def settle(text: str):
                page.wait_for_function(f"() => (document.querySelector('{status}').textContent || '').includes({text!r})",
                                       timeout=120000)
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(300)

            page.on("response", on_response)
            page.goto(base + "zoeken/?q=" + first)
            settle(f"\u2018{first}\u2019")
            page.wait_for_selector(".kaart-search-filters:not([hidden])", timeout=60000)
            cold = list(fetched)
            fetched.clear()
            page.fill("#kaart-zoekterm", second)
            settle(f"\u2018{second}\u2019")
            follow = list(fetched)
            fetched.clear()
            page.click(".kaart-search-filters summary")
            gemeente = page.locator("#kaart-filter-gemeente option").nth(1).get_attribute("value")
            page.select_option("#kaart-filter-gemeente", gemeente)
            settle("Gemeente: " + gemeente)
            filtered = list(fetched)
            browser.close()
    finally:
        server.shutdown()

    for label, items in (("cold", cold), ("follow-up", follow), ("+filter", filtered)):
        for url, n in items:
            print(f"      {label:9} {n / 1024:6.1f} KB  {url.split('/', 3)[3]}", file=sys.stderr)

    def total(items):
        return sum(n for _, n in items) / 1024

    return {"cold_kb": total(cold), "cold_files": len(cold),
            "cold_filter_kb": total([i for i in cold if "/filter/" in i[0]]),
            "facets_kb": total([i for i in cold if i[0].endswith("facets.json")]),
            "follow_kb": total(follow), "follow_files": len(follow),
            "filter_kb": total(filtered), "filter_files": len(filtered)}


_BODY = re.compile(r"data-pagefind-body>(.*?)<div hidden>", re.DOTALL)
_TITLE = re.compile(r"<h1[^>]*>(.*?)</h1>", re.DOTALL)


def material_index(site: Path, work: Path,
                   sections=("aanbieders", "rollen", "hulpvragen", "gemeenten", "levensgebieden")) -> dict:
    """Material's search_index.json for the same record pages (one Markdown page each, search plugin on)."""
    project = work / "material"
    shutil.rmtree(project, ignore_errors=True)
    docs = project / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Start\n", encoding="utf-8")
    pages = 0
    for section in sections:
        for html_file in sorted((site / section).glob("*/index.html")):
            text = html_file.read_text(encoding="utf-8")
            body = _BODY.search(text)
            if not body:
                continue
            target = docs / section / f"{html_file.parent.name}.md"
            target.parent.mkdir(parents=True, exist_ok=True)
            title = _TITLE.search(body.group(1))
            title_text = re.sub("<[^>]+>", "", title.group(1)) if title else html_file.parent.name
            content = re.sub(r"<script.*?</script>", "", body.group(1), flags=re.DOTALL)
            target.write_text(f"---\ntitle: {json.dumps(title_text, ensure_ascii=False)}\n---\n\n{content}\n",
                              encoding="utf-8")
            pages += 1
    (project / "mkdocs.yml").write_text(
        "site_name: Vergelijking\ntheme:\n  name: material\n  language: nl\nplugins:\n  - search:\n      lang: nl\n"
        "nav:\n  - index.md\nmarkdown_extensions:\n  - md_in_html\n", encoding="utf-8")
    started = time.perf_counter()
    subprocess.run([PY, "-m", "mkdocs", "build", "--quiet"], cwd=project, check=True, capture_output=True)
    seconds = time.perf_counter() - started
    index = (project / "site" / "search" / "search_index.json").read_bytes()
    return {"pages": pages, "raw_kb": len(index) / 1024, "gzip_kb": len(gzip.compress(index, 6)) / 1024,
            "seconds": seconds}


def real_data(data: Path, work: Path) -> None:
    """Material's index of the provider pages of a real data dir, raw and gzip per page.

    The synthetic generator repeats the same few sentences in every record, which gzip packs ~17× — far more than
    real, varied text. This shows what one real provider page adds to Material's index, so the comparison at 10 000
    providers can be judged for real content too."""
    site = work / "site-real"
    build(data, site)
    providers = material_index(site, work, sections=("aanbieders",))
    everything = material_index(site, work)
    for label, mat in (("provider pages", providers), ("all record pages", everything)):
        print(f"[real {data}] Material index of the {label}: {mat['pages']} pages, {mat['raw_kb']:.0f} KB raw, "
              f"{mat['gzip_kb']:.1f} KB gzip (gzip packs it {mat['raw_kb'] / mat['gzip_kb']:.1f}×); per page "
              f"{mat['raw_kb'] / mat['pages']:.2f} KB raw, {mat['gzip_kb'] / mat['pages']:.2f} KB gzip", file=sys.stderr)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 20000])
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kaart-bench-search")
    ap.add_argument("--query", default="schulden")
    ap.add_argument("--followup", default="eenzaam")
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--no-material", action="store_true")
    ap.add_argument("--material-max", type=int, default=10000, help="skip the Material comparison above this size")
    ap.add_argument("--real-data", type=Path, metavar="DIR",
                    help="also measure the hand-written records in DIR (e.g. data/): how well gzip packs Material's "
                         "index of real, varied text, per provider page, next to the synthetic pages")
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    if args.real_data:
        real_data(args.real_data, args.work)
    rows = []
    for n in args.sizes:
        data = args.work / f"data-{n}"
        site = args.work / f"site-{n}"
        generate(data, n)
        info = build(data, site)
        row = {"providers": n, **info}
        print(f"[{n}] build {info['seconds']} s, peak {info['self_rss_mib']:.0f} MiB (children "
              f"{info['child_rss_mib']:.0f} MiB)", file=sys.stderr)
        for name, sec in info["steps"]:
            print(f"    {sec:7.2f} s  {name}", file=sys.stderr)
        bundle = site / "pagefind"
        row["bundle_mb"] = sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file()) / 2**20
        if not args.no_browser:
            row.update(pagefind_transfer(site, args.query, args.followup))
            print(f"[{n}] search cold {row['cold_kb']:.0f} KB ({row['cold_files']} files; filter indexes "
                  f"{row['cold_filter_kb']:.0f} KB, facets.json {row['facets_kb']:.1f} KB); follow-up "
                  f"{row['follow_kb']:.0f} KB; + one filter {row['filter_kb']:.0f} KB", file=sys.stderr)
        if not args.no_material and n <= args.material_max:
            mat = material_index(site, args.work)
            row["material"] = mat
            print(f"[{n}] material search_index.json {mat['raw_kb']:.0f} KB raw, {mat['gzip_kb']:.0f} KB gzip "
                  f"({mat['pages']} pages, mkdocs {mat['seconds']:.0f} s)", file=sys.stderr)
        rows.append(row)
    print("| providers | build (s) | peak memory build / biggest child (MiB) | cold first search (KB) | "
          "follow-up (KB) | + one filter (KB) | Material index raw / gzip (KB) | ratio raw / gzip (Material / cold) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        mat = r.get("material")
        cold = f"{r['cold_kb']:.0f}" if "cold_kb" in r else "–"
        follow = f"{r['follow_kb']:.0f}" if "follow_kb" in r else "–"
        filt = f"{r['filter_kb']:.0f}" if "filter_kb" in r else "–"
        matcol = f"{mat['raw_kb']:.0f} / {mat['gzip_kb']:.0f}" if mat else "–"
        ratio = (f"{mat['raw_kb'] / r['cold_kb']:.0f}× / {mat['gzip_kb'] / r['cold_kb']:.1f}×"
                 if mat and "cold_kb" in r else "–")
        print(f"| {r['providers']} | {r['seconds']:.1f} | {r['self_rss_mib']:.0f} / {r['child_rss_mib']:.0f} | {cold} "
              f"| {follow} | {filt} | {matcol} | {ratio} |")
    print()
    print("Steps (s): " + "; ".join(f"{r['providers']}: " + ", ".join(f"{name} {sec}" for name, sec in r["steps"])
                                    for r in rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
