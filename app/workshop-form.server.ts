import type { SessionUser } from "~/auth.server";
import type { WorkshopFormOptions } from "~/components/workshop-form";
import { content } from "~/content.server";
import { regionsInScope } from "~/regions.server";

export async function workshopFormOptions(actor: SessionUser): Promise<WorkshopFormOptions> {
  const regions = await regionsInScope(actor.scopeCode, ["kabupaten", "kecamatan", "desa"]);
  return { regions, modules: content().modules.map((m) => ({ slug: m.slug, title: m.frontmatter.title })) };
}
