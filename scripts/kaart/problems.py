"""Problems found in the data, and the three ways to print them (text, GitHub annotations, JSON)."""

from __future__ import annotations

import difflib
import json
from dataclasses import asdict, dataclass, field

ERROR = "error"
WARNING = "warning"


def did_you_mean(value, known) -> str:
    """The start of a hint for an unknown id: "Bedoelde u '…'? " with the closest known one, or "" if none is close.
    One implementation for every "onbekende …" message (validate, the private overlay, redirects)."""
    close = difflib.get_close_matches(str(value), sorted(known), n=1, cutoff=0.6)
    return f"Bedoelde u '{close[0]}'? " if close else ""


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    severity: str
    code: str
    message: str
    hint: str = field(default="", compare=False)

    def text(self) -> str:
        out = f"{self.path}:{self.line}:{self.col}: {self.severity}: [{self.code}] {self.message}"
        if self.hint:
            out += f"\n    oplossing: {self.hint}"
        return out

    def github(self) -> str:
        # GitHub workflow commands: data must escape %, CR and LF; properties also ':' and ','.
        def esc(value: str) -> str:
            return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        def esc_prop(value: str) -> str:
            return esc(value).replace(":", "%3A").replace(",", "%2C")

        body = self.message + (f" Oplossing: {self.hint}" if self.hint else "")
        return (
            f"::{self.severity} file={esc_prop(self.path)},line={self.line},col={self.col},"
            f"title={esc_prop(self.code)}::{esc(body)}"
        )


def sort_key(p: Problem):
    return (p.path, p.line, p.col, p.code, p.message)


def format_problems(problems: list[Problem], fmt: str) -> str:
    problems = sorted(problems, key=sort_key)
    if fmt == "json":
        return json.dumps([asdict(p) for p in problems], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(p.github() for p in problems)
    return "\n".join(p.text() for p in problems)


def summary(problems: list[Problem]) -> str:
    errors = sum(p.severity == ERROR for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return "Alles in orde: geen fouten, geen waarschuwingen."
    return f"{errors} fout(en), {warnings} waarschuwing(en)."
