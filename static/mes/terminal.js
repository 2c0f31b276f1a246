// The terminal's scan form: a scanner types the code and Enter. Enter in a field moves to the
// next empty field; in the last one it sends the form.
document.addEventListener("keydown", (event) => {
  const field = event.target;
  if (event.key !== "Enter" || !(field instanceof HTMLInputElement)) return;
  const form = field.closest("form[data-scan-form]");
  if (!form) return;
  const fields = Array.from(form.querySelectorAll("input:not([type=hidden])"));
  const next = fields.slice(fields.indexOf(field) + 1).find((input) => !input.value);
  if (next) {
    event.preventDefault();
    next.focus();
  }
});
