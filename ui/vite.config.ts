// Vite + Vitest configuration for the Threatwright UI.
// The built bundle (ui/dist) is embedded into the Tauri binary; it must run under the
// strict CSP in src-tauri/tauri.conf.json (no inline scripts or styles).
import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

export default defineConfig({
  plugins: [react()],
  // Relative asset URLs work both under tauri://localhost and the test static server.
  base: "./",
  clearScreen: false,
  // The bundled user guide lives in ../docs (src/help/guide.ts imports it).
  server: { port: 5173, strictPort: true, fs: { allow: [".."] } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // Never inline assets as data: URLs into scripts/styles; keep everything as files.
    assetsInlineLimit: 0,
  },
  test: {
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
