/** Pages and per-page text of a PDF (poppler when installed, else read from the file itself); shared by the browser tests. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inflateSync } from "node:zlib";
import iconv from "iconv-lite";

function hasTool(name: string): boolean {
  try {
    execFileSync(name, ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * Pages and the text of each page: with poppler (pdfinfo, pdftotext) when installed,
 * otherwise from the PDF itself (page objects; pdfkit writes standard-font text as hex
 * strings in deflated content streams).
 */
export function readPdf(bytes: Buffer): { pages: number; text: string[] } {
  if (hasTool("pdfinfo") && hasTool("pdftotext")) {
    const dir = mkdtempSync(path.join(tmpdir(), "pdf-read-"));
    try {
      const file = path.join(dir, "d.pdf");
      writeFileSync(file, bytes);
      const info = execFileSync("pdfinfo", [file]).toString();
      const pages = Number(/^Pages:\s+(\d+)/m.exec(info)![1]);
      const text = execFileSync("pdftotext", ["-layout", file, "-"]).toString().split("\f").slice(0, pages);
      return { pages, text };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const raw = bytes.toString("latin1");
  const pages = (raw.match(/\/Type \/Page\b/g) ?? []).length;
  const text: string[] = [];
  for (const m of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let body: string;
    try {
      body = inflateSync(Buffer.from(m[1], "latin1")).toString("latin1");
    } catch {
      continue;
    }
    if (!body.includes(" Tf")) continue;
    // Standard fonts are WinAnsi (cp1252): 0x96 is "–", not a latin1 control character.
    const strings = [...body.matchAll(/<([0-9a-f]+)>/gi)].map((h) => iconv.decode(Buffer.from(h[1], "hex"), "win1252"));
    text.push(strings.join(""));
  }
  return { pages, text };
}

/** Pages rendered to images by pdftoppm (null when poppler is not installed). */
export function renderedPages(bytes: Buffer): number | null {
  if (!hasTool("pdftoppm")) return null;
  const dir = mkdtempSync(path.join(tmpdir(), "pdf-render-"));
  try {
    const file = path.join(dir, "d.pdf");
    writeFileSync(file, bytes);
    execFileSync("pdftoppm", ["-r", "20", "-png", file, path.join(dir, "p")]);
    return readdirSync(dir).filter((f) => f.endsWith(".png")).length;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
