/**
 * Files for workshops: calendar (.ics) per session and per person, the printable daftar
 * hadir (PDF), and attendance exports (CSV, XLSX).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { stringify } from "csv-stringify/sync";
import ExcelJS from "exceljs";
import { createEvents, type EventAttributes } from "ics";
import PDFDocument from "pdfkit";
import { and, eq, inArray, ne, or, sql } from "drizzle-orm";
import type { SessionUser } from "~/auth.server";
import { db } from "~/db.server";
import { enrolments, type Role, users, workshops } from "~/db/schema";
import { env } from "~/env.server";
import { formatPhone } from "~/lib/phone";
import { ROLE_LABEL } from "~/lib/roles";
import { formatDate, formatDay, formatMoment, formatRange, wallClock, type Zone, zoneForRegion } from "~/lib/timezone";
import { ATTENDANCE_LABEL, ENROLMENT_LABEL, KIND_LABEL, METHOD_LABEL, ROSTER_ROLES } from "~/features/workshops/rules";
import { regionLineage } from "~/features/regions/regions.server";
import { withinScope } from "~/db/scope";
import type { Workshop } from "~/features/workshops/sessions.server";
import type { ParticipantRow } from "~/features/workshops/enrolment.server";

// ---------------------------------------------------------------- calendars

function event(w: Workshop, origin: string): EventAttributes {
  return {
    uid: `sesi-${w.id}@akademi-posyandu`,
    start: w.startsAt.getTime(),
    startInputType: "utc",
    startOutputType: "utc",
    end: w.endsAt.getTime(),
    endInputType: "utc",
    endOutputType: "utc",
    title: `${KIND_LABEL[w.kind]}: ${w.title}`,
    location: w.venue,
    description: `${formatRange(w.startsAt, w.endsAt, zoneForRegion(w.regionCode))}\n${origin}/sesi/${w.id}`,
    url: `${origin}/sesi/${w.id}`,
    status: w.status === "cancelled" ? "CANCELLED" : w.status === "draft" ? "TENTATIVE" : "CONFIRMED",
    alarms: [{ action: "display", description: w.title, trigger: { hours: 1, before: true } }],
  };
}

export function workshopsIcs(list: Workshop[], origin: string, calName: string): string {
  const { error, value } = createEvents(
    list.map((w) => event(w, origin)),
    { calName },
  );
  if (error || !value) throw error ?? new Error("ics");
  return value;
}

/** The personal feed URL carries a keyed signature of the user id: calendar apps cannot log in. */
export function feedToken(userId: string): string {
  const sig = createHmac("sha256", env().SESSION_SECRET)
    .update(`kalender:${userId}`)
    .digest()
    .subarray(0, 15)
    .toString("base64url");
  return `${userId}.${sig}`;
}

export function userIdFromFeedToken(token: string): string | null {
  const m = /^([a-z0-9]{8,40})\.([A-Za-z0-9_-]{20})$/.exec(token);
  if (!m) return null;
  const expected = feedToken(m[1]).split(".")[1];
  return timingSafeEqual(Buffer.from(m[2]), Buffer.from(expected)) ? m[1] : null;
}

/** A person's sessions: enrolled or waitlisted ones, plus, for pembina, those they run. */
export async function feedWorkshops(user: Pick<SessionUser, "id" | "role" | "scopeCode">): Promise<Workshop[]> {
  const since = new Date(Date.now() - 90 * 86_400_000);
  return db
    .select()
    .from(workshops)
    .where(
      and(
        sql`${workshops.endsAt} >= ${since}`,
        ne(workshops.status, "draft"),
        or(
          inArray(
            workshops.id,
            db
              .select({ id: enrolments.workshopId })
              .from(enrolments)
              .where(and(eq(enrolments.userId, user.id), inArray(enrolments.status, ["enrolled", "waitlisted"]))),
          ),
          ROSTER_ROLES.includes(user.role) ? withinScope(workshops.regionCode, user.scopeCode) : undefined,
        ),
      ),
    )
    .orderBy(workshops.startsAt)
    .limit(500);
}

