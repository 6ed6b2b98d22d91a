/*
 * Kader pages only (loaded with `defer`, same origin, no inline script: CSP `script-src 'self'`).
 * 1. Registers the service worker (/sw.js) after the page has loaded.
 * 2. Outbox: forms marked data-offline (quiz answers, "bagian selesai", "selesai dibaca")
 *    are kept in localStorage and posted when there is signal. The server grades an attempt
 *    once, so a retry, a reload or a second tab never counts twice; a Web Lock makes the
 *    tabs of one phone send one after the other, and each re-reads the outbox first.
 *    Phones are shared: an item belongs to the account that queued it (data-akun of this
 *    script), leaves only from her pages and names her (X-Akun: the server answers 409 to
 *    any other session). What the server refuses stays, shown on her pages, until she removes it.
 *    What waits is listed (how many, since when) in the box the server puts on her home,
 *    module and quiz pages (data-antrean), and so is what was sent after waiting, with its grade.
 * 3. "Simpan semua modul": draws the quiz attempts and stores every page for offline use
 *    (fetched with X-Simpan: 1, so storing a module is not opening it).
 * 4. Keluar says what stays on the phone for her; her other tabs leave her pages too. Without
 *    signal the service worker ends the session on the phone (public/sw.js).
 * Without JavaScript none of this runs and the plain forms post as usual.
 */
