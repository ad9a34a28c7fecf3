"""Page weight at scale (issue 20): what a visitor downloads for one page must not grow with the number of pages.

For each size N: synthetic data with N providers (generate.py), `kaart build`, then the home page and one provider
page (the first synthetic provider, the same record at every size) opened in Chromium on an emulated phone
(375 × 812) until the network is idle. Counted: every response from the site itself (the page, its style sheets,
scripts, images, JSON and anything the scripts fetch), raw and as gzip (level 6) for text, as a host serves it.
Map tiles come from outside the site and are left out (they are answered locally with nothing).

Example:
    .venv/bin/python benchmarks/bench_page_weight.py --sizes 1000 20000
    .venv/bin/python benchmarks/bench_page_weight.py --sizes 1000 5000 --workdir /tmp/kaart-weight --json w.json
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

from kaart.serve import serve_directory as serve  # noqa: E402

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
TEXT = ("text/", "application/javascript", "application/json", "application/xml", "image/svg")


def weigh(browser, base_url: str, path: str) -> dict:
    """Bytes a phone downloads from the site for one page: {"raw": …, "gzip": …, "files": {path: gzip bytes}}."""
    context = browser.new_context(**PHONE, locale="nl-NL", service_workers="block")
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base_url)
                  else route.fulfill(status=204, body=b""))
    files: dict[str, tuple[int, int]] = {}

    def seen(response):
        if not response.url.startswith(base_url) or response.status >= 300:
            return
        try:
            body = response.body()
        except Exception:  # a response the page dropped before it was read (counted as nothing)
            return
        kind = response.headers.get("content-type", "")
        packed = len(gzip.compress(body, 6, mtime=0)) if kind.startswith(TEXT) else len(body)
        files[response.url.removeprefix(base_url)] = (len(body), min(packed, len(body)))

    page = context.new_page()
    page.on("response", seen)
    try:
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    return {"raw": sum(r for r, _ in files.values()), "gzip": sum(g for _, g in files.values()),
            "files": {name: g for name, (_, g) in sorted(files.items())}}


def build(data: Path, out: Path) -> Path:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "scripts"))
    env.pop("KAART_TODAY", None)
    subprocess.run([sys.executable, "-m", "kaart.cli", "build", "--data", str(data), "--out", str(out)], cwd=ROOT,
                   env=env, check=True, capture_output=True)
    return out


def provider_page(site: Path) -> str:
    """The first synthetic provider (index 0): the same record in every generated size."""
    first = sorted(p.name for p in (site / "aanbieders").iterdir() if p.name.endswith("-0"))[0]
    return f"aanbieders/{first}/"


def measure(sizes: list[int], workdir: Path) -> dict:
    from playwright.sync_api import sync_playwright

    sites = {}
    for n in sizes:
        data = workdir / f"data-{n}"
        if not data.is_dir():
            generate(data, providers=n, seed=1)
        sites[n] = build(data, workdir / f"site-{n}")
    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
        try:
            for n, site in sites.items():
                with serve(site) as base:
                    results[n] = {"home": weigh(browser, base, ""), "provider": weigh(browser, base, provider_page(site))}
        finally:
            browser.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 20000])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kaart-bench-weight"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    results = measure(args.sizes, args.workdir)
    first = results[args.sizes[0]]
    print("| providers | page | requests | raw (KB) | gzip (KB) | gzip vs first size |")
    print("|---:|---|---:|---:|---:|---:|")
    for n, pages in results.items():
        for name, w in pages.items():
            change = (w["gzip"] - first[name]["gzip"]) / first[name]["gzip"] * 100
            print(f"| {n} | {name} | {len(w['files'])} | {w['raw'] / 1000:.1f} | {w['gzip'] / 1000:.1f} | "
                  f"{change:+.1f} % |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
