/** Names that a spreadsheet would run as formulas are neutralised in every CSV export. */
import { describe, expect, it } from "vitest";
import { csvStream } from "~/features/reporting/export.server";
import { attendanceCsv } from "~/features/workshops/exports.server";

const EVIL = ['=HYPERLINK("http://evil.example","klik")', "+62 812", "-1+1", "@SUM(A1)", "\tTab", "\rCR"];

/** Every CSV cell, unquoted (separator "," or, in the dashboard CSVs, ";"). */
function cells(csv: string, sep = ","): string[] {
  const out: string[] = [];
  const re = new RegExp(`(?:^|${sep})(?:"((?:[^"]|"")*)"|([^${sep}\\n]*))`, "g");
  for (const line of csv.replace(/^\uFEFF/, "").split("\n")) {
    for (const m of line.matchAll(re)) out.push((m[1] ?? m[2] ?? "").replace(/""/g, '"'));
  }
  return out;
}

const dangerous = (cell: string) => /^[=+\-@\t\r]/.test(cell);

describe("CSV formula injection", () => {
  it("attendance CSV: a kader named like a formula is text", () => {
    const w = {
      title: "Pelatihan",
      kind: "pelatihan",
      regionCode: "64.08.01",
      venue: "Aula",
      startsAt: new Date(),
      endsAt: new Date(),
    };
    const rows = EVIL.map((name) => ({
      name,
      phone: "6281255501234",
      posyanduName: name,
      desaName: name,
      desaCode: "64.08.01.2001",
      enrolment: null,
      attendance: null,
      method: null,
      recordedAt: null,
    }));
    const csv = attendanceCsv(w as never, rows as never);
    for (const name of EVIL) expect(csv).toContain(`'${name.replace(/"/g, '""')}`);
    expect(cells(csv).filter(dangerous)).toEqual([]);
  });

  it("dashboard CSV: a region or posyandu named like a formula is text", async () => {
    const figures = {
      activeKader: 1,
      enrolled: 1,
      attended: 1,
      modulesPassed: 1,
      issued: 1,
      certified: 1,
      rate: 0.5,
      expiring60: 0,
    };
    const report = {
      region: { code: "64.08.01", name: "Muara Ancalong", level: "kecamatan" },
      totals: figures,
      rows: EVIL.map((name, i) => ({ code: `64.08.01.200${i}`, name, level: "desa", ...figures })),
      rowLevel: "desa",
    };
    const csv = await new Response(
      csvStream(report as never, { programmeId: "x", year: null, bidang: null, today: "2026-12-01" }),
    ).text();
    expect(cells(csv, ";").filter(dangerous)).toEqual([]);
    expect(csv).toContain("'@SUM(A1)");
  });
});
