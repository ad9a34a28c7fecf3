"""Dutch wording of the YAML parser's own messages (libyaml, and PyYAML's pure-Python parser where libyaml is
missing). One table from the parser's problem text to a Dutch sentence, one for its context ("while scanning a
simple key" → where the trouble started); a problem not in the table gets a general Dutch sentence with the
original English in brackets, so no editor is left with an English-only message.

The problem texts are libyaml 0.2.5's (scanner.c, parser.c, reader.c) and those of PyYAML's composer.
"""

from __future__ import annotations

_TAB = "er staat een tab; YAML gebruikt alleen spaties voor inspringing"
_COLON = "een dubbele punt op een plek waar dat niet mag (zet de tekst tussen aanhalingstekens)"
_NOT_UTF8 = "het bestand is geen geldige UTF-8-tekst"
_DIRECTIVE = "een regel die met '%' begint is een YAML-instructie; haal die regel weg (of zet de tekst tussen " \
             "aanhalingstekens en spring hem in)"

#: Problem text of the parser → Dutch. Looked up exactly first, then as the start of the text (PyYAML's own
#: messages carry details after the fixed part).
PROBLEMS: dict[str, str] = {
    # scanner: tokens
    "found character that cannot start any token":
        "er staat een teken waarmee geen waarde mag beginnen (een tab, @ of `); gebruik spaties en zet zulke "
        "tekst tussen aanhalingstekens",
    "found a tab character that violates indentation": _TAB,
    "found a tab character where an indentation space is expected": _TAB,
    "found a tab character": _TAB,
    "found character '\\t' that cannot start any token": _TAB,
    "could not find expected ':'": "er mist een dubbele punt na een veldnaam",
    "mapping values are not allowed in this context": _COLON,
    "mapping values are not allowed here": _COLON,
    "mapping values are not allowed": _COLON,
    "found unexpected ':'":
        "een dubbele punt op een plek waar dat niet mag (mist er een spatie of een waarde na de dubbele punt?)",
    "block sequence entries are not allowed in this context":
        "hier mag geen lijstregel ('- ') staan; controleer de inspringing of zet de tekst tussen aanhalingstekens",
    "block sequence entries are not allowed here":
        "hier mag geen lijstregel ('- ') staan; controleer de inspringing of zet de tekst tussen aanhalingstekens",
    "mapping keys are not allowed in this context":
        "hier mag geen '?' (een samengestelde veldnaam) staan; zet tekst met '?' tussen aanhalingstekens",
    "mapping keys are not allowed here":
        "hier mag geen '?' (een samengestelde veldnaam) staan; zet tekst met '?' tussen aanhalingstekens",
    "found unexpected end of stream": "het bestand houdt plotseling op (mist er een aanhalingsteken?)",
    "found unexpected document indicator":
        "een regel met '---' of '...' staat midden in tekst tussen aanhalingstekens (mist er een aanhalingsteken?)",
    "found unknown escape character":
        "een \\ binnen dubbele aanhalingstekens; gebruik enkele aanhalingstekens of haal de \\ weg",
    "did not find expected hexdecimal number":
        "na \\x, \\u of \\U binnen dubbele aanhalingstekens horen hexadecimale cijfers; gebruik enkele "
        "aanhalingstekens of haal de \\ weg",
    "expected escape sequence of": "na \\x, \\u of \\U binnen dubbele aanhalingstekens horen hexadecimale cijfers; "
                                   "gebruik enkele aanhalingstekens of haal de \\ weg",
    "found invalid Unicode character escape code":
        "een \\u- of \\U-code binnen dubbele aanhalingstekens is geen geldig teken",
    "did not find expected comment or line break":
        "na deze waarde mag op dezelfde regel alleen nog commentaar (met een spatie voor de #) staan",
    "expected a comment or a line break": "na deze waarde mag op dezelfde regel alleen nog commentaar staan",
    "did not find expected whitespace or line break": "na dit teken hoort een spatie of een nieuwe regel",
    "did not find expected whitespace": "na dit teken hoort een spatie",
    "found an indentation indicator equal to 0": "het inspringgetal na | of > mag geen 0 zijn",
    "expected indentation indicator in the range 1-9": "het inspringgetal na | of > moet 1 tot en met 9 zijn",
    "expected chomping or indentation indicators":
        "na | of > mag alleen +, - of een cijfer staan (en daarna commentaar)",
    # scanner: anchors, aliases, tags
    "did not find expected alphabetic or numeric character":
        "na '&' of '*' hoort een naam van letters of cijfers (zet tekst met & of * tussen aanhalingstekens)",
    "expected alphabetic or numeric character":
        "na '&' of '*' hoort een naam van letters of cijfers (zet tekst met & of * tussen aanhalingstekens)",
    "did not find expected tag URI": "een YAML-tag (het woord met ! ervoor) is onvolledig",
    "did not find expected '!'": "een YAML-tag (met !) is niet goed afgesloten",
    "did not find the expected '>'": "een YAML-tag met '!<' mist de sluitende '>'",
    "did not find URI escaped octet": "een '%' in een YAML-tag hoort gevolgd te worden door twee hexadecimale cijfers",
    "found an incorrect leading UTF-8 octet": "een '%'-code in een YAML-tag is geen geldige UTF-8",
    "found an incorrect trailing UTF-8 octet": "een '%'-code in een YAML-tag is geen geldige UTF-8",
    "found undefined tag handle": "een YAML-tag gebruikt een onbekende afkorting (zoals !x!)",
    "found undefined alias": "er staat een verwijzing (*) naar iets dat niet bestaat",
    "found duplicate anchor": "hetzelfde anker (&) staat twee keer in het bestand",
    # scanner and parser: directives
    "could not find expected directive name": _DIRECTIVE,
    "found unexpected non-alphabetical character": _DIRECTIVE,
    "found unknown directive name": _DIRECTIVE,
    "did not find expected version number": "het versienummer in de regel '%YAML' ontbreekt; haal die regel weg",
    "did not find expected digit or '.' character": "het versienummer in de regel '%YAML' klopt niet; haal die regel weg",
    "found extremely long version number": "het versienummer in de regel '%YAML' is te lang; haal die regel weg",
    "found incompatible YAML document": "het bestand vraagt om een YAML-versie die niet gelezen kan worden; haal de "
                                        "regel '%YAML' weg",
    "found duplicate %YAML directive": "de regel '%YAML' staat twee keer in het bestand; haal ze weg",
    "found duplicate %TAG directive": "de regel '%TAG' staat twee keer in het bestand; haal ze weg",
    "did not find expected <document start>":
        "na een regel die met '%' begint hoort een regel '---'; haal de regel met '%' weg",
    "did not find expected <stream-start>": "het bestand kan niet als YAML gelezen worden",
    # parser: structure
    "did not find expected key": "de inspringing klopt niet (of er staat tekst waar een veldnaam hoort)",
    "did not find expected node content":
        "hier ontbreekt een waarde (staat er een komma, dubbele punt, streepje of haakje te veel?)",
    "did not find expected '-' indicator":
        "de inspringing klopt niet (een lijstregel met '- ' of een veld staat verkeerd)",
    "did not find expected ',' or ']'": "een lijst met [ mist de sluitende ] of een komma tussen twee waarden",
    "did not find expected ',' or '}'": "een blok met { mist de sluitende } of een komma tussen twee velden",
    # reader (libyaml; parse_bytes finds most of these first and words them itself)
    "control characters are not allowed": "het bestand bevat een onzichtbaar stuurteken",
    "invalid Unicode character": "het bestand bevat een teken dat in YAML niet mag",
    "invalid leading UTF-8 octet": _NOT_UTF8,
    "invalid trailing UTF-8 octet": _NOT_UTF8,
    "invalid length of a UTF-8 sequence": _NOT_UTF8,
    "incomplete UTF-8 octet sequence": _NOT_UTF8,
    "incomplete UTF-16 character": _NOT_UTF8,
    "incomplete UTF-16 surrogate pair": _NOT_UTF8,
    "unexpected low surrogate area": _NOT_UTF8,
    "input is too long": "het bestand is te groot om te lezen",
}

