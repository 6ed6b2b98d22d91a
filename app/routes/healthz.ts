/**
 * Liveness: the process runs and answers. No database work, on purpose: a slow or
 * restarting database must not make a liveness probe kill healthy processes. Whether this
 * process can serve (database, migrations, not draining) is /readyz.
 */
export function loader() {
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
