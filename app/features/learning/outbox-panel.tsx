/**
 * The box where the kader page script (app/client/kader.js) lists what waits on the phone
 * for the pages under `path` ("" = all of hers): how many posts, since when, each with a
 * link; and, once one is sent after waiting, what the server answered ("Terkirim: nilai 80,
 * lulus" with a link to the result). Empty and hidden without JavaScript, which has no outbox.
 */
export function OutboxPanel({ path = "", className = "" }: { path?: string; className?: string }) {
  return (
    <section
      data-antrean={path}
      hidden
      aria-live="polite"
      aria-label="Kiriman di ponsel ini"
      className={`card antrean ${className}`}
    />
  );
}
