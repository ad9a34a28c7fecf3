"""Style sheets without the rules nothing on the site uses, with PurgeCSS (npm `purgecss`, run by node).

The theme ships one style sheet for every feature it has (code highlighting, content tabs, its own search, …);
the site uses a third of it. PurgeCSS keeps a rule when the class names, ids, element and attribute names of its
selector occur in the content it is given: here the HTML the theme rendered, the scripts that add classes at
run time (the theme's bundle, ours) and the sources of our page renderers (Python and templates, whose class
names are string literals). That content does not grow with the records, so the step costs the same at 20 000
providers as at 50 (~1.5 s of node, in the background while the build goes on).

Without node or node_modules/purgecss (a checkout without `npm ci`) the style sheets stay whole: the site looks and
works the same, it only weighs more. Knows nothing of the theme: material.py says which files are whose.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from .errors import BuildError

#: Reads {"css": [...], "content": [...], "safelist": [regex, ...]} on stdin and rewrites each style sheet in place
#: (its source map no longer matches, so the reference to it goes). Keyframes and custom properties stay whole.
_RUNNER = r"""
const fs = require("fs");
const { PurgeCSS } = require(process.argv[1]);
const job = JSON.parse(fs.readFileSync(0, "utf8"));
new PurgeCSS().purge({ css: job.css, content: job.content,
                       safelist: { standard: job.safelist.map(s => new RegExp(s)) } })
  .then(results => {
    for (const r of results) {
      fs.writeFileSync(r.file, r.css.replace(/\/\*#\s*sourceMappingURL=[^*]*\*\/\s*$/, ""));
      fs.rmSync(r.file + ".map", { force: true });
    }
  })
  .catch(e => { console.error(String(e && e.stack || e)); process.exit(1); });
"""


def start(css: list[Path], content: list[Path], node_modules: Path, safelist: tuple[str, ...] = ()):
    """Start trimming `css` in place (in the background); None when node or PurgeCSS is not installed.
    `finish` waits for it."""
    library = node_modules / "purgecss"
    node = shutil.which("node")
    if not css or node is None or not (library / "package.json").is_file():
        return None
    job = {"css": [str(p) for p in css], "content": [str(p) for p in content], "safelist": list(safelist)}
    proc = subprocess.Popen([node, "-e", _RUNNER, str(library)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    proc.stdin.write(json.dumps(job))
    proc.stdin.close()
    return proc


def finish(started) -> None:
    if started is None:
        return
    stdout = started.stdout.read()
    stderr = started.stderr.read()
    if started.wait() != 0:
        raise BuildError("PurgeCSS kon het stijlblad van het thema niet inkorten:\n" + (stderr or stdout).strip())
