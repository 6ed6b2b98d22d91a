/**
 * One process at a time on a DATA_DIR with the embedded database. PGlite has no locking of
 * its own: two processes that open the same files (a second `npm start`, a backup or a
 * seed beside the running server) write over each other, and the database may not open
 * again. Every process that opens DATA_DIR/pglite (db.server.ts, the restore) first takes
 * DATA_DIR/akademi.lock, a file naming the holder (pid, what it is, since when), created
 * atomically; it is removed when the process exits. A lock whose process no longer runs
 * (killed, the machine restarted) is stale and taken over.
 */
import { hostname } from "node:os";
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { REPORTING_ZONE } from "~/lib/timezone";

export const LOCK_FILE = "akademi.lock";

interface Holder {
  pid: number;
  /** Start time of the process (Linux, /proc/<pid>/stat): a reused pid is not the holder. */
  start: string | null;
  host: string;
  what: string;
  since: string;
}

/** Another process holds the DATA_DIR: its message is the one line to show. */
export class DataDirLockedError extends Error {
  constructor(
    message: string,
    /** The DATA_DIR, absolute. */
    readonly dir: string,
    /** Who holds it: "pid 123: npm start, port 3000, sejak …" (empty when unknown). */
    readonly holder: string,
  ) {
    super(message);
    this.name = "DataDirLockedError";
  }
}

// On globalThis: a dev reload of this module must not forget what the process holds.
const g = globalThis as unknown as { __akademiDataDirLocks?: Map<string, { file: string; token: string }> };
const held = (g.__akademiDataDirLocks ??= new Map());

/** What this process is, for the message another process shows: "npm start, port 3000", "npm run backup". */
export function processDescription(
  source: Record<string, string | undefined> = process.env,
  argv = process.argv,
): string {
  const script = source.npm_lifecycle_event;
  const name = script
    ? script === "start"
      ? "npm start"
      : `npm run ${script}`
    : path.basename(argv[1] ?? argv[0] ?? "node");
  const server = script === "start" || script === "serve" || script === "dev" || /server\.[jt]s$/.test(argv[1] ?? "");
  return server ? `${name}, port ${source.PORT || 3000}` : name;
}

/** The start time of a process (clock ticks since boot), or null where /proc does not say. */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 22; the command (field 2, in parentheses) may contain spaces.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

