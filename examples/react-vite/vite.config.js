// React 19 without @vitejs/plugin-react: Vite's own transform compiles JSX with the automatic
// runtime. In development, the Turnkey-compatible sandbox (`make demo`) answers the API calls.
import { defineConfig } from "vite";

const sandbox = process.env.SANDBOX_URL ?? "http://localhost:8787";

export default defineConfig({
  oxc: { jsx: { runtime: "automatic" } },
  build: { target: "es2022" },
  server: {
    proxy: Object.fromEntries(["/public", "/platform", "/sandbox"].map((p) => [p, sandbox])),
  },
});
