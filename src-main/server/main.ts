// `npm run web`: browser mode. Builds the renderer when dist/renderer is missing or older than its sources, starts the local
// server over the same API handlers as the desktop app, and prints the address with its token.
import {Command, InvalidArgumentError} from "commander";
import {spawnSync} from "node:child_process";
import {createRequire} from "node:module";
import path from "node:path";
import {createHandlers} from "../api/createHandlers.js";
import {createEventHub} from "../api/eventHub.js";
import {defaultModelsDir} from "../engine/models/discoverModels.js";
import {defaultResultsFile} from "../engine/store/resultsStore.js";
import {packageRoot} from "../engine/packageRoot.js";
import {rendererBuildState} from "./rendererBuildState.js";
import {startServer, type RunningServer} from "./startServer.js";


function parsePort(text: string): number {
    const port = Number(text);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new InvalidArgumentError("a port is a whole number from 0 to 65535 (0 = any free port)");
    return port;
}

/** Runs `vite build` (the renderer's vite.config.ts) with this Node, so it works the same on every OS. */
function buildRenderer(root: string, why: string): boolean {
    const require = createRequire(import.meta.url);
    const vite = path.join(path.dirname(require.resolve("vite/package.json")), "bin", "vite.js");
    console.log(`LlamaMeter: ${why}; building it (vite build)...`);
    const result = spawnSync(process.execPath, [vite, "build"], {cwd: root, stdio: "inherit"});
    return result.status === 0;
}

const program = new Command()
    .name("llamameter-web")
    .description("LlamaMeter in the browser: serves the UI and the benchmark API on this machine.")
    .option("--host <host>", "interface to listen on (another than 127.0.0.1 exposes it to the network; the token still guards it)", "127.0.0.1")
    .option("--port <port>", "port (0 = any free port)", parsePort, 8377)
    .option("--models <dirs...>", "model folders to serve (the first receives synthetic models)")
    .option("--no-discover", "do not serve LM Studio's, Ollama's and the Hugging Face cache folders")
    .option("--results <file>", "results history file (JSON lines)")
    .option("--skip-bandwidth", "do not measure memory bandwidth (the ceiling columns stay empty)")
    .option("--no-build", "do not build the UI when dist/renderer is missing or older than src-renderer/");

const opts = program.parse().opts<{
    host: string, port: number, models?: string[], discover: boolean, results?: string,
    skipBandwidth?: boolean, build: boolean
}>();

const root = packageRoot();
const staticDir = path.join(root, "dist", "renderer");
const buildState = rendererBuildState(root, staticDir);
if (buildState === "missing" && (!opts.build || !buildRenderer(root, "the UI is not built yet"))) {
    console.error(`LlamaMeter: the UI is not built (${staticDir} has no index.html). Run \`npm run build:renderer\` in ${root}, then start again.`);
    process.exit(1);
}
if (buildState === "stale") {
    if (!opts.build)
        console.warn("LlamaMeter: serving a UI built before the latest changes in src-renderer/ (--no-build); `npm run build:renderer` updates it.");
    else if (!buildRenderer(root, "the UI is older than its sources in src-renderer/")) {
        console.error(`LlamaMeter: rebuilding the UI failed (see above); fix it, or start with --no-build to serve the previous build.`);
        process.exit(1);
    }
}

const shutdown = new AbortController();
const events = createEventHub();
const handlers = createHandlers({
    modelsDirs: opts.models != null && opts.models.length > 0 ? opts.models.map((dir) => path.resolve(dir)) : [defaultModelsDir()],
    discoverDefaultDirs: opts.discover,
    resultsFile: opts.results != null ? path.resolve(opts.results) : defaultResultsFile(),
    emit: events.emit,
    bandwidth: opts.skipBandwidth === true ? "skip" : "measure",
    signal: shutdown.signal
});

let server: RunningServer;
try {
    server = await startServer({handlers, events, host: opts.host, port: opts.port, staticDir, signal: shutdown.signal});
} catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    console.error(code === "EADDRINUSE"
        ? `LlamaMeter: port ${opts.port} is in use; pick another with --port (or --port 0 for any free one).`
        : `LlamaMeter: could not start the server: ${(err as Error).message}`);
    process.exit(1);
}

console.log("LlamaMeter is running. Open this address in a browser (the token in it is the password):");
console.log("");
console.log(`    ${server.url}`);
console.log("");
console.log("Press Ctrl-C to stop (a running benchmark is cancelled; its finished rows are kept).");

let stopping = false;
const stop = () => {
    if (stopping)
        process.exit(130);
    stopping = true;
    shutdown.abort();
    // Give a running sweep a moment to kill its worker and write its last row.
    setTimeout(() => process.exit(0), 1500).unref();
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
