"""Words the pages and the open data share, defined once so a visitor and a reuser read the same thing.

The pages (render.py, overview.py), the exports (export.py: CSV, JSON, HSDS) and the importer (importer.py, which
reads exported labels back) all take these from here. B1 Dutch: written for the inhabitant who reads the page.
"""

from __future__ import annotations

#: Kind of cost (`cost.type`, schemas/common.schema.json) → its label on pages, in search filters and in exports.
COST_LABELS = {
    "gratis": "Gratis",
    "eigen-bijdrage": "Eigen bijdrage",
    "eigen-risico": "Eigen risico",
    "betaald": "U betaalt zelf",
    "wisselend": "Wisselend",
}
#: Records with `demo: true` (Voorbeeldstad): the label, the note in exported descriptions, the advice on pages.
DEMO_LABEL = "Voorbeeldgegevens"
DEMO_NOTE = f"{DEMO_LABEL}: deze organisatie is verzonnen en bestaat niet."
DEMO_ADVICE = "Bel of mail deze gegevens niet."
