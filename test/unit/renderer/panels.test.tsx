// @vitest-environment happy-dom
import {cleanup, fireEvent, render, screen, waitFor, within} from "@testing-library/react";
import {afterEach, describe, expect, it, vi} from "vitest";
import {BenchmarkPanel} from "../../../src-renderer/BenchmarkPanel.js";
import {emptyRunProgress} from "../../../src-renderer/benchProgress.js";
import {HardwarePanel} from "../../../src-renderer/HardwarePanel.js";
import {HistoryPanel} from "../../../src-renderer/HistoryPanel.js";
import {ModelsPanel} from "../../../src-renderer/ModelsPanel.js";
import {ResultsPanel} from "../../../src-renderer/ResultsPanel.js";
import {formatBytes} from "../../../src-renderer/format.js";
import {formatList} from "../../../src-renderer/parseList.js";
import {hardwareFixture, modelsFixture, planFixture, referenceFixture, resultFixture} from "./fixtures.js";

afterEach(cleanup);

describe("HardwarePanel", () => {
    it("shows each value with its source and says unknown plainly", () => {
        render(<HardwarePanel hardware={hardwareFixture} />);
        const facts = screen.getByTestId("hardware-facts");
        expect(within(facts).getByText("Test CPU 9000").nextElementSibling?.textContent).toBe("systeminformation");
        const logical = within(facts).getByText("2 logical").nextElementSibling;
        expect(logical?.textContent).toBe("os-file");
        expect(logical?.getAttribute("title")).toBe("os-file: /proc/cpuinfo");
        expect(within(facts).getByText("24.0 GiB total")).toBeTruthy();
        // Theoretical bandwidth and the modules are unknown in a VM: said so, with why.
        expect(within(facts).getAllByText("unknown").length).toBeGreaterThanOrEqual(3);
        // An unknown value says why in words, not only in a tooltip.
        expect(within(facts).getByText("modules unknown").previousElementSibling?.textContent).toBe("not reported");
        expect(within(facts).getByText(/read 12.5 GB\/s \(1 thread\), 30.2 GB\/s \(2 threads\)/)).toBeTruthy();
        expect(within(facts).getByText("none detected")).toBeTruthy();
    });

    it("shows the probe's spread beside the figure, and says when the machine looked busy", () => {
        const windows = (values: number[], load: number) => ({
            windowsGBs: values, backgroundCores: values.map(() => load), quietWindows: load < 0.25 ? values.length : 0,
            min: Math.min(...values), median: values[1]!, max: Math.max(...values), relative: (Math.max(...values) - Math.min(...values)) / Math.max(...values)
        });
        const measured = (load: number, readAll: number[]) => ({
            ...hardwareFixture,
            bandwidth: {...hardwareFixture.bandwidth, value: {
                ...hardwareFixture.bandwidth.value!, backgroundCores: load,
                spread: {read1: windows([12.1, 12.3, 12.5], load), readAll: windows(readAll, load), copy1: windows([10, 10, 10], load), copyAll: windows([25, 25, 25], load)}
            }}
        });
        const {rerender} = render(<HardwarePanel hardware={measured(0.02, [29.8, 30.0, 30.2])} />);
        expect(screen.getByTestId("bandwidth-spread").textContent)
            .toBe("read windows: 1 thread 12.1–12.5 GB/s (3%, 3 windows), 2 threads 29.8–30.2 GB/s (1%, 3 windows)");
        expect(screen.queryByTestId("bandwidth-busy")).toBeNull();
        rerender(<HardwarePanel hardware={measured(1.6, [15.1, 22.0, 30.2])} />);
        expect(screen.getByTestId("bandwidth-busy").textContent).toBe("busy The machine may be busy: other processes kept 1.6 cores busy during the probe, " +
            "and its windows differed by up to 2 threads 50%, so these figures may be low. Measure again when it is quiet.");
        // A measurement given by hand has no windows: nothing to show.
        rerender(<HardwarePanel hardware={hardwareFixture} />);
        expect(screen.queryByTestId("bandwidth-spread")).toBeNull();
    });

    it("says it is still detecting, or why detection failed", () => {
        const {rerender} = render(<HardwarePanel hardware={null} />);
        expect(screen.getByText(/Detecting hardware/)).toBeTruthy();
        rerender(<HardwarePanel hardware={null} error="systeminformation timed out" />);
        expect(screen.getByText("Hardware detection failed: systeminformation timed out")).toBeTruthy();
    });
});

