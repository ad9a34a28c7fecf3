/* Mijn overzicht: "wie is er bij mij betrokken", kept in this browser only (localStorage).
 *
 * - Provider and role pages carry a hidden <button data-kaart-mo-add …>; we show it and make it add/remove.
 * - /mijn-overzicht/ has <div id="kaart-mo-app" hidden>; we show it and draw the list with DOM methods.
 *   Everything a visitor (or an imported file) wrote goes in with textContent or .value, never as HTML.
 * - Nothing is sent anywhere: no fetch, no XHR, no cookies.
 * `init` runs on Material's `document$` (once per page load; per swapped page if instant navigation were on).
 */
(function () {
  "use strict";

  var KEY = "kaart-mijn-overzicht";
  var VERSION = 1;
  var MAX_ENTRIES = 200;
  var MAX_TEXT = 1000; // note
  var MAX_SHORT = 200; // names, phone numbers, labels
  var MAX_FILE_BYTES = 512 * 1024;
  var KINDS = { aanbieder: "Organisatie", rol: "Rol" };
  var URL_RE = /^(aanbieders|rollen)\/[a-z0-9]+(?:-[a-z0-9]+)*\/$/;
  var ID_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  var NO_ROLE = "Zonder rol";
  var NO_DOMAIN = "Overig";

  // storage ------------------------------------------------------------------------------------------
  function emptyState() {
    return { version: VERSION, entries: [], regisseur: null };
  }

  var storageOk = true;

  function load() {
    try {
      var raw = window.localStorage.getItem(KEY);
      if (!raw) return emptyState();
      var result = validate(JSON.parse(raw));
      return result.ok ? result.state : emptyState();
    } catch (e) {
      storageOk = false;
      return emptyState();
    }
  }

  function save(state) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(state));
      storageOk = true;
    } catch (e) {
      storageOk = false;
    }
  }

  function keyOf(entry) {
    return entry.kind + ":" + entry.id;
  }

  // validation (for localStorage and for imported files) ----------------------------------------------
  function str(value, max, required) {
    if (value === undefined || value === null) {
      if (required) throw new Error("missing");
      return "";
    }
    if (typeof value !== "string" || value.length > max) throw new Error("bad string");
    if (required && !value.trim()) throw new Error("empty");
    return value;
  }

  function labels(list) {
    if (list === undefined) return [];
    if (!Array.isArray(list) || list.length > 50) throw new Error("bad list");
    return list.map(function (item) {
      if (!item || typeof item !== "object") throw new Error("bad label");
      return { id: str(item.id, MAX_SHORT, true), name: str(item.name, MAX_SHORT, true) };
    });
  }

  function validate(data) {
    try {
      if (!data || typeof data !== "object" || Array.isArray(data)) throw new Error("not an object");
      if (data.version !== VERSION) throw new Error("version");
      if (!Array.isArray(data.entries) || data.entries.length > MAX_ENTRIES) throw new Error("entries");
      var seen = {};
      var entries = data.entries.map(function (e) {
        if (!e || typeof e !== "object" || Array.isArray(e)) throw new Error("entry");
        var entry = {
          id: str(e.id, MAX_SHORT, true),
          kind: str(e.kind, 20, true),
          name: str(e.name, MAX_SHORT, true),
          url: str(e.url, MAX_SHORT, true),
          gemeente: str(e.gemeente, MAX_SHORT, false),
          phone: str(e.phone, MAX_SHORT, false),
          roles: labels(e.roles),
          domains: labels(e.domains),
          contactName: str(e.contactName, MAX_SHORT, false),
          contactPhone: str(e.contactPhone, MAX_SHORT, false),
          note: str(e.note, MAX_TEXT, false)
        };
        if (!ID_RE.test(entry.id) || !KINDS.hasOwnProperty(entry.kind) || !URL_RE.test(entry.url)) {
          throw new Error("entry fields");
        }
        if (seen[keyOf(entry)]) throw new Error("duplicate");
        seen[keyOf(entry)] = true;
        return entry;
      });
      var regisseur = data.regisseur === undefined ? null : data.regisseur;
      if (regisseur !== null && (typeof regisseur !== "string" || !seen[regisseur])) throw new Error("regisseur");
      return { ok: true, state: { version: VERSION, entries: entries, regisseur: regisseur } };
    } catch (err) {
      return { ok: false };
    }
  }

  // the "Zet in mijn overzicht" button on provider and role pages -------------------------------------
  function parseList(value) {
    try {
      var list = JSON.parse(value || "[]");
      return Array.isArray(list) ? list : [];
    } catch (e) {
      return [];
    }
  }

  function entryFromButton(button) {
    return {
      id: button.getAttribute("data-kaart-mo-id") || "",
      kind: button.getAttribute("data-kaart-mo-kind") || "",
      name: button.getAttribute("data-kaart-mo-name") || "",
      url: button.getAttribute("data-kaart-mo-url") || "",
      gemeente: button.getAttribute("data-kaart-mo-gemeente") || "",
      phone: button.getAttribute("data-kaart-mo-phone") || "",
      roles: parseList(button.getAttribute("data-kaart-mo-roles")),
      domains: parseList(button.getAttribute("data-kaart-mo-domains")),
      contactName: "",
      contactPhone: "",
      note: ""
    };
  }

  function findEntry(state, key) {
    for (var i = 0; i < state.entries.length; i++) {
      if (keyOf(state.entries[i]) === key) return i;
    }
    return -1;
  }

  function updateAddButton(box, button, state) {
    var key = button.getAttribute("data-kaart-mo-kind") + ":" + button.getAttribute("data-kaart-mo-id");
    var inList = findEntry(state, key) !== -1;
    button.textContent = inList ? "Haal uit mijn overzicht" : "Zet in mijn overzicht";
    var note = box.querySelector(".kaart-mo-in-list");
    if (note) note.hidden = !inList;
  }

  function initAddButtons() {
    var boxes = document.querySelectorAll(".kaart-mo-add");
    if (!boxes.length) return;
    var state = load();
    Array.prototype.forEach.call(boxes, function (box) {
      var button = box.querySelector("button[data-kaart-mo-add]");
      if (!button || box.getAttribute("data-kaart-mo-ready")) return;
      box.setAttribute("data-kaart-mo-ready", "1");
      var explanation = box.querySelector(".kaart-mo-noscript");
      if (explanation) explanation.hidden = true;
      var part = box.querySelector(".kaart-mo-js");
      if (part) part.hidden = false;
      updateAddButton(box, button, state);
      var status = box.querySelector(".kaart-mo-status");
      button.addEventListener("click", function () {
        var current = load();
        var entry = entryFromButton(button);
        var at = findEntry(current, keyOf(entry));
        var message;
        if (at === -1) {
          var checked = validate({ version: VERSION, entries: current.entries.concat([entry]),
                                   regisseur: current.regisseur });
          if (!checked.ok) {
            message = "Dit kon niet worden toegevoegd. Uw overzicht is vol of de pagina is onvolledig.";
          } else {
            current = checked.state;
            message = entry.name + " staat nu in uw overzicht.";
          }
        } else {
          if (current.regisseur === keyOf(entry)) current.regisseur = null;
          current.entries.splice(at, 1);
          message = entry.name + " is uit uw overzicht gehaald.";
        }
        save(current);
        if (!storageOk) message = "Uw browser laat ons niets bewaren. Mijn overzicht werkt daarom niet in deze browser.";
        updateAddButton(box, button, current);
        if (status) status.textContent = message;
      });
    });
  }

  // the overview page ---------------------------------------------------------------------------------
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        if (name === "hidden") node.hidden = !!attrs[name];
        else node.setAttribute(name, attrs[name]);
      });
    }
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function announce(app, message) {
    var live = app.querySelector(".kaart-mo-live");
    if (!live) return;
    live.textContent = "";
    // A fresh text node after clearing makes screen readers repeat an identical message.
    window.setTimeout(function () { live.textContent = message; }, 50);
  }

  function siteRoot() {
    // The overview page lives at <root>/mijn-overzicht/: links to records go one level up.
    return "../";
  }

  function roleNames(entry) {
    return entry.roles.map(function (r) { return r.name; });
  }

  function domainNames(entry) {
    return entry.domains.map(function (d) { return d.name; });
  }

  function groupBy(entries, namesOf, fallback) {
    var groups = {};
    var order = [];
    entries.forEach(function (entry) {
      var names = namesOf(entry);
      if (!names.length) names = [fallback];
      names.forEach(function (name) {
        if (!groups[name]) {
          groups[name] = [];
          order.push(name);
        }
        groups[name].push(entry);
      });
    });
    order.sort(function (a, b) {
      if (a === fallback) return 1;
      if (b === fallback) return -1;
      return a.localeCompare(b, "nl");
    });
    return order.map(function (name) { return { name: name, entries: groups[name] }; });
  }

  function field(labelText, id, input, hint) {
    var wrap = el("p", { "class": "kaart-mo-field" });
    var label = el("label", { "for": id }, labelText);
    input.id = id;
    wrap.appendChild(label);
    if (hint) {
      var hintEl = el("span", { "class": "kaart-mo-hint", id: id + "-hint" }, hint);
      input.setAttribute("aria-describedby", hintEl.id);
      wrap.appendChild(hintEl);
    }
    wrap.appendChild(input);
    return wrap;
  }

  function entryCard(app, state, entry, index) {
    var key = keyOf(entry);
    var isRegisseur = state.regisseur === key;
    var idBase = "kaart-mo-" + entry.kind + "-" + entry.id;
    var card = el("li", { "class": "kaart-mo-entry" + (isRegisseur ? " kaart-mo-is-regisseur" : ""),
                          "data-kaart-mo-key": key });
    var heading = el("h4", { id: idBase + "-naam", tabindex: "-1" });
    heading.appendChild(el("a", { href: siteRoot() + entry.url }, entry.name));
    card.appendChild(heading);
    if (isRegisseur) {
      card.appendChild(el("p", { "class": "kaart-mo-regisseur-mark" }, "Mijn regisseur / vaste contactpersoon"));
    }
    var facts = [];
    facts.push(KINDS[entry.kind]);
    if (entry.gemeente) facts.push(entry.gemeente);
    if (entry.roles.length && entry.kind === "aanbieder") facts.push("Rol: " + roleNames(entry).join(", "));
    if (entry.domains.length) facts.push("Levensgebied: " + domainNames(entry).join(", "));
    if (entry.phone) facts.push("Algemeen nummer: " + entry.phone);
    card.appendChild(el("p", { "class": "kaart-mo-facts" }, facts.join(" · ")));

    function onEdit(prop) {
      return function (ev) {
        var current = load();
        var at = findEntry(current, key);
        if (at === -1) return;
        current.entries[at][prop] = ev.target.value;
        save(current);
        var printCell = app.querySelector('[data-kaart-mo-print="' + key + '"] [data-kaart-mo-col="' + prop + '"]');
        if (printCell) printCell.textContent = ev.target.value;
      };
    }

    var nameInput = el("input", { type: "text", autocomplete: "off", maxlength: String(MAX_SHORT) });
    nameInput.value = entry.contactName;
    nameInput.addEventListener("input", onEdit("contactName"));
    card.appendChild(field("Naam van uw contactpersoon hier", idBase + "-contact", nameInput));

    var phoneInput = el("input", { type: "tel", autocomplete: "off", maxlength: String(MAX_SHORT) });
    phoneInput.value = entry.contactPhone;
    phoneInput.addEventListener("input", onEdit("contactPhone"));
    card.appendChild(field("Telefoon van uw contactpersoon", idBase + "-telefoon", phoneInput));

    var note = el("textarea", { rows: "3", maxlength: String(MAX_TEXT) });
    note.value = entry.note;
    note.addEventListener("input", onEdit("note"));
    card.appendChild(field("Notitie", idBase + "-notitie", note,
      "Bijvoorbeeld: waarvoor ze helpen, of wanneer u een afspraak heeft."));

    var actions = el("p", { "class": "kaart-mo-actions" });
    var regButton = el("button", { type: "button", "class": "md-button kaart-mo-regisseur-button",
                                   "aria-pressed": isRegisseur ? "true" : "false",
                                   "aria-describedby": idBase + "-naam" },
                       isRegisseur ? "Mijn regisseur" : "Maak dit mijn regisseur");
    regButton.addEventListener("click", function () {
      var current = load();
      var wasMine = current.regisseur === key;
      current.regisseur = wasMine ? null : key;
      save(current);
      render(app);
      var again = app.querySelector('[data-kaart-mo-key="' + key + '"] .kaart-mo-regisseur-button');
      if (again) again.focus();
      announce(app, wasMine ? entry.name + " is niet meer uw regisseur."
                            : entry.name + " is nu uw regisseur / vaste contactpersoon.");
    });
    actions.appendChild(regButton);
    var remove = el("button", { type: "button", "class": "md-button kaart-mo-remove",
                                "aria-describedby": idBase + "-naam" }, "Verwijder");
    remove.addEventListener("click", function () {
      var current = load();
      var at = findEntry(current, key);
      if (at === -1) return;
      current.entries.splice(at, 1);
      if (current.regisseur === key) current.regisseur = null;
      save(current);
      render(app);
      var target = app.querySelector(".kaart-mo-list-heading");
      if (target) target.focus();
      announce(app, entry.name + " is verwijderd uit uw overzicht.");
    });
    actions.appendChild(remove);
    card.appendChild(actions);
    return card;
  }

  function printTable(state) {
    // One compact table for paper (shown by the print stylesheet only); same columns as the blank form.
    var table = el("table", { "class": "kaart-mo-print-table" });
    table.appendChild(el("caption", null, "Wie is er bij mij betrokken"));
    var head = el("tr");
    ["Regisseur", "Organisatie of rol", "Rol", "Levensgebied", "Contactpersoon", "Telefoon", "Notitie"]
      .forEach(function (h) { head.appendChild(el("th", { scope: "col" }, h)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    state.entries.forEach(function (entry) {
      var key = keyOf(entry);
      var row = el("tr", { "data-kaart-mo-print": key });
      row.appendChild(el("td", null, state.regisseur === key ? "Mijn regisseur" : ""));
      row.appendChild(el("td", null, entry.name + (entry.gemeente ? " (" + entry.gemeente + ")" : "")));
      row.appendChild(el("td", null, roleNames(entry).join(", ")));
      row.appendChild(el("td", null, domainNames(entry).join(", ")));
      row.appendChild(el("td", { "data-kaart-mo-col": "contactName" }, entry.contactName));
      var phone = el("td");
      phone.appendChild(el("span", { "data-kaart-mo-col": "contactPhone" }, entry.contactPhone));
      if (entry.phone) phone.appendChild(el("span", { "class": "kaart-mo-general" }, " Algemeen: " + entry.phone));
      row.appendChild(phone);
      row.appendChild(el("td", { "data-kaart-mo-col": "note" }, entry.note));
      body.appendChild(row);
    });
    table.appendChild(body);
    return table;
  }

  function render(app) {
    var state = load();
    var list = app.querySelector(".kaart-mo-list");
    var printArea = app.querySelector(".kaart-mo-print");
    list.textContent = "";
    printArea.textContent = "";
    var empty = app.querySelector(".kaart-mo-empty");
    var count = app.querySelector(".kaart-mo-count");
    if (empty) empty.hidden = state.entries.length > 0;
    if (count) {
      count.textContent = state.entries.length === 1 ? "Er staat 1 organisatie of rol in uw overzicht."
        : "Er staan " + state.entries.length + " organisaties of rollen in uw overzicht.";
    }
    var regEntry = null;
    state.entries.forEach(function (e) { if (keyOf(e) === state.regisseur) regEntry = e; });
    var reg = app.querySelector(".kaart-mo-regisseur-summary");
    if (reg) {
      reg.textContent = regEntry ? "Uw regisseur / vaste contactpersoon: " + regEntry.name
        + (regEntry.contactName ? " (" + regEntry.contactName + ")" : "") + "."
        : "U heeft nog geen regisseur gekozen.";
    }
    if (!storageOk) {
      var warn = app.querySelector(".kaart-mo-storage");
      if (warn) warn.hidden = false;
    }
    if (!state.entries.length) return;

    var byRole = el("section", { "aria-labelledby": "kaart-mo-per-rol" });
    byRole.appendChild(el("h3", { id: "kaart-mo-per-rol" }, "Per rol"));
    groupBy(state.entries, roleNames, NO_ROLE).forEach(function (group, gi) {
      byRole.appendChild(el("h4", { "class": "kaart-mo-group" }, group.name));
      var ul = el("ul", { "class": "kaart-mo-entries" });
      group.entries.forEach(function (entry) {
        // An entry with several roles is edited under its first role and named under the others.
        if (entry.roles.length > 1 && entry.roles[0].name !== group.name) {
          var li = el("li", { "class": "kaart-mo-also" });
          li.appendChild(el("a", { href: "#kaart-mo-" + entry.kind + "-" + entry.id + "-naam" }, entry.name));
          li.appendChild(document.createTextNode(" (staat ook onder " + entry.roles[0].name + ")"));
          ul.appendChild(li);
        } else {
          ul.appendChild(entryCard(app, state, entry, gi));
        }
      });
      byRole.appendChild(ul);
    });
    list.appendChild(byRole);

    var byDomain = el("section", { "aria-labelledby": "kaart-mo-per-levensgebied" });
    byDomain.appendChild(el("h3", { id: "kaart-mo-per-levensgebied" }, "Per levensgebied"));
    var dl = el("dl", { "class": "kaart-mo-domains" });
    groupBy(state.entries, domainNames, NO_DOMAIN).forEach(function (group) {
      dl.appendChild(el("dt", null, group.name));
      dl.appendChild(el("dd", null, group.entries.map(function (e) { return e.name; }).join(", ")));
    });
    byDomain.appendChild(dl);
    list.appendChild(byDomain);
    printArea.appendChild(printTable(state));
  }

  function download(app) {
    var state = load();
    var blob = new Blob([JSON.stringify(state, null, 2) + "\n"], { type: "application/json" });
    var url = URL.createObjectURL(blob);
    var a = el("a", { href: url, download: "mijn-overzicht.json", hidden: true });
    document.body.appendChild(a);
    a.click();
    window.setTimeout(function () {
      URL.revokeObjectURL(url);
      a.remove();
    }, 1000);
    announce(app, "Het bestand mijn-overzicht.json staat in uw downloads.");
  }

  function showImportError(app, message) {
    var box = app.querySelector(".kaart-mo-import-error");
    box.textContent = message;
    box.hidden = false;
  }

  function importFile(app, input) {
    var box = app.querySelector(".kaart-mo-import-error");
    box.hidden = true;
    box.textContent = "";
    var file = input.files && input.files[0];
    if (!file) return;
    var bad = "Dit bestand kunnen we niet lezen. Kies een bestand dat u eerder hier met "
      + "'Bewaar als bestand' heeft gemaakt (mijn-overzicht.json). Uw overzicht is niet veranderd.";
    if (file.size > MAX_FILE_BYTES) {
      showImportError(app, "Dit bestand is te groot. " + bad);
      input.value = "";
      return;
    }
    var reader = new FileReader();
    reader.onload = function () {
      var parsed;
      try {
        parsed = JSON.parse(String(reader.result));
      } catch (e) {
        parsed = undefined;
      }
      var result = validate(parsed);
      input.value = "";
      if (!result.ok) {
        showImportError(app, bad);
        return;
      }
      save(result.state);
      render(app);
      announce(app, "Uw overzicht is ingelezen: " + result.state.entries.length
        + (result.state.entries.length === 1 ? " organisatie of rol." : " organisaties of rollen."));
    };
    reader.onerror = function () {
      input.value = "";
      showImportError(app, bad);
    };
    reader.readAsText(file);
  }

  function initOverview() {
    var app = document.getElementById("kaart-mo-app");
    if (!app || app.getAttribute("data-kaart-mo-ready")) return;
    app.setAttribute("data-kaart-mo-ready", "1");
    app.hidden = false;
    Array.prototype.forEach.call(document.querySelectorAll(".kaart-mo-nojs"), function (node) {
      node.hidden = true;
    });
    render(app);
    app.querySelector(".kaart-mo-print-button").addEventListener("click", function () { window.print(); });
    app.querySelector(".kaart-mo-export").addEventListener("click", function () { download(app); });
    var input = app.querySelector(".kaart-mo-import");
    input.addEventListener("change", function () { importFile(app, input); });
    var clear = app.querySelector(".kaart-mo-clear");
    var confirmBox = app.querySelector(".kaart-mo-clear-confirm");
    clear.addEventListener("click", function () {
      confirmBox.hidden = false;
      confirmBox.querySelector(".kaart-mo-clear-yes").focus();
    });
    confirmBox.querySelector(".kaart-mo-clear-no").addEventListener("click", function () {
      confirmBox.hidden = true;
      clear.focus();
    });
    confirmBox.querySelector(".kaart-mo-clear-yes").addEventListener("click", function () {
      save(emptyState());
      try { window.localStorage.removeItem(KEY); } catch (e) { /* nothing stored */ }
      confirmBox.hidden = true;
      render(app);
      clear.focus();
      announce(app, "Uw overzicht is gewist uit deze browser.");
    });
  }

  function init() {
    initAddButtons();
    initOverview();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
