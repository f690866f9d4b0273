// Vite builds the client into dist/, which the Flask app serves at `/` (api/web.py).
// `npm run dev` proxies the API and the socket to a local `make run` on port 8000.
import { defineConfig } from "vite";

const backend = process.env.BEATGRAPH_BACKEND ?? "http://127.0.0.1:8000";

export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", sourcemap: false },
  server: {
    proxy: {
      "/api/v1/ws": { target: backend.replace(/^http/, "ws"), ws: true },
      "/api": backend,
      "/messages": backend,
    },
  },
});
