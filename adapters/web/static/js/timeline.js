// timeline.js – step through a case history with the range slider or the
// keyboard (the slider's arrow keys, Home and End; plus n/p anywhere on the
// page). Without JavaScript the links and the "Show" button do the same.
const root = document.getElementById("timeline");
const slider = document.getElementById("step");
if (root && slider) {
  const go = document.getElementById("step-go");
  if (go) go.hidden = true;
  const max = Number(slider.max);
  const panels = root.querySelectorAll("[data-step]");
  const items = root.querySelectorAll("[data-step-item]");
  const template = slider.getAttribute("aria-valuetext") || "";
  const show = (n) => {
    n = Math.min(Math.max(1, n), max);
    slider.value = String(n);
    panels.forEach((p) => { p.hidden = Number(p.dataset.step) !== n; });
    items.forEach((li) => {
      if (Number(li.dataset.stepItem) === n) li.setAttribute("aria-current", "step");
      else li.removeAttribute("aria-current");
    });
    const heading = root.querySelector(`#step-${n}-h`);
    if (heading) slider.setAttribute("aria-valuetext", heading.textContent.split(":")[0]);
    else slider.setAttribute("aria-valuetext", template);
    const url = new URL(window.location.href);
    url.searchParams.set("step", String(n));
    window.history.replaceState(null, "", url);
  };
  slider.addEventListener("input", () => show(Number(slider.value)));
  const nav = { "step-first": () => 1, "step-prev": () => Number(slider.value) - 1, "step-next": () => Number(slider.value) + 1, "step-last": () => max };
  for (const [id, to] of Object.entries(nav)) {
    const a = document.getElementById(id);
    if (a) a.addEventListener("click", (ev) => { ev.preventDefault(); show(to()); });
  }
  document.addEventListener("keydown", (ev) => {
    const t = ev.target;
    if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    if (ev.key === "n") show(Number(slider.value) + 1);
    if (ev.key === "p") show(Number(slider.value) - 1);
  });
}
