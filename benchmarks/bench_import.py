"""How fast is `kaart import` at scale, and how does it compare with `kaart check` on what it wrote?

For every size N this prepares, once per size (kept in --workdir between runs; made again when the generator,
this script, the kaart package or the schemas changed, see inputs_digest):

  source    a synthetic data dir with N providers (benchmarks/generate.py, without providers/landelijk, so the
            HSDS export holds exactly N organisations)
  base      the same data dir without any providers: municipalities.yaml, taxonomy.yaml, wie-betaalt-wat.yaml,
            roles/ and needs/ (a valid, empty map: the target of every import)
  CSV       N rows in the shape of docs/voorbeelden/import-voorbeeld.csv (same header, ";" between columns, lists
            as "Nederlands, Engels", source labels such as "Ontmoeting" and "Kosteloos" that the mapping
            docs/voorbeelden/import-mapping.yaml translates, some empty cells); every row is for one demo gemeente
  HSDS      `kaart export --format hsds` of the source: hsds/organizations.json

and then measures, --repeat times (the fastest run of each step counts), every step as its own child process
of the real CLI (.venv/bin/kaart) on a fresh copy of the base dir and with an empty KAART_CACHE_DIR:

  import CSV    kaart import --from csv FILE --mapping docs/voorbeelden/import-mapping.yaml --gemeente SLUG --data DIR
  check         kaart check --data DIR --no-cache on the result (every file read and checked)
  import HSDS   kaart import --from hsds organizations.json --data DIR (gemeente from each organisation's area)
  check         the same check on that result

Every import must exit 0 and write exactly N provider files, every check must exit 0; otherwise the benchmark
stops with the command's output. Wall time is measured from outside (interpreter start-up included); CPU time
(user + sys) and peak memory come from wait4(): CPU includes the child's own children (kaart check's worker
processes), peak memory (ru_maxrss) is the largest single process. "import / check" divides an import's time by
the check of the dir that import wrote.

    .venv/bin/python benchmarks/bench_import.py                                   # 1k and 10k rows
    CI=1 .venv/bin/python benchmarks/bench_import.py --sizes 1000 10000 --repeat 3

Prints a Markdown table (paste it into benchmarks/README.md); progress goes to stderr unless CI is set.

`kaart import` refuses files larger than limits.MAX_IMPORT_BYTES (64 MiB). Our own HSDS export of 10 000
synthetic providers is 56 MB since attributes name their term by id only (it was 71 MB, over the limit); for a
file larger than the limit (more rows) the HSDS import runs through the same CLI entry point
(kaart.cli.main, same interpreter) with that one limit raised in the child; the row is marked with † and the
table is followed by a note. --strict-limit runs the plain CLI instead (the import then fails, and so does the
benchmark).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate as gen  # noqa: E402

EXAMPLE_CSV = ROOT / "docs" / "voorbeelden" / "import-voorbeeld.csv"
MAPPING = ROOT / "docs" / "voorbeelden" / "import-mapping.yaml"
#: Files and folders of a data dir that are not providers (copied into the empty base dir).
SHARED = ("municipalities.yaml", "taxonomy.yaml", "wie-betaalt-wat.yaml", "roles", "needs")
#: Runs the real CLI entry point with kaart import's file size limit raised (argv[1]: the new limit in bytes).
RAISED_LIMIT = ("import sys; from kaart import limits; limits.MAX_IMPORT_BYTES = int(sys.argv.pop(1)); "
                "sys.argv[0] = 'kaart'; from kaart.cli import main; sys.exit(main())")

QUIET = bool(os.environ.get("CI"))


def say(*parts) -> None:
    if not QUIET:
        print(*parts, file=sys.stderr, flush=True)


class BenchError(RuntimeError):
    pass


def kaart_command() -> list[str]:
    for candidate in (ROOT / ".venv" / "bin" / "kaart", Path(sys.executable).with_name("kaart")):
        if candidate.is_file():
            return [str(candidate)]
    raise BenchError("kaart is not installed: run `make setup` (expected .venv/bin/kaart)")


def venv_python(kaart: list[str]) -> str:
    """The interpreter of the kaart script (its #! line), so the raised-limit run uses the same Python."""
    first = Path(kaart[0]).read_text(encoding="utf-8").splitlines()[0]
    return first[2:].strip() if first.startswith("#!") else sys.executable


# preparing the inputs --------------------------------------------------------------------------------------------
def _mapping_labels() -> dict[str, dict[str, str]]:
    """id → the source label the example mapping translates (values: section), per field."""
    import yaml

    mapping = yaml.safe_load(MAPPING.read_text(encoding="utf-8"))
    return {field: {target: label for label, target in table.items()}
            for field, table in (mapping.get("values") or {}).items()}


def write_csv(path: Path, rows: int, gemeente: tuple[str, str], postcodes: list[str], taxonomy: dict,
              seed: int) -> None:
    """N rows in the shape of docs/voorbeelden/import-voorbeeld.csv, all for one (demo) gemeente.

    What a real export from a spreadsheet looks like: source labels the mapping translates ("Ontmoeting",
    "Kosteloos", "Engels"), taxonomy names in plain words ("Opvoeden en opgroeien"), lists in one cell, a website
    without https://, empty cells that the mapping's defaults fill, and rows without an address."""
    with EXAMPLE_CSV.open(encoding="utf-8") as fh:
        header = next(csv.reader(fh, delimiter=";"))
    fields = _fields_in_header_order(header)
    labels = _mapping_labels()
    names = {key: {t["id"]: t["name"] for t in taxonomy.get(key) or []}
             for key in ("life_domains", "target_groups", "languages")}

    def label(field: str, tid: str) -> str:
        return labels.get(field, {}).get(tid) or names[field][tid]

    slug, town = gemeente
    rng = random.Random(seed)
    phone = gen._Phones()
    domains, groups = list(names["life_domains"]), list(names["target_groups"])
    languages = [t for t in ("nl", "en", "ar", "tr", "pl") if t in names["languages"]]
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, delimiter=";", lineterminator="\n")
        out.writerow(header)
        for i in range(rows):
            kind, domain, description = gen._KINDS[i % len(gen._KINDS)]
            rid = f"{kind.lower()}-{slug}-{i}"
            life = [domain if domain in names["life_domains"] else domains[0]]
            if rng.random() < 0.3:
                life.append(rng.choice([d for d in domains if d != life[0]]))
            website = rng.choices([f"https://www.{rid}.example", f"{rid}.example", ""], [8, 1, 1])[0]
            address = ["", "", ""]
            if rng.random() < 0.9:
                address = [f"{rng.choice(gen._STREETS)} {rng.randint(1, 200)}",
                           f"{rng.choice(postcodes)} {rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}"
                           f"{rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}", town]
            verified = ""
            if rng.random() < 0.8:
                verified = (gen.ANCHOR_DATE - dt.timedelta(days=rng.randint(0, gen.MAX_AGE_DAYS))).isoformat()
            record = {
                "name": f"{kind} {rng.choice(gen._STREETS)} {town} {i}",
                "description": description,
                "life_domains": ", ".join(label("life_domains", d) for d in life),
                "target_groups": ", ".join(label("target_groups", g)
                                           for g in sorted(rng.sample(groups, k=rng.randint(1, 2)))),
                "website": website,
                "email": f"info@{rid}.example" if rng.random() < 0.85 else "",
                "phone": phone(),
                "kvk": "",  # an 8-digit number could belong to a real company: never in demo data
                "service_name": f"{kind} dienst",
                "service_description": f"{description} Zonder afspraak welkom.",
                "cost": rng.choice([label("cost", "gratis"), label("cost", "eigen-bijdrage"), ""]),
                "languages": ", ".join(label("languages", t) for t in languages[: rng.randint(1, 3)]),
                "street": address[0], "postcode": address[1], "city": address[2],
                "verified_date": verified,
            }
            out.writerow(record[field] for field in fields)


