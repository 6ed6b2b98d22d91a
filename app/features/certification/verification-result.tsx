/** The answer of a verification (by code or by Open Badges credential): state, message and what is printed. */
import type { Verification } from "~/features/certification/verification.server";

const STYLE: Record<Verification["state"], { label: string; box: string }> = {
  berlaku: { label: "BERLAKU", box: "border-emerald-300 bg-emerald-50 text-emerald-900" },
  kedaluwarsa: { label: "KEDALUWARSA", box: "border-amber-300 bg-amber-50 text-amber-900" },
  dicabut: { label: "DICABUT", box: "border-red-300 bg-red-50 text-red-900" },
  tidak_ditemukan: { label: "TIDAK DITEMUKAN", box: "border-stone-300 bg-stone-100 text-stone-900" },
  format_salah: { label: "TIDAK DITEMUKAN", box: "border-stone-300 bg-stone-100 text-stone-900" },
  tanda_tangan_salah: { label: "TANDA TANGAN TIDAK VALID", box: "border-red-400 bg-red-100 text-red-900" },
};

const ICON: Record<Verification["state"], string> = {
  berlaku: "✓",
  kedaluwarsa: "⌛",
  dicabut: "✕",
  tidak_ditemukan: "?",
  format_salah: "?",
  tanda_tangan_salah: "⚠",
};

export function VerificationResult({ d }: { d: Verification }) {
  const style = STYLE[d.state];
  return (
    <>
      <div className={`rounded-lg border-2 p-4 ${style.box}`} role="status" data-state={d.state}>
        <p className="flex items-center gap-2 text-xl font-bold tracking-wide">
          <span aria-hidden="true">{ICON[d.state]}</span> {style.label}
        </p>
        <p className="mt-1 text-sm">
          {d.state === "berlaku" ? "Sertifikat ini asli dan masih berlaku." : null}
          {d.state === "kedaluwarsa"
            ? `Sertifikat ini asli, tetapi masa berlakunya sudah habis pada ${d.certificate.expires}.`
            : null}
          {d.state === "dicabut" ? `Sertifikat ini sudah dicabut pada ${d.revokedAt} dan tidak berlaku lagi.` : null}
          {d.state === "tidak_ditemukan"
            ? `Tidak ada sertifikat dengan kode ${d.code}. Periksa kembali kode yang tercetak di sertifikat.`
            : null}
          {d.state === "format_salah" && d.code === "kredensial"
            ? "Isian ini bukan kredensial Open Badges dari Akademi Posyandu. Unggah berkas .jwt yang diunduh dari halaman sertifikat, atau tempel isinya."
            : null}
          {d.state === "format_salah" && d.code !== "kredensial"
            ? d.reason === "check"
              ? "Kode ini tidak valid: kemungkinan ada huruf atau angka yang salah ketik. Periksa kembali kode yang tercetak di sertifikat."
              : "Kode ini tidak sesuai format. Kode sertifikat berbentuk AP-XXXX-XXXX."
            : null}
          {d.state === "tanda_tangan_salah"
            ? "Tanda tangan elektronik pada kode QR atau kredensial tidak cocok dengan sertifikat yang kami terbitkan. Sertifikat ini mungkin dipalsukan atau diubah: jangan diterima, dan laporkan ke DPMD setempat."
            : null}
        </p>
        {d.state === "dicabut" && d.reason ? (
          <p className="mt-2 text-sm">
            <strong>Alasan pencabutan:</strong> {d.reason}
          </p>
        ) : null}
      </div>

      {"certificate" in d ? (
        <div className="card">
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            <dt className="text-stone-500">Nama</dt>
            <dd className="font-semibold">{d.certificate.name}</dd>
            <dt className="text-stone-500">Program</dt>
            <dd>{d.certificate.programme}</dd>
            {d.certificate.criteria ? (
              <>
                <dt className="text-stone-500">Syarat</dt>
                <dd>{d.certificate.criteria}</dd>
              </>
            ) : null}
            <dt className="text-stone-500">Diterbitkan</dt>
            <dd>{d.certificate.issued}</dd>
            <dt className="text-stone-500">Berlaku sampai</dt>
            <dd>{d.certificate.expires}</dd>
            <dt className="text-stone-500">Penerbit</dt>
            <dd>{d.certificate.issuer}</dd>
            <dt className="text-stone-500">Kode</dt>
            <dd className="font-mono">{d.certificate.code}</dd>
          </dl>
          <p className="mt-3 text-xs text-stone-600">
            {d.signatureChecked
              ? "Tanda tangan elektronik pada kode QR cocok."
              : "Diperiksa berdasarkan kode saja. Pastikan nama dan tanggal di atas sama dengan yang tercetak di sertifikat."}{" "}
            Tanggal dalam WITA.
          </p>
        </div>
      ) : null}
    </>
  );
}
