"""Run `kaart` and kill it (SIGKILL, with its children) at one chosen file-system step, for tests/test_build_safety.py.

    python tests/kill_points.py SCOPE N -- build --out SCOPE/site …

A Python audit hook (PEP 578) sees every file-system step the build takes itself: open, mkdir, rename, remove,
rmtree, copytree, and foreign calls through ctypes (the swap's renameat2). Only steps on a path inside SCOPE
(the folder that holds --out and its scratch space) count. N = -1 lists them (one per line, on stderr, prefixed
`kill-point:`) and lets the build finish; N >= 0 kills the process group just before step N runs.

The product has no hook of its own for this: the swap can be written in any way (two renames, delete then copy,
an exchange) and the test still finds the moments in between. MkDocs and Pagefind run as child processes and
write only into the scratch space, so their own steps need not be seen.
"""

from __future__ import annotations

import os
import signal
import sys

WATCHED = {"open", "os.mkdir", "os.rename", "os.replace", "os.remove", "os.rmdir", "os.symlink", "os.link",
           "os.truncate", "shutil.rmtree", "shutil.copytree", "shutil.move", "shutil.copyfile", "ctypes.call_function"}
PREFIX = "kill-point:"


def _paths(args) -> list[str]:
    found = []
    for arg in args:
        if isinstance(arg, (tuple, list)):
            found += _paths(arg)
        elif isinstance(arg, (str, bytes, os.PathLike)):
            try:
                path = os.fsdecode(os.fspath(arg))
            except (TypeError, ValueError):
                continue
            if os.path.isabs(path):
                found.append(os.path.normpath(path))
    return found


def main() -> int:
    scope, n = os.path.realpath(sys.argv[1]), int(sys.argv[2])
    args = sys.argv[sys.argv.index("--") + 1:]
    seen = 0

    def hook(event: str, event_args) -> None:
        nonlocal seen
        if event not in WATCHED:
            return
        if event == "open" and isinstance(event_args[0], int):  # an already open descriptor
            return
        inside = [p for p in _paths(event_args) if p == scope or p.startswith(scope + os.sep)]
        if not inside:
            return
        if n < 0:
            print(f"{PREFIX} {seen} {event} {' '.join(p[len(scope) + 1:] for p in inside)}", file=sys.stderr, flush=True)
        elif seen == n:
            os.killpg(os.getpgrp(), signal.SIGKILL)
        seen += 1

    sys.addaudithook(hook)
    from kaart.cli import main as kaart

    return kaart(args)


if __name__ == "__main__":
    sys.exit(main())
