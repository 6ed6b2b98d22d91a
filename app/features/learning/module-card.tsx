import { Link } from "@remix-run/react";
import { SPM_LABEL } from "~/lib/roles";

export interface ModuleCardData {
  slug: string;
  title: string;
  spm: string;
  minutes: number;
  summary: string;
  state: "baru" | "dibuka" | "selesai" | "lulus";
  bestScore: number | null;
}

const STATE_STYLE: Record<ModuleCardData["state"], [string, string]> = {
  baru: ["Belum dibuka", "bg-stone-100 text-stone-700"],
  dibuka: ["Sedang dibaca", "bg-amber-100 text-amber-900"],
  selesai: ["Selesai dibaca", "bg-sky-100 text-sky-900"],
  lulus: ["Lulus kuis", "bg-emerald-100 text-emerald-900"],
};

export function ModuleCard({ m, showSpm = false }: { m: ModuleCardData; showSpm?: boolean }) {
  const [label, style] = STATE_STYLE[m.state];
  return (
    <li>
      {/* The whole card is the link (a large tap target), not just the title. */}
      <Link
        to={`/modul/${m.slug}`}
        className="card block text-stone-900 no-underline hover:border-brand-600 hover:no-underline"
      >
        <span className="block font-semibold text-brand-700">{m.title}</span>
        <span className="mt-1 block text-sm text-stone-700">{m.summary}</span>
        <span className="mt-2 flex flex-wrap items-center gap-2 text-xs">
          <span className={`rounded px-2 py-0.5 font-semibold ${style}`}>{label}</span>
          {m.bestScore !== null ? <span>Nilai terbaik {m.bestScore}</span> : null}
          <span className="text-stone-500">± {m.minutes} menit</span>
          {showSpm ? (
            <span className="text-stone-500">{SPM_LABEL[m.spm as keyof typeof SPM_LABEL] ?? m.spm}</span>
          ) : null}
        </span>
      </Link>
    </li>
  );
}
