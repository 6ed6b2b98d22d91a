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
import { enrolments, regions, workshops } from "~/db/schema";
import { env } from "~/env.server";
import { formatPhone } from "~/lib/phone";
import { formatRange, formatTime, zoneForRegion } from "~/lib/timezone";
import { ATTENDANCE_LABEL, KIND_LABEL } from "~/features/workshops/rules";
import { withinScope } from "~/features/regions/regions.server";
import { type Workshop } from "~/features/workshops/sessions.server";
import { ROSTER_ROLES } from "~/features/workshops/rules";
import { type ParticipantRow } from "~/features/workshops/enrolment.server";

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
  const { error, value } = createEvents(list.map((w) => event(w, origin)), { calName });
  if (error || !value) throw error ?? new Error("ics");
  return value;
}

/** The personal feed URL carries a keyed signature of the user id: calendar apps cannot log in. */
export function feedToken(userId: string): string {
  const sig = createHmac("sha256", env().SESSION_SECRET).update(`kalender:${userId}`).digest().subarray(0, 15).toString("base64url");
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

export async function daftarHadirPdf(w: Workshop, rows: ParticipantRow[]): Promise<Buffer> {
  const zone = zoneForRegion(w.regionCode);
  const [region] = await db.select({ name: regions.name }).from(regions).where(eq(regions.code, w.regionCode));
  const doc = new PDFDocument({ size: "A4", margin: 40, info: { Title: `Daftar hadir ${w.title}`, Author: "Akademi Posyandu" } });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));

  const cols = [
    { label: "No", width: 30 },
    { label: "Nama", width: 150 },
    { label: "Posyandu", width: 110 },
    { label: "Desa", width: 100 },
    { label: "Tanda tangan", width: 125 },
  ];
  const left = 40;
  const rowH = 26;
  const header = () => {
    doc.font("Helvetica-Bold").fontSize(14).text("DAFTAR HADIR", left, 40, { align: "center", width: 515 });
    doc.font("Helvetica-Bold").fontSize(11).text(`${KIND_LABEL[w.kind]}: ${w.title}`, left, 62, { align: "center", width: 515 });
    doc.font("Helvetica").fontSize(9.5);
    doc.text(`Waktu: ${formatRange(w.startsAt, w.endsAt, zone)}`, left, 84);
    doc.text(`Tempat: ${w.venue}`, left, 97);
    doc.text(`Wilayah: ${region?.name ?? ""} (${w.regionCode})`, left, 110);
    let x = left;
    const y = 130;
    doc.font("Helvetica-Bold").fontSize(9.5);
    for (const c of cols) {
      doc.rect(x, y, c.width, 20).stroke();
      doc.text(c.label, x + 4, y + 6, { width: c.width - 8 });
      x += c.width;
    }
    return y + 20;
  };
  let y = header();
  doc.font("Helvetica").fontSize(9);
  rows.forEach((r, i) => {
    if (y + rowH > doc.page.height - 50) {
      doc.addPage();
      y = header();
      doc.font("Helvetica").fontSize(9);
    }
    const cells = [String(i + 1), r.name, r.posyanduName ?? "", r.desaName, ""];
    let x = left;
    cols.forEach((c, j) => {
      doc.rect(x, y, c.width, rowH).stroke();
      if (cells[j]) doc.text(cells[j], x + 4, y + 8, { width: c.width - 8, height: rowH - 8, ellipsis: true, lineBreak: false });
      x += c.width;
    });
    y += rowH;
  });
  // Blank rows for walk-ins written on paper.
  for (let k = 0; k < 5 && y + rowH <= doc.page.height - 50; k++) {
    let x = left;
    for (const c of cols) {
      doc.rect(x, y, c.width, rowH).stroke();
      x += c.width;
    }
    y += rowH;
  }
  doc.fontSize(8).fillColor("#555").text(`Dicetak ${formatRange(new Date(), new Date(), zone).split(",")[0]} dari Akademi Posyandu · ${rows.length} peserta`, left, doc.page.height - 40, { width: 515, lineBreak: false });
  doc.end();
  return done;
}

// ---------------------------------------------------------------- attendance exports

const EXPORT_COLUMNS = ["No", "Nama", "Nomor HP", "Posyandu", "Desa", "Kode desa", "Pendaftaran", "Kehadiran", "Cara", "Waktu dicatat"];

function exportRows(w: Workshop, rows: ParticipantRow[]): (string | number)[][] {
  const zone = zoneForRegion(w.regionCode);
  return rows.map((r, i) => [
    i + 1,
    r.name,
    formatPhone(r.phone),
    r.posyanduName ?? "",
    r.desaName,
    r.desaCode,
    r.enrolment ?? "",
    r.attendance ? ATTENDANCE_LABEL[r.attendance] : "",
    r.method ?? "",
    r.recordedAt ? `${r.recordedAt.toISOString().slice(0, 10)} ${formatTime(r.recordedAt, zone)} ${zone.label}` : "",
  ]);
}

function titleLine(w: Workshop): string {
  return `${KIND_LABEL[w.kind]}: ${w.title} · ${formatRange(w.startsAt, w.endsAt, zoneForRegion(w.regionCode))} · ${w.venue}`;
}

export function attendanceCsv(w: Workshop, rows: ParticipantRow[]): string {
  // BOM so spreadsheet programs read UTF-8 names correctly.
  // escape_formulas: a name beginning with = + - @ tab or CR is prefixed with ' (no formula).
  return "\uFEFF" + stringify([[titleLine(w)], EXPORT_COLUMNS, ...exportRows(w, rows)], { escape_formulas: true });
}

export async function attendanceXlsx(w: Workshop, rows: ParticipantRow[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Akademi Posyandu";
  const ws = wb.addWorksheet("Absensi");
  ws.addRow([titleLine(w)]).font = { bold: true };
  ws.addRow(EXPORT_COLUMNS).font = { bold: true };
  for (const r of exportRows(w, rows)) ws.addRow(r);
  ws.columns.forEach((c, i) => (c.width = [5, 28, 15, 22, 20, 15, 12, 12, 10, 22][i] ?? 12));
  ws.views = [{ state: "frozen", ySplit: 2 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function fileName(w: Workshop, ext: string): string {
  const slug = w.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40);
  return `absensi-${w.id}-${slug}.${ext}`;
}
