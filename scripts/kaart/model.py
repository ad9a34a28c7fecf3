"""The validated model: every record once, with lookups the renderers and exporters share."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .load import NATIONAL, Document


#: Lists of terms in data/taxonomy.yaml that records refer to by id.
TERM_KEYS = ("life_domains", "target_groups", "languages", "laws", "zorgvindplaatsen", "sharing_bases")


@dataclass
class Record:
    kind: str  # "provider" | "role" | "need" | "signal"
    id: str
    data: dict[str, Any]
    doc: Document = field(repr=False)
    gemeente: str | None = None  # providers only: folder name (a gemeente id or "landelijk")

    @property
    def source(self) -> str:
        """Path of the YAML file as shown to editors (relative to the working directory when possible)."""
        return self.doc.path

    @property
    def name(self) -> str:
        return self.data["name"]


@dataclass
class Model:
    data_dir: Path
    taxonomy: dict[str, Any]
    gemeenten: dict[str, dict[str, Any]]  # id → record, sorted by name (data/municipalities.yaml)
    roles: dict[str, Record]  # sorted by id
    needs: dict[str, Record]
    providers: dict[str, Record]
    payment_guide: dict[str, Any] | None = None
    signals: dict[str, Record] = field(default_factory=dict)  # sorted by id
    postcodes: list = field(default_factory=list)  # gemeenten.Row: the newest PC4 table (data/postcodes/)
    route: dict[str, Any] | None = None  # data/routewijzer.yaml (routes.py), None without one
    #: (page kind, record id) → words visitors type for that page (data/synoniemen.yaml), for the search index
    synonyms: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.terms: dict[str, dict[str, dict]] = {
            key: {t["id"]: t for t in self.taxonomy.get(key, [])}
            for key in TERM_KEYS
        }
        self._by_gemeente: dict[str, list[Record]] = {}
        self._by_role: dict[str, list[Record]] = {}
        for rec in self.providers.values():
            self._by_gemeente.setdefault(rec.gemeente or NATIONAL, []).append(rec)
            for role in rec.data.get("roles", []):
                self._by_role.setdefault(role, []).append(rec)

    # lookups -----------------------------------------------------------------------------------------
    def life_domain(self, term_id: str) -> dict:
        return self.terms["life_domains"][term_id]

    def law(self, term_id: str) -> dict:
        return self.terms["laws"][term_id]

    def providers_in(self, gemeente: str) -> list[Record]:
        return self._by_gemeente.get(gemeente, [])

    def providers_with_role(self, role_id: str) -> list[Record]:
        return self._by_role.get(role_id, [])

    def signals_for_role(self, role_id: str) -> list[Record]:
        """Signals this role picks up, by name."""
        return sorted((s for s in self.signals.values() if role_id in s.data["roles"]), key=lambda s: s.name)

    @property
    def client_support_role(self) -> Record | None:
        """The role flagged `client_support: true` (independent client support); None when no role has it."""
        return next((r for r in self.roles.values() if r.data.get("client_support")), None)

    def is_demo(self, rec: Record | dict) -> bool:
        """Demo records live in a gemeente flagged `demo: true`."""
        gemeente = rec.gemeente if isinstance(rec, Record) else rec.get("id")
        return bool(self.gemeenten.get(gemeente or "", {}).get("demo"))

    def restrict_to(self, gemeente: str) -> "Model":
        """A model for one gemeente's own site: its providers plus everything national."""
        keep = {k: r for k, r in self.providers.items() if r.gemeente in (gemeente, NATIONAL)}
        return Model(self.data_dir, self.taxonomy, {gemeente: self.gemeenten[gemeente]},
                     self.roles, self.needs, keep, self.payment_guide, signals=self.signals,
                     postcodes=self.postcodes, route=self.route, synonyms=self.synonyms)
