/*
 * Akademi Posyandu service worker (hand-written, no Workbox: see README "Offline").
 * Pages of the kader app (/, /modul…, /luring) are network-first and kept in a cache, so
 * a module opened once can be read without signal; CSS and other /assets are cache-first
 * (their names carry a hash). Any other page that cannot be fetched offline gets /luring,
 * which says so in Indonesian instead of the browser's error page. Only GET is handled:
 * answers and "selesai dibaca" sent without signal are queued by the page script.
 */
const PAGES = "akademi-pages-v1";
const ASSETS = "akademi-assets-v1";
const OFFLINE = "/luring";

const keep = (path) => path === "/" || path === OFFLINE || path === "/modul" || path.startsWith("/modul/");

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
  // Home and "Modul saya", so the kader can find her stored modules without signal.
  await Promise.all(["/", "/modul"].map((u) => pages.add(u).catch(() => {})));
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names.filter((n) => n.startsWith("akademi-") && n !== PAGES && n !== ASSETS).map((n) => caches.delete(n)),
        ),
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
    const cached =
      (keep(path) && (await caches.match(path, { cacheName: PAGES }))) ||
      (await caches.match(OFFLINE, { cacheName: PAGES }));
    if (cached) return cached;
    throw err;
  }
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

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") event.respondWith(page(request, url.pathname));
  else if (url.pathname.startsWith("/assets/") || url.pathname === "/favicon.svg") event.respondWith(asset(request));
});