// ---------------------------------------------------------------- daftar hadir (PDF)

/** The organiser named on the letterhead and the signature block (pure; tested). */
export interface Letterhead {
  /** "TIM PEMBINA POSYANDU KECAMATAN MUARA ANCALONG" */
  title: string;
  /** "Kabupaten Kutai Timur · Provinsi Kalimantan Timur" */
  subtitle: string;
  /** "Ketua TP Posyandu Kecamatan Muara Ancalong" */
  chair: string;
  /** The place written before the date above the signatures: "Muara Ancalong". */
  place: string;
}

/**
 * The organiser is the kecamatan or kabupaten of the session's region (a session in a
 * desa is run by its kecamatan's Tim Pembina). `lineage` is province first.
 */
export function letterheadFor(lineage: { level: string; name: string }[]): Letterhead {
  const province = lineage.find((r) => r.level === "provinsi");
  const kabupaten = lineage.find((r) => r.level === "kabupaten");
  const kecamatan = lineage.find((r) => r.level === "kecamatan");
  const prov = province ? `Provinsi ${province.name}` : "";
  if (kecamatan) {
    return {
      title: `TIM PEMBINA POSYANDU KECAMATAN ${kecamatan.name.toUpperCase()}`,
      subtitle: [kabupaten?.name, prov].filter(Boolean).join(" · "),
      chair: `Ketua TP Posyandu Kecamatan ${kecamatan.name}`,
      place: kecamatan.name,
    };
  }
  if (kabupaten) {
    return {
      title: `TIM PEMBINA POSYANDU ${kabupaten.name.toUpperCase()}`,
      subtitle: prov,
      chair: `Ketua TP Posyandu ${kabupaten.name}`,
      place: kabupaten.name.replace(/^(Kabupaten|Kota)\s+/, ""),
    };
  }
  return {
    title: `TIM PEMBINA POSYANDU ${(province?.name ?? "").toUpperCase()}`.trim(),
    subtitle: "",
    chair: `Ketua TP Posyandu ${prov}`.trim(),
    place: province?.name ?? "",
  };
}

const PAGE = { left: 40, width: 515, rowH: 26, footerGap: 60 };
const SIGNATURE_H = 130;
const COLS = [
  { label: "No", width: 30 },
  { label: "Nama", width: 150 },
  { label: "Posyandu", width: 110 },
  { label: "Desa", width: 100 },
  { label: "Tanda tangan", width: 125 },
];

type Doc = PDFKit.PDFDocument;
/** The pembina who created the session, named under the right-hand signature. */
type Organiser = { name: string; role: Role } | undefined;

/** Where the rows stop on a page: the footer sits below. */
const bottomOf = (doc: Doc) => doc.page.height - PAGE.footerGap;

/** The creator of the session (none for a session without one). */
async function organiserOf(w: Workshop): Promise<Organiser> {
  const [organiser] = w.createdBy
    ? await db.select({ name: users.name, role: users.role }).from(users).where(eq(users.id, w.createdBy))
    : [];
  return organiser;
}

/** The table's column headings at `y`; returns the y of the first row. */
function drawTableHeader(doc: Doc, y: number): number {
  let x = PAGE.left;
  doc.font("Helvetica-Bold").fontSize(9.5).fillColor("#000");
  for (const c of COLS) {
    doc.rect(x, y, c.width, 20).stroke();
    doc.text(c.label, x + 4, y + 6, { width: c.width - 8, lineBreak: false });
    x += c.width;
  }
  doc.font("Helvetica").fontSize(9);
  return y + 20;
}

