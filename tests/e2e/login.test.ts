import { describe, expect, it } from "vitest";
import { browserFixture, login, phoneContext, shot } from "./browser";

const e2e = browserFixture();

describe("login on a phone", () => {
  it("a wrong password shows a message and keeps the phone number", async () => {
    const ctx = await phoneContext(e2e.browser, e2e.baseUrl);
    const page = await ctx.newPage();
    await page.goto("/masuk");
    await page.fill("input[name=login]", "081100000006");
    await page.fill("input[name=password]", "salah-sekali");
    await page.click("button[type=submit]");
    await expect(page.getByRole("alert").textContent()).resolves.toContain("Nomor HP/email atau kata sandi salah.");
    expect(await page.inputValue("input[name=login]")).toBe("081100000006");
    expect(await page.inputValue("input[name=password]")).toBe("");
    await shot(page, "login-error");
    await ctx.close();
  });

  it.each([
    ["081100000006", "Halo, Dewi Lestari", "Modul"],
    ["081100000004", "Kecamatan Muara Ancalong", "Pengguna"],
    ["081100000002", "Kabupaten Kutai Kartanegara", "Audit"],
    ["081100000001", "Kalimantan Timur", "Wilayah"],
  ])("demo account %s sees its own home page that fits 360 px", async (phone, heading, navItem) => {
    const ctx = await phoneContext(e2e.browser, e2e.baseUrl);
    const page = await ctx.newPage();
    await login(page, phone);
    expect(await page.locator("h1").first().textContent()).toContain(heading);
    await expect(page.getByRole("navigation", { name: "Menu utama" }).getByText(navItem).isVisible()).resolves.toBe(
      true,
    );
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    // No React runtime; kader get one small script (offline outbox, service worker registration).
    expect(await page.locator("script[src]").count()).toBe(phone === "081100000006" ? 1 : 0);
    await shot(page, `home-${phone}`);
    await page.click("text=Keluar");
    await page.waitForURL("**/masuk");
    await ctx.close();
  });
});
