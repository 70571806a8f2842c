// End to end in Debian's Chromium: the real browser-mode server over the real engine (llama.cpp on a tiny
// synthetic model), driven through the UI as a user would. Screenshots go to test-results/ to be looked at.
import {spawnSync} from "node:child_process";
import {existsSync} from "node:fs";
import {createRequire} from "node:module";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {fileURLToPath} from "node:url";
import zlib from "node:zlib";
import {parse} from "csv-parse/sync";
import {chromium, type BrowserContext, type Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {createEventHub} from "../../src-main/api/eventHub.js";
import {createHandlers} from "../../src-main/api/createHandlers.js";
import {startServer, type RunningServer} from "../../src-main/server/startServer.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const artifacts = path.join(root, "test-results");
const chromiumPath = "/usr/bin/chromium";
const axeSource = await fs.readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
// CI installs Chromium (.ci/run), so there a missing browser is a failure, not a skip.
const skipReason = !existsSync(chromiumPath) && process.env.CI == null
    ? `no Chromium at ${chromiumPath} (install Debian's chromium package; browsers are never downloaded)` : null;
if (skipReason != null) console.warn(`browserFlow skipped: ${skipReason}`);

interface Recorded {
    steps: string[],
    bars: number[],
    /** The History panel's top edge (page coordinates) at each change of the progress area. */
    historyTops: number[]
}

describe.skipIf(skipReason != null)("browser mode in Chromium", () => {
    let temp: string;
    let modelsDir: string;
    let server: RunningServer;
    let context: BrowserContext;
    let page: Page;
    const shutdown = new AbortController();
    const pageErrors: string[] = [];
    const metrics: Record<string, number | string> = {};

    async function shot(name: string) {
        await page.screenshot({path: path.join(artifacts, `e2e-${name}.png`), fullPage: true});
    }

    /**
     * axe-core's serious and critical violations on the page as it is now (the viewport decides what is laid out,
     * e.g. cards below 900 px), one line each. axe.min.js is evaluated in the page through the DevTools protocol,
     * which the server's Content-Security-Policy does not govern (a <script> tag would be refused).
     */
    async function seriousAxeViolations(): Promise<string[]> {
        if (!await page.evaluate(() => "axe" in window)) await page.evaluate(axeSource);
        return await page.evaluate(async () => {
            const axe = (window as unknown as {axe: {run: (context: Document, options: object) => Promise<{violations: Array<{id: string, impact?: string | null, nodes: Array<{target: unknown[]}>}>}>}}).axe;
            const {violations} = await axe.run(document, {resultTypes: ["violations"]});
            return violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical")
                .map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
        });
    }

    /** No serious or critical axe-core violation at 1400 px nor at 760 px; leaves the viewport at 1400 x 900. */
    async function expectAccessibleAtBothWidths() {
        for (const width of [1400, 760]) {
            await page.setViewportSize({width, height: 900});
            await expect(seriousAxeViolations(), `at ${width} px`).resolves.toEqual([]);
        }
        await page.setViewportSize({width: 1400, height: 900});
    }

    /** Records every state the progress area goes through (the tiny model's runs take seconds). */
    async function recordProgress() {
        await page.evaluate(() => {
            const w = window as unknown as {recorded: Recorded};
            w.recorded = {steps: [], bars: [], historyTops: []};
            const area = document.querySelector(".progress-area");
            const step = document.querySelector("[data-testid=progress-step]");
            const bar = document.querySelector("[role=progressbar]");
            const history = document.getElementById("history-title")?.closest("section");
            if (area == null || step == null || bar == null || history == null) throw new Error("progress area not found");
            new MutationObserver(() => {
                w.recorded.steps.push(step.textContent ?? "");
                w.recorded.bars.push(Number(bar.getAttribute("aria-valuenow")));
                w.recorded.historyTops.push(history.getBoundingClientRect().top + window.scrollY);
            }).observe(area, {subtree: true, childList: true, characterData: true, attributes: true});
        });
    }

    const recorded = () => page.evaluate(() => (window as unknown as {recorded: Recorded}).recorded);
    const step = () => page.getByTestId("progress-step");

    /** Opens Advanced (once) and fills the sweep fields. */
    let besideSeen = false;
    async function setPlan(fields: {models?: string, threads: string, p: string, n: string, reps: string}) {
        const advanced = page.locator("details.advanced");
        if (await advanced.getAttribute("open") == null) await page.getByText("Advanced", {exact: true}).click();
        if (fields.models != null) await page.getByLabel("Models (one path per line)", {exact: true}).fill(fields.models);
        await page.getByLabel("Threads", {exact: true}).fill(fields.threads);
        await page.getByLabel("GPU layers", {exact: true}).fill("0");
        await page.getByLabel("Prompt tokens (p)", {exact: true}).fill(fields.p);
        await page.getByLabel("Generated tokens (n)", {exact: true}).fill(fields.n);
        await page.getByLabel("Repetitions", {exact: true}).fill(fields.reps);
        // LlamaMeter's rows only: llama-bench beside the rows that fall short (on by default) runs only where a
        // llama-bench is at hand, which a fresh clone lacks and a machine with a cached build has.
        const beside = page.getByTestId("engine-beside");
        if (!besideSeen) expect(await beside.isChecked(), "the default plan asks for llama-bench beside rows that fall short").toBe(true);
        besideSeen = true;
        if (await beside.isChecked()) await beside.uncheck();
        // Never a software device (CI has lavapipe) unless the user picks it.
        expect(await page.getByLabel("GPU device", {exact: true}).inputValue()).toBe("");
    }

    beforeAll(async () => {
        temp = await fs.mkdtemp(path.join(os.tmpdir(), "llamameter-e2e-"));
        modelsDir = path.join(temp, "models");
        await fs.mkdir(modelsDir);
        await fs.mkdir(artifacts, {recursive: true});

        // The renderer as shipped: a production build, served by the real server.
        // In its own process: vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
        const staticDir = path.join(temp, "renderer");
        const vite = path.join(path.dirname(createRequire(import.meta.url).resolve("vite/package.json")), "bin", "vite.js");
        const built = spawnSync(process.execPath, [vite, "build", "--logLevel", "warn", "--outDir", staticDir, "--emptyOutDir"],
            {cwd: root, env: {...process.env, NODE_ENV: "production"}, encoding: "utf8"});
        if (built.status !== 0) throw new Error(`vite build failed: ${built.stderr}`);
        let gzipBytes = 0;
        let rawBytes = 0;
        for (const file of await fs.readdir(staticDir, {recursive: true})) {
            if (!/\.(js|css|html|svg)$/.test(file)) continue;
            const content = await fs.readFile(path.join(staticDir, file));
            rawBytes += content.length;
            gzipBytes += zlib.gzipSync(content, {level: 9}).length;
        }
        metrics.rendererBytes = rawBytes;
        metrics.rendererGzipBytes = gzipBytes;

        const events = createEventHub();
        const handlers = createHandlers({
            modelsDirs: [modelsDir],
            discoverDefaultDirs: false,
            resultsFile: path.join(temp, "results.jsonl"),
            emit: events.emit,
            signal: shutdown.signal
        });
        server = await startServer({handlers, events, port: 0, staticDir, signal: shutdown.signal});

        context = await chromium.launchPersistentContext(path.join(temp, "chromium-profile"), {
            executablePath: chromiumPath,
            args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic"],
            viewport: {width: 1400, height: 900},
            acceptDownloads: true,
            colorScheme: "light",
            reducedMotion: "reduce"
        });
        page = context.pages()[0] ?? await context.newPage();
        page.on("pageerror", (error) => pageErrors.push(error.message));
    });

    afterAll(async () => {
        await context?.close();
        shutdown.abort();
        await server?.close();
        await fs.writeFile(path.join(artifacts, "e2e-metrics.json"), JSON.stringify(metrics, null, 2) + "\n").catch(() => {});
        console.log("browserFlow metrics:", JSON.stringify(metrics));
        if (temp != null) await fs.rm(temp, {recursive: true, force: true});
    });

    it("opens with the token, hides it from the address bar and shows this machine", async () => {
        await page.goto(server.url);
        const facts = page.getByTestId("hardware-facts");
        // The first detection measures memory bandwidth (a few seconds).
        await facts.waitFor({timeout: 60_000});
        expect(page.url()).not.toContain("token=");
        // The facts come first; the bandwidth follows when the probe is done, with a way to measure it again.
        await page.getByRole("button", {name: "Measure again"}).waitFor({timeout: 60_000});
        await expect(facts.textContent()).resolves.toMatch(/GB\/s/);
        // Each value says where it came from; the bandwidth was measured here.
        expect(await page.getByRole("region", {name: "This machine"}).locator(".source", {hasText: /^measured/}).count()).toBeGreaterThan(0);
        metrics.coldHardwareRenderedMs = await page.evaluate(() => performance.getEntriesByName("llamameter:hardware-rendered")[0]?.startTime ?? -1);
        // The bandwidth's spread is shown beside it.
        await expect(page.getByTestId("bandwidth-spread").textContent()).resolves.toMatch(/^read windows: 1 thread [\d.]+–[\d.]+ GB\/s \(\d+%, \d+ windows?\), \d+ threads? /);
        // The first screen, before any run: no serious or critical accessibility violation at either width.
        await expectAccessibleAtBothWidths();

        // Reload (the token now comes from session storage): the renderer's own time to interactive.
        await page.reload();
        await facts.waitFor();
        const marks = await page.evaluate(() => ({
            interactive: performance.getEntriesByName("llamameter:interactive")[0]?.startTime ?? -1,
            hardware: performance.getEntriesByName("llamameter:hardware-rendered")[0]?.startTime ?? -1,
            domContentLoaded: (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined)?.domContentLoadedEventEnd ?? -1
        }));
        metrics.ttiInteractiveMs = Math.round(marks.interactive);
        metrics.ttiHardwareRenderedMs = Math.round(marks.hardware);
        metrics.domContentLoadedMs = Math.round(marks.domContentLoaded);
        await shot("01-machine");
    });

    it("creates a tiny synthetic model and picks it", async () => {
        const models = page.getByRole("region", {name: "Models"});
        const synth = models.getByRole("form", {name: "Create a synthetic model"});
        await synth.getByLabel("Shape").fill("tiny");
        await synth.getByLabel("Type").selectOption("q4_0");
        await synth.getByRole("button", {name: "Create"}).click();
        await models.getByText(/^written: tiny.*\.gguf$/).waitFor({timeout: 60_000});
        const checkbox = page.getByRole("checkbox", {name: /^Use tiny.*\.gguf$/});
        await expect(models.locator(checkbox).isChecked()).resolves.toBe(true);
        const row = models.locator("tr", {has: checkbox});
        await expect(row.textContent()).resolves.toMatch(/Q4_0/);
        // Before any run: its predicted ceiling and an inline fit line, also at the top of the page.
        await expect.poll(() => row.getByTestId("predicted-ceiling").textContent(), {timeout: 30_000}).toMatch(/^≤ [\d.]+$/);
        await expect(row.getByTestId("fit-line").textContent()).resolves.toMatch(/^fits: [\d.]+ (KiB|MiB) of [\d.]+ GiB RAM$/);
        await expect.poll(() => page.getByTestId("prediction").textContent(), {timeout: 30_000}).toMatch(/at most [\d.]+ tok\/s/);
        // What if: a 70B model, with no file written.
        const whatIf = models.getByRole("form", {name: "What if: predict a model"});
        await whatIf.getByLabel("Shape").selectOption("70b");
        await whatIf.getByRole("button", {name: "Predict"}).click();
        await expect.poll(() => whatIf.getByTestId("what-if").textContent(), {timeout: 30_000})
            .toMatch(/^70b Q4_0: (does not fit|fits) \([\d.]+ GiB of [\d.]+ GiB RAM\) · (ceiling [\d.]+ tok\/s|no ceiling)/);
        await shot("01b-predicted");
    });

    it("estimates a sweep before it runs, and warns without blocking", async () => {
        // Threads far above any machine's cores and more GPU layers than the tiny model's 2: both warned about.
        await setPlan({threads: "1,1000", p: "16", n: "8", reps: "2"});
        await page.getByLabel("GPU layers", {exact: true}).fill("0,99");
        const warnings = page.getByTestId("sweep-warnings");
        await expect.poll(() => warnings.textContent(), {timeout: 30_000}).toMatch(/threads 1000 above the \d+ physical cores?/);
        await expect(warnings.textContent()).resolves.toMatch(/GPU layers 99 above tiny[\w.-]*\.gguf's 2 layers: the same as max/);
        // Ranges as llama-bench writes them: 1-2 is 1,2; the estimate names the time, the loads and the bytes.
        await setPlan({threads: "1-2", p: "16", n: "8", reps: "2"});
        await expect.poll(() => page.getByTestId("plan-summary").textContent(), {timeout: 30_000})
            .toMatch(/^[≈≥] \d+ (s|min), 1 model load, [\d.]+ (KiB|MiB) read\. 2 tests × 2 reps: .* threads 1,2 /);
        await expect(page.getByTestId("sweep-warnings").count()).resolves.toBe(0);
        await page.screenshot({path: path.join(artifacts, "e2e-02a-estimate-1400.png")});
    });

    it("runs a short benchmark, streams progress, and shows the row and the chart", async () => {
        await setPlan({threads: "1", p: "16", n: "8", reps: "2"});
        await recordProgress();
        await page.getByRole("button", {name: "Run with these settings"}).click();
        await expect.poll(() => step().textContent(), {timeout: 120_000}).toBe("Finished: 1 row.");
        const seen = await recorded();
        // Progress streamed: the current step with an ETA, and the bar moving up to full.
        expect(seen.steps.some((text) => /^Test 1 of 1 · .* · ETA /.test(text))).toBe(true);
        expect(seen.bars.some((value) => value > 0 && value < 100)).toBe(true);
        expect(seen.bars.at(-1)).toBe(100);
        // No layout jumps while the run streamed: the panel below the results never moved.
        expect(new Set(seen.historyTops).size, JSON.stringify(seen.steps.map((text, i) => [text, seen.historyTops[i]]))).toBe(1);

        const rows = page.getByTestId("result-row");
        await expect(rows.count()).resolves.toBe(1);
        const rowText = await rows.first().textContent() ?? "";
        // the layers llama.cpp really offloaded, of all it counts (the tiny model: 2 layers + output)
        expect(rowText).toMatch(/t1 · gl 0\/3 · p16 · n8/);
        expect(rowText).toMatch(/^.*ok /);
        await expect(page.getByTestId("chart-point").count()).resolves.toBe(1);
        // Bandwidth was measured at start, so the row has a ceiling and the chart draws it.
        await expect(page.getByTestId("chart-ceiling").count()).resolves.toBe(1);
        // The answer up front: the headline, in the first viewport, once the run is done (1400 x 900).
        const headline = page.getByTestId("headline");
        await expect(headline.count()).resolves.toBe(1);
        await expect(headline.textContent()).resolves.toMatch(/[\d.]+ tok\/s( decode · [\d.]+ tok\/s end to end)? · (\d+% of a|against a) [\d.]+ tok\/s (spec-sheet )?ceiling · first token [\d.]+ (ms|s)/);
        // Scrolled into view when the run finished, though the click was far down the page.
        await expect.poll(async () => {
            const box = await headline.boundingBox();
            return box != null && box.y >= 0 && box.y + box.height <= 900;
        }, {timeout: 5_000}).toBe(true);
        // Measured and ceiling in two colours.
        const colours = await headline.evaluate((element) => [".measured-value", ".ceiling-value"]
            .map((selector) => getComputedStyle(element.querySelector(selector)!).color));
        expect(colours[0]).not.toBe(colours[1]);
        await page.screenshot({path: path.join(artifacts, "e2e-02b-after-run-viewport-1400.png")});
        // The why, whole, one keypress away.
        const why = rows.first().locator("button[aria-controls]");
        await expect(why.textContent()).resolves.toBe("Why…");
        await why.focus();
        await page.keyboard.press("Enter");
        await expect(why.getAttribute("aria-expanded")).resolves.toBe("true");
        const whyRow = page.locator(`#${await why.getAttribute("aria-controls")}`);
        await expect(whyRow.isVisible()).resolves.toBe(true);
        await expect(whyRow.textContent()).resolves.toMatch(/memory-bound: \d+% of the|% of the bandwidth ceiling|compute-bound|above the ceiling/);
        // every token's time, drawn, and the energy or why there is none
        await expect(whyRow.locator("figcaption").textContent()).resolves.toMatch(/^Per-token latency over \d+ generated tokens: p50 [\d.]+ ms, p90 [\d.]+ ms, p99 [\d.]+ ms, max/);
        await expect(whyRow.getByTestId("energy-line").textContent()).resolves.toMatch(/^(Energy [\d.]+ J a repetition|Energy not measured: )/);

        // This machine ranked among the reference machines.
        await expect(page.getByTestId("this-machine-row").textContent()).resolves.toMatch(/This machine/);
        await shot("02-results");
        // Results visible (the why row open): no serious or critical accessibility violation at either width.
        await expectAccessibleAtBothWidths();
    });

    it("exports the run as CSV that parses back to the same row", async () => {
        const [download] = await Promise.all([
            page.waitForEvent("download"),
            page.getByRole("button", {name: "Export CSV"}).click()
        ]);
        expect(download.suggestedFilename()).toMatch(/\.csv$/);
        const text = await fs.readFile(await download.path(), "utf8");
        const records = parse(text, {columns: true, skip_empty_lines: true}) as Array<Record<string, string>>;
        expect(records).toHaveLength(1);
        const record = records[0]!;
        expect(record).toMatchObject({threads: "1", n_prompt: "16", n_gen: "8", gpu_layers: "0", status: "ok"});
        const tgMean = Number(record.tg_tps_mean);
        expect(tgMean).toBeGreaterThan(0);
        // The table shows the same measurement the file holds (rounded to 3 significant figures).
        // the end-to-end column (the decode one, before it, is llama.cpp's own rate)
        const tgCell = await page.getByTestId("result-row").first().locator("td").nth(4).textContent() ?? "";
        const shown = Number(tgCell.split(" ± ")[0]);
        expect(Math.abs(shown - tgMean) / tgMean).toBeLessThan(0.01);
    });

    it("cancels a second run mid-way and keeps its finished rows", async () => {
        // Enough tests that the run is still going when Cancel is clicked after the first row.
        const prompts = Array.from({length: 24}, (_, i) => 16 + 8 * i);
        await setPlan({threads: "1", p: prompts.join(","), n: "8", reps: "2"});
        await recordProgress();
        await page.getByRole("button", {name: "Run with these settings"}).click();
        // Pending rows hold the table's height from the start.
        await expect.poll(() => page.getByTestId("pending-row").count()).toBe(prompts.length);
        await page.getByTestId("result-row").first().waitFor({timeout: 120_000});
        await page.getByRole("button", {name: "Cancel"}).click();
        await shot("03-cancelling");
        await expect.poll(() => step().textContent(), {timeout: 30_000}).toMatch(/^Cancelled: \d+ finished rows? kept\.$/);
        const kept = Number(/(\d+)/.exec(await step().textContent() ?? "")?.[1]);
        const okRows = await page.locator("[data-testid=result-row].status-ok").count();
        expect(okRows).toBeGreaterThanOrEqual(1);
        expect(okRows).toBeLessThan(prompts.length);
        expect(kept).toBe(okRows);
        // Besides the kept rows, at most the one test the cancel cut short, marked as such.
        await expect(page.locator("[data-testid=result-row]:not(.status-ok):not(.status-cancelled)").count()).resolves.toBe(0);
        expect(await page.locator("[data-testid=result-row].status-cancelled").count()).toBeLessThanOrEqual(1);
        await expect(page.getByTestId("pending-row").count()).resolves.toBe(0);
        // The history keeps them too, as a second run.
        await expect.poll(() => page.getByTestId("history-run").count()).toBe(2);
        await expect(page.getByTestId("history-run").first().textContent()).resolves.toContain(`${okRows} ok`);
        await shot("04-cancelled");
    });

    it("compares the two runs side by side", async () => {
        const runs = page.getByTestId("history-run");
        await runs.nth(0).getByRole("checkbox").check();
        await runs.nth(1).getByRole("checkbox").check();
        const comparison = page.getByRole("table", {name: "Run comparison"});
        await comparison.waitFor();
        // p 16 ran in both: one line with both runs' numbers and their ratio.
        const shared = comparison.locator("tr", {hasText: "p 16 · n 8"});
        await expect(shared.locator("td").last().textContent()).resolves.toMatch(/^\d+\.\d\d×$/);
        // Beside it, the machines overlaid on one chart: both runs' points and ceilings (one machine here, two runs).
        const chart = page.getByTestId("compare-chart");
        await expect(chart.getByTestId("compare-series").count()).resolves.toBe(2);
        await expect(chart.getByTestId("compare-ceiling").count()).resolves.toBe(2);
        await expectAccessibleAtBothWidths();
        await page.getByRole("region", {name: "History"}).screenshot({path: path.join(artifacts, "e2e-04b-compare-1400.png")});
    });

    it("shows a corrupt model file's error clearly and keeps working", async () => {
        const bad = path.join(modelsDir, "bad.gguf");
        await fs.writeFile(bad, "this is a text file, not a model\n");
        const models = page.getByRole("region", {name: "Models"});
        await models.getByRole("button", {name: "Refresh"}).click();
        const badRow = models.locator("tr.error-row", {hasText: "bad.gguf"});
        await badRow.waitFor();
        const listError = await badRow.locator(".inline-error").textContent() ?? "";
        expect(listError.length).toBeGreaterThan(5);
        expect(listError).not.toMatch(/\n|^\s*at /);

        // Adding it by path: the alert region says what is wrong with it, in one line.
        await models.getByLabel("GGUF file path").fill(bad);
        await models.getByRole("button", {name: "Add file"}).click();
        const alert = page.getByRole("alert");
        const alertText = alert.locator(".alert-text", {hasText: "bad.gguf"});
        await alertText.waitFor();
        await expect(alertText.textContent()).resolves.toContain(listError);
        await shot("05-corrupt-alert");
        await alert.getByRole("button", {name: /^Dismiss/}).click();

        // Benchmarking it anyway: the run ends with that file's error, in words.
        await setPlan({models: bad, threads: "1", p: "16", n: "8", reps: "2"});
        await recordProgress();
        await page.getByRole("button", {name: "Run with these settings"}).click();
        await expect.poll(() => step().textContent(), {timeout: 60_000}).toMatch(/^(Finished: 1 row\.|The run failed\.)$/);
        const errorRow = page.locator("[data-testid=result-row].status-error");
        const shownError = await errorRow.count() > 0 ? await errorRow.locator("td.why").textContent() ?? "" : await alert.textContent() ?? "";
        expect(shownError).toMatch(/bad\.gguf/);
        await shot("06-corrupt-run");

        // The app still works: the tiny model benchmarks again.
        const tiny = (await fs.readdir(modelsDir)).find((name) => name.startsWith("tiny"));
        await setPlan({models: path.join(modelsDir, tiny!), threads: "1", p: "16", n: "8", reps: "2"});
        await page.getByRole("button", {name: "Run with these settings"}).click();
        await expect.poll(() => step().textContent(), {timeout: 120_000}).toBe("Finished: 1 row.");
        await expect(page.locator("[data-testid=result-row].status-ok").count()).resolves.toBe(1);
    });

    it("is keyboard reachable with a visible focus", async () => {
        await page.evaluate(() => { (document.activeElement as HTMLElement | null)?.blur(); window.scrollTo(0, 0); });
        let reached: {text: string, outline: string} | null = null;
        for (let i = 0; i < 80 && reached == null; i++) {
            await page.keyboard.press("Tab");
            const focused = await page.evaluate(() => {
                const element = document.activeElement as HTMLElement | null;
                return {text: element?.textContent ?? "", outline: element != null ? getComputedStyle(element).outlineStyle : "none"};
            });
            if (focused.text === "Run benchmark") reached = focused;
        }
        expect(reached).not.toBeNull();
        expect(reached?.outline).not.toBe("none");
    });

    it("imports llama-bench's CSV into History, says what it did, and keeps it across a server restart", async () => {
        // As llama-bench -o csv prints it (tools/llama-bench/llama-bench.cpp, csv_printer): one pp and one tg test.
        const fields = "build_commit,build_number,cpu_info,gpu_info,backends,model_filename,model_type,model_size,model_n_params,n_batch,n_ubatch," +
            "n_threads,cpu_mask,cpu_strict,poll,type_k,type_v,n_gpu_layers,n_cpu_moe,split_mode,main_gpu,no_kv_offload,flash_attn,devices," +
            "tensor_split,tensor_buft_overrides,load_mode,lazy_mode,embeddings,no_op_offload,no_host,fit_target,fit_min_ctx,n_prompt,n_gen,n_depth," +
            "test_time,avg_ns,stddev_ns,avg_ts,stddev_ts";
        const test = (p: number, n: number, ts: string) => ["abc1234", "6500", "Other Machine CPU", "", "CPU", "/m/llama-1b-q4_0.gguf", "llama 1B Q4_0",
            "636000000", "1100048384", "2048", "512", "2", "0x0", "0", "50", "f16", "f16", "0", "0", "layer", "0", "0", "0", "auto", "0.00", "none",
            "mmap", "off", "0", "0", "0", "0", "0", String(p), String(n), "0", "2026-11-30T10:00:00Z", "2000000000", "50000000", ts, "1.000000"]
            .map((value) => `"${value}"`).join(",");
        const file = path.join(temp, "llama-bench.csv");
        await fs.writeFile(file, `${fields}\n${test(512, 0, "256.000000")}\n${test(0, 128, "25.600000")}\n`);
        const history = page.getByRole("region", {name: "History"});
        const runsBefore = await page.getByTestId("history-run").count();
        await history.locator("input[type=file]").setInputFiles(file);
        await expect.poll(() => page.getByTestId("import-summary").textContent()).toBe("Import: 2 imported.");
        await expect.poll(() => page.getByTestId("history-run").count()).toBe(runsBefore + 1);
        // again: nothing new, and it says so
        await history.locator("input[type=file]").setInputFiles(file);
        await expect.poll(() => page.getByTestId("import-summary").textContent()).toBe("Import: 0 imported, 2 duplicates skipped.");

        // A restart: new handlers and server over the same results file.
        await server.close();
        const events = createEventHub();
        const handlers = createHandlers({
            modelsDirs: [modelsDir], discoverDefaultDirs: false, resultsFile: path.join(temp, "results.jsonl"), emit: events.emit, signal: shutdown.signal
        });
        server = await startServer({handlers, events, port: 0, staticDir: path.join(temp, "renderer"), signal: shutdown.signal});
        await page.goto(server.url);
        await expect.poll(() => page.getByTestId("history-run").count(), {timeout: 30_000}).toBe(runsBefore + 1);
        await expect(page.getByTestId("history-run").filter({hasText: "Other Machine CPU"}).count()).resolves.toBe(1);
    });

    it("has no serious or critical axe-core violation at 1400 or 760 px, and turns rows into cards below 900 px", async () => {
        await expectAccessibleAtBothWidths();
        await page.setViewportSize({width: 760, height: 900});
        // Cards: no results row wider than the page, nothing scrolled sideways.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        await expect(page.locator(".results-table thead").isVisible()).resolves.toBe(false);
        await shot("09-narrow-light");
        await page.setViewportSize({width: 1400, height: 900});
        await shot("10-wide-light");
    });

    it("switches to the dark theme, and threw no page errors", async () => {
        await page.getByRole("button", {name: /^Theme: system/}).click();
        await page.getByRole("button", {name: /^Theme: light/}).click();
        await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe("dark");
        const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        expect(background).toBe("rgb(15, 19, 24)");
        await shot("07-dark");
        await expectAccessibleAtBothWidths();
        await page.setViewportSize({width: 760, height: 900});
        await shot("08-narrow-dark");
        expect(pageErrors).toEqual([]);
    });
});