/** The first page's head: letterhead, "DAFTAR HADIR", the session's title, time, place and region, the table header. */
function drawFirstPage(doc: Doc, w: Workshop, head: Letterhead, regionName: string, zone: Zone): number {
  const left = PAGE.left;
  doc
    .font("Helvetica-Bold")
    .fontSize(12)
    .text(head.title, left, 40, { align: "center", width: PAGE.width, lineBreak: false });
  if (head.subtitle)
    doc
      .font("Helvetica")
      .fontSize(10)
      .text(head.subtitle, left, 56, { align: "center", width: PAGE.width, lineBreak: false });
  doc
    .moveTo(left, 74)
    .lineTo(left + PAGE.width, 74)
    .lineWidth(1.5)
    .stroke()
    .lineWidth(1);
  doc
    .font("Helvetica-Bold")
    .fontSize(14)
    .text("DAFTAR HADIR", left, 86, { align: "center", width: PAGE.width, lineBreak: false });
  doc.font("Helvetica-Bold").fontSize(11).text(`${KIND_LABEL[w.kind]}: ${w.title}`, left, 106, {
    align: "center",
    width: PAGE.width,
    height: 28,
    ellipsis: true,
  });
  doc.font("Helvetica").fontSize(9.5);
  doc.text(`Waktu: ${formatRange(w.startsAt, w.endsAt, zone)}`, left, 138, { width: PAGE.width, lineBreak: false });
  doc.text(`Tempat: ${w.venue}`, left, 151, { width: PAGE.width, height: 12, ellipsis: true });
  doc.text(`Wilayah: ${regionName} (${w.regionCode})`, left, 164, { width: PAGE.width, lineBreak: false });
  return drawTableHeader(doc, 184);
}

/** A further page: a one-line head naming the session, then the table header; returns the y of the first row. */
function drawNextPage(doc: Doc, w: Workshop): number {
  doc.addPage();
  doc.font("Helvetica-Bold").fontSize(10).text(`DAFTAR HADIR · ${KIND_LABEL[w.kind]}: ${w.title}`, PAGE.left, 40, {
    width: PAGE.width,
    height: 12,
    ellipsis: true,
  });
  return drawTableHeader(doc, 58);
}

/** One table row at `y` (empty cells left blank); returns the y below it. */
function drawRow(doc: Doc, y: number, cells: string[]): number {
  let x = PAGE.left;
  COLS.forEach((c, j) => {
    doc.rect(x, y, c.width, PAGE.rowH).stroke();
    if (cells[j])
      doc.text(cells[j], x + 4, y + 8, {
        width: c.width - 8,
        height: PAGE.rowH - 8,
        ellipsis: true,
        lineBreak: false,
      });
    x += c.width;
  });
  return y + PAGE.rowH;
}

/**
 * The participants' rows from `y`, a new page when a row does not fit, then up to five blank
 * rows for walk-ins; leaves room for the signatures on the last page. Returns the y below.
 */
function drawRows(doc: Doc, w: Workshop, rows: ParticipantRow[], y: number): number {
  rows.forEach((r, i) => {
    // The last row goes to a new page together with the signatures when both do not fit.
    const need = PAGE.rowH + (i === rows.length - 1 ? SIGNATURE_H : 0);
    if (y + need > bottomOf(doc)) y = drawNextPage(doc, w);
    y = drawRow(doc, y, [String(i + 1), r.name, r.posyanduName ?? "", r.desaName, ""]);
  });
  if (!rows.length && y + SIGNATURE_H > bottomOf(doc)) y = drawNextPage(doc, w);
  // Blank rows for walk-ins written on paper, as many as fit above the signatures (at most 5).
  for (let k = 0; k < 5 && y + PAGE.rowH + SIGNATURE_H <= bottomOf(doc); k++) y = drawRow(doc, y, ["", "", "", "", ""]);
  return y;
}

