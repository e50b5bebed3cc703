// clerk-queue.js – the clerk's live queue with an unmissable knock alert.
import { live } from "./live.js";
import { Alerter } from "./queue-alert.js";

const box = document.getElementById("queue");
const banner = document.getElementById("knock-alert");
const alerter = new Alerter();
const button = document.getElementById("enable-alerts");
if (button) {
  button.hidden = false;
  button.addEventListener("click", async () => {
    await alerter.enable();
    button.hidden = true;
  });
}

let count = box ? Number(box.dataset.count || 0) : 0;
alerter.badge(count);
if (box && box.dataset.live) {
  live(box.dataset.live, {
    queue(d) {
      // Do not replace the table while the clerk types in one of its forms.
      const active = document.activeElement;
      const typing = active && box.contains(active) && (active.tagName === "INPUT" || active.tagName === "TEXTAREA");
      if (!typing) box.innerHTML = d.html;
      if (d.count > count) {
        banner.hidden = false;
        banner.classList.remove("bb-signal--pulse");
        void banner.offsetWidth; // restart the animation
        banner.classList.add("bb-signal--pulse");
        alerter.ring();
        alerter.notify(box.dataset.msgKnock, box.dataset.msgTitle);
      } else if (d.count === 0) {
        banner.hidden = true;
      }
      count = d.count;
      box.dataset.count = String(count);
      alerter.badge(count);
    },
  });
}