#: Context text of the parser → where the trouble started, in Dutch; `{line}` is that line.
CONTEXTS: dict[str, str] = {
    "while scanning a simple key": "de veldnaam staat op regel {line}",
    "while parsing a block mapping": "in de velden vanaf regel {line}",
    "while parsing a block collection": "in de lijst vanaf regel {line}",
    "while parsing a flow mapping": "in het blok met {{ op regel {line}",
    "while parsing a flow sequence": "in de lijst met [ op regel {line}",
    "while parsing a block node": "in de waarde op regel {line}",
    "while parsing a flow node": "in de waarde op regel {line}",
    "while parsing a node": "in de waarde op regel {line}",
    "while scanning a quoted scalar": "de tekst tussen aanhalingstekens begint op regel {line}",
    "while parsing a quoted scalar": "de tekst tussen aanhalingstekens begint op regel {line}",
    "while scanning a double-quoted scalar": "de tekst tussen aanhalingstekens begint op regel {line}",
    "while scanning a plain scalar": "de tekst begint op regel {line}",
    "while scanning a block scalar": "het tekstblok (| of >) begint op regel {line}",
    "while scanning a directive": "in de regel met '%' op regel {line}",
    "while scanning a %YAML directive": "in de regel '%YAML' op regel {line}",
    "while scanning a %TAG directive": "in de regel '%TAG' op regel {line}",
    "while scanning a tag directive": "in de regel '%TAG' op regel {line}",
    "while parsing a %TAG directive": "in de regel '%TAG' op regel {line}",
    "while parsing a tag directive": "in de regel '%TAG' op regel {line}",
    "while scanning a tag": "in de YAML-tag (!) op regel {line}",
    "while parsing a tag": "in de YAML-tag (!) op regel {line}",
    "while scanning an alias": "in de verwijzing (*) op regel {line}",
    "while scanning an anchor": "in het anker (&) op regel {line}",
    "while composing a mapping": "in de velden vanaf regel {line}",
}

GENERIC = "de YAML kan hier niet gelezen worden"


def dutch(problem: str | None, context: str | None = None, context_line: int | None = None,
          problem_line: int | None = None) -> str:
    """The Dutch sentence for the parser's `problem`, with where it started (`context` on `context_line`) when
    that is another line than the problem's."""
    problem = (problem or "").strip()
    said = PROBLEMS.get(problem)
    if said is None:
        said = next((nl for en, nl in PROBLEMS.items() if problem.startswith(en)), None)
    if said is None:
        said = f"{GENERIC} ({problem})" if problem else GENERIC
    where = CONTEXTS.get((context or "").strip())
    if where and context_line is not None and context_line != problem_line:
        said += f" ({where.format(line=context_line)})"
    return said
