import {defineConfig} from "vite";
import react from "@vitejs/plugin-react";
import {fileURLToPath} from "node:url";

// The renderer: one small bundle served by the browser-mode server and loaded from file:// by Electron,
// hence the relative base.
export default defineConfig({
    root: fileURLToPath(new URL("./src-renderer", import.meta.url)),
    base: "./",
    plugins: [react()],
    build: {
        outDir: fileURLToPath(new URL("./dist/renderer", import.meta.url)),
        emptyOutDir: true,
        target: "es2022",
        reportCompressedSize: true
    }
});