(() => {
  const ME = document.currentScript?.dataset.akun;
  if (!ME) return;
  const KEY = "akademi-outbox";
  const OUT = "akademi-keluar"; // when someone last tapped Keluar on this phone
  const PAGES = "akademi-pages-v1";
  const T0 = Date.now();
  const SAVED = "Jawaban tersimpan di ponsel, akan dikirim saat ada sinyal.";
  // A post still unanswered after this long is given up and sent again: the signal can drop
  // mid-send and leave the request hanging for minutes, with the rest of the outbox behind it.
  // The server counts a post once, however often it arrives.
  const SEND_TIMEOUT_MS = 30_000;
  const LABEL = { kuis: "Jawaban kuis", bagian: "Bagian selesai dibaca", selesai: "Selesai membaca modul" };
  const label = (x) => `${LABEL[x.kind] || x.kind}: ${x.title || x.path}`;
  const when = (t) =>
    new Date(t).toLocaleString("id-ID", {
      weekday: "long",
      day: "numeric",
      month: "long",
      hour: "2-digit",
      minute: "2-digit",
    });
  const add = (parent, tag, text, href) => {
    const e = document.createElement(tag);
    if (text) e.textContent = text;
    if (href) e.href = href;
    parent.append(e);
    return e;
  };
  const load = () => {
    try {
      return JSON.parse(localStorage.getItem(KEY) || "[]");
    } catch {
      return [];
    }
  };
  // Hers (an item queued before items named their owner goes with whoever signs in first).
  const mine = () => load().filter((x) => (x.owner || ME) === ME);
  const store = (q) => localStorage.setItem(KEY, JSON.stringify(q));
  const same = (a, b) => a.id === b.id && a.at === b.at;
  const queue = (item) =>
    store(
      load()
        .filter((x) => x.id !== item.id)
        .concat(item),
    );
  const drop = (item) => store(load().filter((x) => !same(x, item)));

  function say(place, attr, text, className) {
    let p = document.querySelector(`[${attr}]`);
    if (!p) {
      p = document.createElement("p");
      p.setAttribute(attr, "");
      p.setAttribute("role", "status");
      place(p);
    }
    p.className = className;
    p.textContent = text;
  }
  const notice = (form, text) => say((p) => form.after(p), "data-outbox-status", text, "alert-ok mt-3");
  const top = (text) =>
    say((p) => document.querySelector("main")?.prepend(p), "data-keluar-status", text, "alert-ok mb-3");

  // What the server did not accept: shown on her pages until she removes it, never dropped unseen.
  function refused() {
    document.querySelector("[data-outbox-refused]")?.remove();
    const bad = mine().filter((x) => x.refused);
    if (!bad.length) return;
    const box = document.createElement("div");
    box.setAttribute("data-outbox-refused", "");
    box.setAttribute("role", "alert");
    box.className = "alert-error mb-3 space-y-2";
    box.append(
      `${bad.length} kiriman dari ponsel ini tidak diterima server (mungkin halamannya sudah berubah). Buka halamannya dan ulangi dari sana, lalu tekan Hapus.`,
    );
    for (const x of bad) {
      const p = add(box, "p");
      add(p, "a", label(x), x.path);
      const b = add(p, "button", "Hapus");
      b.type = "button";
      b.className = "btn-secondary ml-2";
      b.onclick = () => {
        drop(x);
        refused();
      };
    }
    document.querySelector("main")?.prepend(box);
  }

  // What waits on the phone for the paths of this page's box (data-antrean; "" = all of hers):
  // how many, since when; and what left after waiting, with the grade of a quiz.
  const sent = [];
  const listed = new Set();
  function panel() {
    let box = document.querySelector("[data-antrean]");
    if (!box && sent.length) {
      box = document.createElement("section");
      box.dataset.antrean = "";
      box.className = "card mb-3 space-y-2 text-sm";
      document.querySelector("main")?.prepend(box);
    }
    if (!box) return;
    const scope = box.dataset.antrean;
    const here = (x) => !scope || x.path === scope || x.path.startsWith(`${scope}/`);
    const wait = pending().filter(here);
    box.replaceChildren();
    if (wait.length) {
      add(
        box,
        "p",
        `${wait.length} kiriman menunggu sinyal, tersimpan di ponsel ini sejak ${when(Math.min(...wait.map((x) => x.at)))}. Dikirim otomatis saat ada sinyal.`,
      );
      const ul = add(box, "ul");
      for (const x of wait) {
        listed.add(x.id);
        add(add(ul, "li"), "a", label(x), x.path).after(` · ${when(x.at)}`);
      }
    }
    for (const x of sent.filter(here)) add(add(box, "p", `${x.text} · `), "a", x.link, x.href);
    box.hidden = !box.childElementCount;
  }

  // What the answer to a post that waited says: a quiz's grade from its result page.
  async function report(item, res) {
    const r =
      item.kind === "kuis" &&
      new DOMParser().parseFromString(await res.clone().text(), "text/html").querySelector("[data-nilai]");
    sent.push({
      path: item.path,
      href: new URL(res.url).pathname,
      text: r
        ? `Terkirim: nilai ${r.dataset.nilai}, ${r.dataset.lulus ? "lulus" : "belum lulus"} (${item.title || item.path})`
        : `Terkirim: ${label(item)}`,
      link: r ? "Lihat hasil" : "Buka",
    });
  }

  // Sends one queued post of hers; false while it has to wait.
  async function send(item) {
    if (!load().some((x) => same(x, item) && !x.refused)) return false; // another tab sent it
    let res;
    const hung = new AbortController();
    const timer = setTimeout(() => hung.abort(), SEND_TIMEOUT_MS);
    try {
      res = await fetch(item.url, {
        method: "POST",
        body: new URLSearchParams(item.body),
        credentials: "same-origin",
        headers: { "X-Akun": ME },
        signal: hung.signal,
      });
    } catch {
      retry = true; // still no signal, or the send hung: keep it
      return false;
    } finally {
      clearTimeout(timer);
    }
    // 408, 429, 5xx: again later; 409: the phone is signed in as someone else; /masuk: signed out.
    const later = res.status >= 500 || res.status === 408 || res.status === 429;
    retry ||= later;
    if (later || res.status === 409 || new URL(res.url).pathname === "/masuk") return false;
    if (res.ok) {
      drop(item);
      if (listed.has(item.id) || item.at < T0) await report(item, res);
      if (window.caches)
        caches
          .open(PAGES)
          .then((c) => c.put(new URL(res.url).pathname, res.clone()))
          .catch(() => {});
    } else {
      store(load().map((x) => (same(x, item) ? { ...x, refused: res.status } : x)));
      refused();
    }
    if (item.kind !== "bagian" && location.pathname === item.path) {
      waiting = false; // this page goes to the answer (the result, or the quiz after "selesai")
      if (res.ok) location.replace(res.url);
      else document.querySelector("[data-outbox-status]")?.remove();
    }
    return true;
  }

  let flushing = null;
  let again = false;
  let retry = false;
  let pause = 1000; // the wait before the next try while the signal is not back (doubles to 10 s)
  let waiting = false;
  const pending = () => mine().filter((x) => !x.refused);
  function flush() {
    if (!navigator.onLine || !pending().length) {
      panel();
      return Promise.resolve();
    }
    const run = async () => {
      retry = false;
      for (const item of pending()) await send(item);
      // Another tab sent what this page was waiting for: show the result.
      if (waiting && !pending().some((x) => x.path === location.pathname)) location.reload();
    };
    // The signal came back while a send still hung: once more after it. A phone often says
    // it is online without signal (or the signal flickers back), and then no "online" event
    // comes: try again after 1, 2, 4, 8 s, then every 10 s, until it is sent.
    if (flushing) again = true;
    flushing ??= (navigator.locks ? navigator.locks.request(KEY, run) : run()).finally(() => {
      flushing = null;
      panel();
      if (again || retry) setTimeout(flush, again ? 0 : pause);
      pause = retry && !again ? Math.min(pause * 2, 10_000) : 1000;
      again = false;
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
      id: `${ME}|${path}|${kind}`,
      owner: ME,
      kind,
      url: path + target.search,
      path,
      title: document.querySelector("h1")?.textContent,
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
    notice(form, kind === "kuis" ? SAVED : "Tersimpan di ponsel, akan dikirim saat ada sinyal.");
    flush();
  }

  // Keluar: first say what waits on the phone for her, then her stored pages leave it.
  function keluar(event, form) {
    const n = mine().length;
    if (n && !form.dataset.told) {
      event.preventDefault();
      form.dataset.told = "1";
      top(
        `${n} kiriman Anda belum terkirim. Kiriman itu tetap tersimpan di ponsel ini untuk Anda dan dikirim saat Anda masuk lagi di ponsel ini, tidak atas nama orang lain. Tekan Keluar sekali lagi untuk keluar.`,
      );
      return;
    }
    if (!navigator.serviceWorker?.controller && !navigator.onLine) {
      event.preventDefault(); // nothing on the phone can end the session yet
      top("Tanpa sinyal Anda belum bisa keluar di ponsel ini. Coba lagi saat ada sinyal.");
      return;
    }
    localStorage.setItem(OUT, String(Date.now()));
    if (window.caches) caches.delete(PAGES); // pages of this kader leave the phone
  }

  // Someone tapped Keluar after this page opened: another tab ends the session here too (so
  // /masuk cannot answer before the logout did), a page back from the history cache just leaves.
  function leave(end) {
    if (Number(localStorage.getItem(OUT)) <= T0) return;
    document.body.hidden = true;
    const ended = end && fetch("/keluar", { method: "POST", body: new URLSearchParams(), credentials: "same-origin" });
    Promise.resolve(ended)
      .catch(() => {})
      .finally(() => location.replace("/masuk"));
  }

  // A reload without signal: show what is waiting for this page and restore the answers.
  function restore() {
    const form = document.querySelector("form[data-offline=kuis]");
    if (!form) return;
    const item = mine().find((x) => x.kind === "kuis" && x.path === location.pathname);
    if (!item) return;
    waiting = !item.refused;
    for (const [name, value] of item.body) {
      const input = form.querySelector(`input[name="${CSS.escape(name)}"][value="${CSS.escape(value)}"]`);
      if (input) input.checked = true;
    }
    if (waiting) notice(form, `${SAVED} Disimpan ${when(item.at)}.`);
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
        const page = await fetch(u, { credentials: "same-origin", headers: { "X-Simpan": "1" } });
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
    if (form.getAttribute("action") === "/keluar") keluar(event, form);
    else submit(event);
  });
  document.addEventListener("click", (event) => {
    const b = event.target.closest?.("[data-save-all]");
    if (b) saveAll(b);
  });
  addEventListener("online", flush);
  addEventListener("storage", (e) => e.key === OUT && leave(true));
  addEventListener("pageshow", () => leave(false));
  restore();
  refused();
  panel();
  if ("serviceWorker" in navigator) {
    for (const b of document.querySelectorAll("[data-save-all]")) b.hidden = false;
    addEventListener("load", () => {
      navigator.serviceWorker.register("/sw.js").catch(() => {});
      flush();
    });
  } else flush();
})();
