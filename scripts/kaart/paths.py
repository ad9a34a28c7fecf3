"""Where the repository is: the one definition every module uses (docs/, schemas/, mkdocs.yml, node_modules/)."""

from __future__ import annotations

from pathlib import Path

#: The checkout this package runs from (scripts/kaart/ → two levels up).
REPO = Path(__file__).resolve().parents[2]
