import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { transform } from "esbuild";
import { defineConfig, type Plugin } from "vite";
import { fileURLToPath } from "node:url";
import remixConfig from "./remix.config.js";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

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
        const source = typeof file.source === "string" ? file.source : new TextDecoder().decode(file.source);
        file.source = (await transform(source, { minify: true, legalComments: "none" })).code;
      }
    },
  };
}

export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  server: { port: 3000 },
  ssr: { external: ["@electric-sql/pglite", "@node-rs/argon2", "postgres"] },
  plugins: [tailwindcss(), remix(remixConfig), minifyKaderScript()],
});
