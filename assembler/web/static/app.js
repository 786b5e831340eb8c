// Small enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the error summary so keyboard and screen-reader users hear it first.
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
  // A group behind a yes/no question: its questions show once the answer is Yes.
  document.querySelectorAll("[data-gate-body]").forEach((body) => {
    const group = body.parentElement;
    const radios = group.querySelectorAll(":scope > .gate input[data-gate]");
    const update = () => {
      body.hidden = !Array.from(radios).some((r) => r.checked && r.value === "Yes");
    };
    radios.forEach((r) => r.addEventListener("change", update));
    update();
  });
  // A pick row (e.g. a type of change): its fields show once it is ticked.
  document.querySelectorAll("input[data-pick]").forEach((box) => {
    const body = box.closest(".row").querySelector("[data-pick-body]");
    const update = () => { body.hidden = !box.checked; };
    box.addEventListener("change", update);
    update();
  });
});
