// @vitest-environment happy-dom
import {act, cleanup, fireEvent, render, screen, waitFor, within} from "@testing-library/react";
import {afterEach, describe, expect, it, vi} from "vitest";
import {App} from "../../../src-renderer/App.js";
import {fakeApi, hardwareFixture, planFixture, resultFixture} from "./fixtures.js";

afterEach(cleanup);

async function renderApp(history = [resultFixture({runId: "old-run"})]) {
    const fake = fakeApi(history);
    const save = vi.fn();
    render(<App api={fake.api} save={save} />);
    await within(await screen.findByTestId("hardware-facts")).findByText("Test CPU 9000");
    await waitFor(() => expect(screen.getByRole("button", {name: "Run benchmark"}).hasAttribute("disabled")).toBe(false));
    return {...fake, save};
}

describe("App", () => {
    it("shows the machine, the models (with the unreadable one's error) and the reference machines", async () => {
        await renderApp();
        const machine = screen.getByRole("region", {name: "This machine"});
        expect(within(machine).getByText("30.2 GB/s", {exact: false})).toBeTruthy();
        const models = screen.getByRole("region", {name: "Models"});
        expect(within(models).getByText("tiny-q4_0.gguf")).toBeTruthy();
        expect(within(models).getByText(/not a GGUF file/)).toBeTruthy();
        expect(screen.getByText("Ryzen 7 3700X, CPU only")).toBeTruthy();
    });

    it("runs the default plan with one click, shows progress from events, cancels and keeps finished rows", async () => {
        const {api, emit} = await renderApp();
        fireEvent.click(screen.getByRole("button", {name: "Run benchmark"}));
        await waitFor(() => expect(api.startBench).toHaveBeenCalledWith(planFixture));
        const bar = screen.getByRole("progressbar", {name: "Benchmark progress"});
        // Two tests planned: two placeholder rows hold the space before any row finishes.
        await waitFor(() => expect(screen.getAllByTestId("pending-row")).toHaveLength(2));

        act(() => {
            emit({channel: "bench", runId: "run-42", event: {type: "plan", tests: 2, totalReps: 6}});
            emit({channel: "bench", runId: "run-42", event: {type: "test-start", index: 0, tests: 2, config: {...resultFixture().config, threads: 1}}});
            emit({channel: "bench", runId: "run-42", event: {type: "phase", index: 0, phase: "rep", rep: 0, reps: 2}});
            emit({channel: "bench", runId: "run-42", event: {type: "progress", done: 3, total: 6, etaMs: 4200, message: "test 1: rep 1"}});
        });
        expect(bar.getAttribute("aria-valuenow")).toBe("50");
        expect(screen.getByTestId("progress-step").textContent).toBe("Test 1 of 2 · rep 1/2 · ETA 4 s");

        const finished = resultFixture({runId: "run-42", threads: 1, tg: 11});
        act(() => emit({channel: "bench", runId: "run-42", event: {type: "test-end", index: 0, result: finished}}));
        expect(screen.getAllByTestId("result-row")).toHaveLength(1);
        expect(screen.getAllByTestId("pending-row")).toHaveLength(1);

        fireEvent.click(screen.getByRole("button", {name: "Cancel"}));
        await waitFor(() => expect(api.cancelBench).toHaveBeenCalledWith({runId: "run-42"}));
        act(() => emit({channel: "bench", runId: "run-42", event: {type: "done", results: [finished], cancelled: true}}));
        expect(screen.getByTestId("progress-step").textContent).toBe("Cancelled: 1 finished row kept.");
        expect(screen.getAllByTestId("result-row")).toHaveLength(1);
        expect(screen.queryAllByTestId("pending-row")).toHaveLength(0);
        expect(screen.getAllByTestId("chart-point")).toHaveLength(1);
        // A finished run reloads the history, and the model list (no stale fit or files).
        await waitFor(() => expect(api.listHistory).toHaveBeenCalledTimes(2));
        await waitFor(() => expect(api.listModels).toHaveBeenCalledTimes(2));
        // The answer up front: the run's headline, measured rate and ceiling.
        expect(screen.getByTestId("headline").textContent).toMatch(/11\.0 tok\/s · \d+% of a [\d.]+ tok\/s ceiling/);
    });

    it("shows the hardware facts before the bandwidth, and measures the bandwidth again on request", async () => {
        const fake = fakeApi();
        let finishProbe: (value: typeof hardwareFixture) => void = () => undefined;
        fake.api.getHardwareFacts.mockResolvedValueOnce({...hardwareFixture, bandwidth: {value: null, source: "none"}});
        fake.api.getHardware.mockImplementationOnce(() => new Promise((resolve) => { finishProbe = resolve; }));
        render(<App api={fake.api} />);
        await screen.findByTestId("bandwidth-measuring");
        expect(screen.getByTestId("hardware-facts").textContent).toContain(hardwareFixture.cpu.brand.value!);
        act(() => finishProbe(hardwareFixture));
        await waitFor(() => expect(screen.queryByTestId("bandwidth-measuring")).toBeNull());
        fireEvent.click(screen.getByRole("button", {name: "Measure again"}));
        await waitFor(() => expect(fake.api.measureBandwidth).toHaveBeenCalledTimes(1));
    });

    it("runs the advanced settings, refuses a bad list with a one-line error beside the form, and takes llama-bench ranges", async () => {
        const {api, emit} = await renderApp();
        fireEvent.click(screen.getByText("Advanced"));
        fireEvent.change(screen.getByLabelText("Threads"), {target: {value: "1"}});
        fireEvent.change(screen.getByLabelText("GPU layers"), {target: {value: "0,8,max"}});
        fireEvent.change(screen.getByLabelText("Repetitions"), {target: {value: "3"}});
        fireEvent.click(screen.getByLabelText("on"));
        fireEvent.click(screen.getByRole("button", {name: "Run with these settings"}));
        await waitFor(() => expect(api.startBench).toHaveBeenCalledTimes(1));
        expect(api.startBench.mock.calls[0]?.[0]).toEqual({...planFixture, threads: [1], gpuLayers: [0, 8, "max"], reps: 3, flashAttention: [false, true]});

        // Until the run says it is done, no second run starts.
        expect(screen.getByRole("button", {name: "Run benchmark"}).hasAttribute("disabled")).toBe(true);
        act(() => emit({channel: "bench", runId: "run-42", event: {type: "done", results: [], cancelled: false}}));
        fireEvent.change(screen.getByLabelText("Threads"), {target: {value: "1,two"}});
        fireEvent.click(screen.getByRole("button", {name: "Run with these settings"}));
        const errors = await screen.findAllByText(/^Threads: "two" is not an integer or a range like 1-8/);
        expect(errors.some((error) => error.closest("form") != null)).toBe(true);
        expect(api.startBench).toHaveBeenCalledTimes(1);
        fireEvent.change(screen.getByLabelText("Threads"), {target: {value: "1-4*2"}});
        fireEvent.click(screen.getByRole("button", {name: "Run with these settings"}));
        await waitFor(() => expect(api.startBench).toHaveBeenCalledTimes(2));
        expect(api.startBench.mock.calls[1]?.[0].threads).toEqual([1, 2, 4]);
    });

    it("says why a run did not start, in the alert region", async () => {
        const {api} = await renderApp();
        api.startBench.mockRejectedValueOnce(new Error("threads: 0 is below 1\nstack..."));
        fireEvent.click(screen.getByRole("button", {name: "Run benchmark"}));
        const alert = await screen.findByText("The benchmark did not start: threads: 0 is below 1; stack...");
        expect(alert.closest("[role=alert]")).toBeTruthy();
        fireEvent.click(screen.getByRole("button", {name: /^Dismiss/}));
        expect(screen.queryByText(/did not start/)).toBeNull();
    });

    it("adds a file by path and shows the inspector's error plainly", async () => {
        const {api} = await renderApp();
        fireEvent.change(screen.getByLabelText("GGUF file path"), {target: {value: "/tmp/notes.gguf"}});
        fireEvent.click(screen.getByRole("button", {name: "Add file"}));
        await waitFor(() => expect(api.inspectModel).toHaveBeenCalledWith({path: "/tmp/notes.gguf"}));
        // In the alert region, and on the file's own row in the Models table.
        const alert = await screen.findByRole("alert");
        expect(within(alert).getByText("/tmp/notes.gguf: not a GGUF file")).toBeTruthy();
        // The alert sits in the Models panel, beside the form that caused it.
        expect(alert.closest("section")?.getAttribute("aria-labelledby")).toBe("models-title");
        expect(within(screen.getByRole("region", {name: "Models"})).getAllByText("/tmp/notes.gguf: not a GGUF file")).toHaveLength(2);
    });

    it("creates a synthetic model, follows its progress and picks it for the next run", async () => {
        const {api, emit} = await renderApp();
        fireEvent.click(screen.getByRole("button", {name: "Create"}));
        await waitFor(() => expect(api.createSyntheticModel).toHaveBeenCalledWith({shape: "tiny", type: "q4_0"}));
        await screen.findByText("tiny Q4_0");
        act(() => emit({channel: "synth", jobId: "job-1", writtenBytes: 50, totalBytes: 100, done: false}));
        expect((screen.getByLabelText("Writing tiny Q4_0") as HTMLProgressElement).value).toBe(50);
        act(() => emit({channel: "synth", jobId: "job-1", writtenBytes: 100, totalBytes: 100, done: true, path: "/models/tiny-new.gguf"}));
        expect(screen.getByText("written: tiny-new.gguf")).toBeTruthy();
        await waitFor(() => expect(api.defaultPlan).toHaveBeenLastCalledWith({models: ["/models/tiny-new.gguf"]}));
    });

    it("keeps a synthetic model's events that arrive before createSyntheticModel answers", async () => {
        const {api, emit} = await renderApp();
        api.createSyntheticModel.mockImplementationOnce(async () => {
            emit({channel: "synth", jobId: "job-early", writtenBytes: 100, totalBytes: 100, done: true, path: "/models/tiny-fast.gguf"});
            return {jobId: "job-early"};
        });
        fireEvent.click(screen.getByRole("button", {name: "Create"}));
        // The event renders first and the answer's label one render later (CI once looked in between):
        // wait for the row to say both.
        await waitFor(() => {
            const row = screen.getByText("written: tiny-fast.gguf").closest("li");
            expect(row?.textContent).toBe("tiny Q4_0written: tiny-fast.gguf");
        });
        expect(screen.queryByText("synthetic model")).toBeNull();
    });

    it("exports the shown run as CSV through save()", async () => {
        const {api, save} = await renderApp();
        fireEvent.click(screen.getByRole("button", {name: "Export CSV"}));
        await waitFor(() => expect(save).toHaveBeenCalledWith({fileName: "results.csv", mime: "text/csv", content: "a,b\n1,2\n"}));
        const request = api.exportResults.mock.calls[0]?.[0];
        expect(request?.format).toBe("csv");
        expect(request?.ids).toHaveLength(1);
    });

    it("says when a run fails as a whole", async () => {
        const {emit} = await renderApp();
        fireEvent.click(screen.getByRole("button", {name: "Run benchmark"}));
        await waitFor(() => expect(screen.getByRole("button", {name: "Cancel"}).hasAttribute("disabled")).toBe(false));
        act(() => emit({channel: "bench", runId: "run-42", event: {type: "done", results: [], cancelled: false}, error: "the bench worker exited (SIGSEGV)"}));
        expect(screen.getByTestId("progress-step").textContent).toBe("The run failed.");
        expect(within(screen.getByRole("alert")).getByText("The benchmark failed: the bench worker exited (SIGSEGV)")).toBeTruthy();
        expect(screen.getByRole("button", {name: "Run benchmark"}).hasAttribute("disabled")).toBe(false);
    });

    it("uses the desktop app's open and save dialogs when the API has them", async () => {
        const fake = fakeApi([resultFixture({runId: "old-run"})]);
        const pickModelFiles = vi.fn(async () => [{path: "/picked/x.gguf", origin: "added", info: null, error: "truncated tensor data"}]);
        const saveExport = vi.fn(async () => ({path: "/home/me/results.csv"}));
        render(<App api={{...fake.api, pickModelFiles, saveExport}} />);
        fireEvent.click(await screen.findByRole("button", {name: "Add file…"}));
        expect(screen.queryByLabelText("GGUF file path")).toBeNull();
        expect(within(await screen.findByRole("alert")).getByText("x.gguf: truncated tensor data")).toBeTruthy();
        await waitFor(() => expect(screen.getByRole("button", {name: "Export JSON"}).hasAttribute("disabled")).toBe(false));
        fireEvent.click(screen.getByRole("button", {name: "Export JSON"}));
        await waitFor(() => expect(saveExport).toHaveBeenCalledTimes(1));
        expect(fake.api.exportResults).not.toHaveBeenCalled();
    });
});
