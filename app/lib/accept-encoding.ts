/**
 * Whether a request takes a content coding (`Accept-Encoding`): the coding's own entry, or
 * else `*`, with a q above 0. One reading for every answer the server compresses itself (a
 * page with a fragment, app/html-fragment.server.ts; the build's assets,
 * app/static-compressed.server.ts).
 */
export function acceptsEncoding(header: string | null, coding: "gzip" | "br"): boolean {
  const q = new Map<string, number>();
  for (const part of (header ?? "").toLowerCase().split(",")) {
    const [name, ...params] = part.split(";").map((p) => p.trim());
    const weight = params.find((p) => p.startsWith("q="));
    if (name) q.set(name, weight ? Number(weight.slice(2)) : 1);
  }
  return (q.get(coding) ?? q.get("*") ?? 0) > 0;
}
