/** The components modules may use (content/FORMAT.md). Plain markup: no client JS. */
function Penting({ children }: { children: React.ReactNode }) {
  return (
    <aside className="my-4 rounded-md border-l-4 border-amber-500 bg-amber-50 p-3" aria-label="Penting">
      <p className="text-xs font-bold uppercase tracking-wide text-amber-800">Penting</p>
      <div className="mdx-inner">{children}</div>
    </aside>
  );
}

function StudiKasus({ judul, children }: { judul?: string; children: React.ReactNode }) {
  return (
    <section className="my-5 rounded-md border border-sky-200 bg-sky-50 p-3">
      <p className="text-xs font-bold uppercase tracking-wide text-sky-800">Studi kasus</p>
      {judul ? <h3 className="mt-1 font-semibold">{judul}</h3> : null}
      <div className="mdx-inner">{children}</div>
    </section>
  );
}

function DaftarPeriksa({ judul, children }: { judul?: string; children: React.ReactNode }) {
  return (
    <section className="daftar-periksa my-4 rounded-md border border-emerald-200 bg-emerald-50 p-3">
      <p className="text-xs font-bold uppercase tracking-wide text-emerald-800">Daftar periksa</p>
      {judul ? <h3 className="mt-1 font-semibold">{judul}</h3> : null}
      <div className="mdx-inner">{children}</div>
    </section>
  );
}

function Istilah({ kata, children }: { kata: string; children: React.ReactNode }) {
  return (
    <div className="my-3 rounded-md bg-stone-100 p-3">
      <dfn className="font-semibold not-italic">{kata}</dfn>
      <span className="mdx-inner block">{children}</span>
    </div>
  );
}

export const mdxComponents = { Penting, StudiKasus, DaftarPeriksa, Istilah };

