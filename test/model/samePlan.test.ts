// Issue 12: the CLI and the app plan runs the same way. The CLI's `bench --dry-run` (a real process, real
// hardware detection) and the API's defaultPlan (the handlers the app and browser mode call) are asked for the
// plan of the same model on this machine; they must agree exactly, and so must their estimates' test counts.
import {execFile} from "node:child_process";
import path from "node:path";
import {promisify} from "node:util";
import {fileURLToPath} from "node:url";
import {describe, expect, it} from "vitest";
import {createHandlers} from "../../src-main/api/createHandlers.js";
import type {SweepSpec} from "../../src-main/engine/types.js";
import type {SweepEstimate} from "../../src-main/engine/bench/estimateSweep.js";
import {useTinyModel} from "../fixtures/useTinyModel.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const tiny = useTinyModel("llamameter-same-plan-");

describe("one plan for every front end", () => {
    it("bench --dry-run prints the plan the app's defaultPlan answers, for the same model on this machine", async () => {
        const resultsFile = path.join(tiny.dir, "results.jsonl");
        const {stdout} = await promisify(execFile)(process.execPath, ["--import", "tsx", "src-main/cli/main.ts", "bench", "--dry-run", "-o", "json",
            "--bandwidth", "skip", "-m", tiny.model], {cwd: root, env: {...process.env, LLAMAMETER_RESULTS: resultsFile}, timeout: 120_000});
        const cli = JSON.parse(stdout) as {plan: SweepSpec, estimate: SweepEstimate};

        const handlers = createHandlers({modelsDirs: [tiny.dir], resultsFile, emit: () => {}, bandwidth: "skip", discoverDefaultDirs: false});
        const app = await handlers.defaultPlan({models: [tiny.model]});
        expect(cli.plan).toEqual(app);
        expect(app.models).toEqual([tiny.model]);
        const estimate = await handlers.estimateSweep(app);
        expect(cli.estimate.tests).toBe(estimate.tests);
        expect(cli.estimate.warnings).toEqual(estimate.warnings);
    }, 180_000);
});
