/**
 * A module's body as HTML: the compiled MDX is evaluated and rendered once per module
 * version and process, so a page view costs no MDX work at all.
 */
import { getMDXComponent } from "mdx-bundler/client";
import { renderToStaticMarkup } from "react-dom/server";
import { mdxComponents } from "~/features/learning/mdx-components";
import { compiledModule, type ModuleContent } from "~/features/learning/content.server";
import { splitSections, type SplitModule } from "~/features/learning/sections";

const htmlCache = new Map<string, Promise<string>>();

export function moduleHtml(mod: ModuleContent): Promise<string> {
  const key = `${mod.slug}-${mod.hash}`;
  let pending = htmlCache.get(key);
  if (!pending) {
    pending = compiledModule(mod).then((code) => {
      const Component = getMDXComponent(code);
      return renderToStaticMarkup(<Component components={mdxComponents} />);
    });
    pending.catch(() => htmlCache.delete(key));
    htmlCache.set(key, pending);
  }
  return pending;
}

const splitCache = new Map<string, Promise<SplitModule>>();

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
