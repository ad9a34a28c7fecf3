"""Lighthouse mobile performance per page type, served with gzip as a real host serves the site (issue 17).

Builds the site (or takes a built one), serves it from a small gzip-speaking Python server on 127.0.0.1, and runs
Lighthouse (npm `lighthouse`, devDependency; Debian Chromium through CHROME_PATH) with its default mobile settings
(simulated throttling: a mid-range phone on slow 4G) and only the performance category, on one page per type.
Each page runs `--runs` times (default 3) and the median counts: other work on a shared machine lowers scores.

Example:
    .venv/bin/python benchmarks/bench_lighthouse.py --runs 3 --json /tmp/lighthouse.json
    .venv/bin/python benchmarks/bench_lighthouse.py --site /tmp/site --pages home provider
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")

#: One page per page type of the shipped data (a Voorbeeldstad provider and the gemeente have a map).
PAGES = {
    "home": "",
    "gemeente": "gemeenten/voorbeeldstad/",
    "hulpvraag": "hulpvragen/schulden/",
    "provider": "aanbieders/bibliotheek-voorbeeldstad/",
    "rollen": "rollen/",
    "zoeken": "zoeken/",
}
#: What a host compresses (text); images and fonts go as they are.
COMPRESS = (".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt", ".webmanifest")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed (level 6, cached in memory) when the client accepts it."""

    cache: dict[str, bytes] = {}
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the address with a slash
            path = os.path.join(path, "index.html")
        if (not path.endswith(COMPRESS) or "gzip" not in self.headers.get("Accept-Encoding", "")
                or not os.path.isfile(path)):
            return super().send_head()
        with self.lock:
            body = self.cache.get(path)
            if body is None:
                body = self.cache[path] = gzip.compress(Path(path).read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return _Body(body)


class _Body:
    """A file-like object over bytes, as SimpleHTTPRequestHandler.do_GET copies from and closes."""

    def __init__(self, data: bytes):
        self.data = data

    def read(self, n: int = -1) -> bytes:
        data, self.data = (self.data, b"") if n < 0 else (self.data[:n], self.data[n:])
        return data

    def close(self) -> None:
        pass


def serve(site: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def run_lighthouse(url: str, out: Path) -> dict:
    """One Lighthouse run (mobile defaults, performance only); the figures this benchmark reports."""
    cmd = [str(LIGHTHOUSE), url, "--only-categories=performance", "--output=json", f"--output-path={out}",
           "--quiet", "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
    result = subprocess.run(cmd, env=dict(os.environ, CHROME_PATH=CHROMIUM), capture_output=True, text=True,
                            timeout=300)
    if result.returncode != 0 or not out.is_file():
        raise SystemExit(f"lighthouse failed for {url}:\n{result.stderr[-2000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]

    def value(key: str) -> float:
        return audits[key].get("numericValue") or 0.0

    unused_css = audits.get("unused-css-rules", {}).get("details", {}).get("overallSavingsBytes") or 0
    unused_js = audits.get("unused-javascript", {}).get("details", {}).get("overallSavingsBytes") or 0
    return {"score": round((report["categories"]["performance"]["score"] or 0) * 100),
            "fcp_ms": value("first-contentful-paint"), "lcp_ms": value("largest-contentful-paint"),
            "tbt_ms": value("total-blocking-time"), "cls": value("cumulative-layout-shift"),
            "transfer_kb": value("total-byte-weight") / 1000, "unused_css_kb": unused_css / 1000,
            "unused_js_kb": unused_js / 1000}


def median_run(runs: list[dict]) -> dict:
    """The run with the median score (its own metrics, so the row is one real page load)."""
    ordered = sorted(runs, key=lambda r: (r["score"], -r["tbt_ms"]))
    return {**ordered[len(ordered) // 2], "scores": [r["score"] for r in runs]}


def build(out: Path) -> Path:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "scripts"))
    subprocess.run([sys.executable, "-m", "kaart.cli", "build", "--out", str(out)], cwd=ROOT, env=env, check=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="a built site (default: build data/ into a temporary folder)")
    parser.add_argument("--pages", nargs="+", choices=list(PAGES), default=list(PAGES))
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median counts (default 3)")
    parser.add_argument("--json", type=Path, help="write every run and the medians here")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        raise SystemExit("lighthouse ontbreekt: run 'npm ci' (package.json devDependencies)")
    with tempfile.TemporaryDirectory(prefix="kaart-lh-") as tmp:
        site = args.site or build(Path(tmp) / "site")
        server, base = serve(site)
        try:
            load = os.getloadavg()
            results = {}
            for name in args.pages:
                runs = [run_lighthouse(base + PAGES[name], Path(tmp) / f"{name}-{i}.json") for i in range(args.runs)]
                results[name] = {"path": PAGES[name], "median": median_run(runs), "runs": runs}
                print(f"  {name}: {[r['score'] for r in runs]}", file=sys.stderr)
        finally:
            server.shutdown()
    print(f"<!-- lighthouse 12, {args.runs} runs per page, median; load average at start "
          f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} -->")
    print("| page | score (runs) | FCP (s) | LCP (s) | TBT (ms) | CLS | transfer (KB) | unused CSS (KB) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, res in results.items():
        m = res["median"]
        print(f"| {name} | {m['score']} ({', '.join(map(str, m['scores']))}) | {m['fcp_ms'] / 1000:.1f} | "
              f"{m['lcp_ms'] / 1000:.1f} | {m['tbt_ms']:.0f} | {m['cls']:.3f} | {m['transfer_kb']:.0f} | "
              f"{m['unused_css_kb']:.0f} |")
    if args.json:
        args.json.write_text(json.dumps({"load_average": load, "pages": results}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
