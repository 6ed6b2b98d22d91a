/*
 * Kader pages only (loaded with `defer`, same origin, no inline script: CSP `script-src 'self'`).
 * 1. Registers the service worker (/sw.js) after the page has loaded.
 * 2. Outbox: forms marked data-offline (quiz answers, "bagian selesai", "selesai dibaca")
 *    are kept in localStorage and posted when there is signal. The server grades an attempt
 *    once, so a retry, a reload or a second tab never counts twice; a Web Lock makes the
 *    tabs of one phone send one after the other, and each re-reads the outbox first.
 * 3. "Simpan semua modul": draws the quiz attempts and stores every page for offline use.
 * Without JavaScript none of this runs and the plain forms post as usual.
 */
(() => {
  const KEY = "akademi-outbox";
  const PAGES = "akademi-pages-v1";
  const SAVED = "Jawaban tersimpan di ponsel, akan dikirim saat ada sinyal.";
  const load = () => {
    try {
      return JSON.parse(localStorage.getItem(KEY) || "[]");
    } catch {
      return [];
    }
  };
  const store = (q) => localStorage.setItem(KEY, JSON.stringify(q));
  const queue = (item) =>
    store(
      load()
        .filter((x) => x.id !== item.id)
        .concat(item),
    );
  const drop = (item) => store(load().filter((x) => !(x.id === item.id && x.at === item.at)));

  function notice(form, text, ok) {
    let p = form.parentNode.querySelector("[data-outbox-status]");
    if (!p) {
      p = document.createElement("p");
      p.setAttribute("data-outbox-status", "");
      p.setAttribute("role", "status");
      form.after(p);
    }
    p.className = ok ? "alert-ok mt-3" : "alert-error mt-3";
    p.textContent = text;
  }

  // Sends one queued post; true when the server answered (and the item left the outbox).
  async function send(item) {
    if (!load().some((x) => x.id === item.id && x.at === item.at)) return false; // another tab sent it
    let res;
    try {
      res = await fetch(item.url, { method: "POST", body: new URLSearchParams(item.body), credentials: "same-origin" });
    } catch {
      return false; // still no signal: keep it
    }
    if (res.status >= 500) return false;
    drop(item);
    if (res.ok && window.caches)
      caches
        .open(PAGES)
        .then((c) => c.put(new URL(res.url).pathname, res.clone()))
        .catch(() => {});
    if (item.kind !== "bagian" && location.pathname === item.path) {
      waiting = false; // this page goes to the answer (the result, or the quiz after "selesai")
      location.replace(res.url);
    }
    return true;
  }

  let flushing = null;
  let waiting = false;
  function flush() {
    if (!navigator.onLine || !load().length) return Promise.resolve();
    const run = async () => {
      for (const item of load()) await send(item);
      // Another tab sent what this page was waiting for: show the result.
      if (waiting && !load().some((x) => x.path === location.pathname)) location.reload();
    };
    flushing ??= (navigator.locks ? navigator.locks.request(KEY, run) : run()).finally(() => {
      flushing = null;
    });
    return flushing;
  }

  function submit(event) {
    const form = event.target;
    const kind = form.getAttribute?.("data-offline");
    if (!kind) return;
    const data = new FormData(form);
    if (kind === "kuis") {
      const names = new Set([...form.querySelectorAll("input[name^=q_]")].map((i) => i.name));
      const open = [...names].filter((n) => !data.has(n)).length;
      if (open) return; // the server names the missing questions (plain form path)
    }
    event.preventDefault();
    const target = new URL(form.getAttribute("action") || location.href, location.href);
    const path = target.pathname;
    // url keeps "?index" (Remix sends an index route's action there); path names the page.
    const item = {
      id: `${path}|${kind}`,
      kind,
      url: path + target.search,
      path,
      body: [...new URLSearchParams(data)],
      at: Date.now(),
    };
    queue(item);
    if (kind === "bagian") {
      const n = form.querySelector("button");
      if (n && !n.textContent.startsWith("✓")) n.textContent = `✓ ${n.textContent}`;
      location.hash = form.getAttribute("data-next");
      flush();
      return;
    }
    waiting = true;
    notice(form, kind === "kuis" ? SAVED : "Tersimpan di ponsel, akan dikirim saat ada sinyal.", true);
    flush();
  }

  // A reload without signal: show what is waiting for this page and restore the answers.
  function restore() {
    const form = document.querySelector("form[data-offline=kuis]");
    if (!form) return;
    const item = load().find((x) => x.kind === "kuis" && x.path === location.pathname);
    if (!item) return;
    waiting = true;
    for (const [name, value] of item.body) {
      const input = form.querySelector(`input[name="${CSS.escape(name)}"][value="${CSS.escape(value)}"]`);
      if (input) input.checked = true;
    }
    notice(form, SAVED, true);
  }

  async function saveAll(button) {
    const label = button.textContent;
    button.disabled = true;
    button.textContent = "Menyimpan…";
    try {
      const res = await fetch("/modul/simpan", {
        method: "POST",
        credentials: "same-origin",
        body: new URLSearchParams(),
      });
      if (!res.ok) throw new Error(String(res.status));
      const { urls } = await res.json();
      const cache = await caches.open(PAGES);
      for (const u of urls) {
        const page = await fetch(u, { credentials: "same-origin" });
        if (page.ok) await cache.put(u, page);
      }
      button.textContent = `Tersimpan: ${urls.length} halaman siap dibaca tanpa sinyal`;
    } catch {
      button.textContent = label;
      button.disabled = false;
      alert("Belum bisa menyimpan. Periksa sinyal lalu coba lagi.");
    }
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.getAttribute("action") === "/keluar" && window.caches) caches.delete(PAGES); // pages of this kader leave the phone
    submit(event);
  });
  document.addEventListener("click", (event) => {
    const b = event.target.closest?.("[data-save-all]");
    if (b) saveAll(b);
  });
  addEventListener("online", flush);
  restore();
  if ("serviceWorker" in navigator) {
    for (const b of document.querySelectorAll("[data-save-all]")) b.hidden = false;
    addEventListener("load", () => {
      navigator.serviceWorker.register("/sw.js").catch(() => {});
      flush();
    });
  } else flush();
})();
