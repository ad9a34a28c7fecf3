/* Sociale Kaart: search page (Pagefind UI), postcode → gemeente, "open nu" labels and maps (Leaflet).
 *
 * Everything here is an enhancement: without JavaScript every page still shows its lists, addresses and
 * opening-hours tables. Heavy parts (Pagefind, Leaflet) load only on pages that use them, from this site
 * itself (no CDN). Material's instant navigation swaps pages without reloading scripts, so the set-up runs
 * for every new page through Material's `document$` observable.
 */
(function () {
  "use strict";

  // The site root, from this script's own URL (…/assets/kaart/kaart.js): works under any sub-path and
  // stays right after instant navigation to a page at another depth.
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
  /** {open: bool, until: "17:00"} or {open: false, next: "13:00" (later today) | null}. */
  function openStatus(hours, date) {
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

  // postcode → gemeente ------------------------------------------------------------------------------------
  var postcodes = null;
  function lookup() {
    if (!postcodes) {
      postcodes = fetch(ROOT + "assets/kaart/postcodes.json").then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      });
      postcodes.catch(function () { postcodes = null; });
    }
    return postcodes;
  }
  var POSTCODE = /^([1-9][0-9]{3}|0[0-9]{3})\s*([A-Za-z]{2})?$/;
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
          var gid = data.postcodes[m[1]];
          var g = gid && data.gemeenten[gid];
          if (!g) {
            say("Postcode " + m[1] + " staat nog niet in de Sociale Kaart. Kies uw gemeente uit de lijst, " +
              "of kijk bij de landelijke hulp.", true);
            return;
          }
          say("Postcode " + m[1] + " hoort bij " + g[1] + ". U gaat naar die pagina.", false);
          location.assign(new URL(g[0], ROOT).href);
        }).catch(function () {
          say("Het zoeken op postcode lukt nu niet. Kies uw gemeente uit de lijst.", true);
        });
      }
      form.addEventListener("submit", function (e) { e.preventDefault(); go(); });
      // Sent before this script ran (or by a form without JavaScript on another page): finish the job.
      var sent = new URLSearchParams(location.search).get("postcode");
      if (sent && !input.value && form.getAttribute("action") === null) { input.value = sent; go(); }
    });
  }

  // maps (Leaflet, vendored) --------------------------------------------------------------------------------
  var DEFAULT_TILES = {
    url: "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png",
    attribution: "Kaartgegevens &copy; Kadaster (BRT-Achtergrondkaart, PDOK)",
    max_zoom: 19
  };
  function initMaps() {
    var els = document.querySelectorAll("[data-kaart-map]");
    if (!els.length) return;
    var tiles = Object.assign({}, DEFAULT_TILES, (config().map_tiles || {}));
    var base = ROOT + "assets/vendor/leaflet/";
    Promise.all([loadCss(base + "leaflet.css"), loadScript(base + "leaflet.js")]).then(function () {
      els.forEach(function (el) {
        if (el.dataset.kaartReady) return;
        el.dataset.kaartReady = "1";
        var points = JSON.parse(el.getAttribute("data-kaart-map"));
        el.hidden = false;
        var map = window.L.map(el, { scrollWheelZoom: false });
        window.L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: tiles.max_zoom || 19 }).addTo(map);
        var bounds = [];
        points.forEach(function (p) {
          var marker = window.L.marker([p.lat, p.lon], { title: p.name, alt: p.name, keyboard: true }).addTo(map);
          marker.bindPopup('<a href="' + escapeHtml(p.url) + '">' + escapeHtml(p.name) + "</a><br>" + escapeHtml(p.address));
          bounds.push([p.lat, p.lon]);
        });
        map.fitBounds(bounds, { padding: [30, 30], maxZoom: 15 });
      });
    }).catch(function () { /* no map: the addresses are on the page */ });
  }

  // search page (Pagefind UI from the site's own bundle) ----------------------------------------------------
  function initSearch() {
    var box = document.querySelector("[data-kaart-search]");
    if (!box || box.dataset.kaartReady) return;
    box.dataset.kaartReady = "1";
    var bundle = ROOT + "pagefind/";
    var status = box.querySelector("#kaart-search-status");
    var openBox = box.querySelector(".kaart-search-open");
    var openToggle = box.querySelector("#kaart-open-nu");
    var openCount = box.querySelector(".kaart-open-count");
    var hoursByPath = {};
    function key(url) { return new URL(url, location.href).pathname.replace(/index\.html$/, ""); }
    loadCss(bundle + "pagefind-ui.css");
    loadScript(bundle + "pagefind-ui.js").then(function () {
      var ui = new window.PagefindUI({
        element: "#kaart-search-ui",
        bundlePath: bundle,
        baseUrl: new URL(ROOT).pathname,
        showImages: false,
        showSubResults: false,
        excerptLength: 24,
        resetStyles: false,
        autofocus: !new URLSearchParams(location.search).get("q"),
        translations: { placeholder: "Zoek naar hulp, bijvoorbeeld schulden", clear_search: "Wissen" },
        processResult: function (result) {
          if (result.meta && result.meta.hours) {
            try { hoursByPath[key(result.url)] = JSON.parse(result.meta.hours); } catch (e) { /* ignore */ }
          }
          return result;
        }
      });
      var input = box.querySelector(".pagefind-ui__search-input");
      if (input && !input.id) {
        input.id = "kaart-zoekterm";
        input.setAttribute("aria-label", "Zoekterm");
      }
      openBox.hidden = false;
      var q = new URLSearchParams(location.search).get("q");
      if (q) ui.triggerSearch(q);
      var pending = null;
      function refresh() {
        pending = null;
        var results = box.querySelectorAll(".pagefind-ui__result");
        var onlyOpen = openToggle.checked;
        var shown = 0;
        results.forEach(function (li) {
          var a = li.querySelector("a.pagefind-ui__result-link");
          var hours = a ? hoursByPath[key(a.getAttribute("href"))] : null;
          var open = hours ? anyOpen(hours) : false;
          var badge = li.querySelector(".kaart-open-badge");
          if (hours && !badge) {
            badge = document.createElement("p");
            badge.className = "kaart-open-badge";
            (li.querySelector(".pagefind-ui__result-inner") || li).appendChild(badge);
          }
          if (badge) {
            badge.textContent = open ? "Nu open" : "Nu gesloten";
            badge.classList.toggle("kaart-open", open);
            badge.classList.toggle("kaart-closed", !open);
          }
          li.hidden = onlyOpen && !open;
          if (!li.hidden) shown++;
        });
        var msg = box.querySelector(".pagefind-ui__message");
        var text = msg ? msg.textContent.trim() : "";
        var openText = onlyOpen && results.length
          ? (shown === 1 ? "1 organisatie" : shown + " organisaties") + " van de getoonde resultaten nu open."
          : "";
        openCount.textContent = openText;
        if (text && openText) text += ". " + openText;
        if (status.textContent !== text) status.textContent = text;
        // Keep the address bar in step, so the back button and a shared link show the same search.
        if (input) {
          var url = new URL(location.href);
          if (input.value.trim()) url.searchParams.set("q", input.value.trim()); else url.searchParams.delete("q");
          if (url.href !== location.href) history.replaceState(history.state, "", url.href);
        }
      }
      new MutationObserver(function () {
        if (!pending) pending = setTimeout(refresh, 150);
      }).observe(box.querySelector("#kaart-search-ui"), { childList: true, subtree: true, characterData: true });
      openToggle.addEventListener("change", refresh);
    }).catch(function () {
      status.textContent = "Zoeken lukt nu niet. Kies via uw gemeente, de hulpvragen of de rollen.";
    });
  }

  function init() {
    initOpenNow();
    initPostcode();
    initMaps();
    initSearch();
  }

  // Exposed for tests and for other scripts; nothing else is global.
  window.kaart = { openStatus: openStatus, statusText: statusText, amsterdamNow: amsterdamNow, root: ROOT };

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
