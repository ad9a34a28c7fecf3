"""The shape of the validator (issue 15): small rule functions from one rule table, one id check, one staleness rule."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

from kaart import editors, limits, private, validate
from kaart.load import discover

VALIDATE_PY = Path(validate.__file__)
#: Longest function (lines, from `def` to its last line, nested functions included) validate.py may hold.
MAX_FUNCTION_LINES = 80


def _functions(source: str):
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node.name, node.lineno, node.end_lineno - node.lineno + 1


def test_no_function_in_validate_is_longer_than_80_lines():
    too_long = [(name, line, size) for name, line, size in _functions(VALIDATE_PY.read_text(encoding="utf-8"))
                if size > MAX_FUNCTION_LINES]
    assert not too_long, f"validate.py: split these into rule functions (name, line, length): {too_long}"


def test_the_length_check_sees_a_long_function():
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES))
    assert [size for _, _, size in _functions(f"def f():\n{body}")] == [MAX_FUNCTION_LINES + 1]


def test_every_record_kind_has_rules_in_the_table():
    kinds = {kind for kind, _ in validate.RULES}
    assert kinds == {"taxonomy", "municipalities", "role", "need", "signal", "provider", "payment-guide",
                     "redirects", "routewijzer", "synoniemen"}
    assert all(callable(rule) for _, rule in validate.RULES)


def test_every_kind_discover_knows_is_in_the_table(tmp_path):
    files, _ = discover(Path(__file__).parent / "fixtures" / "valid")
    assert {sf.kind for sf in files} <= {kind for kind, _ in validate.RULES}


def test_ids_are_checked_by_one_implementation():
    source = Path(private.__file__).read_text(encoding="utf-8") + VALIDATE_PY.read_text(encoding="utf-8")
    assert source.count("niet gelijk aan de bestandsnaam") == 1
    assert source.count("wordt ook gebruikt in") == 1
    assert source.count("Bedoelde u") == 0  # problems.did_you_mean builds that hint


def test_one_definition_of_stale():
    assert validate.is_stale is limits.is_stale is editors.is_stale
    day = dt.date(2025, 1, 1)
    assert not limits.is_stale(day, day + dt.timedelta(days=365))
    assert limits.is_stale(day, day + dt.timedelta(days=366))
    assert limits.is_stale(day, day + dt.timedelta(days=92), months=3)
