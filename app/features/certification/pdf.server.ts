/**
 * The certificate as a PDF (pdfkit, A4 landscape, Bahasa Indonesia) with a QR code
 * (qrcode, PNG) of the public verification URL, which carries the Ed25519 signature.
 * Everything printed comes from the signed payload stored with the certificate, except the
 * rule in words ("dengan membaca … modul wajib …"), which is the programme's (rule-text.ts).
 */
import { deflateSync } from "node:zlib";
import PDFDocument from "pdfkit";
import QRCode from "qrcode";
import type { CertificatePayload } from "~/features/certification/signing.server";
import { verificationUrl } from "~/features/certification/signing.server";
import { tanggalWita } from "~/lib/timezone";
import { ruleCriteria } from "~/features/certification/rule-text";
import { getProgramme } from "~/features/catalogue/content.server";

export interface PrintableCertificate {
  code: string;
  payload: CertificatePayload;
  signature: string;
  /** The signatory's logo at issue (data: URL of a PNG or JPEG). */
  signatoryLogo?: string | null;
}

export interface RenderedCertificate {
  pdf: Buffer;
  /** The PNG embedded in the PDF (tests decode it). */
  qrPng: Buffer;
  url: string;
}

const LATIN1 = /^[\u0020-\u007e\u00a0-\u00ff]*$/;
const PUNCTUATION: Record<string, string> = {
  "\u2018": "'",
  "\u2019": "'",
  "\u201c": '"',
  "\u201d": '"',
  "\u2013": "-",
  "\u2014": "-",
};

/** Standard PDF fonts speak WinAnsi: keep Latin-1, drop accents the fonts lack (Ś → S), "?" for the rest. */
export function pdfText(s: string): string {
  return s.normalize("NFC").replace(/[^\u0020-\u007e\u00a0-\u00ff]/g, (ch) => {
    if (PUNCTUATION[ch]) return PUNCTUATION[ch];
    const base = ch.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    return base && LATIN1.test(base) ? base : "?";
  });
}

// ---------------------------------------------------------------- QR code as a PNG

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/**
 * The QR code (qrcode package: matrix, error correction M) as an 8-bit greyscale PNG
 * with a 4-module quiet zone. Greyscale without alpha embeds in the PDF as is: about
 * five times faster than qrcode's RGBA PNG, and half the bytes.
 */
