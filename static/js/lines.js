/* The lines of a document form (templates/includes/line_formset.html): add and remove rows,
 * keep Django's formset management form right, show each line's item on hand and a running
 * total as the user types. Without this script the form still works: it submits the rows the
 * server rendered. */
(function () {
  "use strict";

  // --- Decimals: exact, like the server's (quantity × price less discount, VAT, half-up) -----

  function parse(text) {
    text = String(text == null ? "" : text).trim();
    var match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
    if (!text || !match || (match[2] === "" && !match[3])) return null;
    var fraction = match[3] || "";
    var n = BigInt((match[2] || "0") + fraction);
    return { n: match[1] === "-" ? -n : n, s: fraction.length };
  }

  function ten(power) {
    return BigInt("1" + "0".repeat(power));
  }

  function mul(a, b) {
    return { n: a.n * b.n, s: a.s + b.s };
  }

  function round(a, places) {  // half up, away from zero, like Python's ROUND_HALF_UP
    if (a.s <= places) return { n: a.n * ten(places - a.s), s: places };
    var divisor = ten(a.s - places);
    var negative = a.n < 0n;
    var abs = negative ? -a.n : a.n;
    var q = abs / divisor;
    if ((abs % divisor) * 2n >= divisor) q += 1n;
    return { n: negative ? -q : q, s: places };
  }

  function add(a, b) {
    var s = Math.max(a.s, b.s);
    return { n: a.n * ten(s - a.s) + b.n * ten(s - b.s), s: s };
  }

  var ZERO = { n: 0n, s: 2 };
  var HUNDRED = { n: 100n, s: 0 };

  // Net and VAT of one line, in cents: quantity × price × (100 − discount) / 100, VAT = net × rate.
  function lineAmounts(quantity, price, discount, rate) {
    var remaining = discount ? add(HUNDRED, { n: -discount.n, s: discount.s }) : HUNDRED;
    var gross = mul(mul(quantity, price), remaining);
    var net = round({ n: gross.n, s: gross.s + 2 }, 2);
    var tax = rate ? round(mul(net, rate), 2) : ZERO;
    return { net: net, tax: tax };
  }

  // As the `money` template filter shows it: grouped thousands, two decimals.
  function money(value, format) {
    var cents = round(value, 2).n;
    var negative = cents < 0n;
    var digits = (negative ? -cents : cents).toString().padStart(3, "0");
    var whole = digits.slice(0, -2);
    var grouping = format.grouping > 0 ? format.grouping : 3;
    var groups = [];
    while (whole.length > grouping) {
      groups.unshift(whole.slice(-grouping));
      whole = whole.slice(0, -grouping);
    }
    groups.unshift(whole);
    return (negative ? "-" : "") + groups.join(format.thousands) + format.decimal + digits.slice(-2);
  }

  // --- One lines table ------------------------------------------------------------------------

  function LineFormset(root) {
    this.root = root;
    this.prefix = root.dataset.prefix;
    this.total = root.querySelector('input[name="' + this.prefix + '-TOTAL_FORMS"]');
    var max = root.querySelector('input[name="' + this.prefix + '-MAX_NUM_FORMS"]');
    var min = root.querySelector('input[name="' + this.prefix + '-MIN_NUM_FORMS"]');
    this.max = max ? parseInt(max.value, 10) : 1000;
    this.min = min ? Math.max(parseInt(min.value, 10), 1) : 1;
    this.table = root.querySelector("table");
    this.template = root.querySelector("template[data-line-template]");
    this.addButton = root.querySelector("[data-line-add]");
    this.format = {
      decimal: root.dataset.decimalSeparator || ".",
      thousands: root.dataset.thousandSeparator || ",",
      grouping: parseInt(root.dataset.numberGrouping || "3", 10),
    };
    this.onHandUrl = root.dataset.onHandUrl || "";
    this.itemRates = {};  // item id → its VAT rate (from the on-hand answer)
    this.trimBlankRows();
    this.rows().forEach(this.wire.bind(this));
    if (this.addButton) {
      this.addButton.hidden = false;
      this.addButton.addEventListener("click", this.addRow.bind(this));
    }
    var totals = root.querySelector("[data-line-totals]");
    if (totals) totals.hidden = false;
    this.renumber();
    this.recalculate();
  }

  LineFormset.prototype.rows = function () {
    return Array.prototype.slice.call(this.table.querySelectorAll("tbody[data-line]"));
  };

  // The rows that count: a row removed from a formset that can delete is kept, hidden and
  // marked DELETE (its saved row is deleted by the server); the others are taken out.
  LineFormset.prototype.liveRows = function () {
    var self = this;
    return this.rows().filter(function (row) {
      var deleted = self.field(row, "DELETE");
      return !(deleted && deleted.checked);
    });
  };

  LineFormset.prototype.field = function (row, name) {
    return row.querySelector('[name$="-' + name + '"]');
  };

  LineFormset.prototype.isBlank = function (row) {
    if (row.querySelector(".is-invalid, .invalid-feedback, .text-danger")) return false;
    var fields = row.querySelectorAll(
      'input:not([type=hidden]):not([name$="-DELETE"]), select, textarea'
    );
    return Array.prototype.every.call(fields, function (field) {
      if (field.type === "checkbox" || field.type === "radio") return !field.checked;
      return !field.value;
    });
  };

  // The server renders a few empty rows for browsers without this script: keep one.
  LineFormset.prototype.trimBlankRows = function () {
    var rows = this.rows();
    var blank = rows.filter(this.isBlank.bind(this));
    var keep = Math.max(1, this.min - (rows.length - blank.length));
    blank.slice(keep).forEach(function (row) { row.remove(); });
  };

  LineFormset.prototype.wire = function (row) {
    var self = this;
    var remove = row.querySelector("[data-line-remove]");
    var box = row.querySelector("[data-line-delete]");
    if (box) box.hidden = true;  // the × below marks it
    if (remove) {
      remove.hidden = false;
      remove.addEventListener("click", function () { self.removeRow(row); });
    }
    row.addEventListener("input", function () { self.recalculate(); });
    row.addEventListener("change", function (event) {
      if (event.target.name && /-item$/.test(event.target.name)) self.showOnHand(row);
      self.recalculate();
    });
    this.showOnHand(row);
  };

  LineFormset.prototype.addRow = function () {
    var rows = this.rows();
    if (this.liveRows().length >= this.max) return;
    var html = this.template.innerHTML.replace(/__prefix__/g, String(rows.length));
    var holder = document.createElement("table");
    holder.innerHTML = html;
    var row = holder.querySelector("tbody[data-line]");
    this.table.insertBefore(row, this.table.querySelector("tfoot"));
    if (window.Zhongtai && window.Zhongtai.enhance) window.Zhongtai.enhance(row);
    this.wire(row);
    this.renumber();
    this.recalculate();
    var first = row.querySelector("select, input:not([type=hidden])");
    if (first) (first.tomselect ? first.tomselect : first).focus();
  };

  LineFormset.prototype.removeRow = function (row) {
    var deleted = this.field(row, "DELETE");
    if (deleted) {
      deleted.checked = true;
      row.hidden = true;
    } else {
      row.remove();
      // Its search box goes with it; a search still under way must not stop the removal.
      row.querySelectorAll("select").forEach(function (select) {
        try {
          if (select.tomselect) select.tomselect.destroy();
        } catch (error) { /* the row is gone already */ }
      });
    }
    if (!this.liveRows().length) this.addRow();
    this.renumber();
    this.recalculate();
  };

  // Rows are numbered 0…n−1 without gaps and TOTAL_FORMS says n: what Django's formset reads.
  LineFormset.prototype.renumber = function () {
    var pattern = new RegExp("(^|_)" + this.prefix + "-(\\d+)-");
    var prefix = this.prefix;
    var rows = this.rows();
    rows.forEach(function (row, index) {
      row.dataset.index = String(index);
      row.querySelectorAll("*").forEach(function (element) {
        ["name", "id", "for", "aria-describedby", "aria-labelledby", "aria-controls"].forEach(
          function (attribute) {
            var value = element.getAttribute(attribute);
            if (value && pattern.test(value)) {
              element.setAttribute(
                attribute,
                value.replace(pattern, function (_all, lead) { return lead + prefix + "-" + index + "-"; })
              );
            }
          }
        );
      });
      var number = row.querySelector("[data-line-number]");
      if (number) number.textContent = String(index + 1);
    });
    this.total.value = String(rows.length);
    if (this.addButton) this.addButton.disabled = this.liveRows().length >= this.max;
  };

  // --- Stock on hand beside the item -----------------------------------------------------------

  LineFormset.prototype.showOnHand = function (row) {
    var cell = row.querySelector("[data-on-hand]");
    var item = this.field(row, "item");
    if (!cell || !item || !this.onHandUrl) return;
    var id = item.value;
    if (!id || !/^\d+$/.test(id)) {
      cell.textContent = "";
      return;
    }
    var self = this;
    cell.textContent = "…";
    fetch(this.onHandUrl.replace(/\/0\/$/, "/" + id + "/"), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (answer) {
        if (item.value !== id) return;  // the user chose another item meanwhile
        var data = answer.data;
        if (!answer.ok) {
          cell.textContent = data.detail || "";
          cell.classList.add("text-body-secondary");
          return;
        }
        self.itemRates[id] = data.vat_rate;
        cell.textContent = "";
        var total = document.createElement("div");
        total.className = "zt-monospace";
        total.dataset.onHandTotal = "";
        total.textContent = data.total_text + (data.unit ? " " + data.unit : "");
        cell.appendChild(total);
        if (data.warehouses.length > 1 || (data.warehouses.length === 1 && data.total !== "0")) {
          var list = document.createElement("div");
          list.className = "small text-body-secondary text-nowrap";
          list.textContent = data.warehouses
            .map(function (w) { return w.code + " " + w.text; })
            .join(" · ");
          cell.appendChild(list);
        }
        self.recalculate();
      })
      .catch(function () { cell.textContent = ""; });
  };

  // --- Running total ---------------------------------------------------------------------------

  LineFormset.prototype.rate = function (row) {
    var tax = this.field(row, "tax_code");
    if (tax && tax.value) {
      var option = tax.options[tax.selectedIndex];
      return option && option.dataset.rate ? parse(option.dataset.rate) : null;
    }
    var item = this.field(row, "item");
    var rate = item && this.itemRates[item.value];
    return rate ? parse(rate) : null;
  };

  LineFormset.prototype.recalculate = function () {
    if (this.root.hasAttribute("data-balance")) this.balance();
    if (!this.root.hasAttribute("data-amounts")) return;
    var self = this;
    var net = ZERO;
    var tax = ZERO;
    var unpriced = false;
    this.liveRows().forEach(function (row) {
      var cell = row.querySelector("[data-line-amount]");
      var quantity = parse((self.field(row, "quantity") || {}).value);
      var price = parse((self.field(row, "unit_price") || {}).value);
      var discount = parse((self.field(row, "discount_percent") || {}).value);
      var item = self.field(row, "item");
      if (!quantity || !item || !item.value) {
        if (cell) cell.textContent = "";
        return;
      }
      if (!price) {
        unpriced = true;
        if (cell) cell.textContent = "—";
        return;
      }
      var amounts = lineAmounts(quantity, price, discount, self.rate(row));
      net = add(net, amounts.net);
      tax = add(tax, amounts.tax);
      if (cell) cell.textContent = money(amounts.net, self.format);
    });
    this.put("net", money(net, this.format));
    this.put("tax", money(tax, this.format));
    this.put("gross", money(add(net, tax), this.format));
    var note = this.root.querySelector("[data-unpriced-note]");
    if (note) note.hidden = !unpriced;
  };

  // A journal entry's lines: debits and credits summed, and what keeps them apart.
  LineFormset.prototype.balance = function () {
    var self = this;
    var debit = ZERO;
    var credit = ZERO;
    this.liveRows().forEach(function (row) {
      debit = add(debit, parse((self.field(row, "debit") || {}).value) || ZERO);
      credit = add(credit, parse((self.field(row, "credit") || {}).value) || ZERO);
    });
    var difference = add(debit, { n: -credit.n, s: credit.s });
    this.put("debit", money(debit, this.format));
    this.put("credit", money(credit, this.format));
    this.put("difference", money(difference, this.format));
    var target = this.root.querySelector('[data-total="difference"]');
    if (target) target.classList.toggle("text-danger", difference.n !== 0n);
  };

  LineFormset.prototype.put = function (name, text) {
    var target = this.root.querySelector('[data-total="' + name + '"]');
    if (target) target.textContent = text;
  };

  function start() {
    document.querySelectorAll("[data-line-formset]").forEach(function (root) {
      if (!root.lineFormset) root.lineFormset = new LineFormset(root);
    });
  }

  window.ZhongtaiLines = { parse: parse, lineAmounts: lineAmounts, money: money };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
