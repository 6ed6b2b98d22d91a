/**
 * The components modules may use (content/FORMAT.md). Plain markup: no client JS. Their boxes
 * are styled by class in kader.css (.kotak and the rest), not by utility classes repeated in
 * every module's HTML.
 */
import { Children, isValidElement } from "react";
import { Alur, Bagan, GrafikPertumbuhan } from "~/features/catalogue/diagrams";
import { slugify } from "~/features/catalogue/headings";

function Penting({ children }: { children: React.ReactNode }) {
  return (
    <aside className="kotak penting" aria-label="Penting">
      <p>Penting</p>
      <div className="mdx-inner">{children}</div>
    </aside>
  );
}

function StudiKasus({ judul, children }: { judul?: string; children: React.ReactNode }) {
  return (
    <section className="kotak studi-kasus">
      <p>Studi kasus</p>
      {judul ? <h3>{judul}</h3> : null}
      <div className="mdx-inner">{children}</div>
    </section>
  );
}

function DaftarPeriksa({ judul, children }: { judul?: string; children: React.ReactNode }) {
  return (
    <section className="kotak daftar-periksa">
      <p>Daftar periksa</p>
      {judul ? <h3>{judul}</h3> : null}
      <div className="mdx-inner">{children}</div>
    </section>
  );
}

function Istilah({ kata, children }: { kata: string; children: React.ReactNode }) {
  return (
    <div className="definisi">
      <dfn>{kata}</dfn>
      <span className="mdx-inner">{children}</span>
    </div>
  );
}

/** The module's sources, in one box at the end (also on the print page). */
function Sumber({ children }: { children: React.ReactNode }) {
  return (
    <aside className="sumber" aria-labelledby="sumber">
      <h2 id="sumber">Sumber</h2>
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
