// kaart serve only (never part of the built site): reload this page when kaart serve has finished a new build.
(function () {
  "use strict";
  var seen = null;
  function ask() {
    fetch("/__kaart/build" + (seen === null ? "" : "?na=" + seen), { cache: "no-store" })
      .then(function (answer) { return answer.text(); })
      .then(function (text) {
        var number = parseInt(text, 10);
        if (seen !== null && number !== seen) {
          window.location.reload();
          return;
        }
        seen = number;
        ask();
      })
      .catch(function () { window.setTimeout(ask, 2000); });  // the server stopped or restarts: try again later
  }
  ask();
})();
