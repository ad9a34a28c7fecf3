"""Synthetic data for scale benchmarks: a complete data dir with N fictional providers.

Deterministic: the same --providers and --seed give byte-identical files. Everything generated is demo data
(DESIGN: demo municipalities use CBS codes GM99xx, postcodes that start with 0 and phone numbers whose
subscriber part starts with 000 — none of these exist in the Netherlands), so it can never be mistaken for
real information. Taxonomy, roles, needs (and the payment guide and national providers, when present) are
copied from a real data dir, so providers reference real role ids.

    python benchmarks/generate.py --providers 10000 --out /tmp/bench-10k
    python benchmarks/generate.py --providers 1000 --gemeenten 5 --seed 7 --out /tmp/bench-1k

From Python (site and search benchmarks reuse this):

    from benchmarks.generate import generate      # or: sys.path.insert(0, "benchmarks"); from generate import …
    generate(Path("/tmp/bench-10k"), providers=10_000, seed=1)
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
#: GM9901…GM9999: the CBS never uses GM99xx, so there are 99 demo municipality codes.
MAX_GEMEENTEN = 99
#: Providers per generated municipality when --gemeenten is not given.
PROVIDERS_PER_GEMEENTE = 100
#: Verified dates lie up to this many days before ANCHOR_DATE (benchmarks pin KAART_TODAY=2026-11-01).
ANCHOR_DATE = dt.date(2026, 10, 1)
MAX_AGE_DAYS = 200
#: Real Dutch area codes; the demo number is "<area> 000 NNNN" (validate.DEMO_PHONE): 30 × 10 000 numbers.
AREA_CODES = ["010", "013", "015", "020", "023", "024", "026", "030", "033", "035", "036", "038", "040", "043",
              "045", "046", "050", "053", "055", "058", "070", "071", "072", "073", "074", "075", "076", "077",
              "078", "079"]

_PREFIXES = ["Beek", "Zand", "Heide", "Linde", "Wester", "Ooster", "Noorder", "Zuider", "Dijk", "Veen", "Berg",
             "Molen", "Kerk", "Brug", "Eik"]
_SUFFIXES = ["dorp", "stad", "veen", "hoven", "wijk", "dam", "horst", "broek"]
_KINDS = [("Buurthuis", "meedoen", "Een buurthuis met activiteiten voor iedereen in de wijk."),
          ("Wijkteam", "zorg", "Het wijkteam helpt met vragen over zorg, geld, wonen en opvoeden."),
          ("Schuldhulp", "geld-en-schulden", "Gratis hulp als u schulden heeft of moeilijk rondkomt."),
          ("Jongerenwerk", "opvoeden", "Jongerenwerkers voor jongeren van 12 tot 23 jaar."),
          ("Mantelzorgpunt", "mantelzorg", "Steun en advies voor mantelzorgers."),
          ("Vervoersdienst", "vervoer", "Vervoer van deur tot deur voor wie niet zelf kan reizen."),
          ("Woonloket", "wonen", "Advies over een passende woning en aanpassingen in huis."),
          ("Werkpunt", "werk-en-inkomen", "Hulp bij het vinden van werk dat bij u past.")]
_STREETS = ["Dorpsstraat", "Kerkstraat", "Schoolstraat", "Molenweg", "Stationsweg", "Julianalaan", "Beatrixlaan",
            "Lindelaan", "Nieuwstraat", "Marktplein"]
_DAYS = ["MO", "TU", "WE", "TH", "FR"]


def gemeente_names(count: int) -> list[tuple[str, str]]:
    """(slug, name) pairs of fictional municipalities, in a fixed order."""
    out = []
    for suffix in _SUFFIXES:
        for prefix in _PREFIXES:
            name = prefix + suffix
            out.append((name.lower(), name))
    if count > len(out):
        raise ValueError(f"at most {len(out)} gemeenten")
    return out[:count]


def _q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _source_dir(source: Path | None) -> Path:
    if source is not None:
        return source
    real = ROOT / "data"
    if (real / "taxonomy.yaml").is_file() and any((real / "roles").glob("*.yaml")) and any((real / "needs").glob("*.yaml")):
        return real
    return ROOT / "tests" / "fixtures" / "valid"


def _copy_shared(source: Path, out: Path) -> None:
    shutil.copy2(source / "taxonomy.yaml", out / "taxonomy.yaml")
    for sub in ("roles", "needs"):
        shutil.copytree(source / sub, out / sub)
    if (source / "wie-betaalt-wat.yaml").is_file():
        shutil.copy2(source / "wie-betaalt-wat.yaml", out / "wie-betaalt-wat.yaml")
    if (source / "providers" / "landelijk").is_dir():
        shutil.copytree(source / "providers" / "landelijk", out / "providers" / "landelijk")


def _municipalities(gemeenten: list[tuple[str, str]]) -> str:
    lines = ["# Gegenereerd door benchmarks/generate.py: verzonnen voorbeeldgemeenten (demo: true).",
             "municipalities:"]
    for i, (slug, name) in enumerate(gemeenten):
        postcodes = ", ".join(_q(f"{100 + i * 9 + k:04d}") for k in range(9))  # 0100…0990, never a real PC4
        lines += [f"  - id: {slug}",
                  f"    code: GM{9901 + i}",
                  f"    name: {name}",
                  "    demo: true",
                  f"    postcodes: [{postcodes}]",
                  f"    verified: {{date: \"{ANCHOR_DATE.isoformat()}\", by: Benchmarkgenerator}}"]
    return "\n".join(lines) + "\n"


class _Phones:
    def __init__(self):
        self.next = 0

    def __call__(self) -> str:
        n = self.next
        self.next += 1
        if n >= len(AREA_CODES) * 10_000:
            raise ValueError("too many phone numbers for the demo range")
        return f"{AREA_CODES[n % len(AREA_CODES)]} 000 {n // len(AREA_CODES):04d}"


def _provider(rng: random.Random, index: int, slug: str, gemeente: str, pc4: list[str], terms: dict,
              roles: list[str], phone: _Phones) -> tuple[str, str]:
    kind, domain, description = _KINDS[index % len(_KINDS)]
    life_domains = [domain] if domain in terms["life_domains"] else [terms["life_domains"][0]]
    name = f"{kind} {rng.choice(_STREETS)} {gemeente} {index}"
    rid = f"{kind.lower()}-{slug}-{index}"
    out = ["# Gegenereerd: voorbeeldgegevens, geen echte organisatie.",
           f"id: {rid}",
           f"name: {_q(name)}",
           f"description: {_q(description)}",
           f"life_domains: [{', '.join(life_domains)}]"]
    if roles and rng.random() < 0.7:
        out.append(f"roles: [{', '.join(sorted(rng.sample(roles, k=min(len(roles), rng.randint(1, 2)))))}]")
    if terms["target_groups"]:
        out.append(f"target_groups: [{rng.choice(terms['target_groups'])}]")
    out += [f"website: https://www.{rid}.example",
            f"email: info@{rid}.example",
            "phones:",
            f"  - number: {_q(phone())}",
            "    type: voice"]
    n_locations = rng.randint(1, 2)
    out.append("locations:")
    for j in range(n_locations):
        opens, closes = rng.choice([("08:30", "17:00"), ("09:00", "12:30"), ("13:00", "21:00")])
        days = _DAYS[: rng.randint(1, 5)]
        out += [f"  - id: locatie-{j + 1}",
                f"    name: {_q(f'{kind} {rng.choice(_STREETS)}')}",
                "    address:",
                f"      street: {_q(f'{rng.choice(_STREETS)} {rng.randint(1, 200)}')}",
                f"      postcode: \"{rng.choice(pc4)} {rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}\"",
                f"      city: {gemeente}",
                f"    latitude: {rng.uniform(51.0, 53.4):.5f}",
                f"    longitude: {rng.uniform(3.6, 7.0):.5f}",
                "    opening_hours:",
                f"      - days: [{', '.join(days)}]",
                f"        opens: \"{opens}\"",
                f"        closes: \"{closes}\""]
    out.append("services:")
    for j in range(rng.randint(1, 3)):
        out += [f"  - id: dienst-{j + 1}",
                f"    name: {_q(f'{kind} dienst {j + 1}')}",
                f"    description: {_q(description + ' Zonder afspraak welkom.')}",
                "    status: active",
                "    application_process: Bel of loop binnen. U hoeft geen verwijzing te hebben.",
                "    cost: {type: gratis}"]
        if terms["languages"]:
            out.append(f"    languages: [{', '.join(terms['languages'][: rng.randint(1, 3)])}]")
        if terms["laws"] and rng.random() < 0.5:
            out.append(f"    laws: [{rng.choice(terms['laws'])}]")
        out.append(f"    location_ids: [locatie-{rng.randint(1, n_locations)}]")
    verified = ANCHOR_DATE - dt.timedelta(days=rng.randint(0, MAX_AGE_DAYS))
    out += ["verified:", f"  date: \"{verified.isoformat()}\"", "  by: Benchmarkgenerator"]
    return rid, "\n".join(out) + "\n"


def generate(out_dir: Path | str, providers: int, seed: int = 1, gemeenten: int | None = None,
             source: Path | str | None = None) -> Path:
    """Write a complete data dir with `providers` fictional providers to out_dir (which must not exist or be empty).

    Returns out_dir. Raises ValueError for impossible requests.
    """
    out = Path(out_dir)
    if providers < 0:
        raise ValueError("providers must be >= 0")
    count = gemeenten or max(1, min(MAX_GEMEENTEN, math.ceil(providers / PROVIDERS_PER_GEMEENTE)))
    if not 1 <= count <= MAX_GEMEENTEN:
        raise ValueError(f"gemeenten must be between 1 and {MAX_GEMEENTEN} (demo codes GM9901–GM9999)")
    if out.exists() and any(out.iterdir()):
        raise ValueError(f"{out} is not empty")
    src = _source_dir(Path(source) if source else None)
    out.mkdir(parents=True, exist_ok=True)
    _copy_shared(src, out)
    taxonomy = yaml.safe_load((src / "taxonomy.yaml").read_text(encoding="utf-8"))
    terms = {key: [t["id"] for t in taxonomy.get(key) or []]
             for key in ("life_domains", "target_groups", "languages", "laws")}
    roles = sorted(p.stem for p in (src / "roles").glob("*.yaml"))
    municipalities = gemeente_names(count)
    (out / "municipalities.yaml").write_text(_municipalities(municipalities), encoding="utf-8")

    rng = random.Random(seed)
    phone = _Phones()
    for i in range(providers):
        g = i % count
        slug, name = municipalities[g]
        pc4 = [f"{100 + g * 9 + k:04d}" for k in range(9)]
        rid, text = _provider(rng, i, slug, name, pc4, terms, roles, phone)
        folder = out / "providers" / slug
        if i < count:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{rid}.yaml").write_text(text, encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write a synthetic, deterministic data dir for benchmarks (demo data only).",
        epilog="example: python benchmarks/generate.py --providers 10000 --out /tmp/bench-10k")
    parser.add_argument("--providers", type=int, required=True, help="number of providers, e.g. 1000, 10000, 20000")
    parser.add_argument("--out", type=Path, required=True, help="directory to create (must not exist or be empty)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--gemeenten", type=int, default=None,
                        help=f"number of demo municipalities, 1–{MAX_GEMEENTEN} "
                             f"(default: one per {PROVIDERS_PER_GEMEENTE} providers)")
    parser.add_argument("--source", type=Path, default=None,
                        help="data dir to copy taxonomy, roles and needs from (default: data/, else tests/fixtures/valid)")
    args = parser.parse_args(argv)
    try:
        out = generate(args.out, args.providers, args.seed, args.gemeenten, args.source)
    except (ValueError, OSError) as exc:
        print(f"generate.py: error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {args.providers} providers to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
