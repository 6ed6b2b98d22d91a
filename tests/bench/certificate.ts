/**
 * Certificate PDF: size and generation time per certificate.
 *   npx tsx tests/bench/certificate.ts [count]
 * Renders `count` (default 200) different certificates (A4 landscape with the QR code of
 * the signed verification URL) one after another in one process, as the download route
 * does, and prints the PDF size, the QR PNG size and the time per certificate
 * (p50/p95/max, and the first one, which loads the fonts). No database needed.
 */
import { randomBytes } from "node:crypto";
process.env.NODE_ENV ??= "test"; // an in-memory signing key; nothing written to DATA_DIR

const { renderCertificate } = await import("~/features/certification/pdf.server");
const { PAYLOAD_VERSION, signingKeyId, signPayload } = await import("~/features/certification/signing.server");
const { generateCertificateCode } = await import("~/features/certification/code");
const { addMonthsWita } = await import("~/lib/timezone");

const count = Number(process.argv[2] ?? 200);
const names = [
  "Siti Aminah",
  "Nurhayati binti Abdullah",
  "Hj. Rahmawati Purnamasari",
  "Yuliana Safitri",
  "Ahmad Darmawan",
];
const times: number[] = [];
const sizes: number[] = [];
let qrBytes = 0;
for (let i = 0; i < count; i++) {
  const code = generateCertificateCode((n) => randomBytes(n));
  const issued = new Date(Date.now() - i * 3600_000);
  const payload = {
    v: PAYLOAD_VERSION,
    code,
    name: names[i % names.length],
    posyandu: `Posyandu Melati ${(i % 3) + 1}`,
    desa: "Desa Senyiur, Kecamatan Muara Ancalong",
    programmeId: "kader-6-spm",
    programme: "Sertifikasi Kader Posyandu 6 SPM",
    issued: issued.toISOString(),
    expires: addMonthsWita(issued, 24).toISOString(),
    issuer: "Kabupaten Kutai Timur",
    issuerCode: "64.08",
    kid: signingKeyId(),
  };
  const t0 = performance.now();
  const signature = signPayload(payload); // done once at issuance; included to be conservative
  const { pdf, qrPng } = await renderCertificate(
    { code, payload, signature },
    "https://akademi-posyandu.kutaitimurkab.go.id",
  );
  times.push(performance.now() - t0);
  sizes.push(pdf.length);
  qrBytes = qrPng.length;
}
const sorted = [...times].sort((a, b) => a - b);
const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const avgSize = sizes.reduce((a, b) => a + b, 0) / sizes.length;
console.log(`Sertifikat PDF (${count} dibuat berurutan)`);
console.log(
  `  ukuran PDF   : rata-rata ${(avgSize / 1024).toFixed(1)} KB (min ${(Math.min(...sizes) / 1024).toFixed(1)}, maks ${(Math.max(...sizes) / 1024).toFixed(1)} KB); PNG QR ${(qrBytes / 1024).toFixed(1)} KB`,
);
console.log(
  `  waktu/sertif.: p50 ${pct(50).toFixed(1)} ms, p95 ${pct(95).toFixed(1)} ms, maks ${sorted[sorted.length - 1].toFixed(1)} ms; pertama (muat font) ${times[0].toFixed(1)} ms`,
);
console.log(
  `  throughput   : ${(1000 / (times.reduce((a, b) => a + b, 0) / times.length)).toFixed(0)} sertifikat/detik pada 1 inti`,
);
