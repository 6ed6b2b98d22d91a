/**
 * A module's body as HTML: the compiled MDX is evaluated and rendered once per module
 * version and process, so a page view costs no MDX work at all. Glossary terms are
 * linked at that moment too.
 */
import { getMDXComponent } from "mdx-bundler/client";
import { renderToStaticMarkup } from "react-dom/server";
import { mdxComponents } from "~/features/catalogue/mdx-components";
import {
  compiledModule,
  content,
  MODULE_CACHE_VERSIONS,
  type ModuleContent,
} from "~/features/catalogue/content.server";
import { linkGlossaryTerms } from "~/features/catalogue/glossary";
import { splitSections, type SplitModule } from "~/features/catalogue/sections";
import { lru } from "~/lib/lru";

const htmlCache = lru<string, Promise<string>>("modul-html", MODULE_CACHE_VERSIONS);

export function moduleHtml(mod: ModuleContent): Promise<string> {
  const { glossary, glossaryHash } = content();
  const key = `${mod.slug}-${mod.hash}-${glossaryHash}`;
  let pending = htmlCache.get(key);
  if (!pending) {
    pending = compiledModule(mod).then((code) => {
      const Component = getMDXComponent(code);
      // First use of each glossary term links to /istilah (abbr with the meaning).
      return linkGlossaryTerms(renderToStaticMarkup(<Component components={mdxComponents} />), glossary);
    });
    pending.catch(() => htmlCache.delete(key));
    htmlCache.set(key, pending);
  }
  return pending;
}

const splitCache = lru<string, Promise<SplitModule>>("modul-bagian", MODULE_CACHE_VERSIONS);

/** The rendered module split at its `<h2>` headings (cached per version like the HTML). */
export function moduleSections(mod: ModuleContent): Promise<SplitModule> {
  const key = `${mod.slug}-${mod.hash}`;
  let pending = splitCache.get(key);
  if (!pending) {
    pending = moduleHtml(mod).then(splitSections);
    pending.catch(() => splitCache.delete(key));
    splitCache.set(key, pending);
  }
  return pending;
}