export function certificateQrPng(text: string, scale = 4, margin = 4): Buffer {
  const qr = QRCode.create(text, { errorCorrectionLevel: "M" });
  const n = qr.modules.size;
  const size = (n + 2 * margin) * scale;
  const stride = size + 1; // filter byte per scanline
  const raw = Buffer.alloc(stride * size, 255);
  for (let y = 0; y < size; y++) raw[y * stride] = 0;
  for (let my = 0; my < n; my++) {
    for (let mx = 0; mx < n; mx++) {
      if (!qr.modules.get(my, mx)) continue;
      for (let dy = 0; dy < scale; dy++) {
        const row = ((my + margin) * scale + dy) * stride + 1;
        raw.fill(0, row + (mx + margin) * scale, row + (mx + margin + 1) * scale);
      }
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", deflateSync(raw, { level: 9 })),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------- the certificate page

type Doc = PDFKit.PDFDocument;
type Payload = CertificatePayload;

const GREEN = "#065f46";
const INK = "#1c1917";
const GREY = "#57534e";
/** The left edge of the text; the centred text runs between it and the same margin on the right. */
const LEFT = 70;

/** Where the bottom band sits: dates on the left, the signatory in the middle, the QR code on the right. */
interface BottomBand {
  qrSize: number;
  qrX: number;
  qrY: number;
  infoY: number;
}

/** The width of the centred text column. */
function textWidth(doc: Doc): number {
  return doc.page.width - 2 * LEFT;
}

/** An A4 landscape document with the certificate's metadata (title, subject, keywords). */
function certificateDocument(cert: PrintableCertificate): Doc {
  const p = cert.payload;
  return new PDFDocument({
    size: "A4",
    layout: "landscape",
    margin: 0,
    info: {
      Title: `Sertifikat ${cert.code}`,
      Subject: pdfText(`${p.programme} - ${p.name}`),
      Author: "Akademi Posyandu",
      Keywords: `${cert.code} sertifikat kader posyandu`,
    },
  });
}

/** The document's bytes once it ends (rejects on a pdfkit error). */
function collectPdf(doc: Doc): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  return new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
}

/** The double frame: a thick green line and a thin grey one inside it. */
function drawFrame(doc: Doc): void {
  const W = doc.page.width; // 841.89
  const H = doc.page.height; // 595.28
  doc
    .lineWidth(6)
    .strokeColor(GREEN)
    .rect(18, 18, W - 36, H - 36)
    .stroke();
  doc
    .lineWidth(1)
    .strokeColor("#a8a29e")
    .rect(30, 30, W - 60, H - 60)
    .stroke();
}

/** The header: "AKADEMI POSYANDU", the issuer, "SERTIFIKAT" and the certificate's number. */
function drawHeading(doc: Doc, cert: PrintableCertificate): void {
  const width = textWidth(doc);
  doc
    .fillColor(GREEN)
    .font("Helvetica-Bold")
    .fontSize(13)
    .text("AKADEMI POSYANDU", LEFT, 62, { width, align: "center", characterSpacing: 2 });
  doc.fillColor(GREY).font("Helvetica").fontSize(10).text(pdfText(cert.payload.issuer), { width, align: "center" });

  doc.moveDown(1.6);
  doc
    .fillColor(INK)
    .font("Times-Bold")
    .fontSize(38)
    .text("SERTIFIKAT", { width, align: "center", characterSpacing: 3 });
  doc.font("Helvetica").fontSize(12).fillColor(GREY).text(`Nomor: ${cert.code}`, { width, align: "center" });
}

/** "Diberikan kepada", the kader's name (shrunk to fit one line) and her posyandu and desa. */
function drawRecipient(doc: Doc, p: Payload, hasPractice: boolean): void {
  const width = textWidth(doc);
  doc.moveDown(hasPractice ? 1.4 : 2);
  doc.fillColor(INK).font("Helvetica").fontSize(13).text("Diberikan kepada", { width, align: "center" });
  doc.moveDown(0.3);
  // Long names shrink to one line (down to 16 pt) instead of pushing the dates off the page.
  const name = pdfText(p.name);
  let nameSize = 30;
  doc.font("Times-Bold");
  while (nameSize > 16 && doc.fontSize(nameSize).widthOfString(name) > width) nameSize -= 1;
  doc
    .fontSize(nameSize)
    .fillColor(GREEN)
    .text(name, { width, align: "center", height: nameSize * 2.4, ellipsis: true });
  doc.moveDown(0.2);
  const who = p.peran ? p.peran : p.posyandu ? `Kader ${p.posyandu}` : "Kader Posyandu";
  const place = [who, p.desa].filter(Boolean).join(", ");
  doc.font("Helvetica").fontSize(12).fillColor(INK).text(pdfText(place), { width, align: "center" });
}

/** What the certificate attests: the programme, its rule in words and the practice tasks passed. */
function drawAttestation(doc: Doc, p: Payload, practice: string[]): void {
  const width = textWidth(doc);
  doc.moveDown(practice.length ? 1 : 1.6);
  doc.fontSize(13).text("sebagai tanda telah menyelesaikan", { width, align: "center" });
  doc.moveDown(0.2);
  doc.font("Helvetica-Bold").fontSize(18).text(pdfText(p.programme), { width, align: "center" });
  doc.moveDown(0.2);
  // What the certificate attests: the programme's rule in words (rule-text.ts), as on the
  // verification page and in the Open Badges credential; then the practice tasks passed.
  const programme = getProgramme(p.programmeId);
  const criteria = programme ? `dengan ${ruleCriteria(programme)}` : "";
  if (criteria)
    doc
      .font("Helvetica")
      .fontSize(11)
      .fillColor(GREY)
      .text(pdfText(`${criteria}${practice.length ? ":" : "."}`), { width, align: "center" });
  if (practice.length) {
    doc
      .font("Helvetica-Oblique")
      .fontSize(10)
      .fillColor(INK)
      .text(pdfText(practice.join("  \u00b7  ")), { width, align: "center" });
  }
}

/** The bottom band's positions on this page. */
function bottomBand(doc: Doc): BottomBand {
  const W = doc.page.width;
  const H = doc.page.height;
  const qrSize = 132;
  return { qrSize, qrX: W - 60 - qrSize, qrY: H - 60 - qrSize - 16, infoY: H - 60 - 110 };
}

/** Bottom left: issue and expiry dates (WITA), the issuing region and how to check the certificate. */
function drawValidity(doc: Doc, cert: PrintableCertificate, origin: string, infoY: number): void {
  const p = cert.payload;
  const issued = tanggalWita(new Date(p.issued));
  const expires = tanggalWita(new Date(p.expires));
  doc.fillColor(INK).font("Helvetica").fontSize(11);
  doc.text(`Diterbitkan: ${issued}`, LEFT, infoY, { width: 360 });
  doc.text(`Berlaku sampai: ${expires}`, LEFT, infoY + 16, { width: 360 });
  doc.text(pdfText(`Wilayah penerbit: ${p.issuer}`), LEFT, infoY + 32, { width: 360 });
  doc
    .fillColor(GREY)
    .fontSize(8.5)
    .text("Tanggal dalam WITA.", LEFT, infoY + 56, { width: 360 });
  doc.text(
    pdfText(
      `Ditandatangani secara elektronik; periksa keaslian di ${origin.replace(/^https?:\/\//, "")}/verifikasi (kode ${cert.code}) atau pindai kode QR.`,
    ),
    LEFT,
    infoY + 68,
    {
      width: 360,
    },
  );
}

/** The signatory copied at issue (payload v2), between the dates and the QR code: logo, date, title, name, NIP. */
function drawSignatory(doc: Doc, cert: PrintableCertificate, band: BottomBand): void {
  const p = cert.payload;
  if (!p.signatoryName) return;
  const sx = 440;
  const sw = band.qrX - sx - 16;
  let sy = band.infoY - 14;
  if (cert.signatoryLogo) {
    const m = /^data:image\/(png|jpeg);base64,(.+)$/.exec(cert.signatoryLogo);
    if (m) {
      try {
        doc.image(Buffer.from(m[2], "base64"), sx + sw / 2 - 20, sy, { fit: [40, 40], align: "center" });
      } catch {
        // A logo pdfkit cannot read is left out rather than failing the certificate.
      }
      sy += 44;
    }
  }
  doc
    .fillColor(INK)
    .font("Helvetica")
    .fontSize(9.5)
    .text(pdfText(`${p.issuer}, ${tanggalWita(new Date(p.issued))}`), sx, sy, { width: sw, align: "center" });
  doc.text(pdfText(p.signatoryTitle ?? ""), { width: sw, align: "center" });
  const nameY = Math.max(doc.y + 22, doc.page.height - 60 - 34);
  doc
    .font("Helvetica-Bold")
    .fontSize(10.5)
    .text(pdfText(p.signatoryName), sx, nameY, { width: sw, align: "center", underline: true });
  if (p.signatoryNip) doc.font("Helvetica").fontSize(9).text(`NIP ${p.signatoryNip}`, { width: sw, align: "center" });
}

/** Bottom right: the QR code of the verification URL with the certificate's code under it. */
function drawQr(doc: Doc, qrPng: Buffer, code: string, band: BottomBand): void {
  const { qrSize, qrX, qrY } = band;
  doc.image(qrPng, qrX, qrY, { width: qrSize, height: qrSize });
  doc
    .fillColor(INK)
    .font("Helvetica-Bold")
    .fontSize(10)
    .text(code, qrX - 20, qrY + qrSize + 4, { width: qrSize + 40, align: "center" });
}

/** The certificate as a PDF, with its QR code (PNG) and verification URL. */
export async function renderCertificate(cert: PrintableCertificate, origin: string): Promise<RenderedCertificate> {
  const p = cert.payload;
  const url = verificationUrl(origin, cert.code, cert.signature);
  const qrPng = certificateQrPng(url);
  const doc = certificateDocument(cert);
  const done = collectPdf(doc);
  const practice = p.practice ? p.practice.split(" | ").filter(Boolean) : [];
  const band = bottomBand(doc);

  drawFrame(doc);
  drawHeading(doc, cert);
  drawRecipient(doc, p, practice.length > 0);
  drawAttestation(doc, p, practice);
  drawValidity(doc, cert, origin, band.infoY);
  drawSignatory(doc, cert, band);
  drawQr(doc, qrPng, cert.code, band);

  doc.end();
  return { pdf: await done, qrPng, url };
}