describe("ModelsPanel", () => {
    it("lists params, type, size, layers and fit, and the unreadable file's error", () => {
        const onToggle = vi.fn();
        const prediction = {modelBytes: 5e6, ramBytes: 6e6, vramBytes: 0, gpuLayers: 0, ceilingTps: 2000, bandwidthGBs: 10, verdict: "CPU only" as const, lines: ["fit at context 512: CPU only; …"]};
        render(<ModelsPanel models={modelsFixture} selected={[]} onToggle={onToggle} onAddPath={vi.fn()} onCreateSynthetic={vi.fn()} onRefresh={vi.fn()} synthJobs={[]}
            predictions={new Map([["/models/tiny-q4_0.gguf", prediction]])} hardware={hardwareFixture} />);
        const row = screen.getByText("tiny-q4_0.gguf").closest("tr")!;
        // The predicted ceiling and the fit, inline (RAM against the available RAM, in GiB-based units).
        const freeRam = formatBytes(hardwareFixture.memory.freeBytes.value);
        expect([...row.querySelectorAll("td")].slice(2).map((cell) => cell.textContent)).toEqual(["8.4 M", "Q4_0", "4.77 MiB", "4", "≤ 2000", `fits: 5.72 MiB of ${freeRam} RAM`]);
        expect(row.querySelectorAll("td")[1]!.textContent).toBe("tiny-q4_0.ggufmodelssynthetic");
        expect(screen.getByText(/bad.gguf: not a GGUF file/)).toBeTruthy();
        expect((screen.getByLabelText("Use bad.gguf (cannot be read)") as HTMLInputElement).disabled).toBe(true);
        fireEvent.click(screen.getByLabelText("Use tiny-q4_0.gguf"));
        expect(onToggle).toHaveBeenCalledWith("/models/tiny-q4_0.gguf", true);
    });
});

