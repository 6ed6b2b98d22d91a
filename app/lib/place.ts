/** The place shown in the header under a person's name: names, never a region code. */

/** "Posyandu Melati · Muara Ancalong" for a kader with a posyandu; the scope region's name for everyone else. */
export function placeLabel(names: {
  posyanduName: string | null;
  posyanduDesa: string | null;
  scopeName: string | null;
}): string {
  const { posyanduName: name, posyanduDesa: desa } = names;
  if (name && desa) return `${/^posyandu\b/i.test(name) ? name : `Posyandu ${name}`} · ${desa}`;
  return names.scopeName ?? "";
}
