/** The public origin for links that leave the page (QR codes, WhatsApp, calendars). */
export function publicOrigin(request: Request, appUrl?: string): string {
  if (appUrl) return appUrl.replace(/\/$/, "");
  return new URL(request.url).origin;
}
