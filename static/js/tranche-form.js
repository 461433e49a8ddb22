/* Tranche form: before submitting, show what is still free for the chosen project x financier and warn
 * (without blocking) when the amount goes above it. The figures come from the page itself
 * (json_script "tranche-headroom-data"); no inline scripts (Content-Security-Policy).
 * Amounts are read the way finance/fields.py reads them; what it would refuse shows no comparison.
 */
(function () {
  "use strict";

  var euro = new Intl.NumberFormat("nl-NL", { style: "currency", currency: "EUR" });

  function parseAmount(text) {
    var t = text.replace(/€|\s|\u00a0/g, "").replace(/,-+$/, "");
    if (/^\d+$/.test(t)) { return parseFloat(t); }
    if (/^\d{1,3}(\.\d{3})+$/.test(t)) { return parseFloat(t.replace(/\./g, "")); }
    var dutch = /^(\d+|\d{1,3}(\.\d{3})+),(\d+)$/.exec(t);
    if (dutch) { return parseFloat(dutch[1].replace(/\./g, "") + "." + dutch[3]); }
    if (/^\d+\.\d{1,2}$/.test(t)) { return parseFloat(t); }
    return null;
  }

  function line(label, value) {
    var item = document.createElement("li");
    item.textContent = label + ": " + euro.format(parseFloat(value));
    return item;
  }

  function show(panel, room, amount) {
    panel.textContent = "";
    if (!room) { return; }
    var box = document.createElement("div");
    box.className = "message";
    var title = document.createElement("p");
    title.textContent = "Voor dit project en deze financier:";
    var list = document.createElement("ul");
    list.appendChild(line("Begroot", room.begroot));
    list.appendChild(line("Al uitgekeerd", room.uitgekeerd));
    list.appendChild(line("Ter goedkeuring", room.wacht));
    list.appendChild(line("Nog beschikbaar", room.beschikbaar));
    box.appendChild(title);
    box.appendChild(list);
    panel.appendChild(box);
    var free = parseFloat(room.beschikbaar);
    if (amount !== null && amount > free + 0.001) {
      var warning = document.createElement("p");
      warning.className = "message message-warning";
      warning.setAttribute("role", "status");
      warning.textContent = "Dit bedrag is " + euro.format(amount - free) + " meer dan er nog beschikbaar is. " +
        "U kunt de tranche registreren; de controller kan haar dan alleen goedkeuren met een reden " +
        "en het besluit dat dit toestaat.";
      panel.appendChild(warning);
    }
  }

  function init() {
    var data = document.getElementById("tranche-headroom-data");
    var panel = document.getElementById("tranche-headroom");
    var project = document.getElementById("id_project");
    var funder = document.getElementById("id_funder");
    var amount = document.getElementById("id_amount");
    if (!data || !panel || !project || !funder || !amount) { return; }
    var headroom = JSON.parse(data.textContent);
    function update() {
      var room = project.value && funder.value ? headroom[project.value + "-" + funder.value] : null;
      if (project.value && funder.value && !room) {
        room = { begroot: "0", uitgekeerd: "0", wacht: "0", beschikbaar: "0" };
      }
      show(panel, room, amount.value.trim() ? parseAmount(amount.value) : null);
    }
    [project, funder].forEach(function (el) { el.addEventListener("change", update); });
    amount.addEventListener("input", update);
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
