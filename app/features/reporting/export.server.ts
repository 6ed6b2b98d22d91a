/** Dashboard table exports: CSV and XLSX, streamed, with a header saying scope, programme and date. */
import { PassThrough, Readable } from "node:stream";
import { stringify } from "csv-stringify";
import ExcelJS from "exceljs";
import { content } from "~/features/catalogue/content.server";
import { FIGURE_LABEL, type Figures } from "~/features/reporting/figures";
import { SPM_LABEL } from "~/lib/roles";
import { parseDashboardQuery, requireDashboardRegion } from "~/features/reporting/dashboard.server";
import { regionReport, type RegionReport, type ReportFilter } from "~/features/reporting/reports.server";
import { onReplica } from "~/db.server";
import { csvDate, DASHBOARD_CSV } from "~/features/reporting/csv-format";
import { regionCascade } from "~/features/reporting/cascade.server";
import { CASCADE_LABEL, type Cascade, type CascadeView } from "~/features/reporting/cascade";

const FIELDS: (keyof Figures)[] = [
  "activeKader",
  "enrolled",
  "attended",
  "modulesPassed",
  "issued",
  "certified",
  "rate",
  "expiring60",
];

export function exportHeader(report: RegionReport, f: ReportFilter): string[] {
  const programme = content().programmes.find((p) => p.id === f.programmeId)?.title ?? f.programmeId;
  return [
    `Akademi Posyandu — rekap sertifikasi kader`,
    `Wilayah: ${report.region.name} (${report.region.code})`,
    `Program: ${programme}`,
    `Periode: ${f.year ?? "semua"} · bidang: ${f.bidang ? SPM_LABEL[f.bidang as keyof typeof SPM_LABEL] : "semua"}`,
    `Tanggal data: ${csvDate(f.today)} (WITA)`,
  ];
}

function table(report: RegionReport): (string | number)[][] {
  const head = ["Kode", "Nama", "Tingkat wilayah", ...FIELDS.map((k) => FIGURE_LABEL[k])];
  const line = (code: string, name: string, level: string, f: Figures) => [
    code,
    name,
    level,
    ...FIELDS.map((k) => (k === "rate" ? Math.round(f.rate * 10000) / 100 : f[k])),
  ];
  return [
    head,
    ...report.rows.map((r) => line(r.code, r.name, r.level, r)),
    line(report.region.code, `Jumlah ${report.region.name}`, report.region.level, report.totals),
  ];
}

/**
 * The training cascade (cascade.ts) as a second table (CSV: below the first; XLSX: sheet
 * "Kaskade"): numerator and denominator of each level shown, per row and for the region.
 */
function cascadeTable(report: RegionReport, cascade: CascadeView): (string | number)[][] {
  const head = [
    "Kode",
    "Nama",
    ...cascade.levels.flatMap((l) => [`${CASCADE_LABEL[l].short}: bersertifikat`, `${CASCADE_LABEL[l].short}: jumlah`]),
  ];
  const line = (code: string, name: string, c: Cascade | undefined) => [
    code,
    name,
    ...cascade.levels.flatMap((l) => [c?.[l].n ?? 0, c?.[l].d ?? 0]),
  ];
  return [
    head,
    ...report.rows.map((r) => line(r.code, r.name, cascade.rows[r.code])),
    line(report.region.code, `Jumlah ${report.region.name}`, cascade.totals),
  ];
}

export function csvStream(report: RegionReport, f: ReportFilter, cascade?: CascadeView): ReadableStream<Uint8Array> {
  // Excel id-ID: ";" and a decimal comma (csv-format.ts says why). A name beginning with
  // = + - @ tab or CR is a formula to a spreadsheet: prefixed with '.
  const out = stringify(DASHBOARD_CSV);
  (async () => {
    for (const h of exportHeader(report, f)) out.write([h]);
    out.write([]);
    for (const row of table(report)) {
      if (!out.write(row)) await new Promise((r) => out.once("drain", r));
    }
    if (cascade) {
      out.write([]);
      out.write(["Kaskade pembinaan"]);
      for (const row of cascadeTable(report, cascade)) out.write(row);
    }
    out.end();
  })().catch((e) => out.destroy(e));
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}

export function xlsxStream(report: RegionReport, f: ReportFilter, cascade?: CascadeView): ReadableStream<Uint8Array> {
  const pass = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: pass, useSharedStrings: false, useStyles: true });
  const ws = wb.addWorksheet("Rekap");
  (async () => {
    for (const h of exportHeader(report, f)) ws.addRow([h]).commit();
    ws.addRow([]).commit();
    const rows = table(report);
    const header = ws.addRow(rows[0]);
    header.font = { bold: true };
    header.commit();
    for (const r of rows.slice(1)) ws.addRow(r).commit();
    ws.commit();
    if (cascade) {
      const wc = wb.addWorksheet("Kaskade");
      const [head, ...body] = cascadeTable(report, cascade);
      const h = wc.addRow(head);
      h.font = { bold: true };
      h.commit();
      for (const r of body) wc.addRow(r).commit();
      wc.commit();
    }
    await wb.commit();
  })().catch((e) => pass.destroy(e));
  return Readable.toWeb(pass) as ReadableStream<Uint8Array>;
}

/** The export response of a dashboard region (the .csv and .xlsx routes). */
export async function dashboardExport(
  request: Request,
  regionCode: string | undefined,
  kind: "csv" | "xlsx",
): Promise<Response> {
  const { region } = await requireDashboardRegion(request, regionCode);
  const q = parseDashboardQuery(request);
  const [report, cascade] = await onReplica(request, async () => {
    const r = await regionReport({ code: region.code, name: region.name, level: region.level }, q.filter);
    return [r, await regionCascade(region, r, q.filter)] as const;
  });
  const type =
    kind === "csv" ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  return new Response(kind === "csv" ? csvStream(report, q.filter, cascade) : xlsxStream(report, q.filter, cascade), {
    headers: {
      "Content-Type": type,
      "Content-Disposition": `attachment; filename="rekap-${region.code}-${q.filter.today}.${kind}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
