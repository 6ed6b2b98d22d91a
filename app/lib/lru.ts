/**
 * The one bounded cache of the app: a least-recently-used map with a size limit (and an
 * optional age limit). Every in-process cache uses it, so a server process's memory cannot
 * grow with the number of regions, modules or versions it has seen (issue 23, "Memory").
 *
 * A cache is created once per module with `lru(name, limit, options)`: the name and limit are
 * listed by `caches()` (README "Memory"), so the benchmark and the tests see every cache.
 * Reading an entry makes it the most recent; setting one beyond the limit drops the least
 * recent. A Map keeps insertion order, so "most recent" is "last": get re-inserts.
 */

export interface LruOptions {
  /** Entries older than this are treated as absent (and dropped when read). */
  maxAgeMs?: number;
}

export class Lru<K, V> {
  readonly #entries = new Map<K, { value: V; at: number }>();

  constructor(
    readonly name: string,
    readonly limit: number,
    readonly options: LruOptions = {},
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`cache ${name}: limit must be a positive integer`);
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    const e = this.#entries.get(key);
    if (!e) return undefined;
    this.#entries.delete(key);
    if (this.options.maxAgeMs !== undefined && Date.now() - e.at >= this.options.maxAgeMs) return undefined;
    this.#entries.set(key, e);
    return e.value;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  /**
   * `at`: when the value's content was read, if earlier than now (a value computed from data
   * read at `at` is that old when it is stored); the age limit counts from it.
   */
  set(key: K, value: V, at = Date.now()): this {
    this.#entries.delete(key);
    this.#entries.set(key, { value, at });
    while (this.#entries.size > this.limit) {
      const oldest = this.#entries.keys().next().value as K;
      this.#entries.delete(oldest);
    }
    return this;
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  /** Keys from least to most recently used. */
  keys(): K[] {
    return [...this.#entries.keys()];
  }
}

/**
 * Every cache of the process, by name (on globalThis: a development reload of a module
 * replaces its cache instead of adding a second one).
 */
const g = globalThis as unknown as { __akademiCaches?: Map<string, Lru<unknown, unknown>> };
g.__akademiCaches ??= new Map();
const registry = g.__akademiCaches;

/**
 * The cache called `name`, created with `limit` entries at most the first time. Called again
 * with the same name (a module reloaded in development) it returns the same cache.
 */
export function lru<K, V>(name: string, limit: number, options: LruOptions = {}): Lru<K, V> {
  let c = registry.get(name);
  if (!c || c.limit !== limit || c.options.maxAgeMs !== options.maxAgeMs) {
    c = new Lru<unknown, unknown>(name, limit, options);
    registry.set(name, c);
  }
  return c as Lru<K, V>;
}

/** Name, entries and limit of every cache created so far. */
export function caches(): { name: string; size: number; limit: number }[] {
  return [...registry.values()].map((c) => ({ name: c.name, size: c.size, limit: c.limit }));
}
