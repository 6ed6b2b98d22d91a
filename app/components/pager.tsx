import { Link } from "@remix-run/react";

export function Pager({
  page,
  total,
  pageSize,
  search,
}: {
  page: number;
  total: number;
  pageSize: number;
  search: URLSearchParams;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const href = (p: number) => {
    const s = new URLSearchParams(search);
    s.set("halaman", String(p));
    return `?${s.toString()}`;
  };
  return (
    <nav className="mt-3 flex items-center justify-between text-sm" aria-label="Halaman">
      {page > 1 ? <Link to={href(page - 1)}>‹ Sebelumnya</Link> : <span />}
      <span>
        Halaman {page} dari {pages}
      </span>
      {page < pages ? <Link to={href(page + 1)}>Berikutnya ›</Link> : <span />}
    </nav>
  );
}
