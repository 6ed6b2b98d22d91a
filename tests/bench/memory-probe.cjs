/**
 * Loaded into every server process by tests/bench/memory.ts and tests/bench/import-kader.ts
 * (`node --require`; cluster workers inherit it with the execArgv). Every second it writes
 * the process's memory to MEMORY_PROBE_DIR/<pid>.json: RSS, V8 heap (used, total, the old and
 * new spaces), external, and the entries of every bounded cache (app/lib/lru.ts). On SIGUSR2
 * (with --expose-gc) it runs a full collection first and records the heap after it as
 * `afterGc`: what survives a collection is live; the rest of the heap was garbage.
 * Benchmark only; nothing of the app loads it.
 */
const { writeFileSync, renameSync } = require("node:fs");
const path = require("node:path");
const v8 = require("node:v8");

const dir = process.env.MEMORY_PROBE_DIR;
if (dir) {
  let afterGc = null;
  const write = () => {
    const m = process.memoryUsage();
    const spaces = {};
    for (const s of v8.getHeapSpaceStatistics()) spaces[s.space_name] = s.space_size;
    const registry = globalThis.__akademiCaches;
    const caches = registry ? [...registry.values()].map((c) => ({ name: c.name, size: c.size, limit: c.limit })) : [];
    const file = path.join(dir, `${process.pid}.json`);
    const record = {
      pid: process.pid,
      role: process.env.AKADEMI_PROCESS ?? "main",
      at: Date.now(),
      rss: m.rss,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      oldSpace: spaces.old_space ?? 0,
      newSpace: spaces.new_space ?? 0,
      largeObjects: spaces.large_object_space ?? 0,
      heapLimit: v8.getHeapStatistics().heap_size_limit,
      caches,
      afterGc,
    };
    try {
      writeFileSync(`${file}.tmp`, JSON.stringify(record));
      renameSync(`${file}.tmp`, file);
    } catch {
      // the directory is gone: the benchmark has finished
    }
  };
  setInterval(write, 1000).unref();
  process.on("SIGUSR2", () => {
    if (typeof globalThis.gc === "function") {
      globalThis.gc();
      globalThis.gc();
      const m = process.memoryUsage();
      afterGc = { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external };
    }
    write();
  });
}
