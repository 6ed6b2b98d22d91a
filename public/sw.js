/*
 * Akademi Posyandu service worker (hand-written, no Workbox: see README "Offline").
 * Pages of the kader app (/, /modul…, /istilah, /luring) are network-first and kept in a
 * cache, so a module opened once can be read without signal; without signal every page in
 * that cache opens, whoever stored it (a visit, or "Simpan semua modul" in the page script).
 * CSS and other /assets are cache-first (their names carry a hash). Any other page that
 * cannot be fetched offline gets /luring, saying in Indonesian what is not stored and why
 * instead of the browser's error page. Answers and "selesai dibaca" sent without signal are
 * queued by the page script.
 * Keluar (phones are shared): her stored pages leave the phone. Without signal the worker
 * answers it: the phone counts as signed out (the ENDED cache) and every page of the site
 * gets the public "Anda sudah keluar" page (/keluar) until the server has ended the
 * session, which the worker asks for first thing once there is signal.
 */
const PAGES = "akademi-pages-v1";
const ASSETS = "akademi-assets-v1";
const PUBLIC = "akademi-public-v1"; // pages anyone may see, fetched without the session
const ENDED = "akademi-keluar-v1"; // exists while a logout waits for the server
const OFFLINE = "/luring";
const LEFT = "/keluar";

const keep = (path) =>
  path === "/" || path === OFFLINE || path === "/istilah" || path === "/modul" || path.startsWith("/modul/");
let ended = false;
// Read once per start of the worker (a logout it is answering meanwhile is not undone).
const known = caches.has(ENDED).then((e) => {
  ended ||= e;
});

async function precache() {
  const pages = await caches.open(PAGES);
  const res = await fetch(OFFLINE, { credentials: "same-origin" });
  if (!res.ok) return;
  const html = await res.clone().text();
  await pages.put(OFFLINE, res);
  // The stylesheet and the page script every kader page uses (same origin, hashed names).
  const assets = [...html.matchAll(/<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="(\/assets\/[^"]+)"/g)].map(
    (m) => m[1],
  );
  await (await caches.open(ASSETS)).addAll(assets);
  await (await caches.open(PUBLIC)).addAll([OFFLINE, LEFT].map((u) => new Request(u, { credentials: "omit" })));
  // Home and "Modul saya", so the kader can find her stored modules without signal.
  await Promise.all(["/", "/modul"].map((u) => pages.add(u).catch(() => {})));
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  const current = [PAGES, ASSETS, PUBLIC, ENDED];
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((n) => n.startsWith("akademi-") && !current.includes(n)).map((n) => caches.delete(n))),
      )
      .then(() => self.clients.claim()),
  );
});

async function page(request, path) {
  try {
    const res = await fetch(request);
    if (res.ok && res.type === "basic" && keep(path) && (res.headers.get("content-type") || "").includes("text/html")) {
      const copy = res.clone();
      caches.open(PAGES).then((c) => c.put(path, copy));
    }
    return res;
  } catch (err) {
    const cached = (await caches.match(path, { cacheName: PAGES })) || (await notStored(path));
    if (cached) return cached;
    throw err;
  }
}

// /luring for a page that is not stored, showing instead of its general sentence the first
// of its reasons (hidden, data-untuk = a pattern of paths) that matches this page.
async function notStored(path) {
  const res =
    (await caches.match(OFFLINE, { cacheName: PAGES })) || (await caches.match(OFFLINE, { cacheName: PUBLIC }));
  if (!res) return res;
  let html = await res.text();
  const why = [...html.matchAll(/<p hidden="" data-untuk="([^"]+)"/g)].find((m) => new RegExp(m[1]).test(path));
  if (why) html = html.replace(why[0], "<p data-untuk").replace("<p data-alasan", "<p hidden data-alasan");
  const headers = new Headers(res.headers);
  headers.delete("Content-Length");
  headers.delete("Content-Encoding");
  return new Response(html, { status: 200, headers });
}

async function asset(request) {
  const cached = await caches.match(request, { cacheName: ASSETS });
  if (cached) return cached;
  const res = await fetch(request);
  if (res.ok) {
    const copy = res.clone();
    caches.open(ASSETS).then((c) => c.put(request, copy));
  }
  return res;
}

// Keluar: online as always (the server ends the session); without signal the phone ends it.
async function keluar(request) {
  await caches.delete(PAGES);
  try {
    const res = await fetch(request);
    if (res.status < 500) return res; // a navigation's redirect is opaque (status 0)
  } catch {}
  ended = true;
  await caches.open(ENDED);
  self.registration.sync?.register("keluar").catch(() => {});
  return Response.redirect("/masuk", 303);
}

// The server ends the session left from a logout without signal; true once it has.
let ending = null;
function endOnServer() {
  ending ??= fetch(LEFT, { method: "POST", body: new URLSearchParams(), credentials: "same-origin" })
    .then(async (res) => {
      if (!res.ok) return false;
      ended = false;
      await caches.delete(ENDED);
      return true;
    })
    .catch(() => false)
    .finally(() => {
      ending = null;
    });
  return ending;
}

// After a logout without signal nothing reaches the server before the session has ended,
// and no page of hers is shown: the public "Anda sudah keluar" page instead.
async function guarded(request, path) {
  await known;
  if (ended && !(await endOnServer())) {
    if (request.mode !== "navigate") return Response.error();
    return (
      (await caches.match(LEFT, { cacheName: PUBLIC })) ||
      new Response("Anda sudah keluar di ponsel ini; sesi di server diakhiri saat ada sinyal.", {
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      })
    );
  }
  return request.method === "GET" && request.mode === "navigate" ? page(request, path) : fetch(request);
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const get = request.method === "GET";
  if (get && (url.pathname.startsWith("/assets/") || url.pathname === "/favicon.svg"))
    event.respondWith(asset(request));
  else if (!get && url.pathname === LEFT) event.respondWith(keluar(request));
  else if (ended || (get && request.mode === "navigate")) event.respondWith(guarded(request, url.pathname));
});

self.addEventListener("sync", (event) => {
  if (event.tag === "keluar")
    event.waitUntil(
      known
        .then(() => !ended || endOnServer())
        .then((ok) => {
          if (!ok) throw new Error("belum ada sinyal");
        }),
    );
});
