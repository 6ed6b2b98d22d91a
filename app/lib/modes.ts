/**
 * AKADEMI_MODE, the one setting that says what this instance is:
 * - `demo`: demo data and accounts whose password is published (the default without
 *   DATABASE_URL: `npm ci && npm start`; on PostgreSQL only when asked for);
 * - `pilot`: the embedded database for real use on one machine: no demo data, ever; the
 *   first admin is created with `npm run setup`;
 * - `production`: PostgreSQL (DATABASE_URL; its default there), also never demo data.
 */
export const INSTANCE_MODES = ["demo", "pilot", "production"] as const;
export type InstanceMode = (typeof INSTANCE_MODES)[number];
