import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import { serviceWorker } from "./app/sw/vite-plugin";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  plugins: [
    remix({
      // Tests live beside the routes they test; they are not routes.
      ignoredRouteFiles: ["**/*.test.{ts,tsx}"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
    // The staff console's service worker, built after Remix's client and server builds (decision 0023).
    serviceWorker(),
  ],
  // `remix vite:dev --port …` sets the port; fail instead of silently moving to another one.
  server: { strictPort: true },
  // @coop/shared ships TypeScript source: let Vite compile it for the server bundle too.
  ssr: { noExternal: ["@coop/shared"] },
});
