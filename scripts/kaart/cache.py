"""What `kaart check` remembers between runs: the result of reading and schema-checking each unchanged file.

Parsing and the schema check of every file are most of a check (benchmarks/README.md); the cross-checks between
files (references, duplicates, dates against today) always run again. A file's remembered result is used only
when its place, its kind and a BLAKE2 digest of its bytes are the same, and only by the same code: the cache file's
name carries a fingerprint of the loader and validator sources, the JSON Schemas, and the Python, PyYAML,
yaml-rs, jsonschema and phonenumbers versions. Any change there starts a fresh cache.

The file holds plain data written with `marshal` (not pickle: reading it runs no code; like any cache it trusts
the user's own cache dir). It lives outside the repository: $KAART_CACHE_DIR, else $XDG_CACHE_HOME/kaart, else
~/.cache/kaart — one file per data dir.
KAART_CACHE_DIR=off (or `kaart check --no-cache`) turns it off. A cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from array import array
from pathlib import Path

from .problems import Problem

FORMAT = 2
#: The sources whose behaviour the remembered results depend on (relative to this package) and the libraries.
_SOURCES = ("load.py", "yaml_messages.py", "truthy.py", "schemas.py", "validate.py", "limits.py", "problems.py", "cache.py")
_LIBRARIES = ("PyYAML", "yaml-rs", "jsonschema", "phonenumbers")


def digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


def cache_dir() -> Path | None:
    """Where cache files go, or None when caching is off."""
    chosen = os.environ.get("KAART_CACHE_DIR")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "0", "off", "no", "false") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kaart"


def fingerprint(schema_dir: Path) -> str:
    """A short hash of everything besides a file's own bytes that its remembered result depends on."""
    from importlib import metadata

    h = hashlib.blake2b(digest_size=8)
    h.update(f"{FORMAT} {sys.version} {marshal.version}".encode())
    for name in _LIBRARIES:
        try:
            h.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=?".encode())
    here = Path(__file__).resolve().parent
    for path in [here / name for name in _SOURCES] + sorted(Path(schema_dir).glob("*.json")):
        try:
            h.update(path.name.encode() + b"\0" + path.read_bytes())
        except OSError:
            h.update(path.name.encode() + b"\0?")
    return h.hexdigest()


class CheckCache:
    """Remembered per-file results of one data dir. `get` before loading a file; after the check `keep` or `put`
    every file's result, then `save`."""

    def __init__(self, data_dir: Path, schema_dir: Path, directory: Path):
        where = hashlib.blake2b(str(Path(data_dir).resolve()).encode(), digest_size=8).hexdigest()
        self._prefix = f"check-{where}-"
        self.directory = directory
        self.path = directory / f"{self._prefix}{fingerprint(schema_dir)}.marshal"
        self._old: dict = self._read()
        self._new: dict = {}
        self._changed = False

    def _read(self) -> dict:
        try:
            with open(self.path, "rb") as fh:
                stored = marshal.load(fh)
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        if not isinstance(stored, dict) or stored.get("format") != FORMAT or not isinstance(stored.get("files"), dict):
            return {}
        return stored["files"]

    def __bool__(self) -> bool:  # anything remembered at all? (else there is no point reading files up front)
        return bool(self._old)

    def get(self, shown: str, kind: str, file_digest: bytes):
        """(result, phone facts) of an unchanged file (result as validate._load_one gives it), or None."""
        entry = self._old.get((shown, kind))
        if _digest_of(entry) != file_digest:
            return None
        try:
            result, phones = from_plain(entry[0]), dict(entry[1])
        except (TypeError, ValueError, IndexError, KeyError):  # a cache file of some other shape: not used
            return None
        return result, phones

    def keep(self, shown: str, kind: str, file_digest: bytes) -> bool:
        """Carry an unchanged file's entry over as it is (no re-encoding); False when there is none to keep."""
        old = self._old.get((shown, kind))
        if _digest_of(old) != file_digest:
            return False
        self._new[(shown, kind)] = old
        return True

    def put(self, shown: str, kind: str, result: tuple, phones: dict) -> None:
        """Remember a new or changed file's result."""
        self._changed = True
        self._new[(shown, kind)] = (to_plain(result), sorted(phones.items()))

    def save(self) -> None:
        """Write what this run saw (files that are gone are forgotten); drop caches of older code for this dir."""
        if not self._changed and self._new.keys() == self._old.keys():
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".check-", dir=self.directory)
            try:
                with os.fdopen(fd, "wb") as fh:
                    marshal.dump({"format": FORMAT, "files": self._new}, fh)
                os.replace(tmp, self.path)
            except BaseException:
                os.unlink(tmp)
                raise
            for other in self.directory.glob(f"{self._prefix}*.marshal"):
                if other != self.path:
                    other.unlink(missing_ok=True)
        except (OSError, ValueError):
            pass  # a cache is a convenience: a read-only home or a full disk must not fail the check


def _digest_of(entry) -> bytes | None:
    """The file digest a remembered entry was made from (None for a missing or malformed entry)."""
    try:
        return entry[0][0]
    except (TypeError, IndexError, KeyError):
        return None


def to_plain(result: tuple) -> tuple:
    """One file's result — (digest, data, marks array, load problems, schema problems) — as plain data that
    marshal can write (also what the worker processes send: marshal is ~5x quicker than pickle for it)."""
    file_digest, data, marks, load_problems, schema_problems = result
    return (file_digest, data, None if marks is None else marks.tobytes(),
            [_plain(p) for p in load_problems], [_plain(p) for p in schema_problems])


def from_plain(plain: tuple) -> tuple:
    file_digest, data, marks, load_problems, schema_problems = plain
    if marks is not None:
        marks_array = array("I")
        marks_array.frombytes(marks)
        marks = marks_array
    return (file_digest, data, marks, [Problem(*p) for p in load_problems], [Problem(*p) for p in schema_problems])


def _plain(p: Problem) -> tuple:
    return (p.path, p.line, p.col, p.severity, p.code, p.message, p.hint)


def open_cache(data_dir: Path, schema_dir: Path) -> CheckCache | None:
    directory = cache_dir()
    if directory is None:
        return None
    try:
        return CheckCache(data_dir, schema_dir, directory)
    except OSError:
        return None
