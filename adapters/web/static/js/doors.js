// doors.js – the start page: door states live via SSE. Each event carries the
// office card rendered by the server in the reader's language.
import { live } from "./live.js";

const list = document.getElementById("offices");
const announcer = document.getElementById("door-announcer");
const norm = (el) => (el ? el.textContent.replace(/\s+/g, " ").trim() : "");

if (list && list.dataset.live) {
  live(list.dataset.live, {
    door(d) {
      const card = document.getElementById(`office-${d.officeId}`);
      if (!card) return;
      const tpl = document.createElement("template");
      tpl.innerHTML = d.html.trim();
      const fresh = tpl.content.firstElementChild;
      // The snapshot sent after (re)connecting repeats unchanged cards.
      if (!fresh || norm(fresh) === norm(card)) return;
      const doorChanged = norm(fresh.querySelector(".kern-badge")) !== norm(card.querySelector(".kern-badge"));
      const hadFocus = card.contains(document.activeElement);
      card.replaceWith(fresh);
      if (hadFocus) {
        const target = fresh.querySelector("a, button");
        if (target) target.focus();
      }
      if (doorChanged && announcer) {
        announcer.textContent = `${norm(fresh.querySelector(".kern-title"))}: ${norm(fresh.querySelector(".kern-badge"))}`;
      }
    },
  });
}
