import { Link } from "@remix-run/react";

export function CheckinDone({
  status,
  title,
  already,
  workshopId,
}: {
  status: string;
  title: string;
  already: boolean;
  workshopId: number;
}) {
  return (
    <section className="mx-auto max-w-sm space-y-3 text-center">
      <h1>{already ? "Sudah tercatat" : "Terima kasih!"}</h1>
      <p className="alert-ok" role="status">
        {already
          ? `Kehadiran Anda di "${title}" sudah tercatat sebelumnya (${status}).`
          : `Kehadiran Anda di "${title}" tercatat: ${status}.`}
      </p>
      <Link to={`/sesi/${workshopId}`} className="btn-secondary">
        Lihat kegiatan
      </Link>
    </section>
  );
}