/** Whether the holder named in a lock file still runs (on this machine). */
function running(h: Holder): boolean {
  if (h.pid === process.pid) return false; // an earlier life of this pid (a container restarted)
  try {
    process.kill(h.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ESRCH") return false;
    // EPERM: it runs under another user.
  }
  if (h.start && existsSync("/proc/self/stat")) return startTime(h.pid) === h.start;
  return true;
}

function readHolder(file: string): { holder: Holder | null; raw: string } | null {
  let raw: string;
  try {
    raw = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
  try {
    const h = JSON.parse(raw) as Holder;
    return { holder: typeof h.pid === "number" ? h : null, raw };
  } catch {
    return { holder: null, raw };
  }
}

function since(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const local = new Date(d.getTime() + REPORTING_ZONE.offsetMinutes * 60_000).toISOString();
  return `, sejak ${local.slice(0, 10)} ${local.slice(11, 16)} ${REPORTING_ZONE.label}`;
}

/** Creates `file` with the content of `draft` unless it exists (link is atomic and never replaces). */
function linkIfAbsent(draft: string, file: string): boolean {
  try {
    linkSync(draft, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  }
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A take-over file whose process died during a take-over: removed if it is still that file. */
function clearDeadTakeover(takeover: string, token: string): void {
  const found = readHolder(takeover);
  if (!found || (found.holder && running(found.holder))) return;
  const aside = `${takeover}.lama-${token}`;
  try {
    renameSync(takeover, aside);
  } catch {
    return;
  }
  if (readHolder(aside)?.raw !== found.raw) {
    try {
      linkSync(aside, takeover);
    } catch {
      // another one is in place: it decides
    }
  }
  rmSync(aside, { force: true });
}

/**
 * Takes the lock of `dataDir` for this process (again and again in one process: once), or
 * throws DataDirLockedError naming the process that holds it. Released by releaseDataDir
 * or when the process exits.
 */
export function lockDataDir(dataDir: string, what = processDescription()): void {
  const dir = path.resolve(dataDir);
  if (held.has(dir)) return;
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  const takeover = `${file}.ambil-alih`;
  const token = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  const me: Holder & { token: string } = {
    pid: process.pid,
    start: startTime(process.pid),
    host: hostname(),
    what,
    since: new Date().toISOString(),
    token,
  };
  // Written whole under another name, then linked into place: at most one process creates
  // the lock, and no one ever reads half a lock file.
  const draft = `${file}.${token}`;
  writeFileSync(draft, JSON.stringify(me), { mode: 0o644 });
  try {
    for (let attempt = 0; attempt < 100; attempt++) {
      if (linkIfAbsent(draft, file)) {
        held.set(dir, { file, token });
        installExitHook();
        return;
      }
      const found = readHolder(file);
      if (!found) continue; // released meanwhile: try again
      const h = found.holder;
      if (h && h.host !== hostname()) {
        const who = `${h.host}, pid ${h.pid}: ${h.what}${since(h.since)}`;
        throw new DataDirLockedError(
          `DATA_DIR ${dir} sedang dipakai proses di komputer lain (${who}). ` +
            `Hentikan proses itu dulu; bila sudah pasti tidak berjalan, hapus berkas ${file}.`,
          dir,
          who,
        );
      }
      if (h && running(h)) {
        const who = `pid ${h.pid}: ${h.what}${since(h.since)}`;
        throw new DataDirLockedError(
          `DATA_DIR ${dir} sedang dipakai proses lain (${who}). ` +
            "Basis data tertanam hanya boleh dibuka satu proses: hentikan proses itu dulu, atau pakai DATA_DIR lain.",
          dir,
          who,
        );
      }
      // Stale (its process is gone) or unreadable. One process at a time takes over (the
      // take-over file, created the same way): it removes the lock only if it is still the
      // file judged stale, then everyone tries again to create it.
      if (!linkIfAbsent(draft, takeover)) {
        clearDeadTakeover(takeover, token);
        pause(20);
        continue;
      }
      try {
        if (readHolder(file)?.raw === found.raw) {
          rmSync(file);
          if (h) console.warn(`Kunci DATA_DIR dari proses ${h.pid} (${h.what}) yang sudah berhenti diambil alih.`);
        }
      } finally {
        rmSync(takeover, { force: true });
      }
    }
    throw new DataDirLockedError(
      `DATA_DIR ${dir} sedang diperebutkan beberapa proses: coba lagi sebentar lagi.`,
      dir,
      "",
    );
  } finally {
    rmSync(draft, { force: true });
  }
}

/** Releases the lock of `dataDir` if this process holds it. */
export function releaseDataDir(dataDir: string): void {
  const dir = path.resolve(dataDir);
  const lock = held.get(dir);
  if (!lock) return;
  held.delete(dir);
  const found = readHolder(lock.file);
  if (found?.raw.includes(`"token":"${lock.token}"`)) rmSync(lock.file, { force: true });
}

function installExitHook(): void {
  if (process.listeners("exit").includes(releaseAll)) return;
  process.on("exit", releaseAll);
}

function releaseAll(): void {
  for (const dir of [...held.keys()]) {
    try {
      releaseDataDir(dir);
    } catch {
      // exiting anyway: a lock left behind is stale and taken over by the next process
    }
  }
}

/**
 * Throws `error`, and if nothing catches it (a script's top-level await), prints its one
 * line instead of Node's stack and exits 1. Callers that catch it print it themselves.
 */
export function failWithOneLine(error: DataDirLockedError): never {
  process.once("uncaughtException", (e) => {
    console.error(e === error ? error.message : e);
    process.exit(1);
  });
  throw error;
}
