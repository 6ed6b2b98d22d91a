/** The one bounded cache (app/lib/lru.ts): its limit, its recency order, its age limit, its registry. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { caches, Lru, lru } from "~/lib/lru";

afterEach(() => {
  vi.useRealTimers();
});

describe("Lru", () => {
  it("keeps at most `limit` entries, dropping the oldest first", () => {
    const c = new Lru<number, string>("t", 3);
    for (let i = 1; i <= 5; i++) c.set(i, `v${i}`);
    expect(c.size).toBe(3);
    expect(c.keys()).toEqual([3, 4, 5]);
    expect(c.get(1)).toBeUndefined();
    expect(c.get(2)).toBeUndefined();
    expect(c.get(5)).toBe("v5");
  });

  it("drops the least recently USED entry: a read makes an entry the most recent", () => {
    const c = new Lru<string, number>("t", 3);
    c.set("a", 1).set("b", 2).set("c", 3);
    expect(c.get("a")).toBe(1); // a is now the most recent; b the least
    c.set("d", 4);
    expect(c.keys()).toEqual(["c", "a", "d"]);
    expect(c.get("b")).toBeUndefined();
    c.set("c", 30); // setting again refreshes too
    c.set("e", 5);
    expect(c.keys()).toEqual(["d", "c", "e"]);
  });

  it("treats an entry older than maxAgeMs as absent and drops it", () => {
    vi.useFakeTimers();
    const c = new Lru<string, number>("t", 10, { maxAgeMs: 1000 });
    c.set("a", 1);
    vi.advanceTimersByTime(999);
    expect(c.get("a")).toBe(1);
    vi.advanceTimersByTime(1);
    expect(c.get("a")).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it("counts an entry's age from the `at` it was stored with (when its content was read)", () => {
    vi.useFakeTimers();
    const c = new Lru<string, number>("t", 10, { maxAgeMs: 1000 });
    const readAt = Date.now();
    vi.advanceTimersByTime(400); // the computation took 400 ms
    c.set("a", 1, readAt);
    vi.advanceTimersByTime(599);
    expect(c.get("a")).toBe(1);
    vi.advanceTimersByTime(1);
    expect(c.get("a")).toBeUndefined();
  });

  it("refuses a limit that is not a positive integer", () => {
    expect(() => new Lru("t", 0)).toThrow();
    expect(() => new Lru("t", 1.5)).toThrow();
  });

  it("lists every named cache with its entries and limit, one cache per name", () => {
    const a = lru<string, number>("test-registry", 2);
    expect(lru("test-registry", 2)).toBe(a);
    a.set("x", 1).set("y", 2).set("z", 3);
    expect(caches().find((c) => c.name === "test-registry")).toEqual({ name: "test-registry", size: 2, limit: 2 });
  });
});
