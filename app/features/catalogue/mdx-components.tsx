/** The components modules may use (content/FORMAT.md). Plain markup: no client JS. */
import { Children, isValidElement } from "react";
import { Alur, Bagan, GrafikPertumbuhan } from "~/features/catalogue/diagrams";
import { slugify } from "~/features/catalogue/headings";

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

/** The module's sources, in one box at the end (also on the print page). */
function Sumber({ children }: { children: React.ReactNode }) {
  return (
    <aside className="sumber my-6 rounded-md border border-stone-300 bg-white p-3 text-sm" aria-labelledby="sumber">
      <h2 id="sumber" className="!mt-0 text-base">
        Sumber
      </h2>
      <div className="mdx-inner">{children}</div>
    </aside>
  );
}

/** The text a reader sees in a heading (for its anchor; same slug as content validation). */
export function textOf(node: React.ReactNode): string {
  return Children.toArray(node)
    .map((c) =>
      typeof c === "string" || typeof c === "number"
        ? String(c)
        : isValidElement<{ children?: React.ReactNode }>(c)
          ? textOf(c.props.children)
          : "",
    )
    .join("");
}

/** ## and ### headings get an id, so quiz reviews can link to the section to re-read. */
function H2({ children }: { children?: React.ReactNode }) {
  return <h2 id={slugify(textOf(children))}>{children}</h2>;
}
function H3({ children }: { children?: React.ReactNode }) {
  return <h3 id={slugify(textOf(children))}>{children}</h3>;
}

export const mdxComponents = {
  Penting,
  StudiKasus,
  DaftarPeriksa,
  Istilah,
  Sumber,
  Alur,
  Bagan,
  GrafikPertumbuhan,
  h2: H2,
  h3: H3,
};
