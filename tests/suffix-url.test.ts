import { describe, expect, it } from "vitest";
import { isPublicFilePath, rewriteSuffixUrl } from "~/lib/suffix-url";

describe("suffix URLs: one table maps a param with a file suffix to its route", () => {
  it("rewrites the known suffixes and keeps the query string", () => {
    expect(rewriteSuffixUrl("/sesi/12.ics")).toBe("/sesi/12/ics");
    expect(rewriteSuffixUrl("/dasbor/64.08.csv?tahun=2026")).toBe("/dasbor/64.08/csv?tahun=2026");
    expect(rewriteSuffixUrl("/dasbor/64.08.01.xlsx")).toBe("/dasbor/64.08.01/xlsx");
    expect(rewriteSuffixUrl("/sertifikat/AP-2345-6789.pdf")).toBe("/sertifikat/AP-2345-6789/pdf");
    expect(rewriteSuffixUrl("/sertifikat/AP-2345-6789.jwt")).toBe("/sertifikat/AP-2345-6789/jwt");
    expect(rewriteSuffixUrl("/kalender/abcd1234efgh.Zx-_0123456789abcdefgh.ics")).toBe(
      "/kalender/abcd1234efgh.Zx-_0123456789abcdefgh/ics",
    );
  });

  it("leaves every other URL alone (the router answers 404 where nothing matches)", () => {
    for (const url of [
      "/sesi/12.csv",
      "/dasbor/64.08.ics",
      "/sertifikat/AP-2345-6789.txt",
      "/sertifikat/..%2F..%2Fetc%2Fpasswd.pdf",
      "/sertifikat/kedaluwarsa",
      "/sesi/12/absensi.csv",
      "/kalender/x.ics",
      "/assets/root-abc.css",
    ]) {
      expect(rewriteSuffixUrl(url), url).toBeNull();
    }
  });
});

describe("public files", () => {
  it("only paths ending in a file extension reach the disk; a region code's last part is none", () => {
    for (const p of ["/favicon.svg", "/sw.js", "/robots.txt", "/icon.woff2"]) expect(isPublicFilePath(p), p).toBe(true);
    for (const p of [
      "/dasbor/64.02.14",
      "/dasbor/95.01",
      "/dasbor/51.09.04.2006",
      "/dasbor/ID",
      "/modul/spm-sosial",
      "/",
    ])
      expect(isPublicFilePath(p), p).toBe(false);
  });
});
