/**
 * entry.server.tsx renders a page once and lets go of it: the timer that would abort a render
 * that hangs is cleared when the page is done. Left running, each timer held its render (and
 * with it the page's bytes) for ABORT_DELAY (5 s) after the answer had gone: at a few hundred
 * pages a second, a thousand or more pages kept alive per worker, and as many timers firing.
 */
import { describe, expect, it } from "vitest";
import { appHandler } from "./support/app-handler";

const page = { default: () => <p>Halaman uji</p> };
const app = appHandler([["routes/uji", "uji", false, page]]);

const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

describe("entry.server", () => {
  it("leaves no timer behind once a page is rendered", async () => {
    const before = timers();
    for (let i = 0; i < 25; i++) {
      const res = await app(new Request("http://localhost/uji"));
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("Halaman uji");
    }
    expect(timers() - before).toBeLessThan(5);
  });
});
