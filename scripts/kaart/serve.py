"""`kaart serve`: build, serve the site on 127.0.0.1, rebuild when data/, docs/ or the config change, and reload
the open browser pages after each rebuild (live reload).

Live reload touches only what this server sends, never the built site: every HTML page it serves gets one
`<script src="/__kaart/reload.js" defer>` before `</body>` (same origin, so the site's Content-Security-Policy
allows it). That script asks `/__kaart/build?na=N`, which answers at once with the build number when it is not N,
or after BUILD_WAIT_SECONDS with N (a long poll); when the number changes the page reloads itself."""

from __future__ import annotations

import contextlib
import functools
import http.server
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from .paths import REPO

#: Seconds between looks for changed files.
POLL_SECONDS = 1.0
#: How long one question of the reload script waits for a new build before it is answered "no change".
BUILD_WAIT_SECONDS = 20.0
#: The dev-only addresses of this server (outside the site: nothing in the site is called like this).
RELOAD_SCRIPT = "/__kaart/reload.js"
BUILD_STATE = "/__kaart/build"
_TAG = f'<script src="{RELOAD_SCRIPT}" defer></script>'.encode()
_SCRIPT = Path(__file__).with_name("serve_reload.js").read_bytes()  # not in assets/: never in the site


class Builds:
    """The number of finished builds, and a way to wait for the next one."""

    def __init__(self) -> None:
        self.number = 1
        self._changed = threading.Condition()

    def finished(self) -> None:
        with self._changed:
            self.number += 1
            self._changed.notify_all()

    def wait_past(self, seen: int, timeout: float) -> int:
        with self._changed:
            self._changed.wait_for(lambda: self.number != seen, timeout)
            return self.number


def _snapshot(paths: list[Path]) -> dict[str, float]:
    state = {}
    for root in paths:
        if root.is_file():
            state[str(root)] = root.stat().st_mtime
        elif root.is_dir():
            for p in root.rglob("*"):
                if p.is_file():
                    state[str(p)] = p.stat().st_mtime
    return state


def serve(args, build) -> int:
    if build(args) != 0:
        return 1
    out = Path(args.out).resolve()
    builds = Builds()
    handler = functools.partial(_Handler, builds, directory=str(out))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    except OSError as exc:
        print(f"kaart serve: poort {args.port} is niet beschikbaar ({exc.strerror}). Kies een andere met --port.",
              file=sys.stderr)
        return 1
    server.daemon_threads = True  # a waiting reload question never holds up Ctrl+C
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"De site staat op http://127.0.0.1:{args.port}/ — stoppen met Ctrl+C.", flush=True)
    watched = [Path(args.data), REPO / "docs", REPO / "mkdocs.yml"] + ([args.private] if args.private else [])
    state = _snapshot(watched)
    try:
        while True:
            time.sleep(POLL_SECONDS)
            now = _snapshot(watched)
            if now != state:
                state = now
                print("Wijziging gezien: opnieuw bouwen…", flush=True)
                if build(args) == 0:  # the server keeps serving the (swapped) directory by path
                    builds.finished()
                    print("Klaar. Open pagina's in uw browser laden zichzelf opnieuw.", flush=True)
                else:
                    print("De site is niet bijgewerkt: los de fouten hierboven op en bewaar het bestand opnieuw.",
                          flush=True)
    except KeyboardInterrupt:
        server.shutdown()
    return 0


class _Files(http.server.SimpleHTTPRequestHandler):
    """The built site as plain files, as a static host serves it, without a log line per request."""

    def log_message(self, format, *args):  # noqa: A002 - signature from the standard library
        pass


@contextlib.contextmanager
def serve_directory(directory: Path):
    """Serve `directory` as plain files on 127.0.0.1 at a free port, in a thread; yields the base URL (ending in
    '/'). For the tests and benchmarks that open a built site in a browser."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Files, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


class _Handler(_Files):
    """The built site as files, plus the two live-reload addresses; HTML pages get the reload script."""

    def __init__(self, builds: Builds, *args, **kwargs):
        self.builds = builds
        super().__init__(*args, **kwargs)

    def do_GET(self):  # noqa: N802 - name from the standard library
        url = urllib.parse.urlsplit(self.path)
        if url.path == RELOAD_SCRIPT:
            return self._send(_SCRIPT, "text/javascript; charset=utf-8")
        if url.path == BUILD_STATE:
            seen = urllib.parse.parse_qs(url.query).get("na", [""])[0]
            number = self.builds.number if not seen.isdigit() else \
                self.builds.wait_past(int(seen), BUILD_WAIT_SECONDS)
            return self._send(str(number).encode(), "text/plain; charset=utf-8")
        page = self._html_file(url.path)
        if page is None:
            return super().do_GET()
        try:
            body = page.read_bytes()
        except OSError:
            return super().do_GET()
        at = body.rfind(b"</body>")
        return self._send(body[:at] + _TAG + body[at:] if at >= 0 else body, "text/html; charset=utf-8")

    def _html_file(self, path: str) -> Path | None:
        """The HTML file an address shows (a folder's index.html), or None for anything else."""
        local = Path(self.translate_path(path))
        if local.is_dir():
            if not path.endswith("/"):
                return None  # the standard handler redirects to the address with a slash
            local = local / "index.html"
        return local if local.suffix == ".html" and local.is_file() else None

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


