"""Step messages for long commands (`kaart build`, `kaart serve`): shown on a terminal, quiet in CI."""

from __future__ import annotations

import os
import sys
import time


class Progress:
    """Step messages on a terminal; silent in CI or when output is piped (unless --verbose)."""

    def __init__(self, verbose: bool | None = None):
        if verbose is None:
            verbose = sys.stderr.isatty() and not os.environ.get("CI")
        self.verbose = verbose
        self.started = time.perf_counter()

    def step(self, message: str) -> None:
        if self.verbose:
            elapsed = time.perf_counter() - self.started
            print(f"[{elapsed:6.1f} s] {message}", file=sys.stderr, flush=True)
