import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { createContext, useContext } from "react";

const TITLES: Record<number, string> = {
  400: "Permintaan tidak valid",
  403: "Akses ditolak",
  404: "Halaman tidak ditemukan",
  429: "Terlalu banyak permintaan",
  503: "Layanan sedang tidak tersedia",
  507: "Penyimpanan server penuh",
};

/**
 * While rendering the answer to a request that failed because of the server (entry.server,
 * serverFault in db.server): the database could not be reached, or the disk is full.
 */
export const ServerFaultContext = createContext<"database-unavailable" | "disk-full" | null>(null);

/** One error page for every route: 403 and 404 get their own words. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const fault = useContext(ServerFaultContext);
  let status = 500;
  let message = "Terjadi kesalahan pada server. Coba lagi sebentar lagi.";
  if (fault === "database-unavailable" && !isRouteErrorResponse(error)) {
    // The server could not reach its database (a restart or failover takes seconds).
    status = 503;
    message =
      "Server sedang tidak dapat menghubungi basis data. Muat ulang halaman atau kirim ulang formulir dalam beberapa detik.";
  } else if (fault === "disk-full" && !isRouteErrorResponse(error)) {
    // Nothing was saved; waiting does not help until someone frees space.
    status = 507;
    message =
      "Penyimpanan server penuh: perubahan Anda belum tersimpan. Beri tahu admin atau pengelola server agar mengosongkan ruang disk, lalu kirim ulang formulir.";
  } else if (isRouteErrorResponse(error)) {
    status = error.status;
    message =
      typeof error.data === "string" && error.data
        ? error.data
        : status === 404
          ? "Alamat yang Anda buka tidak ada atau sudah dipindahkan."
          : status === 403
            ? "Anda tidak berhak membuka halaman ini."
            : message;
  } else if (error instanceof Error && process.env.NODE_ENV !== "production") {
    message = error.message;
  }
  return (
    <section className="card mx-auto max-w-lg text-center" role="alert">
      <p className="text-sm font-semibold text-stone-500">Kode {status}</p>
      <h1 className="mt-1">{TITLES[status] ?? "Terjadi kesalahan"}</h1>
      <p className="mt-3">{message}</p>
      <p className="mt-4">
        <Link to="/" className="btn">
          Kembali ke beranda
        </Link>
      </p>
    </section>
  );
}
