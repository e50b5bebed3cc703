// doors.js – the start page: door states live via SSE.
import { live } from "./live.js";

const list = document.getElementById("offices");
const announcer = document.getElementById("door-announcer");
if (list && list.dataset.live) {
  live(list.dataset.live, {
    door(d) {
      const card = document.getElementById(`office-${d.officeId}`);
      if (!card) return;
      const tpl = document.createElement("template");
      tpl.innerHTML = d.html.trim();
      const fresh = tpl.content.firstElementChild;
      if (!fresh) return;
      const hadFocus = card.contains(document.activeElement);
      card.replaceWith(fresh);
      if (hadFocus) {
        const target = fresh.querySelector("a, button");
        if (target) target.focus();
      }
      const name = fresh.querySelector(".kern-title");
      const badge = fresh.querySelector(".kern-badge");
      if (announcer && name && badge) announcer.textContent = `${name.textContent}: ${badge.textContent.trim()}`;
    },
  });
}
