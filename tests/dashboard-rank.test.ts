/**
 * The dashboard's ranking, out of the route (issue 22): the table's sort and the
 * "perlu perhatian" lists (dashboard-rank.ts). Pure; tests/reports.test.ts checks the page.
 */
import { describe, expect, it } from "vitest";
import { attentionLists, type RankedRow, sortRows } from "~/features/reporting/dashboard-rank";

const row = (code: string, name: string, f: Partial<RankedRow> = {}): RankedRow => ({
  code,
  name,
  activeKader: 10,
  enrolled: 0,
  attended: 0,
  modulesPassed: 0,
  issued: 0,
  certified: 0,
  expiring60: 0,
  rate: 0,
  ...f,
});

const rows = [
  row("64.08.03", "Busang", { rate: 0.5, certified: 5, expiring60: 2 }),
  row("64.08.01", "Muara Ancalong", { rate: 0.2, certified: 2, expiring60: 4 }),
  row("64.08.02", "Long Mesangat", { rate: 0.2, certified: 2 }),
  row("64.08.04", "Kongbeng", { activeKader: 0 }),
  row("64.08.05", "Batu Ampar", { rate: 0.9, certified: 9, expiring60: 1 }),
];

describe("sortRows", () => {
  it("by rate ascending (the default), ties by name, without changing the input", () => {
    const before = rows.map((r) => r.code);
    expect(sortRows(rows, "tingkat", "naik").map((r) => r.name)).toEqual([
      "Kongbeng",
      "Long Mesangat",
      "Muara Ancalong",
      "Busang",
      "Batu Ampar",
    ]);
    expect(rows.map((r) => r.code)).toEqual(before);
  });

  it("descending reverses the column but ties stay by name", () => {
    expect(sortRows(rows, "tingkat", "turun").map((r) => r.name)).toEqual([
      "Batu Ampar",
      "Busang",
      "Long Mesangat",
      "Muara Ancalong",
      "Kongbeng",
    ]);
  });

  it("text columns compare as text (code, name)", () => {
    expect(sortRows(rows, "kode", "naik").map((r) => r.code)).toEqual([
      "64.08.01",
      "64.08.02",
      "64.08.03",
      "64.08.04",
      "64.08.05",
    ]);
    expect(sortRows(rows, "nama", "turun")[0].name).toBe("Muara Ancalong");
  });
});

describe("attentionLists", () => {
  it("lowest rate among regions with active kader, most expiring, most locked out: three each, zeros left out", () => {
    const locked = new Map([
      ["64.08.02", 3],
      ["64.08.05", 1],
      ["64.08.03", 3],
      ["64.08.01", 0],
      ["64.08.04", 7],
    ]);
    const a = attentionLists(rows, locked, "kecamatan");
    expect(a.lowest).toEqual([
      { code: "64.08.02", name: "Long Mesangat", value: "20,0%" },
      { code: "64.08.01", name: "Muara Ancalong", value: "20,0%" },
      { code: "64.08.03", name: "Busang", value: "50,0%" },
    ]);
    expect(a.expiring.map((r) => [r.name, r.value])).toEqual([
      ["Muara Ancalong", "4 kader"],
      ["Busang", "2 kader"],
      ["Batu Ampar", "1 kader"],
    ]);
    expect(a.locked.map((r) => [r.name, r.value])).toEqual([
      ["Kongbeng", "7 kader"],
      ["Busang", "3 kader"],
      ["Long Mesangat", "3 kader"],
    ]);
    expect(a.lockedCounted).toBe(true);
  });

  it("locked-out kader are counted at kecamatan and desa level only; thousands in Indonesian", () => {
    const big = [row("64.08", "Kutai Timur", { expiring60: 1234 })];
    const a = attentionLists(big, new Map(), "kabupaten");
    expect(a.lockedCounted).toBe(false);
    expect(a.locked).toEqual([]);
    expect(a.expiring[0].value).toBe("1.234 kader");
    expect(attentionLists([], new Map(), "desa")).toEqual({
      lowest: [],
      expiring: [],
      locked: [],
      lockedCounted: true,
    });
  });
});
