"""`kaart serve`: the site on 127.0.0.1, rebuilt when a record changes, and the open page reloads itself (live
reload) — in real Chromium, with the real CLI as a child process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, TODAY

from kaart.pages import url

PROVIDER = "buurthuis-de-linde"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    def __init__(self, data: Path, out: Path):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        env = {**os.environ, "PYTHONIOENCODING": "utf-8", "KAART_TODAY": TODAY, "CI": "1"}
        self.proc = subprocess.Popen([sys.executable, "-m", "kaart.cli", "serve", "--data", str(data), "--out",
                                      str(out), "--port", str(self.port)], cwd=ROOT, env=env, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line)

    def wait_for(self, text: str, timeout: float = 300) -> None:
        end = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            assert self.proc.poll() is None, "kaart serve stopte:\n" + "".join(self.lines)
            assert time.monotonic() < end, f"'{text}' kwam niet binnen {timeout} s:\n" + "".join(self.lines)
            time.sleep(0.2)

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.base + path, timeout=30) as answer:
            return answer.read()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


@pytest.fixture
def served(tmp_path, data_dir):
    server = Served(data_dir, tmp_path / "site")
    try:
        server.wait_for("De site staat op")
        yield server
    finally:
        server.stop()


def test_served_page_reloads_itself_after_a_record_changes(served, data_dir, tmp_path, browser):
    """An editor keeps the provider page open, saves a new name in its YAML file, and sees the new name without
    pressing reload; the built site itself never contains the reload script."""
    page_path = url("provider", PROVIDER)
    served_html = served.get(page_path).decode()
    assert served_html.count("/__kaart/reload.js") == 1
    on_disk = (tmp_path / "site" / page_path / "index.html").read_text("utf-8")
    assert "__kaart" not in on_disk, "het herlaadscript hoort niet in de gebouwde site"
    assert not list((tmp_path / "site").rglob("*reload*.js"))
    assert served.get("__kaart/build") == b"1"

    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(served.base + page_path)
    assert page.locator("h1").first.inner_text().strip().startswith("Buurthuis De Linde")
    page.wait_for_timeout(500)  # the reload script has asked for the build number and now waits

    record = data_dir / "providers" / "voorbeeldstad" / f"{PROVIDER}.yaml"
    text = record.read_text("utf-8")
    assert "\nname: Buurthuis De Linde\n" in text
    record.write_text(text.replace("\nname: Buurthuis De Linde\n", "\nname: Buurthuis De Lindeboom\n"), "utf-8")
    served.wait_for("Open pagina's in uw browser laden zichzelf opnieuw", timeout=300)
    page.wait_for_function("document.querySelector('h1').innerText.includes('Lindeboom')", timeout=30_000)
    assert served.get("__kaart/build") == b"2"
    assert not errors, errors  # the site's CSP allows the script (same origin), nothing else went wrong
    page.close()


def test_a_failed_rebuild_keeps_the_site_and_says_what_to_do(served, data_dir):
    record = data_dir / "providers" / "voorbeeldstad" / f"{PROVIDER}.yaml"
    record.write_text(record.read_text("utf-8").replace("\nname: ", "\nname: [kapot\n", 1), "utf-8")
    served.wait_for("De site is niet bijgewerkt", timeout=300)
    assert b"Buurthuis De Linde" in served.get(url("provider", PROVIDER))
    assert served.get("__kaart/build") == b"1"  # open pages do not reload onto a site that did not change
