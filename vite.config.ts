import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { transform } from "esbuild";
import { defineConfig, type Plugin } from "vite";
import type { OutputAsset } from "rollup";
import { splitSheets } from "./scripts/split-sheets";
import { fileURLToPath } from "node:url";
import remixConfig from "./remix.config.js";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

/** An emitted asset's text (Rollup keeps it as a string or as bytes). */
const assetText = (file: OutputAsset) =>
  typeof file.source === "string" ? file.source : new TextDecoder().decode(file.source);

/**
 * The kader page script (app/client/kader.js, imported with `?url`) is copied as an asset,
 * comments and all: minified here, since every kader page on a cheap phone loads it.
 */
function minifyKaderScript(): Plugin {
  return {
    name: "akademi-minify-kader-script",
    apply: "build",
    async generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== "asset" || !/^assets\/kader-[\w-]+\.js$/.test(file.fileName)) continue;
        file.source = (await transform(assetText(file), { minify: true, legalComments: "none" })).code;
      }
    },
  };
}

/**
 * kader-lain.css is built as the whole kader sheet (kader.css plus every kader page's files);
 * here it keeps only what kader.css lacks (scripts/split-sheets.ts). Both files keep the names
 * Vite gave them, so the client and the server build agree on them.
 */
function splitKaderSheets(): Plugin {
  return {
    name: "akademi-split-kader-sheets",
    apply: "build",
    enforce: "post",
    generateBundle(_options, bundle) {
      const sheets = Object.values(bundle).filter(
        (f): f is OutputAsset => f.type === "asset" && f.fileName.endsWith(".css"),
      );
      const from = (file: string) =>
        sheets.filter((f) => [...(f.originalFileNames ?? []), ...(f.names ?? [])].some((n) => n.endsWith(file)));
      const [first] = from("app/styles/kader.css");
      const [rest] = from("app/styles/kader-lain.css");
      if (!first && !rest) return;
      if (!first || !rest) throw new Error("split-sheets: kader.css and kader-lain.css must be built together");
      const split = splitSheets(assetText(rest), assetText(first));
      first.source = split.first;
      rest.source = split.rest;
    },
  };
}

export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  server: { port: 3000 },
  ssr: { external: ["@electric-sql/pglite", "@node-rs/argon2", "postgres"] },
  plugins: [tailwindcss(), remix(remixConfig), minifyKaderScript(), splitKaderSheets()],
});
