/* Sociale Kaart: keyboard help that the theme lacks. Loaded from theme/main.html; no outside calls.
 *
 * Skip link ("Ga naar inhoud", WCAG 2.4.1): the theme's script may handle in-page links itself and leave focus on
 * <body>, so the next Tab would start at the top of the page again. We move focus into the content. */
document.addEventListener("click", function (event) {
  var link = event.target && event.target.closest ? event.target.closest("a.md-skip") : null;
  var target = document.getElementById("inhoud");
  if (!link || !target) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  target.focus();
  target.scrollIntoView();
}, true);