def _fields_in_header_order(header: list[str]) -> list[str]:
    """The mapping's field names in the order of the example's header (the mapping says which column is which)."""
    import yaml

    columns = yaml.safe_load(MAPPING.read_text(encoding="utf-8"))["columns"]
    by_column = {column: field for field, column in columns.items()}
    missing = [c for c in header if c not in by_column]
    if missing:
        raise BenchError(f"{EXAMPLE_CSV.name} has columns the mapping does not name: {missing}")
    return [by_column[c] for c in header]


def inputs_digest() -> str:
    """What the prepared inputs depend on: the generator, this script and the kaart package (its export writes
    the HSDS file). Inputs prepared by other code are made again, so a changed export is never measured stale."""
    import hashlib

    h = hashlib.sha256()
    for path in sorted([HERE / "generate.py", Path(__file__).resolve(), *(ROOT / "scripts" / "kaart").glob("*.py"),
                        *(ROOT / "schemas").glob("*.json")]):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def prepare(size: int, seed: int, workdir: Path, kaart: list[str]) -> dict:
    """Source, base, CSV and HSDS export for one size; reused when workdir has them from the same code."""
    import yaml

    root = workdir / f"rows-{size}-seed-{seed}"
    source, base, export = root / "source", root / "base", root / "export"
    csv_file = root / f"aanbieders-{size}.csv"
    ready = root / ".ready"
    made_by = inputs_digest()
    if not ready.exists() or ready.read_text(encoding="utf-8") != made_by:
        shutil.rmtree(root, ignore_errors=True)
        say(f"preparing {size} rows in {root} …")
        gen.generate(source, size, seed)
        shutil.rmtree(source / "providers" / "landelijk", ignore_errors=True)  # HSDS: exactly N organisations
        base.mkdir(parents=True)
        for name in SHARED:
            if (source / name).is_dir():
                shutil.copytree(source / name, base / name)
            elif (source / name).is_file():
                shutil.copy2(source / name, base / name)
        municipalities = yaml.safe_load((base / "municipalities.yaml").read_text(encoding="utf-8"))["municipalities"]
        first = municipalities[0]
        taxonomy = yaml.safe_load((base / "taxonomy.yaml").read_text(encoding="utf-8"))
        write_csv(csv_file, size, (first["id"], first["name"]), list(first["postcodes"]), taxonomy, seed)
        (root / "gemeente.txt").write_text(first["id"], encoding="utf-8")
        done = subprocess.run(kaart + ["export", "--data", str(source), "--format", "hsds", "--out", str(export)],
                              capture_output=True, text=True, env=child_env(root / "cache"))
        if done.returncode != 0:
            raise BenchError(f"kaart export failed ({done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
        shutil.rmtree(root / "cache", ignore_errors=True)
        ready.write_text(made_by, encoding="utf-8")
    hsds = export / "hsds" / "organizations.json"
    return {"root": root, "base": base, "csv": csv_file, "hsds": hsds,
            "gemeente": (root / "gemeente.txt").read_text(encoding="utf-8").strip()}


# measuring ---------------------------------------------------------------------------------------------------------
def child_env(cache: Path) -> dict:
    return {**os.environ, "CI": "1", "KAART_CACHE_DIR": str(cache)}


def run(cmd: list[str], cache: Path) -> dict:
    """Run one child; wall clock from outside, CPU and peak memory from wait4 (the child and its own children)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT, env=child_env(cache))
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = (f.read().decode("utf-8", "replace") for f in (out, err))
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
            "exit": proc.returncode, "stdout": stdout, "stderr": stderr, "cmd": cmd}


def _fail(what: str, r: dict, reason: str) -> BenchError:
    return BenchError(f"{what}: {reason}\n$ {' '.join(r['cmd'])}\n(exit {r['exit']})\n"
                      f"{r['stdout'][-3000:]}\n{r['stderr'][-3000:]}")


def _warnings(stdout: str) -> int | None:
    """Warnings in the JSON list `kaart import --format json` prints on stdout (None if it is not there)."""
    try:
        return sum(1 for p in json.loads(stdout) if p.get("severity") == "warning") if stdout.strip() else 0
    except (ValueError, AttributeError, TypeError):
        return None


def provider_files(data_dir: Path) -> int:
    folder = data_dir / "providers"
    return sum(1 for _ in folder.glob("*/*.yaml")) if folder.is_dir() else 0


def one_round(inputs: dict, size: int, kaart: list[str], python: str, strict_limit: bool, scratch: Path,
              keep: bool) -> dict[str, dict]:
    """One run of the four steps on fresh copies of the base dir; returns step → measurement."""
    from kaart import limits

    results = {}
    for kind in ("csv", "hsds"):
        target, cache = scratch / f"{kind}-data", scratch / f"{kind}-cache"
        shutil.rmtree(target, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        shutil.copytree(inputs["base"], target)
        if kind == "csv":
            cmd = kaart + ["import", "--from", "csv", str(inputs["csv"]), "--mapping", str(MAPPING),
                           "--gemeente", inputs["gemeente"], "--data", str(target), "--format", "json"]
        else:
            cmd = kaart + ["import", "--from", "hsds", str(inputs["hsds"]), "--data", str(target), "--format", "json"]
            size_bytes = inputs["hsds"].stat().st_size
            if size_bytes > limits.MAX_IMPORT_BYTES and not strict_limit:
                cmd = [python, "-c", RAISED_LIMIT, str(max(size_bytes, limits.MAX_IMPORT_BYTES)), *cmd[1:]]
        r = run(cmd, cache)
        what = f"import {kind} ({size} rows)"
        if r["exit"] != 0:
            raise _fail(what, r, "exited with an error")
        written = provider_files(target)
        if written != size:
            raise _fail(what, r, f"wrote {written} provider files, expected {size}")
        r["warnings"] = _warnings(r["stdout"])
        r["raised_limit"] = cmd[0] == python and cmd[1] == "-c"
        results[f"import-{kind}"] = r
        say(f"  import {kind}: {r['wall']:.2f} s wall, {r['cpu']:.2f} s CPU, {r['rss_mb']:.0f} MB, "
            f"{written} files, {r['warnings']} warning(s)")
        c = run(kaart + ["check", "--data", str(target), "--no-cache", "--format", "json"], cache)
        if c["exit"] != 0:
            raise _fail(f"kaart check after import {kind}", c, "found errors in what the import wrote")
        results[f"check-{kind}"] = c
        say(f"  check after {kind}: {c['wall']:.2f} s wall, {c['cpu']:.2f} s CPU, {c['rss_mb']:.0f} MB")
        if not keep:
            shutil.rmtree(target, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
    return results


def measure(size: int, args, kaart: list[str], python: str) -> tuple[dict, dict]:
    inputs = prepare(size, args.seed, args.workdir, kaart)
    scratch = inputs["root"] / "runs"
    best: dict[str, dict] = {}
    for i in range(args.repeat):
        say(f"{size} rows, run {i + 1}/{args.repeat}")
        for step, r in one_round(inputs, size, kaart, python, args.strict_limit, scratch, args.keep).items():
            if step not in best or r["wall"] < best[step]["wall"]:
                best[step] = r
    return inputs, best


# optional: where the time goes ------------------------------------------------------------------------------------
def profile(inputs: dict, kind: str, top: int) -> str:
    """cProfile of import_records in this process on a fresh copy of the base dir (own-time top list)."""
    import cProfile
    import io
    import pstats

    from kaart import limits
    from kaart.importer import import_records

    scratch = Path(tempfile.mkdtemp(prefix="bench-import-profile-"))
    os.environ["KAART_CACHE_DIR"] = str(scratch / "cache")
    target = scratch / "data"
    shutil.copytree(inputs["base"], target)
    limits.MAX_IMPORT_BYTES = max(limits.MAX_IMPORT_BYTES, inputs["hsds"].stat().st_size)
    prof = cProfile.Profile()
    start = time.perf_counter()
    prof.enable()
    if kind == "csv":
        result = import_records("csv", inputs["csv"], target, inputs["gemeente"], MAPPING)
    else:
        result = import_records("hsds", inputs["hsds"], target)
    prof.disable()
    seconds = time.perf_counter() - start
    shutil.rmtree(scratch, ignore_errors=True)
    text = io.StringIO()
    stats = pstats.Stats(prof, stream=text)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return (f"import {kind}: {seconds:.2f} s under cProfile, {len(result.written)} files, ok={result.ok}\n"
            + text.getvalue())


# output -------------------------------------------------------------------------------------------------------------
STEPS = (("import-csv", "kaart import --from csv (mapping)", "check-csv"),
         ("check-csv", "kaart check --no-cache on the CSV result", None),
         ("import-hsds", "kaart import --from hsds organizations.json", "check-hsds"),
         ("check-hsds", "kaart check --no-cache on the HSDS result", None))


def table(results: list[tuple[int, dict, dict]], target_seconds: float, target_ratio: float) -> list[str]:
    lines = ["| rows | step | input (MB) | wall (s) | CPU (s) | peak memory (MB) | import / check, wall "
             "| import / check, CPU | warnings |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    marked = False
    for size, inputs, best in results:
        for step, label, check in STEPS:
            r = best[step]
            ratio = cpu_ratio = warnings = size_mb = ""
            if check:
                c = best[check]
                ratio, cpu_ratio = f"{r['wall'] / c['wall']:.1f}×", f"{r['cpu'] / c['cpu']:.1f}×"
                warnings = "?" if r.get("warnings") is None else str(r["warnings"])
                size_mb = f"{inputs[step.split('-')[1]].stat().st_size / 1e6:.1f}"
            if r.get("raised_limit"):
                label += " †"
                marked = True
            lines.append(f"| {size} | {label} | {size_mb} | {r['wall']:.2f} | {r['cpu']:.2f} | {r['rss_mb']:.0f} "
                         f"| {ratio} | {cpu_ratio} | {warnings} |")
    if marked:
        from kaart import limits

        lines.append("")
        lines.append(f"† organizations.json is larger than `limits.MAX_IMPORT_BYTES` "
                     f"({limits.MAX_IMPORT_BYTES // (1024 * 1024)} MiB): the plain CLI refuses it "
                     "(`import-too-large`); measured through `kaart.cli.main` with that limit raised in the child.")
    verdicts = []
    for size, _, best in results:
        for step in ("import-csv", "import-hsds"):
            r, c = best[step], best[step.replace("import", "check")]
            verdicts.append(f"<!-- {size} rows, {step}: {r['wall']:.2f} s "
                            f"({'≤' if r['wall'] <= target_seconds else '>'} {target_seconds:g} s), "
                            f"{r['wall'] / c['wall']:.1f}× check "
                            f"({'≤' if r['wall'] <= target_ratio * c['wall'] else '>'} {target_ratio:g}×) -->")
    return lines + verdicts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], metavar="N",
                        help="numbers of rows (CSV) and organisations (HSDS) to import (default 1000 10000). "
                             "Example: --sizes 1000 10000 20000")
    parser.add_argument("--repeat", type=int, default=1, metavar="K",
                        help="runs per size; the fastest run of each step counts (default 1). Example: --repeat 3")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kaart-bench-import"), metavar="DIR",
                        help="where the generated inputs are kept between runs and the runs' data dirs are made "
                             "(default /tmp/kaart-bench-import; remove it after changing generate.py or kaart export, "
                             "or the old inputs are used). Example: --workdir /tmp/kbi")
    parser.add_argument("--seed", type=int, default=1,
                        help="random seed of the synthetic data (default 1). Example: --seed 7")
    parser.add_argument("--keep", action="store_true",
                        help="keep the data dirs of the last run in DIR/rows-N-seed-S/runs/ to look at. "
                             "Example: --keep")
    parser.add_argument("--strict-limit", action="store_true",
                        help="run the HSDS import with the plain CLI even when organizations.json is larger than "
                             "the importer's size limit (it then fails). Example: --strict-limit")
    parser.add_argument("--profile", action="store_true",
                        help="afterwards, run both imports of the largest size in this process under cProfile and "
                             "print the top functions (to stderr). Example: --sizes 10000 --profile")
    parser.add_argument("--profile-top", type=int, default=25, metavar="K",
                        help="how many functions the --profile lists show (default 25). Example: --profile-top 40")
    parser.add_argument("--target-seconds", type=float, default=10.0, metavar="S",
                        help="the time an import of a size should stay under, for the verdict comments under the "
                             "table (default 10, issue 14's target for 10 000 rows). Example: --target-seconds 10")
    parser.add_argument("--target-ratio", type=float, default=3.0, metavar="R",
                        help="an import should take at most R times kaart check on its result (default 3). "
                             "Example: --target-ratio 3")
    args = parser.parse_args(argv)
    if args.repeat < 1 or any(n < 1 for n in args.sizes):
        parser.error("--repeat and --sizes must be at least 1")

    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        kaart = kaart_command()
        python = venv_python(kaart)
        load = os.getloadavg()
        header = (f"<!-- {platform.python_version()}, {os.cpu_count()} cores, load average at start "
                  f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}, {time.strftime('%Y-%m-%d %H:%M')}, "
                  f"--repeat {args.repeat} -->")
        results = []
        for size in args.sizes:
            inputs, best = measure(size, args, kaart, python)
            results.append((size, inputs, best))
    except BenchError as exc:
        print(f"bench_import.py: error: {exc}", file=sys.stderr)
        return 1
    print(header)
    print("\n".join(table(results, args.target_seconds, args.target_ratio)), flush=True)
    if args.profile:
        size, inputs, _ = results[-1]
        for kind in ("csv", "hsds"):
            print(f"\n--- cProfile, {size} rows ---\n" + profile(inputs, kind, args.profile_top), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