describe("BenchmarkPanel", () => {
    it("fills the advanced panel from the plan and runs it in one click", () => {
        const onRun = vi.fn();
        render(<BenchmarkPanel plan={planFixture} progress={null} starting={false} onRun={onRun} onCancel={vi.fn()} />);
        expect((screen.getByLabelText("Threads") as HTMLInputElement).value).toBe("1,2");
        expect((screen.getByLabelText("GPU layers") as HTMLInputElement).value).toBe("0");
        expect((screen.getByLabelText("Prompt tokens (p)") as HTMLInputElement).value).toBe("16");
        expect((screen.getByLabelText("Generated tokens (n)") as HTMLInputElement).value).toBe("8");
        expect((screen.getByLabelText("Repetitions") as HTMLInputElement).value).toBe("2");
        expect((screen.getByLabelText("Batch sizes") as HTMLInputElement).value).toBe("512");
        expect((screen.getByLabelText("off") as HTMLInputElement).checked).toBe(true);
        expect((screen.getByLabelText("on") as HTMLInputElement).checked).toBe(false);
        expect(screen.getByText(/^2 tests × 2 reps/)).toBeTruthy();
        fireEvent.click(screen.getByRole("button", {name: "Run benchmark"}));
        expect(onRun).toHaveBeenCalledWith(planFixture);
    });

    it("offers the detected GPU devices, a software one marked and never the default, and sends the choice with the run", () => {
        const onRun = vi.fn();
        const fact = <T,>(value: T) => ({value, source: "node-llama-cpp" as const});
        const devices = [
            {index: 0, backend: "vulkan", name: fact("NVIDIA GeForce RTX 3060"), kind: fact("discrete" as const), vramTotalBytes: fact(12 * 1024 ** 3), vramFreeBytes: fact(11 * 1024 ** 3), usedByDefault: true},
            {index: 1, backend: "vulkan", name: fact("llvmpipe (LLVM 15.0.6, 256 bits)"), kind: fact("software" as const), vramTotalBytes: fact(2 * 1024 ** 3), vramFreeBytes: fact(2 * 1024 ** 3), usedByDefault: false}
        ];
        render(<BenchmarkPanel plan={planFixture} progress={null} starting={false} onRun={onRun} onCancel={vi.fn()} devices={devices} />);
        const select = screen.getByLabelText("GPU device") as HTMLSelectElement;
        expect(select.value).toBe("");
        expect([...select.options].map((option) => option.textContent)).toEqual([
            "llama.cpp's choice (never a software device)",
            "0: NVIDIA GeForce RTX 3060, discrete, 12.0 GiB",
            "1: llvmpipe (LLVM 15.0.6, 256 bits): software Vulkan device (runs on the CPU), 2.00 GiB"
        ]);
        fireEvent.click(screen.getByRole("button", {name: "Run benchmark"}));
        expect(onRun).toHaveBeenLastCalledWith(planFixture);
        fireEvent.change(select, {target: {value: "1"}});
        fireEvent.change(screen.getByLabelText("GPU bandwidth, GB/s"), {target: {value: "40"}});
        fireEvent.change(screen.getByLabelText("VRAM budget, GiB"), {target: {value: "1"}});
        fireEvent.click(screen.getByRole("button", {name: "Run benchmark"}));
        expect(onRun).toHaveBeenLastCalledWith({...planFixture, gpuDevice: "1", gpuBandwidthGBs: 40, vramBudgetBytes: 1024 ** 3});
    });

    it("asks for the plan that goes with a chosen device, as the CLI's --gpu-device plans, keeping what the user typed", async () => {
        const fact = <T,>(value: T) => ({value, source: "node-llama-cpp" as const});
        const devices = [{index: 0, backend: "vulkan", name: fact("llvmpipe (LLVM 15.0.6, 256 bits)"), kind: fact("software" as const),
            vramTotalBytes: fact(2 * 1024 ** 3), vramFreeBytes: fact(2 * 1024 ** 3), usedByDefault: false}];
        const planFor = vi.fn(async () => ({...planFixture, gpuLayers: [0, 1, "max" as const], nPrompt: [512], nGen: [128]}));
        render(<BenchmarkPanel plan={planFixture} progress={null} starting={false} onRun={vi.fn()} onCancel={vi.fn()} devices={devices} planFor={planFor} />);
        const layers = screen.getByLabelText("GPU layers") as HTMLInputElement;
        fireEvent.change(screen.getByLabelText("Generated tokens (n)"), {target: {value: "4"}});
        fireEvent.change(screen.getByLabelText("GPU device"), {target: {value: "0"}});
        await waitFor(() => expect(layers.value).toBe("0,1,max"));
        expect(planFor).toHaveBeenLastCalledWith({models: planFixture.models, gpuDevice: "0"});
        expect((screen.getByLabelText("Prompt tokens (p)") as HTMLInputElement).value).toBe("512");
        // typed by the user: kept
        expect((screen.getByLabelText("Generated tokens (n)") as HTMLInputElement).value).toBe("4");
        // back to llama.cpp's own choice: the default plan's layers again
        fireEvent.change(screen.getByLabelText("GPU device"), {target: {value: ""}});
        await waitFor(() => expect(layers.value).toBe(formatList(planFixture.gpuLayers)));
    });

    it("sweeps depth, KV-cache types, micro-batch and mmap from the advanced panel", () => {
        const onRun = vi.fn();
        render(<BenchmarkPanel plan={planFixture} progress={null} starting={false} onRun={onRun} onCancel={vi.fn()} />);
        expect((screen.getByLabelText("Depth (d): tokens already in the KV cache") as HTMLInputElement).value).toBe("0");
        expect((screen.getByLabelText("K cache type (f16, q8_0, q4_0)") as HTMLInputElement).value).toBe("f16");
        expect((screen.getByLabelText("memory-mapped") as HTMLInputElement).checked).toBe(true);
        fireEvent.change(screen.getByLabelText("Depth (d): tokens already in the KV cache"), {target: {value: "0,1024"}});
        fireEvent.change(screen.getByLabelText("K cache type (f16, q8_0, q4_0)"), {target: {value: "f16,q8_0"}});
        fireEvent.change(screen.getByLabelText("V cache type (f16, q8_0, q4_0)"), {target: {value: "q4_0"}});
        fireEvent.change(screen.getByLabelText("Micro-batch sizes (blank: the batch)"), {target: {value: "128"}});
        fireEvent.click(screen.getByLabelText("read into memory"));
        fireEvent.click(screen.getByLabelText("on"));
        expect(screen.getByText(/^32 tests × 2 reps/)).toBeTruthy();
        fireEvent.click(screen.getByRole("button", {name: "Run benchmark"}));
        expect(onRun).toHaveBeenCalledWith(expect.objectContaining({nDepth: [0, 1024], cacheTypeK: ["f16", "q8_0"], cacheTypeV: ["q4_0"],
            ubatchSizes: [128], useMmap: [true, false], flashAttention: [false, true]}));
    });

    it("updates the bar and step from progress, and cancels while running", () => {
        const onCancel = vi.fn();
        const progress = {...emptyRunProgress("r"), tests: 2, done: 1, total: 4, etaMs: 65_000, currentIndex: 1, phase: "load", message: "loading"};
        const {rerender} = render(<BenchmarkPanel plan={planFixture} progress={progress} starting={false} onRun={vi.fn()} onCancel={onCancel} />);
        expect(screen.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("25");
        expect(screen.getByTestId("progress-step").textContent).toBe("Test 2 of 2 · load · ETA 1 min 5 s");
        expect(screen.getByRole("button", {name: "Run benchmark"}).hasAttribute("disabled")).toBe(true);
        fireEvent.click(screen.getByRole("button", {name: "Cancel"}));
        expect(onCancel).toHaveBeenCalledTimes(1);
        rerender(<BenchmarkPanel plan={planFixture} progress={{...progress, done: 4}} starting={false} onRun={vi.fn()} onCancel={onCancel} />);
        expect(screen.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("100");
    });
});

describe("ResultsPanel", () => {
    it("ranks this machine by its decode rate, the figure the reference rows and the efficiency are of", () => {
        const ok = resultFixture({threads: 1, tg: 10, ceilingTps: 40});
        ok.stats = {...ok.stats!, tgDecodeTps: {...ok.stats!.tgDecodeTps, mean: 20}};
        render(<ResultsPanel rows={[ok]} pending={0} caption="This run." reference={referenceFixture} />);
        const mine = screen.getByTestId("this-machine-row");
        expect([...mine.querySelectorAll("td")].map((cell) => cell.textContent)).toContain("20.0");
    });

    it("shows mean ± sd, ceiling, efficiency and the gap in words, plus the chart and reference machines", () => {
        const ok = {
            ...resultFixture({threads: 1, tg: 10, ceilingTps: 40}),
            memory: {ramPeakBytes: 233 * 1024 ** 2, ramPeakAnonBytes: 120 * 1024 ** 2, ramPeakFileBytes: 113 * 1024 ** 2, ramEstimateBytes: 230 * 1024 ** 2, vramPeakBytes: 0, vramEstimateBytes: 0}
        };
        const failed = resultFixture({status: "error", error: "bad.gguf: not a GGUF file", stats: undefined, ceiling: undefined, load: undefined});
        render(<ResultsPanel rows={[ok, failed]} pending={1} caption="This run." reference={referenceFixture} />);
        const rows = screen.getAllByTestId("result-row");
        const cells = [...rows[0]!.querySelectorAll("td")].map((cell) => cell.textContent);
        // Which llama.cpp binary produced the row, beside its settings.
        expect(rows[0]!.querySelectorAll("td")[1]!.getAttribute("title")).toMatch(/flash attention off; llama\.cpp b9999, prebuilt binary$/);
        expect(cells.slice(2, 8)).toEqual(["60.0 ± 1.0", "10.0 ± 0.5", "10.0 ± 0.5", "20.0 ± 1.0", "40.0", "25%"]);
        // The engine's line, as stored on the row.
        // measured memory beside the estimate, RAM's parts in the tooltip
        expect(screen.getAllByTestId("ram-cell")[0]!.textContent).toBe("RAM 233 MiB / 230 MiB");
        // no VRAM line on a CPU row (nothing measured or estimated there)
        expect(screen.queryAllByTestId("vram-cell")).toHaveLength(0);
        expect(screen.getAllByTestId("ram-cell")[0]!.getAttribute("title")).toMatch(/^RAM peak: 120 MiB anonymous \+ 113 MiB file-backed/);
        // The engine's line, as stored on the row: its first clause in the row, the whole of it one keypress away.
        expect(cells.at(-1)).toBe("ok 25% of the bandwidth ceiling: time goes to compute or overhead (few threads, a small model), not memory Why…");
        const why = within(rows[0]!).getByRole("button", {name: "Why…"});
        expect(why.getAttribute("aria-expanded")).toBe("false");
        const whyRow = document.getElementById(why.getAttribute("aria-controls")!)!;
        expect(whyRow.hidden).toBe(true);
        fireEvent.click(why);
        expect(whyRow.hidden).toBe(false);
        expect(whyRow.querySelector("ul")!.textContent).toBe(ok.ceiling!.explanation!.split("; ").join(""));
        // The settings and the binary behind the row, in words.
        expect(whyRow.textContent).toMatch(/llama\.cpp b9999, prebuilt binary\.$/);
        expect(whyRow.querySelector("ul")!.textContent).toMatch(/prompt processing is compute-bound \(6\.0× the generation rate\)$/);
        expect(rows[1]!.textContent).toContain("failed: bad.gguf: not a GGUF file");
        expect(screen.getAllByTestId("pending-row")).toHaveLength(1);
        expect(screen.getAllByTestId("chart-point")).toHaveLength(1);
        expect(screen.getAllByTestId("chart-ceiling")).toHaveLength(1);
        expect(screen.getByText("Ryzen 5 3600, DDR4-3600 x 2")).toBeTruthy();
    });

    it("names the fastest GPU layer count of a layer sweep, as llama.cpp counted the layers, and nothing without a sweep", () => {
        const at = (layers: number, tg: number, offloaded: number) =>
            resultFixture({gpuLayers: layers === 17 ? "max" : layers, tg, load: {ms: 1, pageCache: "warm", gpuLayers: offloaded, offloadedLayers: offloaded, totalLayers: 17}});
        render(<ResultsPanel rows={[at(0, 40, 0), at(8, 61.5, 8), at(17, 123.4, 17)]} pending={0} caption="This run." reference={referenceFixture} />);
        expect(screen.getByTestId("fastest-layers").textContent).toBe("fastest: 17/17 layers, 123 t/s");
        cleanup();
        // A slow device: the fastest is no offload at all.
        render(<ResultsPanel rows={[at(0, 40, 0), at(8, 21, 8), at(17, 9, 17)]} pending={0} caption="This run." reference={referenceFixture} />);
        expect(screen.getByTestId("fastest-layers").textContent).toBe("fastest: 0/17 layers, 40.0 t/s");
        cleanup();
        render(<ResultsPanel rows={[resultFixture({threads: 1}), resultFixture({threads: 2})]} pending={0} caption="This run." reference={referenceFixture} />);
        expect(screen.queryByTestId("fastest-layers")).toBeNull();
    });

    it("marks an imported llama-bench row and its depth", () => {
        const base = resultFixture({threads: 2, tg: 25});
        const bench = {...base, engine: "llama-bench" as const, config: {...base.config, nPrompt: 0, nGen: 128, nDepth: 4096}};
        render(<ResultsPanel rows={[bench]} pending={0} caption="Imported." reference={referenceFixture} />);
        const config = screen.getByTestId("result-row").querySelectorAll("td")[1]!.textContent;
        expect(config).toBe("t2 · gl 0 · p0 · n128 · d4096 · llama-bench");
    });
});

describe("HistoryPanel", () => {
    it("groups rows by run and compares two runs side by side", () => {
        const a1 = resultFixture({runId: "a", timestamp: "2025-01-01T10:00:00Z", threads: 1, tg: 10});
        const a2 = resultFixture({runId: "a", timestamp: "2025-01-01T10:01:00Z", threads: 2, tg: 16});
        const b1 = resultFixture({runId: "b", timestamp: "2025-02-01T10:00:00Z", threads: 1, tg: 15, env: {...a1.env, cpu: "Other CPU"}});
        const onShowRun = vi.fn();
        render(<HistoryPanel history={[a1, a2, b1]} onImport={vi.fn()} onShowRun={onShowRun} />);
        const runs = screen.getAllByTestId("history-run");
        expect(runs).toHaveLength(2);
        expect(runs[0]!.textContent).toContain("Other CPU");
        expect(runs[1]!.textContent).toContain("2 ok");
        for (const run of runs) fireEvent.click(within(run).getByRole("checkbox"));
        const table = screen.getByRole("table", {name: "Run comparison"});
        const lines = within(table).getAllByRole("row").slice(1).map((row) => [...row.querySelectorAll("td")].map((cell) => cell.textContent));
        // A is the first pick (run b, the newest), B the second (run a). Matched by model and test, not threads:
        // each side's fastest row (B's is its 2-thread row), with bandwidth, ceiling, efficiency and the ratios.
        expect(lines).toEqual([["8.4 M Q4_0 (tiny-q4_0.gguf) · p 16 · n 8", "15.0 ± 0.5 (t1)", "16.0 ± 0.5 (t2)", "—", "—", "40.0", "40.0", "38%", "40%", "1.00×", "1.07×"]]);
        // The chart overlays the machines: one series each (colour per machine), measured points and the ceiling.
        const chart = screen.getByTestId("compare-chart");
        expect(within(chart).getAllByTestId("compare-series")).toHaveLength(2);
        expect(within(chart).getAllByTestId("compare-point")).toHaveLength(3);
        expect(within(chart).getAllByTestId("compare-ceiling")).toHaveLength(2);
        expect(chart.querySelector("desc")!.textContent).toBe("A: Other CPU: 1 thread 15.0 t/s (ceiling 40.0); " +
            "B: Test CPU 9000: 1 thread 10.0 t/s (ceiling 40.0), 2 threads 16.0 t/s (ceiling 40.0)");
        fireEvent.click(within(runs[1]!).getByRole("button", {name: "Show"}));
        expect(onShowRun).toHaveBeenCalledWith("a");
    });

    it("imports a CSV file's text", async () => {
        const onImport = vi.fn(async () => {});
        render(<HistoryPanel history={[]} onImport={onImport} onShowRun={vi.fn()} />);
        const input = screen.getByLabelText("Import CSV…") as HTMLInputElement;
        const file = new File(["id,status\n1,ok\n"], "other.csv", {type: "text/csv"});
        fireEvent.change(input, {target: {files: [file]}});
        await vi.waitFor(() => expect(onImport).toHaveBeenCalledWith("id,status\n1,ok\n"));
    });

    it("says what the import did, in one line", async () => {
        const onImport = vi.fn(async () => "2 imported, 4 duplicates skipped");
        render(<HistoryPanel history={[]} onImport={onImport} onShowRun={vi.fn()} />);
        const input = screen.getByLabelText("Import CSV…") as HTMLInputElement;
        fireEvent.change(input, {target: {files: [new File(["x"], "bench.csv", {type: "text/csv"})]}});
        await vi.waitFor(() => expect(screen.getByTestId("import-summary").textContent).toBe("Import: 2 imported, 4 duplicates skipped."));
    });
});