/** The signature block below `y`: the Ketua TP Posyandu on the left, the organising pembina on the right. */
function drawSignatures(doc: Doc, y: number, w: Workshop, head: Letterhead, zone: Zone, organiser: Organiser): void {
  const left = PAGE.left;
  const sy = y + 24;
  const colW = 230;
  const rightX = left + PAGE.width - colW;
  doc.font("Helvetica").fontSize(9.5).fillColor("#000");
  doc.text(`${head.place}, ${formatDay(w.startsAt, zone)}`, rightX, sy, {
    width: colW,
    align: "center",
    lineBreak: false,
  });
  doc.text("Mengetahui,", left, sy + 14, { width: colW, align: "center", lineBreak: false });
  doc.text(head.chair, left, sy + 27, { width: colW, align: "center", height: 24, ellipsis: true });
  doc.text("Pembina penyelenggara,", rightX, sy + 14, { width: colW, align: "center", lineBreak: false });
  doc.text(organiser ? ROLE_LABEL[organiser.role] : "", rightX, sy + 27, {
    width: colW,
    align: "center",
    lineBreak: false,
  });
  doc.text("(...................................................)", left, sy + 92, {
    width: colW,
    align: "center",
    lineBreak: false,
  });
  doc
    .font("Helvetica-Bold")
    .text(organiser?.name ?? "(...................................................)", rightX, sy + 92, {
      width: colW,
      align: "center",
      lineBreak: false,
    });
}

/** The footer on every page ("Dicetak …", "Halaman i dari N"), below the bottom margin (else pdfkit adds a page). */
function drawFooters(doc: Doc, printed: string): void {
  const left = PAGE.left;
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const fy = doc.page.height - 36;
    doc.font("Helvetica").fontSize(8).fillColor("#555");
    doc.text(printed, left, fy, { width: PAGE.width - 100, lineBreak: false });
    doc.text(`Halaman ${i - start + 1} dari ${count}`, left + PAGE.width - 100, fy, {
      width: 100,
      align: "right",
      lineBreak: false,
    });
    doc.page.margins.bottom = margin;
  }
}

/**
 * The printed attendance sheet (A4): letterhead of the organiser, the session, one row
 * per participant in roster order, a few blank rows for walk-ins, the signature block
 * (Ketua TP Posyandu and the pembina who ran it) and "Halaman i dari N" on every page.
 * The last page always holds at least one row with the signatures, never only a footer.
 */
export async function daftarHadirPdf(w: Workshop, rows: ParticipantRow[], now = new Date()): Promise<Buffer> {
  const zone = zoneForRegion(w.regionCode);
  const lineage = await regionLineage(w.regionCode);
  const head = letterheadFor(lineage);
  const organiser = await organiserOf(w);
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: 40, left: PAGE.left, right: 40, bottom: 40 },
    bufferPages: true,
    info: { Title: `Daftar hadir ${w.title}`, Author: "Akademi Posyandu" },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));

  let y = drawFirstPage(doc, w, head, lineage.at(-1)?.name ?? "", zone);
  y = drawRows(doc, w, rows, y);
  drawSignatures(doc, y, w, head, zone, organiser);
  drawFooters(doc, `Dicetak ${formatDate(now, zone)} dari Akademi Posyandu · ${rows.length} peserta`);
  doc.end();
  return done;
}

// ---------------------------------------------------------------- attendance exports

const EXPORT_COLUMNS = [
  "No",
  "Nama",
  "Nomor HP",
  "Posyandu",
  "Desa",
  "Kode desa",
  "Pendaftaran",
  "Kehadiran",
  "Cara",
  "Waktu dicatat",
];

/**
 * What a session measured of each participant (issue 20): pre/post test scores (0–100) and
 * her evaluation (1–5 each). The route passes it in: workshops does not read learning.
 */
export interface ParticipantMeasures {
  pre: number | null;
  post: number | null;
  relevance: number | null;
  clarity: number | null;
  speaker: number | null;
}

