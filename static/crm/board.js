/* The pipeline's kanban board: drag a card onto another stage's column; the move is posted to
   the card's data-move-url and the card stays where the server put it (an error puts it back). */
(function () {
  "use strict";

  function csrf() {
    var headers = document.body.getAttribute("hx-headers");
    try { return JSON.parse(headers)["X-CSRFToken"]; } catch (e) { return ""; }
  }

  function money(value) {
    return value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function sums(column) {
    var cards = column.querySelectorAll("[data-card]");
    var counter = column.querySelector("[data-count]");
    var amount = 0, weighted = 0;
    cards.forEach(function (card) {
      var value = Number(card.dataset.amount || 0);
      amount += value;
      weighted += value * Number(card.dataset.probabilityValue || 0) / 100;
    });
    if (counter) counter.textContent = cards.length;
    var a = column.querySelector("[data-sum-amount]"), w = column.querySelector("[data-sum-weighted]");
    if (a) a.textContent = money(amount);
    if (w) w.textContent = money(weighted);
  }

  function init() {
    var board = document.getElementById("pipeline-board");
    if (!board) return;
    var dragged = null;
    board.addEventListener("dragstart", function (e) {
      var card = e.target.closest("[data-card]");
      if (!card) return;
      dragged = card;
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", card.dataset.card);
    });
    board.querySelectorAll("[data-stage]").forEach(function (column) {
      column.addEventListener("dragover", function (e) { e.preventDefault(); column.classList.add("bg-body-secondary"); });
      column.addEventListener("dragleave", function () { column.classList.remove("bg-body-secondary"); });
      column.addEventListener("drop", function (e) {
        e.preventDefault();
        column.classList.remove("bg-body-secondary");
        if (!dragged) return;
        var card = dragged, from = card.closest("[data-stage]");
        dragged = null;
        if (from === column) return;
        column.querySelector("[data-cards]").appendChild(card);
        sums(from); sums(column);
        var body = new URLSearchParams({ stage: column.dataset.stage });
        fetch(card.dataset.moveUrl, {
          method: "POST", body: body, credentials: "same-origin",
          headers: { "X-CSRFToken": csrf() },
        }).then(function (r) { return r.json().then(function (d) { return { ok: r.ok, d: d }; }); })
          .then(function (res) {
            if (!res.ok) throw new Error(res.d.detail || "error");
            card.dataset.savedStage = res.d.stage;
            var p = card.querySelector("[data-probability]");
            if (p) p.textContent = res.d.probability;
            card.dataset.probabilityValue = res.d.probability;
            sums(column);
          })
          .catch(function (err) {
            from.querySelector("[data-cards]").appendChild(card);
            sums(from); sums(column);
            window.alert(err.message);
          });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", init);
})();
