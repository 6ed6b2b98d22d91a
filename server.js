// The HTTP server: static assets, compression, the Remix request handler.
// `node server.js` serves the production build; `--dev` runs Vite in middleware mode.
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";

const dev = process.argv.includes("--dev");
if (!dev) process.env.NODE_ENV ??= "production";
const t0 = performance.now();

const vite = dev
  ? await import("vite").then((v) => v.createServer({ server: { middlewareMode: true } }))
  : undefined;
const loadBuild = () =>
  vite ? vite.ssrLoadModule("virtual:remix/server-build") : import("./build/server/index.js");

// Validated environment and database first: a bad configuration stops the start.
const build = await loadBuild();
try {
  await build.entry.module.boot();
} catch (e) {
  console.error(e?.name === "EnvError" || e?.constructor?.name === "EnvError" ? e.message : e);
  process.exit(1);
}
const { env } = build.entry.module;
const config = env();

const app = express();
app.disable("x-powered-by");
if (config.TRUST_PROXY) app.set("trust proxy", true);
app.use(compression({ level: 4 }));
// A route param cannot carry a suffix: /sesi/12.ics is served by the route /sesi/12/ics,
// /dasbor/64.08.csv by /dasbor/64.08/csv (the query string is kept).
app.use((req, _res, next) => {
  const m = /^\/(sesi\/\d{1,9}|dasbor\/[\d.]{2,13})\.(ics|csv|xlsx)$/.exec(req.path);
  if (m && (m[1].startsWith("sesi") ? m[2] === "ics" : m[2] !== "ics")) {
    // The Remix adapter reads originalUrl.
    req.url = req.originalUrl = `/${m[1]}/${m[2]}${req.url.slice(req.path.length)}`;
  }
  next();
});
if (vite) {
  app.use(vite.middlewares);
} else {
  app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y", index: false }));
  // Other public files (favicon…): only paths that look like files reach the disk.
  const publicFiles = express.static("build/client", { maxAge: "1h", index: false });
  app.use((req, res, next) => (/\.[a-z0-9]+$/i.test(req.path) ? publicFiles(req, res, next) : next()));
}
app.all(
  "*",
  createRequestHandler({
    build: vite ? loadBuild : build,
    mode: process.env.NODE_ENV,
    getLoadContext: (req) => ({ clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown" }),
  }),
);

const server = app.listen(config.PORT, () => {
  console.log(`Akademi Posyandu siap di http://localhost:${config.PORT} (${Math.round(performance.now() - t0)} ms)`);
});
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    server.close();
    build.entry.module.shutdown().finally(() => process.exit(0));
  });
}
