/** The mark of a locked-out kader in a kader table: which quiz, linked to the grant on her progress page. */
import { Link } from "@remix-run/react";

export function LockedMark({ kaderId, locked }: { kaderId: string; locked: { slug: string; title: string }[] }) {
  return (
    <Link
      to={`/kader/${kaderId}#kuis-${locked[0].slug}`}
      className="mt-0.5 block w-fit rounded bg-red-100 px-1.5 text-xs font-semibold text-red-900"
      data-testid="terkunci"
    >
      Terkunci kuis: {locked.map((l) => l.title).join(", ")}
    </Link>
  );
}
