// Ties each value to its boxes on the scan: click a value to light its boxes, click a box to light its value.
"use strict";
(function () {
  const boxes = Array.from(document.querySelectorAll(".box[data-item]"));
  const values = Array.from(document.querySelectorAll(".val[data-item]"));
  if (!values.length) return;

  function light(itemId) {
    boxes.forEach((b) => b.classList.toggle("active", b.dataset.item === itemId));
    values.forEach((v) => {
      const on = v.dataset.item === itemId;
      v.classList.toggle("active", on);
      v.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  values.forEach((v) => v.addEventListener("click", () => {
    light(v.dataset.item);
    const first = boxes.find((b) => b.dataset.item === v.dataset.item);
    if (first) first.scrollIntoView({block: "center", behavior: "smooth"});
  }));

  // A link to `/van-ban/ID#v-...` (from a task's trace) opens the letter with that value lit.
  const wanted = decodeURIComponent(location.hash.slice(1));
  if (wanted.startsWith("v-") && values.some((v) => v.dataset.item === wanted)) {
    light(wanted);
    const first = boxes.find((b) => b.dataset.item === wanted);
    if (first) first.scrollIntoView({block: "center"});
  }

  boxes.forEach((b) => b.addEventListener("click", (e) => {
    if (!b.dataset.item) return;
    e.preventDefault();
    light(b.dataset.item);
    const value = document.getElementById(b.dataset.item);
    if (value) {
      value.scrollIntoView({block: "center", behavior: "smooth"});
      value.focus({preventScroll: true});
    }
  }));
})();
