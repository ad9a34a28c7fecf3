"""`kaart serve`: build, serve the site on 127.0.0.1, rebuild when data/, docs/ or the config change."""

from __future__ import annotations

import functools
import http.server
import sys
import threading
import time
from pathlib import Path

from .paths import REPO

#: Seconds between looks for changed files.
POLL_SECONDS = 1.0


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
    handler = functools.partial(_Quiet, directory=str(out))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    except OSError as exc:
        print(f"kaart serve: poort {args.port} is niet beschikbaar ({exc.strerror}). Kies een andere met --port.",
              file=sys.stderr)
        return 1
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
                if build(args) == 0:
                    print("Klaar. Ververs de pagina in uw browser.", flush=True)
                    # the server keeps serving the (swapped) directory by path
    except KeyboardInterrupt:
        server.shutdown()
    return 0


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature from the standard library
        pass
