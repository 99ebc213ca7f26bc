// Builds the explorer into the Python package (api/ is installed as ieic_kg.api), served at /explorer/.
// `npm run dev` serves the sources with the API proxied from IEIC_API (default http://127.0.0.1:8000).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const api = process.env.IEIC_API ?? "http://127.0.0.1:8000";

export default defineConfig({
  base: "/explorer/",
  build: {
    outDir: fileURLToPath(new URL("../api/static/explorer", import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 800,
    sourcemap: false,
  },
  server: {
    proxy: { "/v1": api, "/sparql": api, "/ready": api },
  },
});
