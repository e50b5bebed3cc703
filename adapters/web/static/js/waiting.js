// waiting.js – the waiting room: live place in the queue and the admission
// signal (sound, title badge, notification, a pulsing notice in an aria-live
// region).
import { live } from "./live.js";
import { Alerter } from "./queue-alert.js";

const box = document.getElementById("waiting-status");
const alerter = new Alerter();
const button = document.getElementById("enable-alerts");
if (button) {
  button.hidden = false;
  button.addEventListener("click", async () => {
    await alerter.enable();
    button.hidden = true;
  });
}

let status = box ? box.querySelector("[data-status]")?.dataset.status : "";
if (box && box.dataset.live) {
  const stream = live(box.dataset.live, {
    visit(d) {
      box.innerHTML = d.html;
      const pos = box.querySelector("[data-position]");
      alerter.badge(pos ? Number(pos.dataset.position) : 0);
      if (d.status === "admitted" && status !== "admitted") {
        alerter.ring();
        alerter.notify(box.dataset.msgAdmitted, box.dataset.msgTitle);
        document.title = `✔ ${box.dataset.msgAdmitted}`;
        const join = box.querySelector("a");
        if (join) join.focus();
      }
      status = d.status;
      const withdraw = document.getElementById("withdraw-form");
      if (withdraw) withdraw.hidden = d.status !== "waiting";
      if (["withdrawn", "expired", "ended", "declined"].includes(d.status)) stream.close();
    },
  });
}
