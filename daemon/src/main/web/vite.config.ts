import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The page the daemon serves at `/`: built into the jar's /web folder (TONEARM_WEB_OUT, set by the
// Maven build to target/classes/web). The TypeScript SDK is taken from its source in
// client-sdk/ts/src (generated code included), so that the page and the SDK are one build.
// `npm run dev` serves the page from Vite and passes the API and the socket on to a daemon
// (TONEARM_DAEMON, default http://127.0.0.1:7700).
const sdk = fileURLToPath(new URL("../../../../client-sdk/ts/src/", import.meta.url));
const daemon = process.env.TONEARM_DAEMON ?? "http://127.0.0.1:7700";

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@tonearm\/client\/proto$/, replacement: sdk + "proto.ts" },
      { find: /^@tonearm\/client$/, replacement: sdk + "index.ts" },
    ],
    dedupe: ["@bufbuild/protobuf"],
  },
  build: {
    outDir: process.env.TONEARM_WEB_OUT ?? "dist",
    emptyOutDir: true,
    target: "es2022",
    assetsDir: "assets",
    reportCompressedSize: false,
  },
  server: {
    fs: { allow: [fileURLToPath(new URL("../../../../", import.meta.url))] },
    proxy: {
      "/api": daemon,
      "/ws": { target: daemon, ws: true },
    },
  },
});
