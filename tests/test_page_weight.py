"""Constant page weight (issue 20): what a phone downloads for the home page and a provider page does not grow with
the number of pages. Here at 1 000 and 5 000 synthetic providers; benchmarks/bench_page_weight.py measures 1k / 20k
with the same code (figures in benchmarks/README.md)."""

from __future__ import annotations

import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_page_weight as weight  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_home_and_provider_page_weigh_the_same_at_1k_and_5k_providers(browser, tmp_path):
    sites = {}
    for n in (1000, 5000):
        weight.generate(tmp_path / f"data-{n}", providers=n, seed=1)
        sites[n] = weight.build(tmp_path / f"data-{n}", tmp_path / f"site-{n}")
    weights = {}
    for n, site in sites.items():
        with weight.serve(site) as base:
            weights[n] = {"home": weight.weigh(browser, base, ""),
                          "provider": weight.weigh(browser, base, weight.provider_page(site))}
    for name in ("home", "provider"):
        small, large = weights[1000][name], weights[5000][name]
        assert not [f for f in large["files"] if "sitemap" in f], large["files"]
        assert small["files"].keys() == large["files"].keys(), (name, small["files"], large["files"])
        assert abs(large["gzip"] - small["gzip"]) < 0.05 * small["gzip"], (name, small["files"], large["files"])
        assert abs(large["raw"] - small["raw"]) < 0.05 * small["raw"], name
