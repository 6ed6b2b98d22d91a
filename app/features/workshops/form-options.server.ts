import type { SessionUser } from "~/auth.server";
import type { WorkshopFormOptions } from "~/features/workshops/types";
import { content } from "~/features/catalogue/content.server";
import { regionsInScope } from "~/features/regions/regions.server";

export async function workshopFormOptions(actor: SessionUser): Promise<WorkshopFormOptions> {
  const regions = await regionsInScope(actor.scopeCode, ["kabupaten", "kecamatan", "desa"]);
  return { regions, modules: content().modules.map((m) => ({ slug: m.slug, title: m.frontmatter.title })) };
}
