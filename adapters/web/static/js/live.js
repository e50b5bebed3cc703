// live.js – a small EventSource wrapper with reconnect and Last-Event-ID.
//
// The browser's EventSource reconnects by itself (sending Last-Event-ID) as
// long as the server answered 200 once. When the stream is closed for good
// (server restart with an error, proxy timeout), we open a new one after a
// growing delay and pass the last id as ?lastEventId=, because a new
// EventSource cannot set the header itself.

/**
 * @param {string} url
 * @param {Object<string, function(any, MessageEvent): void>} handlers by event name; data is JSON
 * @param {{onState?: function(string): void, maxDelay?: number}} [opts]
 * @returns {{close: function(): void}}
 */
export function live(url, handlers, opts = {}) {
  let lastId = "";
  let source = null;
  let delay = 1000;
  let closed = false;
  let timer = 0;
  const maxDelay = opts.maxDelay || 30000;
  const state = (s) => { if (opts.onState) opts.onState(s); };

  const open = () => {
    if (closed) return;
    const u = new URL(url, window.location.href);
    if (lastId) u.searchParams.set("lastEventId", lastId);
    source = new EventSource(u.toString(), { withCredentials: true });
    source.onopen = () => { delay = 1000; state("open"); };
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        state("closed");
        source.close();
        timer = window.setTimeout(open, delay);
        delay = Math.min(delay * 2, maxDelay);
      } else {
        state("reconnecting");
      }
    };
    for (const [name, fn] of Object.entries(handlers)) {
      source.addEventListener(name, (ev) => {
        if (ev.lastEventId) lastId = ev.lastEventId;
        let data = null;
        try { data = JSON.parse(ev.data); } catch { return; }
        fn(data, ev);
      });
    }
  };
  open();
  return {
    close() {
      closed = true;
      window.clearTimeout(timer);
      if (source) source.close();
    },
  };
}