/** Added after the attendance columns when the session has a test or an evaluation. */
export const MEASURE_COLUMNS = [
  "Pre-test",
  "Post-test",
  "Gain",
  "Evaluasi relevansi",
  "Evaluasi kejelasan",
  "Evaluasi narasumber",
];

/** The measure cells of one participant (integers, so the CSV needs no decimal mark; blank when absent). */
function measureCells(m: ParticipantMeasures | undefined): (string | number)[] {
  const gain = m && m.pre !== null && m.post !== null ? m.post - m.pre : null;
  return [m?.pre, m?.post, gain, m?.relevance, m?.clarity, m?.speaker].map((v) => v ?? "");
}

function columnsOf(measures: Map<string, ParticipantMeasures> | undefined): string[] {
  return measures ? [...EXPORT_COLUMNS, ...MEASURE_COLUMNS] : EXPORT_COLUMNS;
}

/** One row per participant; labels in Indonesian, the moment in the session's zone. */
function exportRows(
  w: Workshop,
  rows: ParticipantRow[],
  measures?: Map<string, ParticipantMeasures>,
): (string | number)[][] {
  const zone = zoneForRegion(w.regionCode);
  return rows.map((r, i) => [
    i + 1,
    r.name,
    formatPhone(r.phone),
    r.posyanduName ?? "",
    r.desaName,
    r.desaCode,
    r.enrolment ? ENROLMENT_LABEL[r.enrolment] : "",
    r.attendance ? ATTENDANCE_LABEL[r.attendance] : "",
    r.method ? METHOD_LABEL[r.method] : "",
    r.recordedAt ? formatMoment(r.recordedAt, zone) : "",
    ...(measures ? measureCells(measures.get(r.userId)) : []),
  ]);
}

function titleLine(w: Workshop): string {
  return `${KIND_LABEL[w.kind]}: ${w.title} · ${formatRange(w.startsAt, w.endsAt, zoneForRegion(w.regionCode))} · ${w.venue}`;
}

export function attendanceCsv(
  w: Workshop,
  rows: ParticipantRow[],
  measures?: Map<string, ParticipantMeasures>,
): string {
  // BOM so spreadsheet programs read UTF-8 names correctly.
  // escape_formulas: a name beginning with = + - @ tab or CR is prefixed with ' (no formula).
  return (
    "\uFEFF" +
    stringify([[titleLine(w)], columnsOf(measures), ...exportRows(w, rows, measures)], { escape_formulas: true })
  );
}

/** As the CSV, but "Waktu dicatat" is a real date cell holding the wall time in the zone. */
export async function attendanceXlsx(
  w: Workshop,
  rows: ParticipantRow[],
  measures?: Map<string, ParticipantMeasures>,
): Promise<Buffer> {
  const zone = zoneForRegion(w.regionCode);
  const wb = new ExcelJS.Workbook();
  wb.creator = "Akademi Posyandu";
  const ws = wb.addWorksheet("Absensi");
  ws.addRow([titleLine(w)]).font = { bold: true };
  const extra = measures ? MEASURE_COLUMNS : [];
  ws.addRow([...EXPORT_COLUMNS.slice(0, -1), `Waktu dicatat (${zone.label})`, ...extra]).font = { bold: true };
  exportRows(w, rows, measures).forEach((cells, i) => {
    const at = rows[i].recordedAt;
    const base = cells.slice(0, EXPORT_COLUMNS.length - 1);
    ws.addRow([...base, at ? wallClock(at, zone) : "", ...cells.slice(EXPORT_COLUMNS.length)]);
  });
  ws.getColumn(10).numFmt = "dd/mm/yyyy hh:mm";
  ws.columns.forEach((c, i) => (c.width = [5, 28, 15, 22, 20, 15, 14, 12, 16, 20][i] ?? 12));
  ws.views = [{ state: "frozen", ySplit: 2 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function fileName(w: Workshop, ext: string): string {
  const slug = w.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 40);
  return `absensi-${w.id}-${slug}.${ext}`;
}
