// @ts-check
/**
 * The Remix options, in one place: vite.config.ts passes this object to the Remix
 * Vite plugin (the plugin itself does not read this file).
 * @type {import("@remix-run/dev").VitePluginConfig}
 */
export default {
  appDirectory: "app",
  // Flat routes (app/routes/sesi.$id.absensi.tsx); nothing but route modules there.
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}", "**/*.css"],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_singleFetch: true,
    v3_lazyRouteDiscovery: true,
  },
};
