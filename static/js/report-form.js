/* Report form: choosing a period puts its ijkdatum in the date field (the user may still change the date
 * afterwards). The server applies the same rule when scripts are off (reports/views.py). No inline scripts.
 */
(function () {
  "use strict";

  function init() {
    var period = document.getElementById("periode");
    var date = document.getElementById("ijkdatum");
    if (!period || !date) { return; }
    period.addEventListener("change", function () {
      var chosen = period.options[period.selectedIndex];
      var ijkdatum = chosen && chosen.getAttribute("data-ijkdatum");
      if (ijkdatum) { date.value = ijkdatum; }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
