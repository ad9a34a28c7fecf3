/* Sociale Kaart: search page (Pagefind JS API), postcode → gemeente, "open nu" labels and maps (Leaflet).
 *
 * Everything here is an enhancement: without JavaScript every page still shows its lists, addresses and
 * opening-hours tables. Heavy parts (Pagefind, Leaflet) load only on pages that use them, from this site
 * itself (no CDN). The set-up runs through Material's `document$` observable when the theme has it (it emits
 * once per page load; with the theme's instant navigation, which is off, it would emit for every swapped page).
 */
(function () {
  "use strict";

  // The site root, from this script's own URL (…/assets/kaart/kaart.js): works under any sub-path and
  // would stay right even if pages were swapped in without a reload.
  var SCRIPT = document.currentScript;
  var ROOT = new URL("../../", SCRIPT ? SCRIPT.src : location.href).href;
  var TZ = "Europe/Amsterdam";
  var DAY_CODES = { Mon: "MO", Tue: "TU", Wed: "WE", Thu: "TH", Fri: "FR", Sat: "SA", Sun: "SU" };

  // small helpers ------------------------------------------------------------------------------------------
  var loaded = {};
  function loadScript(src) {
    if (!loaded[src]) {
      loaded[src] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = src;
        s.onload = resolve;
        s.onerror = function () { reject(new Error("kan " + src + " niet laden")); };
        document.head.appendChild(s);
      });
    }
    return loaded[src];
  }
  function loadCss(href) {
    if (!loaded[href]) {
      loaded[href] = new Promise(function (resolve) {
        var l = document.createElement("link");
        l.rel = "stylesheet";
        l.href = href;
        l.onload = resolve;
        l.onerror = resolve; // a missing style sheet must not stop the page
        document.head.appendChild(l);
      });
    }
    return loaded[href];
  }
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function config() {
    var el = document.getElementById("kaart-config");
    try { return el ? JSON.parse(el.textContent) : {}; } catch (e) { return {}; }
  }

  // open nu ------------------------------------------------------------------------------------------------
  /** The date, weekday and minutes since midnight in Amsterdam, whatever the device's own time zone. */
  function amsterdamNow(date) {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit", weekday: "short",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23"
    }).formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
    return {
      date: parts.year + "-" + parts.month + "-" + parts.day,
      day: DAY_CODES[parts.weekday],
      minutes: (parseInt(parts.hour, 10) % 24) * 60 + parseInt(parts.minute, 10)
    };
  }
  function toMinutes(hhmm) {
    var p = hhmm.split(":");
    return parseInt(p[0], 10) * 60 + parseInt(p[1], 10);
  }
  /** Today's opening spans [opens, closes, closesText] for one location; an exception replaces the week. */
  function spansToday(hours, now) {
    var ex = (hours.x || []).filter(function (e) { return e[0] === now.date; });
    var rows = ex.length
      ? ex.filter(function (e) { return e[1] && e[2]; }).map(function (e) { return [e[1], e[2]]; })
      : (hours.h || []).filter(function (r) { return r[0].split(" ").indexOf(now.day) !== -1; })
        .map(function (r) { return [r[1], r[2]]; });
    return rows.map(function (r) {
      var opens = toMinutes(r[0]), closes = toMinutes(r[1]);
      if (closes <= opens) closes = 24 * 60; // "00:00"/"24:00": open until midnight
      return [opens, closes, r[1]];
    }).sort(function (a, b) { return a[0] - b[0]; });
  }
  /** {open: bool, until: "17:00"} or {open: false, next: "13:00" (later today) | null}; an organisation that is
   *  reachable day and night (a crisis line: {always: true}) is {open: true, always: true} at any hour. */
  function openStatus(hours, date) {
    if (hours && hours.always) return { open: true, always: true };
    var now = amsterdamNow(date || new Date());
    var spans = spansToday(hours, now);
    for (var i = 0; i < spans.length; i++) {
      if (now.minutes >= spans[i][0] && now.minutes < spans[i][1]) return { open: true, until: spans[i][2] };
    }
    var later = spans.filter(function (s) { return s[0] > now.minutes; })[0];
    var next = later ? String(Math.floor(later[0] / 60)).padStart(2, "0") + ":" + String(later[0] % 60).padStart(2, "0") : null;
    return { open: false, next: next };
  }
  function statusText(st) {
    if (st.always) return "Dag en nacht bereikbaar";
    if (st.open) return "Nu open (tot " + st.until + ")";
    return st.next ? "Nu gesloten (vandaag open vanaf " + st.next + ")" : "Nu gesloten";
  }
  function anyOpen(list, date) {
    return list.some(function (h) { return openStatus(h, date).open; });
  }
  function initOpenNow() {
    var sections = document.querySelectorAll(".kaart-location[data-kaart-hours]");
    function update() {
      sections.forEach(function (sec) {
        var label = sec.querySelector(".kaart-open-now");
        if (!label) return;
        try {
          var st = openStatus(JSON.parse(sec.getAttribute("data-kaart-hours")));
          label.textContent = statusText(st);
          label.classList.toggle("kaart-open", st.open);
          label.classList.toggle("kaart-closed", !st.open);
          label.hidden = false;
        } catch (e) { label.hidden = true; }
      });
    }
    if (sections.length) update();
  }

  /** A loader for one JSON file of the site: fetched once on first use; a failed fetch is tried again next time. */
  function jsonOnce(path) {
    var loading = null;
    return function () {
      if (!loading) {
        loading = fetch(ROOT + path).then(function (r) {
          if (!r.ok) throw new Error(r.status);
          return r.json();
        });
        loading.catch(function () { loading = null; });
      }
      return loading;
    };
  }

  // postcode → gemeente ------------------------------------------------------------------------------------
  var lookup = jsonOnce("assets/kaart/postcodes.json");
  var POSTCODE = /^([1-9][0-9]{3}|0[0-9]{3})\s*([A-Za-z]{2})?$/;
  /** The gemeenten of a PC4 (indexes into data.g, largest share first), a note if the postcode no longer
   *  exists, or null. The file's shape is described in scripts/kaart/gemeenten.py (compact_lookup). */
  function findPostcode(data, pc4) {
    if (Object.prototype.hasOwnProperty.call(data.x, pc4)) return data.x[pc4];
    if (Object.prototype.hasOwnProperty.call(data.s, pc4)) return data.s[pc4].map(function (p) { return p[0]; });
    var target = parseInt(pc4, 10), at = -1, r = data.r;
    for (var k = 0; k < r.length; k += 3) {
      var first = at + 1 + r[k], last = first + r[k + 1] - 1;
      if (target < first) return null;
      if (target <= last) return [r[k + 2]];
      at = last;
    }
    return null;
  }
  function initPostcode() {
    document.querySelectorAll("form[data-kaart-postcode]").forEach(function (form) {
      var input = form.querySelector("input");
      var out = form.querySelector(".kaart-postcode-result");
      if (!input || !out || form.dataset.kaartReady) return;
      form.dataset.kaartReady = "1";
      form.noValidate = true; // our own Dutch message in the live region, not the browser's bubble
      function say(text, bad) {
        out.textContent = text;
        out.classList.toggle("kaart-error", !!bad);
        if (bad) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
      }
      function go() {
        var value = input.value.trim();
        var m = POSTCODE.exec(value);
        if (!value) { say("Typ eerst uw postcode, bijvoorbeeld 1234 AB.", true); input.focus(); return; }
        if (!m) {
          say("'" + value + "' is geen postcode. Een postcode heeft 4 cijfers en meestal 2 letters, bijvoorbeeld 1234 AB.", true);
          input.focus();
          return;
        }
        lookup().then(function (data) {
          var found = findPostcode(data, m[1]);
          if (typeof found === "string") {
            say("Postcode " + m[1] + " bestaat niet meer: " + found + " Kies uw gemeente uit de lijst.", true);
            return;
          }
          if (!found) {
            say("Postcode " + m[1] + " bestaat niet in Nederland, of staat niet in onze lijst. Kijk of u de " +
              "cijfers goed heeft getypt. Of kies uw gemeente uit de lijst.", true);
            return;
          }
          if (found.length > 1) {
            // A postcode area that crosses a municipal border: the visitor knows which side they live on.
            var links = found.map(function (i) {
              return '<a href="' + escapeHtml(new URL(data.g[i][0], ROOT).href) + '">' + escapeHtml(data.g[i][1]) + "</a>";
            });
            say("", false);
            out.innerHTML = "Postcode " + escapeHtml(m[1]) + " ligt in " + found.length + " gemeenten. " +
              "Kies uw gemeente: " + links.slice(0, -1).join(", ") + " of " + links[links.length - 1] + ".";
            return;
          }
          var g = data.g[found[0]];
          say("Postcode " + m[1] + " hoort bij " + g[1] + ". U gaat naar die pagina.", false);
          location.assign(new URL(g[0], ROOT).href);
        }).catch(function () {
          say("Het zoeken op postcode lukt nu niet. Kies uw gemeente uit de lijst.", true);
        });
      }
      input.addEventListener("focus", function () { lookup().catch(function () {}); }, { once: true });
      form.addEventListener("submit", function (e) { e.preventDefault(); go(); });
      // Sent before this script ran (or by a form without JavaScript on another page): finish the job.
      var sent = new URLSearchParams(location.search).get("postcode");
      if (sent && !input.value && form.getAttribute("action") === null) { input.value = sent; go(); }
    });
  }

  // gemeente list filter -------------------------------------------------------------------------------------
  /** Lower case without accents: "Súdwest-Fryslân" and "sudwest" match. */
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }
  function initGemeenteFilter() {
    var box = document.querySelector("[data-kaart-filter]");
    if (!box || box.dataset.kaartReady) return;
    box.dataset.kaartReady = "1";
    var input = box.querySelector("input");
    var out = box.querySelector(".kaart-filter-result");
    var items = Array.prototype.slice.call(document.querySelectorAll("li[data-kaart-name]"));
    var sections = Array.prototype.slice.call(document.querySelectorAll("[data-kaart-province]"));
    items.forEach(function (li) { li.dataset.kaartFold = fold(li.dataset.kaartName); });
    box.hidden = false;
    input.addEventListener("input", function () {
      var q = fold(input.value);
      var shown = 0;
      items.forEach(function (li) {
        var hit = !q || li.dataset.kaartFold.indexOf(q) !== -1;
        li.hidden = !hit;
        if (hit) shown++;
      });
      sections.forEach(function (s) { s.hidden = !s.querySelector("li[data-kaart-name]:not([hidden])"); });
      if (!q) { out.textContent = ""; return; }
      out.textContent = shown === 0
        ? "Geen gemeente gevonden met '" + input.value.trim() + "'. Typ een deel van de naam, of zoek met uw postcode."
        : plural(shown, "gemeente", "gemeenten") + " gevonden.";
    });
  }

  // maps (Leaflet, vendored) --------------------------------------------------------------------------------
  var DEFAULT_TILES = {
    url: "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png",
    attribution: "Kaartgegevens &copy; Kadaster (BRT-Achtergrondkaart, PDOK)",
    max_zoom: 19
  };
  /** Maps load Leaflet (JS + CSS, ~190 KB) only when one comes near the screen: a page whose map the visitor
   *  never scrolls to costs no Leaflet at all, and the first screen is not held up by it. The map's frame is
   *  shown at once (its height is fixed in kaart.css), so nothing shifts when the map arrives. */
  function initMaps() {
    var els = Array.prototype.filter.call(document.querySelectorAll("[data-kaart-map]"), function (el) {
      return !el.dataset.kaartReady;
    });
    if (!els.length) return;
    els.forEach(function (el) { el.dataset.kaartReady = "1"; el.hidden = false; });
    if (!("IntersectionObserver" in window)) { drawMaps(els); return; }
    var near = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        near.unobserve(entry.target);
        drawMaps([entry.target]);
      });
    }, { rootMargin: "300px 0px" });
    els.forEach(function (el) { near.observe(el); });
  }
  function drawMaps(els) {
    var tiles = Object.assign({}, DEFAULT_TILES, (config().map_tiles || {}));
    var base = ROOT + "assets/vendor/leaflet/";
    Promise.all([loadCss(base + "leaflet.css"), loadScript(base + "leaflet.js")]).then(function () {
      els.forEach(function (el) {
        var points = JSON.parse(el.getAttribute("data-kaart-map"));
        var map = window.L.map(el, { scrollWheelZoom: false });
        window.L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: tiles.max_zoom || 19 }).addTo(map);
        var bounds = [];
        points.forEach(function (p) {
          var marker = window.L.marker([p.lat, p.lon], { title: p.name, alt: p.name, keyboard: true }).addTo(map);
          marker.bindPopup('<a href="' + escapeHtml(p.url) + '">' + escapeHtml(p.name) + "</a><br>" + escapeHtml(p.address));
          bounds.push([p.lat, p.lon]);
        });
        map.fitBounds(bounds, { padding: [30, 30], maxZoom: 15 });
        var note = el.getAttribute("data-kaart-map-note");
        if (note) {  // demo pins: the map itself says the places are made up
          var control = window.L.control({ position: "bottomleft" });  // popups open upwards, away from it
          control.onAdd = function () {
            var box = window.L.DomUtil.create("div", "kaart-map-note");
            box.textContent = note;
            return box;
          };
          control.addTo(map);
        }
      });
    }).catch(function () {  // no map: the addresses are on the page; no empty frame either
      els.forEach(function (el) { el.hidden = true; });
    });
  }

  // fast navigation --------------------------------------------------------------------------------------------
  // The theme's instant navigation downloads /sitemap.xml on every visitor's first page (a list that grows with
  // the site), so it is off. Instead a page of this site is prefetched when the visitor shows they are about to
  // open it (the pointer rests on its link, a finger touches it, the keyboard focuses it): the click then takes
  // the page from the browser's cache. Nothing is prefetched when the visitor asks to save data.
  var prefetched = {};
  function prefetchable(a) {
    if (!a || a.target || a.hasAttribute("download")) return null;
    var url;
    try { url = new URL(a.getAttribute("href"), location.href); } catch (e) { return null; }
    if (url.origin !== location.origin || url.pathname.indexOf(new URL(ROOT).pathname) !== 0) return null;
    if (url.pathname === location.pathname && url.search === location.search) return null;  // a link in this page
    if (!/\/$|\.html$/.test(url.pathname)) return null;  // pages only, no downloads (open data, feeds)
    url.hash = "";
    return url.href;
  }
  function prefetch(event) {
    var a = event.target && event.target.closest ? event.target.closest("a[href]") : null;
    var href = prefetchable(a);
    if (!href || prefetched[href] || (navigator.connection && navigator.connection.saveData)) return;
    prefetched[href] = true;
    var link = document.createElement("link");
    link.rel = "prefetch";
    link.href = href;
    document.head.appendChild(link);
  }
  var hoverTimer = null;
  document.addEventListener("mouseover", function (event) {
    clearTimeout(hoverTimer);
    hoverTimer = setTimeout(function () { prefetch(event); }, 65);  // passing over a link on the way is no intent
  }, { passive: true });
  document.addEventListener("touchstart", prefetch, { passive: true });
  document.addEventListener("focusin", prefetch);

  // search page (Pagefind JS API, our own small UI) --------------------------------------------------------
  // Pagefind's Default UI downloads every filter index before the first result (to show counts); this page
  // builds its filter menus from assets/kaart/facets.json (written by search.py) instead and hands Pagefind
  // only the filters a visitor chooses, so Pagefind fetches just those filter chunks.
  var PAGE_SIZE = 10;
  var OPEN_COUNT_MAX = 100;  // "nu open" counts this many results at most (each is one small fetch)
  var pagefindLoad = null;
  function loadPagefind() {
    if (!pagefindLoad) {
      pagefindLoad = import(ROOT + "pagefind/pagefind.js").then(function (pf) {
        return Promise.resolve(pf.options({ baseUrl: new URL(ROOT).pathname, excerptLength: 24,
          // An exact word counts more than a longer word it starts ("schuldhulp" ⊂ "schuldhulpverlener").
          ranking: { termSimilarity: 3 } }))
          .then(function () { return pf; });
      });
      pagefindLoad.catch(function () { pagefindLoad = null; });
    }
    return pagefindLoad;
  }
  var loadFacets = jsonOnce("assets/kaart/facets.json");
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  /** A Pagefind excerpt as DOM: its text, with <mark> kept and any other markup dropped (never innerHTML). */
  function appendExcerpt(target, excerpt) {
    var doc = new DOMParser().parseFromString("<!doctype html><body>" + String(excerpt || ""), "text/html");
    (function copy(from, to) {
      from.childNodes.forEach(function (n) {
        if (n.nodeType === 3) {
          to.appendChild(document.createTextNode(n.nodeValue));
        } else if (n.nodeType === 1) {
          if (n.nodeName === "MARK") {
            var m = document.createElement("mark");
            copy(n, m);
            to.appendChild(m);
          } else if (!/^(SCRIPT|STYLE|TEMPLATE|NOSCRIPT)$/.test(n.nodeName)) {
            copy(n, to);
          }
        }
      });
    })(doc.body, target);
  }
  // query understanding: stop words, the strongest words when the whole sentence finds nothing, typos --------
  // Pagefind finds pages that hold every word of a query, so a sentence ("mijn moeder heeft dementie en ik kan
  // het niet meer aan") found nothing. The search page first leaves out small words that say little, then, if
  // the rest still finds nothing (or little), searches each remaining word on its own and ranks pages by how
  // many of the words they hold — and says so on screen. A word that is not on the site is compared with the
  // site's own words (assets/kaart/woorden.txt, written by search.py, fetched once, beside the first search)
  // for a "Bedoelde u …?". Nothing here knows particular queries or pages.
  var STOP_WORDS = {};
  ("de het een en of in op aan van voor met bij naar om te tot uit over door dan als maar ook nog al " +
   "ik je jij u uw mijn me mij we wij ons onze zij ze hij haar hem hun zich die dat dit deze er hier daar " +
   "is ben bent zijn was waren wordt worden word heeft heb hebt had hadden kan kun kunt kon wil wilt moet " +
   "moeten mag zal zou gaat ga gaan doe doet niet geen meer wat wie hoe waar waarom wanneer welke iets " +
   "iemand heel erg veel zo even toch nu wel graag alsjeblieft help hulp nodig vraag weet weten doen " +
   "krijg krijgen").split(" ")
    .forEach(function (w) { STOP_WORDS[w] = true; });
  // "hulp", "vraag", "nodig", "doen" are on almost every page: they say nothing about which one. A query of
  // only such words ("hulp nodig") is searched as typed.
  var MIN_RESULTS = 3;  // fewer than this: look further (single words, a typo)
  var loadVocabulary = (function () {
    var loading = null;
    return function () {
      if (!loading) {
        loading = fetch(ROOT + "assets/kaart/woorden.txt").then(function (r) {
          if (!r.ok) throw new Error(r.status);
          return r.text();
        }).then(function (text) { return text.split(/\s+/).filter(Boolean); });
        loading.catch(function () { loading = null; });
      }
      return loading;
    };
  })();
  /** The words of a query, lower case, without punctuation. */
  function queryWords(q) {
    return String(q).toLowerCase().split(/[^0-9a-z\u00c0-\u024f-]+/).map(function (w) {
      return w.replace(/^-+|-+$/g, "");
    }).filter(Boolean);
  }
  /** The words that say what the query is about: without stop words (all words if nothing is left). */
  function strongWords(words) {
    var strong = words.filter(function (w) { return !STOP_WORDS[w]; });
    return strong.length ? strong : words;
  }
  /** Edit distance with swaps of two neighbouring letters (Damerau-Levenshtein, optimal string alignment),
   *  giving up (returning max + 1) as soon as it must be larger than max. */
  function editDistance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = null, prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        cur[j] = v;
        if (v < best) best = v;
      }
      if (best > max) return max + 1;
      prev2 = prev;
      prev = cur;
    }
    return prev[b.length];
  }
  /** The site word a (mistyped) word probably means, or the word itself: known words and the start of a known
   *  word stay; otherwise the nearest word (1 letter off for short words, 2 for longer), the most frequent first
   *  (the vocabulary is in order of frequency). */
  function correctWord(word, vocabulary) {
    if (word.length < 4 || /[0-9]/.test(word)) return word;
    for (var k = 0; k < vocabulary.length; k++) {
      if (vocabulary[k].lastIndexOf(word, 0) === 0) return word;
    }
    var max = word.length >= 7 ? 2 : 1, best = word, bestD = max + 1;
    vocabulary.forEach(function (v) {
      if (bestD === 1 && v.length > word.length + 1) return;
      var d = editDistance(word, v, Math.min(max, bestD - 1));
      if (d < bestD) { bestD = d; best = v; }
    });
    return best;
  }
  /** Pagefind results for pages with any of the words, the pages with more of the words (and better matches)
   *  first; `found` lists the words that found something. */
  function anyWordSearch(pf, words, filters) {
    return Promise.all(words.map(function (w) { return pf.search(w, { filters: filters }); })).then(function (all) {
      var byId = {}, found = [];
      all.forEach(function (res, i) {
        var list = (res && res.results) || [];
        if (!list.length) return;
        found.push(words[i]);
        var top = list[0].score || 1;
        list.forEach(function (r) {
          var hit = byId[r.id] || (byId[r.id] = { result: r, score: 0, words: 0 });
          hit.score += (r.score || 0) / top;
          hit.words += 1;
        });
      });
      var merged = Object.keys(byId).map(function (id) { return byId[id]; });
      merged.sort(function (a, b) { return b.words - a.words || b.score - a.score; });
      return { results: merged.map(function (h) { return h.result; }), found: found };
    });
  }
  /** What to show for a query: {results, words (searched), note (said on screen)}.
   *  1. the strong words together; 2. a word that is not on the site (not in the vocabulary) is replaced by the
   *  nearest site word, said as "Bedoelde u …?" (Pagefind itself matches an unknown word by its fragments, which
   *  gives many unrelated results, so the result count cannot tell a typo); 3. fewer than MIN_RESULTS: pages with
   *  some of the words follow, said on screen. */
  function understand(pf, q, filters) {
    if (!q) return pf.search(null, { filters: filters }).then(function (r) { return { results: r.results, words: [] }; });
    var strong = strongWords(queryWords(q));
    if (!strong.length) return Promise.resolve({ results: [], words: [] });
    var vocabulary = loadVocabulary().catch(function () { return []; });  // in parallel with the first search
    return Promise.all([pf.search(strong.join(" "), { filters: filters }), vocabulary]).then(function (got) {
      var fixed = strong.map(function (w) { return correctWord(w, got[1]); });
      var changed = fixed.join(" ") !== strong.join(" ");
      var out = { results: got[0].results || [], words: strong };
      return (changed ? pf.search(fixed.join(" "), { filters: filters }) : Promise.resolve(null)).then(function (second) {
        if (second && (second.results || []).length) {
          out = { results: second.results, words: fixed, note: "Bedoelde u \u2018" + fixed.join(" ") +
            "\u2019? Hieronder de resultaten daarvoor. (\u2018" + strong.filter(function (w, i) { return w !== fixed[i]; })
            .join(", ") + "\u2019 staat niet op deze site.)" };
        } else if (changed) {
          out.words = fixed;  // the fixed words may still find something one by one
        }
        if (out.results.length >= MIN_RESULTS || out.words.length < 2) return out;
        return anyWordSearch(pf, out.words, filters).then(function (any) {
          var seen = {};
          out.results.forEach(function (r) { seen[r.id] = true; });
          var extra = any.results.filter(function (r) { return !seen[r.id]; });
          if (!extra.length) return out;
          out.note = (out.note ? out.note + " " : "") + (out.results.length
            ? plural(out.results.length, "resultaat", "resultaten") + " met alle woorden (" + out.words.join(", ") +
              "). Daaronder: resultaten met een deel van de woorden: "
            : "Geen resultaten voor de hele zin. Resultaten voor: ") + any.found.join(", ") + ". In totaal";
          out.results = out.results.concat(extra);
          return out;
        });
      });
    });
  }

  /** An excerpt from the page's own words (before `limit`): around the first match there, or the page's start;
   *  matched words in <mark>. */
  function ownExcerpt(target, data, limit) {
    var words = String(data.content || "").split(/\s+/), marked = {};
    var locs = (data.locations || []).filter(function (l) { return l < limit; });
    locs.forEach(function (l) { marked[l] = true; });
    var from = locs.length ? Math.max(0, locs[0] - 8) : 0, to = Math.min(limit, words.length, from + 24);
    for (var i = from; i < to; i++) {
      if (i > from) target.appendChild(document.createTextNode(" "));
      if (marked[i]) target.appendChild(el("mark", {}, words[i]));
      else target.appendChild(document.createTextNode(words[i]));
    }
    if (to < words.length) target.appendChild(document.createTextNode(" \u2026"));
  }
  function plural(n, one, many) { return n === 1 ? "1 " + one : n + " " + many; }

  function initSearch() {
    var box = document.querySelector("[data-kaart-search]");
    if (!box || box.dataset.kaartReady) return;
    box.dataset.kaartReady = "1";
    var ui = box.querySelector("#kaart-search-ui");
    var status = box.querySelector("#kaart-search-status");
    var resultsBox = box.querySelector(".kaart-search-results");
    var openBox = box.querySelector(".kaart-search-open");
    var openToggle = box.querySelector("#kaart-open-nu");
    var openCount = box.querySelector(".kaart-open-count");

    // the form: search box, filter panel
    var form = el("form", { "class": "kaart-search-form", role: "search", action: "" });
    var label = el("label", { "for": "kaart-zoekterm" }, "Zoekterm");
    var input = el("input", { type: "search", id: "kaart-zoekterm", name: "q", autocomplete: "off",
      placeholder: "Zoek naar hulp, bijvoorbeeld schulden" });
    var submit = el("button", { type: "submit", "class": "kaart-search-button" }, "Zoeken");
    var row = el("div", { "class": "kaart-search-row" });
    row.appendChild(input);
    row.appendChild(submit);
    form.appendChild(label);
    form.appendChild(row);
    var panel = el("details", { "class": "kaart-search-filters", hidden: "" });
    var summary = el("summary", {}, "Filters");
    panel.appendChild(summary);
    var selects = [];
    form.appendChild(panel);
    ui.appendChild(form);
    var list = el("ol", { "class": "kaart-results", "aria-label": "Zoekresultaten" });
    var more = el("button", { type: "button", "class": "kaart-search-more", hidden: "" }, "Meer resultaten");
    resultsBox.appendChild(list);
    resultsBox.appendChild(more);

    openBox.hidden = false;
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    if (!input.value) input.focus();

    loadFacets().then(function (data) {
      (data.facets || []).forEach(function (facet) {
        var id = "kaart-filter-" + facet.key;
        var wrap = el("div", { "class": "kaart-facet" });
        wrap.appendChild(el("label", { "for": id }, facet.label));
        var select = el("select", { id: id, "data-key": facet.key });
        select.appendChild(el("option", { value: "" }, "Alle"));
        facet.values.forEach(function (v) { select.appendChild(el("option", { value: v[0] }, v[0])); });
        var chosen = params.get(facet.key);
        if (chosen && facet.values.some(function (v) { return v[0] === chosen; })) select.value = chosen;
        select.addEventListener("change", function () { updateSummary(); run(); });
        wrap.appendChild(select);
        panel.appendChild(wrap);
        selects.push(select);
      });
      var reset = el("button", { type: "button", "class": "kaart-facet-reset" }, "Filters wissen");
      reset.addEventListener("click", function () {
        selects.forEach(function (s) { s.value = ""; });
        updateSummary();
        run();
        selects[0].focus();
      });
      panel.appendChild(reset);
      panel.hidden = !selects.length;
      updateSummary();
      if (Object.keys(chosenFilters()).length) { panel.open = true; run(); }
    }).catch(function () { /* no filter menus: searching still works */ });

    function chosenFilters() {
      var f = {};
      selects.forEach(function (s) { if (s.value) f[s.getAttribute("data-key")] = s.value; });
      return f;
    }
    function filterText(filters) {
      return selects.filter(function (s) { return s.value; }).map(function (s) {
        return s.labels[0].textContent + ": " + s.value;
      }).join(", ");
    }
    function updateSummary() {
      var n = Object.keys(chosenFilters()).length;
      summary.textContent = n ? "Filters (" + n + " gekozen)" : "Filters";
    }
    function updateUrl(q) {
      // Keep the address bar in step, so the back button and a shared link show the same search.
      var url = new URL(location.href);
      if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
      selects.forEach(function (s) {
        var k = s.getAttribute("data-key");
        if (s.value) url.searchParams.set(k, s.value); else url.searchParams.delete(k);
      });
      if (url.href !== location.href) history.replaceState(history.state, "", url.href);
    }

    var seq = 0, results = [], shown = 0, baseText = "";
    // Nothing found: the help below the count (made at build time from the data): the remembered gemeente,
    // the lists to choose from and the lines open day and night.
    var helps = box.querySelectorAll(".kaart-search-none");
    var mine = box.querySelector(".kaart-search-none-gemeente");
    function showHelp(on) {
      helps.forEach(function (h) { h.hidden = !on; });
      if (!on || !mine || mine.dataset.kaartReady) return;
      var chosen = null;
      try { chosen = JSON.parse(localStorage.getItem(LOCAL_KEY) || "null"); } catch (e) { chosen = null; }
      if (!chosen || !/^[a-z0-9-]+$/.test(String(chosen.slug))) return;
      mine.dataset.kaartReady = "1";
      var href = mine.getAttribute("data-kaart-gemeente-url").replace("{}", chosen.slug);
      lookup().then(function (data) {
        var page = mine.getAttribute("data-kaart-gemeente-page").replace("{}", chosen.slug);  // as in postcodes.json
        var found = (data.g || []).filter(function (g) { return g[0] === page; })[0];
        return found ? found[1] : null;
      }).catch(function () { return null; }).then(function (name) {
        var a = el("a", { href: href }, name ? "Hulp in " + name : "Hulp in uw gemeente");
        mine.textContent = "";
        mine.appendChild(a);
        mine.appendChild(document.createTextNode(": wie u daar helpt, met adressen en telefoonnummers."));
        mine.hidden = false;
      });
    }
    /** "open", "closed" or "unknown" now for one result's hours (meta "hours"; none = unknown, never closed). */
    function openState(hours) {
      if (!hours) return "unknown";
      return anyOpen(hours) ? "open" : "closed";
    }
    function isOrganisation(data) {
      return ((data.filters || {}).type || []).indexOf("Aanbieder") !== -1;
    }
    var BADGES = { open: "Nu open", closed: "Nu gesloten", unknown: "Openingstijden onbekend" };
    function say() {
      var onlyOpen = openToggle.checked;
      list.querySelectorAll(".kaart-result").forEach(function (li) {
        var state = openState(li.kaartHours);
        var badge = li.querySelector(".kaart-open-badge");
        if (badge) {
          badge.textContent = li.kaartHours && li.kaartHours.some(function (h) { return h.always; })
            ? "Dag en nacht bereikbaar" : BADGES[state];
          badge.classList.toggle("kaart-open", state === "open");
          badge.classList.toggle("kaart-closed", state === "closed");
        }
        li.hidden = onlyOpen && state === "closed";  // an unknown or always-open line is never hidden
      });
      if (status.textContent !== baseText) status.textContent = baseText;
      countOpen(seq);
    }
    /** The "nu open" count over all results (up to OPEN_COUNT_MAX), said once, next to the toggle. */
    function countOpen(my) {
      if (!openToggle.checked || !results.length) { openCount.textContent = ""; return; }
      var counted = results.slice(0, OPEN_COUNT_MAX);
      Promise.all(counted.map(function (r) { return r.data(); })).then(function (datas) {
        if (my !== seq || !openToggle.checked) return;
        var n = { open: 0, closed: 0, unknown: 0 };
        datas.filter(isOrganisation).forEach(function (d) {
          var hours = null;
          try { hours = d.meta && d.meta.hours ? JSON.parse(d.meta.hours) : null; } catch (e) { hours = null; }
          n[openState(hours)]++;
        });
        var of = results.length > counted.length ? "Van de eerste " + counted.length + " resultaten: " : "";
        openCount.textContent = of + plural(n.open, "organisatie", "organisaties") + " nu open" +
          (n.unknown ? ", van " + n.unknown + " " + (n.unknown === 1 ? "is" : "zijn") +
            " de openingstijden onbekend (die blijven zichtbaar)" : "") + ".";
      }).catch(function () { openCount.textContent = ""; });
    }
    function render(data) {
      var href;
      try { href = new URL(data.url, location.href); } catch (e) { return null; }
      if (!/^https?:$/.test(href.protocol)) return null;
      var li = el("li", { "class": "kaart-result" });
      var h = el("h2", { "class": "kaart-result-title" });
      var a = el("a", { "class": "kaart-result-link", href: href.href }, (data.meta && data.meta.title) || href.pathname);
      h.appendChild(a);
      li.appendChild(h);
      var f = data.filters || {};
      var kind = [].concat(f.type || [], f.gemeente || []).join(" · ");
      if (kind) li.appendChild(el("p", { "class": "kaart-result-kind" }, kind));
      // Made-up (Voorbeeldstad) pages say so in the result itself, not only on the page.
      if (data.meta && data.meta.demo) li.appendChild(el("p", { "class": "kaart-result-demo" }, data.meta.demo));
      var ex = el("p", { "class": "kaart-result-excerpt" });
      // Found (also) by the words visitors type for this page (data/synoniemen.yaml, the last words of the
      // indexed text, never shown on the page): the excerpt comes from the page's own text instead.
      var zw = parseInt((data.meta || {}).zw, 10), locs = data.locations || [];
      var limit = (data.word_count || 0) - zw - 2;
      if (zw && locs.some(function (l) { return l >= limit; })) ownExcerpt(ex, data, limit);
      else appendExcerpt(ex, data.excerpt);
      li.appendChild(ex);
      if (data.meta && data.meta.hours) {
        try { li.kaartHours = JSON.parse(data.meta.hours); } catch (e) { li.kaartHours = null; }
      }
      if (isOrganisation(data)) li.appendChild(el("p", { "class": "kaart-open-badge" }));
      return li;
    }
    function showMore(my, focusFirst) {
      var batch = results.slice(shown, shown + PAGE_SIZE);
      shown += batch.length;
      more.hidden = true;
      return Promise.all(batch.map(function (r) { return r.data(); })).then(function (datas) {
        if (my !== seq) return;
        var first = null;
        datas.forEach(function (d) {
          var li = render(d);
          if (!li) return;
          list.appendChild(li);
          if (!first && !(openToggle.checked && openState(li.kaartHours) === "closed")) first = li;
        });
        more.hidden = shown >= results.length;
        say();
        if (focusFirst && first) first.querySelector("a").focus();
      });
    }
    function run() {
      var q = input.value.trim();
      var filters = chosenFilters();
      var my = ++seq;
      updateUrl(q);
      if (!q && !Object.keys(filters).length) {
        results = []; shown = 0; list.textContent = ""; more.hidden = true; baseText = "";
        showHelp(false);
        say();
        return;
      }
      loadPagefind().then(function (pf) {
        return understand(pf, q, filters);
      }).then(function (res) {
        if (my !== seq || !res) return;
        results = res.results || [];
        shown = 0;
        list.textContent = "";
        var about = (q ? " voor \u2018" + q + "\u2019" : "") +
          (Object.keys(filters).length ? " met " + filterText(filters) : "");
        baseText = results.length
          ? (res.note ? res.note + " " : "") + plural(results.length, "resultaat", "resultaten") +
            (res.note ? "" : about) + "."
          : "Geen resultaten" + about + ". Probeer een ander woord" +
            (Object.keys(filters).length ? " of minder filters." : ".");
        showHelp(!results.length);
        if (!results.length) { more.hidden = true; say(); return; }
        return showMore(my, false);
      }).catch(function () {
        if (my !== seq) return;
        baseText = "Zoeken lukt nu niet. Kies via uw gemeente, de hulpvragen of de rollen.";
        say();
      });
    }
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 250);
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); run(); });
    more.addEventListener("click", function () { showMore(seq, true); });
    openToggle.addEventListener("change", say);
    if (input.value) run();
  }

  // 'In <gemeente>' on hulpvraag and rol pages ------------------------------------------------------------------
  // The gemeente a reader chose (a gemeente page, or the postcode box that leads there) is remembered in this
  // browser only (localStorage). A hulpvraag or rol page then loads that gemeente's version of itself from this
  // site, as a click on its link would, and shows the 'In <gemeente>' box from it at the top.
  var LOCAL_KEY = "kaart-gemeente";
  function initLocal() {
    var mine = document.querySelector("[data-kaart-gemeente]");
    if (mine) {
      try {
        localStorage.setItem(LOCAL_KEY, JSON.stringify({ slug: mine.getAttribute("data-kaart-gemeente"),
          local: mine.getAttribute("data-kaart-gemeente-local") === "1" }));
      } catch (e) { /* private mode: nothing remembered */ }
      return;
    }
    var slot = document.querySelector(".kaart-local-slot");
    if (!slot || slot.dataset.kaartReady) return;
    slot.dataset.kaartReady = "1";
    var chosen = null;
    try { chosen = JSON.parse(localStorage.getItem(LOCAL_KEY) || "null"); } catch (e) { chosen = null; }
    if (!chosen || !/^[a-z0-9-]+$/.test(String(chosen.slug))) return;
    var template = slot.getAttribute(chosen.local ? "data-kaart-local" : "data-kaart-local-none");
    var pageUrl = new URL(ROOT + template.replace("{}", chosen.slug), location.href);
    fetch(pageUrl.href).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.text();
    }).then(function (text) {
      var box = new DOMParser().parseFromString(text, "text/html").querySelector(".kaart-local");
      if (!box) return;
      box.removeAttribute("data-kaart-gemeente");  // shown here, not chosen here
      box.querySelectorAll("a[href]").forEach(function (a) {
        a.setAttribute("href", new URL(a.getAttribute("href"), pageUrl).href);
      });
      var other = el("a", { href: new URL(ROOT + slot.getAttribute("data-kaart-local-choose"), location.href).href,
        "class": "kaart-local-other" }, "Andere gemeente kiezen");
      other.addEventListener("click", function () {
        try { localStorage.removeItem(LOCAL_KEY); } catch (e) { /* nothing stored */ }
      });
      var shown = document.importNode(box, true);  // (a copy: listeners go on the copy, below)
      var more = shown.querySelector(".kaart-local-more") || shown;
      more.appendChild(document.createTextNode(" · "));
      more.appendChild(other);
      slot.replaceChildren(shown);
    }).catch(function () { /* no box: the page for everyone is still whole */ });
  }


  // Routewijzer ----------------------------------------------------------------------------------------------
  // The route is plain linked pages and works without this. Here: "Terug" goes back in the browser's history
  // when the visitor came from a question of the route, and the last question (which gemeente) offers the
  // gemeente this browser remembers and a postcode box. The answers are never sent anywhere; the only thing
  // stored is the chosen gemeente, under the same key and in the same shape as initLocal stores it.
  function routeTarget(holder, slug) {
    var local = (holder.getAttribute("data-kaart-local-gemeenten") || "").split(" ").indexOf(slug) !== -1;
    var path = local ? holder.getAttribute("data-kaart-local").replace("{}", slug) : holder.getAttribute("data-kaart-local-none");
    return { href: new URL(ROOT + path, location.href).href, local: local };
  }
  function slugOf(gemeenteUrl) { return gemeenteUrl.split("/").filter(Boolean).pop(); }
  function remember(slug, local) {
    try { localStorage.setItem(LOCAL_KEY, JSON.stringify({ slug: slug, local: local })); } catch (e) { /* private mode */ }
  }
  function initRoute() {
    document.querySelectorAll("a[data-kaart-back]").forEach(function (a) {
      if (a.dataset.kaartReady) return;
      a.dataset.kaartReady = "1";
      a.addEventListener("click", function (e) {
        var start = new URL(a.getAttribute("data-kaart-back"), location.href);
        var from = document.referrer ? new URL(document.referrer) : null;
        if (from && from.origin === start.origin && from.pathname.indexOf(start.pathname) === 0 && history.length > 1) {
          e.preventDefault();
          history.back();
        }
      });
    });
    var remembered = document.querySelector(".kaart-route-remembered");
    if (remembered && !remembered.dataset.kaartReady) {
      remembered.dataset.kaartReady = "1";
      var chosen = null;
      try { chosen = JSON.parse(localStorage.getItem(LOCAL_KEY) || "null"); } catch (e) { chosen = null; }
      if (chosen && /^[a-z0-9-]+$/.test(String(chosen.slug))) {
        lookup().then(function (data) {
          var g = data.g.filter(function (g) { return slugOf(g[0]) === chosen.slug; })[0];
          if (!g) return;
          var to = routeTarget(remembered, chosen.slug);
          var list = el("ul", { "class": "kaart-route-answers" });
          var li = el("li");
          li.appendChild(el("a", { href: to.href, "class": "kaart-route-answer" }, "Verder met " + g[1]));
          list.appendChild(li);
          remembered.appendChild(el("p", {}, "Deze gemeente koos u eerder op deze site:"));
          remembered.appendChild(list);
          remembered.hidden = false;
        }).catch(function () { /* the links below still work */ });
      }
    }
    var form = document.querySelector("form[data-kaart-route-postcode]");
    if (!form || form.dataset.kaartReady) return;
    form.dataset.kaartReady = "1";
    form.hidden = false;
    form.noValidate = true;
    var input = form.querySelector("input"), out = form.querySelector(".kaart-postcode-result");
    function say(text) { out.textContent = text; out.classList.toggle("kaart-error", !!text); }
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var m = POSTCODE.exec(input.value.trim());
      if (!m) { say("Typ uw postcode, bijvoorbeeld 1234 AB."); input.focus(); return; }
      lookup().then(function (data) {
        var found = findPostcode(data, m[1]);
        if (!found || typeof found === "string") { say("Deze postcode kennen we niet. Kies hieronder."); return; }
        if (found.length > 1) {
          say("");
          out.textContent = "Postcode " + m[1] + " ligt in meer gemeenten. Kies uw gemeente: ";
          found.forEach(function (i, n) {
            var slug = slugOf(data.g[i][0]), to = routeTarget(form, slug);
            var a = el("a", { href: to.href }, data.g[i][1]);
            a.addEventListener("click", function () { remember(slug, to.local); });
            if (n) out.appendChild(document.createTextNode(n === found.length - 1 ? " of " : ", "));
            out.appendChild(a);
          });
          return;
        }
        var slug = slugOf(data.g[found[0]][0]), to = routeTarget(form, slug);
        remember(slug, to.local);
        location.assign(to.href);
      }).catch(function () { say("Zoeken op postcode lukt nu niet. Kies hieronder."); });
    });
  }

  function init() {
    initLocal();
    initRoute();
    initOpenNow();
    initPostcode();
    initGemeenteFilter();
    initMaps();
    initSearch();
    initScrollables();
  }

  // Code blocks wider than the screen (the YAML examples on /bijdragen/ on a phone) scroll sideways; a region
  // that scrolls must be reachable with the keyboard (WCAG 2.1.1, axe: scrollable-region-focusable). The theme
  // does not do this for our pages, so every such block gets tabindex=0, checked again when the screen turns.
  function initScrollables() {
    document.querySelectorAll(".md-content pre > code").forEach(function (code) {
      if (code.scrollWidth > code.clientWidth) code.setAttribute("tabindex", "0");
      else code.removeAttribute("tabindex");
    });
  }
  var scrollablesTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(scrollablesTimer);
    scrollablesTimer = setTimeout(initScrollables, 200);
  });

  // Exposed for tests and for other scripts; nothing else is global.
  window.kaart = { openStatus: openStatus, statusText: statusText, amsterdamNow: amsterdamNow, root: ROOT,
    appendExcerpt: appendExcerpt, queryWords: queryWords, strongWords: strongWords, correctWord: correctWord,
    editDistance: editDistance };

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
