/**
 * The public origin for links that leave the page (QR codes, WhatsApp, calendars,
 * certificates): APP_URL only (env().APP_URL, validated and defaulted in env.server.ts).
 * Never the request's Host header, which the client chooses.
 */
export function publicOrigin(appUrl: string): string {
  return new URL(appUrl).origin;
}
