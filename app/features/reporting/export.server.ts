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

export function csvStream(report: RegionReport, f: ReportFilter): ReadableStream<Uint8Array> {
  // Excel id-ID: ";" and a decimal comma (csv-format.ts says why). A name beginning with
  // = + - @ tab or CR is a formula to a spreadsheet: prefixed with '.
  const out = stringify(DASHBOARD_CSV);
  (async () => {
    for (const h of exportHeader(report, f)) out.write([h]);
    out.write([]);
    for (const row of table(report)) {
      if (!out.write(row)) await new Promise((r) => out.once("drain", r));
    }
    out.end();
  })().catch((e) => out.destroy(e));
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}

export function xlsxStream(report: RegionReport, f: ReportFilter): ReadableStream<Uint8Array> {
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
  const report = await onReplica(request, () =>
    regionReport({ code: region.code, name: region.name, level: region.level }, q.filter),
  );
  const type =
    kind === "csv" ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  return new Response(kind === "csv" ? csvStream(report, q.filter) : xlsxStream(report, q.filter), {
    headers: {
      "Content-Type": type,
      "Content-Disposition": `attachment; filename="rekap-${region.code}-${q.filter.today}.${kind}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
