/* Zhongtai's own behaviour on top of Bootstrap and htmx. */
(function () {
  "use strict";

  // Selects marked data-search-url (erp_core.widgets.SearchSelect) search the server as the
  // user types: the page carries only the chosen option, never the whole list.
  function searchSelects(root) {
    if (typeof TomSelect === "undefined") return;
    root.querySelectorAll("select[data-search-url]").forEach(function (select) {
      if (select.tomselect) return;
      var url = select.dataset.searchUrl;
      var refusal = "";  // the server's reason when it refuses the search (a 403 says why)
      new TomSelect(select, {
        valueField: "value",
        labelField: "text",
        searchField: ["text"],
        maxOptions: 50,
        loadThrottle: 250,
        preload: "focus",
        placeholder: select.dataset.placeholder || "",
        allowEmptyOption: true,
        // The server matched by code, name, barcode and pinyin initials: keep its order.
        score: function () { return function () { return 1; }; },
        load: function (query, callback) {
          var box = this;
          var sep = url.indexOf("?") === -1 ? "?" : "&";
          fetch(url + sep + "q=" + encodeURIComponent(query), {
            headers: { Accept: "application/json" },
            credentials: "same-origin",
          })
            .then(function (response) {
              return response.json().catch(function () { return {}; }).then(function (data) {
                refusal = response.ok ? "" : (data.detail || "");
                return response.ok ? data : { results: [] };
              });
            })
            .then(function (data) {
              callback(data.results);
              // An answer that comes after the user left the box must not open it again over
              // the fields below (the next line of a document, say).
              if (!box.isFocused) box.close();
            })
            .catch(function () { callback(); });
        },
        render: {
          no_results: function () {
            var div = document.createElement("div");
            div.className = "no-results";
            div.textContent = refusal || select.dataset.noResults || "";
            return div;
          },
        },
      });
    });
  }

  // The lines of a document form (static/js/lines.js) enhance the rows they add.
  window.Zhongtai = { enhance: searchSelects };

  if (typeof htmx !== "undefined") {
    htmx.onLoad(searchSelects);  // the page itself, then every fragment htmx swaps in
  } else {
    document.addEventListener("DOMContentLoaded", function () { searchSelects(document); });
  }
})();
