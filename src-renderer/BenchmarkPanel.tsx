// "Benchmark": one click runs the default plan; "Advanced" edits every SweepSpec field; progress with the
// current step and ETA in a fixed-height area (no layout jumps while a run streams); cancel keeps finished rows.
import {useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode} from "react";
import type {HardwareProfile, SweepEstimate, SweepSpec} from "../src-main/api/contract.js";
import type {RunProgress} from "./benchProgress.js";
import {baseName, formatBytes, formatDuration} from "./format.js";
import {parseSweepList} from "../src-main/engine/bench/parseSweepList.js";
import {formatList, parseNumberList, parsePositiveNumber} from "./parseList.js";
import {describeDevice} from "../src-main/engine/hardware/describeDevice.js";

type Devices = NonNullable<HardwareProfile["devices"]>;
import {countSweepTests} from "../src-main/engine/bench/expandSweep.js";

export interface BenchmarkPanelProps {
    /** The default plan for this machine and the picked models (null while it loads). */
    plan: SweepSpec | null,
    progress: RunProgress | null,
    /** Between the click and startBench's answer. */
    starting: boolean,
    onRun: (spec: SweepSpec) => void,
    onCancel: () => void,
    /** The engine's estimate of a sweep's cost and its warnings (asked again as the fields change). */
    estimate?: (spec: SweepSpec) => Promise<SweepEstimate>,
    /** This panel's error messages (ErrorAlert), shown under its buttons. */
    alerts?: ReactNode,
    /** Changes when the history does: the estimate is timed from it, so it is asked again. */
    historyKey?: number,
    /** The devices llama.cpp's GPU backend can use (hardware detection), software ones included, for the device choice. */
    devices?: Devices,
    /** The default plan for a GPU choice (the API's defaultPlan): a chosen device or VRAM budget changes the layer sweep
     *  as `--gpu-device` / `--vram-budget` do on the CLI. */
    planFor?: (request: {models?: string[], gpuDevice?: string, vramBudgetBytes?: number}) => Promise<SweepSpec>
}

interface Fields {
    models: string,
    gpuLayers: string,
    threads: string,
    batchSizes: string,
    nPrompt: string,
    nGen: string,
    reps: string,
    faOff: boolean,
    faOn: boolean,
    /** Engines: LlamaMeter's runner over node-llama-cpp, and llama.cpp's own llama-bench with the same settings. */
    engineNode: boolean,
    engineNative: boolean,
    nativeWhereShort: boolean,
    contextSize: string,
    /** "" = llama.cpp's own choice (never a software device), else a device index. */
    gpuDevice: string,
    /** GB/s; blank: the spec table's figure. */
    gpuBandwidth: string,
    /** GiB; blank: the device's free VRAM. */
    vramBudget: string,
    nDepth: string,
    cacheTypeK: string,
    cacheTypeV: string,
    /** Blank: each test's batch size. */
    ubatchSizes: string,
    mmapOn: boolean,
    mmapOff: boolean
}

function fieldsFrom(plan: SweepSpec): Fields {
    return {
        models: plan.models.join("\n"),
        gpuLayers: formatList(plan.gpuLayers),
        threads: formatList(plan.threads),
        batchSizes: formatList(plan.batchSizes),
        nPrompt: formatList(plan.nPrompt),
        nGen: formatList(plan.nGen),
        reps: String(plan.reps),
        faOff: plan.flashAttention.includes(false),
        faOn: plan.flashAttention.includes(true),
        engineNode: (plan.engines ?? ["llamameter"]).includes("llamameter"),
        engineNative: (plan.engines ?? []).includes("llama-bench"),
        nativeWhereShort: plan.nativeWhereShort === true,
        contextSize: plan.contextSize != null ? String(plan.contextSize) : "",
        gpuDevice: plan.gpuDevice ?? "",
        gpuBandwidth: plan.gpuBandwidthGBs != null ? String(plan.gpuBandwidthGBs) : "",
        vramBudget: plan.vramBudgetBytes != null ? String(Number((plan.vramBudgetBytes / GiB).toFixed(3))) : "",
        nDepth: formatList(plan.nDepth ?? [0]),
        cacheTypeK: formatList(plan.cacheTypeK ?? ["f16"]),
        cacheTypeV: formatList(plan.cacheTypeV ?? ["f16"]),
        ubatchSizes: plan.ubatchSizes != null ? formatList(plan.ubatchSizes) : "",
        mmapOn: (plan.useMmap ?? [true]).includes(true),
        mmapOff: (plan.useMmap ?? []).includes(false)
    };
}

/** Fields -> SweepSpec; throws one line naming the bad field. */
export function specFrom(fields: Fields): SweepSpec {
    const models = fields.models.split("\n").map((line) => line.trim()).filter((line) => line !== "");
    if (models.length === 0) throw new Error("Models: enter at least one model path");
    const reps = parseNumberList(fields.reps, {label: "Repetitions", min: 1});
    if (reps.length !== 1) throw new Error("Repetitions: enter one number");
    const flashAttention = [...(fields.faOff ? [false] : []), ...(fields.faOn ? [true] : [])];
    if (flashAttention.length === 0) throw new Error("Flash attention: tick off, on or both");
    const engines = [...(fields.engineNode ? ["llamameter" as const] : []), ...(fields.engineNative ? ["llama-bench" as const] : [])];
    if (engines.length === 0) throw new Error("Engine: tick LlamaMeter, llama-bench or both");
    const nodeOnly = engines.length === 1 && engines[0] === "llamameter";
    const spec: SweepSpec = {
        models,
        gpuLayers: sweepField("GPU layers", fields.gpuLayers, (text) => parseSweepList(text, "gpuLayers")),
        threads: sweepField("Threads", fields.threads, (text) => parseSweepList(text, "threads")),
        batchSizes: sweepField("Batch sizes", fields.batchSizes, (text) => parseSweepList(text, "count")),
        nPrompt: sweepField("Prompt tokens (p)", fields.nPrompt, (text) => parseSweepList(text, "tokens")),
        nGen: sweepField("Generated tokens (n)", fields.nGen, (text) => parseSweepList(text, "tokens")),
        reps: reps[0] ?? 1,
        flashAttention,
        // only when it differs from the default, so a plan sent back unchanged stays as it was
        ...(nodeOnly ? {} : {engines}),
        ...(nodeOnly && fields.nativeWhereShort ? {nativeWhereShort: true} : {})
    };
    // The newer axes only when they differ from their defaults, so a plan sent back unchanged stays as it was.
    const nDepth = sweepField("Depth (d)", fields.nDepth, (text) => parseSweepList(text, "tokens"));
    if (nDepth.some((depth) => depth !== 0)) spec.nDepth = nDepth;
    const cacheTypeK = sweepField("K cache type", fields.cacheTypeK, (text) => parseSweepList(text, "cacheType"));
    if (cacheTypeK.some((type) => type !== "f16")) spec.cacheTypeK = cacheTypeK;
    const cacheTypeV = sweepField("V cache type", fields.cacheTypeV, (text) => parseSweepList(text, "cacheType"));
    if (cacheTypeV.some((type) => type !== "f16")) spec.cacheTypeV = cacheTypeV;
    if (fields.ubatchSizes.trim() !== "") spec.ubatchSizes = sweepField("Micro-batch sizes", fields.ubatchSizes, (text) => parseSweepList(text, "count"));
    const useMmap = [...(fields.mmapOn ? [true] : []), ...(fields.mmapOff ? [false] : [])];
    if (useMmap.length === 0) throw new Error("Model file: tick memory-mapped, read into memory or both");
    if (useMmap.includes(false)) spec.useMmap = useMmap;
    if (fields.contextSize.trim() !== "") {
        const [contextSize] = parseNumberList(fields.contextSize, {label: "Context size", min: 16});
        spec.contextSize = contextSize;
    }
    if (fields.gpuDevice !== "") spec.gpuDevice = fields.gpuDevice;
    if (fields.gpuBandwidth.trim() !== "") spec.gpuBandwidthGBs = parsePositiveNumber(fields.gpuBandwidth, "GPU bandwidth, GB/s");
    if (fields.vramBudget.trim() !== "") spec.vramBudgetBytes = Math.round(parsePositiveNumber(fields.vramBudget, "VRAM budget, GiB") * GiB);
    return spec;
}

const GiB = 1024 ** 3;

/** A device as the choice lists it: index, name (a software device says it runs on the CPU), kind and VRAM. */
export function deviceLabel(device: Devices[number]): string {
    const name = describeDevice(device.name.value ?? `device ${device.index}`, device.kind.value, device.backend);
    const kind = device.kind.value != null && device.kind.value !== "software" ? `, ${device.kind.value}` : "";
    const vram = device.vramTotalBytes.value != null ? `, ${formatBytes(device.vramTotalBytes.value)}` : "";
    return `${device.index}: ${name}${kind}${vram}`;
}

/** One list field in llama-bench's syntax (the CLI's parser: "1,2", "1-8+1", "0,8,max"); spaces or ";" also
 *  separate items. Throws one line naming the field. */
function sweepField<T>(label: string, text: string, parse: (text: string) => T[]): T[] {
    const items = text.trim().split(/[\s,;]+/).filter((item) => item !== "");
    if (items.length === 0) throw new Error(`${label}: enter at least one value`);
    try {
        return parse(items.join(","));
    } catch (error) {
        throw new Error(`${label}: ${error instanceof Error ? error.message : String(error)}`);
    }
}

/** The engine's own count (every list, the newer axes too). */
export function countTests(spec: SweepSpec): number {
    return countSweepTests(spec);
}

export function BenchmarkPanel({plan, progress, starting, onRun, onCancel, estimate, alerts, historyKey = 0, devices = [], planFor}: BenchmarkPanelProps) {
    const [fields, setFields] = useState<Fields | null>(plan != null ? fieldsFrom(plan) : null);
    const [edited, setEdited] = useState(false);
    // The fields the user typed in: a plan for a GPU choice replaces only the others.
    const touched = useRef(new Set<keyof Fields>());
    const [fieldError, setFieldError] = useState<string | null>(null);
    // A new default plan (other models picked) replaces the fields unless the user has edited them.
    useEffect(() => {
        if (plan != null && !edited) setFields(fieldsFrom(plan));
    }, [plan, edited]);

    const running = starting || (progress != null && !progress.finished);
    const set = (name: keyof Fields) => (value: string | boolean) => {
        setEdited(true);
        touched.current.add(name);
        setFields((before) => before == null ? before : {...before, [name]: value});
    };

    function run(event?: FormEvent) {
        event?.preventDefault();
        if (fields == null) return;
        try {
            const spec = specFrom(fields);
            setFieldError(null);
            onRun(spec);
        } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            setFieldError(message);
            // The field error shows beside the form; open it so the message is seen next to its field.
            setAdvancedOpen(true);
        }
    }

    // A chosen device or VRAM budget asks for the plan that goes with it (the layer sweep the CLI's --gpu-device plans);
    // back to llama.cpp's choice, the default plan's values return. Fields the user typed in are left alone.
    const gpuDevice = fields?.gpuDevice ?? "";
    const vramBudget = fields?.vramBudget.trim() ?? "";
    const modelsText = fields?.models ?? "";
    useEffect(() => {
        if (planFor == null || plan == null) return;
        const adopt = (from: SweepSpec) => setFields((before) => {
            if (before == null) return before;
            const next = fieldsFrom(from);
            return {...before, ...Object.fromEntries((["gpuLayers", "nPrompt", "nGen"] as const)
                .filter((name) => !touched.current.has(name)).map((name) => [name, next[name]]))};
        });
        if (gpuDevice === "" && vramBudget === "") {
            adopt(plan);
            return;
        }
        let vramBudgetBytes: number | undefined;
        try {
            vramBudgetBytes = vramBudget !== "" ? Math.round(parsePositiveNumber(vramBudget, "VRAM budget, GiB") * GiB) : undefined;
        } catch {
            return; // the field's own error shows when the plan is run
        }
        const models = modelsText.split("\n").map((line) => line.trim()).filter((line) => line !== "");
        let current = true;
        const timer = setTimeout(() => {
            planFor({...(models.length > 0 ? {models} : {}), ...(gpuDevice !== "" ? {gpuDevice} : {}), ...(vramBudgetBytes != null ? {vramBudgetBytes} : {})})
                .then((value) => { if (current) adopt(value); }, () => undefined);
        }, 250);
        return () => { current = false; clearTimeout(timer); };
    }, [planFor, plan, gpuDevice, vramBudget, modelsText]);

    const [advancedOpen, setAdvancedOpen] = useState(false);
    // The fields as a spec, or the one-line reason they are not one yet.
    const parsed = useMemo((): {spec: SweepSpec} | {error: string} | null => {
        if (fields == null) return null;
        try {
            return {spec: specFrom(fields)};
        } catch (error) {
            return {error: error instanceof Error ? error.message : String(error)};
        }
    }, [fields]);
    const specKey = parsed != null && "spec" in parsed ? JSON.stringify(parsed.spec) : null;
    const [cost, setCost] = useState<{key: string, estimate: SweepEstimate} | {key: string, error: string} | null>(null);
    useEffect(() => {
        if (specKey == null || estimate == null) return;
        let current = true;
        // Typing in a field asks once the typing pauses, not per key.
        const timer = setTimeout(() => {
            estimate(JSON.parse(specKey) as SweepSpec).then(
                (value) => { if (current) setCost({key: specKey, estimate: value}); },
                (error: unknown) => { if (current) setCost({key: specKey, error: error instanceof Error ? error.message : String(error)}); });
        }, 250);
        return () => { current = false; clearTimeout(timer); };
    }, [specKey, estimate, historyKey]);
    // Estimate of the finished run, not of the fields as they are now.
    const shownCost = cost != null && cost.key === specKey ? cost : null;

    let summary = "Loading the default plan…";
    if (parsed != null) {
        if ("spec" in parsed) {
            const spec = parsed.spec;
            summary = `${countTests(spec)} test${countTests(spec) === 1 ? "" : "s"} × ${spec.reps} reps: ${spec.models.map(baseName).join(", ")} · threads ${formatList(spec.threads)} · GPU layers ${formatList(spec.gpuLayers)} · p ${formatList(spec.nPrompt)} · n ${formatList(spec.nGen)}${spec.gpuDevice != null ? ` · GPU device ${spec.gpuDevice}` : ""}${edited ? " (edited)" : ""}`;
        } else {
            summary = parsed.error;
        }
    }

    return (
        <section className="panel" aria-labelledby="bench-title">
            <h2 id="bench-title">Benchmark</h2>
            <div className="bench-actions">
                <button type="button" className="primary" onClick={() => run()} disabled={fields == null || running}>Run benchmark</button>
                <button type="button" onClick={onCancel} disabled={!running || progress == null}>Cancel</button>
                <span className="muted small plan-summary" data-testid="plan-summary">
                    {shownCost != null && "estimate" in shownCost
                        ? <span className="estimate" data-testid="sweep-estimate"
                            title={shownCost.estimate.basis === "history" ? "From the rates measured here earlier, scaled by model size"
                                : shownCost.estimate.basis === "ceiling" ? "No earlier run to scale from: generation at the bandwidth ceiling, a lower bound" : undefined}>
                            {shownCost.estimate.summary}.{" "}</span>
                        : null}
                    {summary}
                </span>
            </div>
            {shownCost != null && "estimate" in shownCost && shownCost.estimate.warnings.length > 0 ? (
                <ul className="warnings" aria-label="Sweep warnings" data-testid="sweep-warnings">
                    {shownCost.estimate.warnings.map((warning) => <li key={warning}>Note: {warning}</li>)}
                </ul>
            ) : null}
            {shownCost != null && "error" in shownCost ? <p className="inline-error small">{shownCost.error}</p> : null}
            {alerts}
            <ProgressArea progress={progress} starting={starting} />
            <details className="advanced" open={advancedOpen} onToggle={(event) => setAdvancedOpen(event.currentTarget.open)}>
                <summary>Advanced</summary>
                {fields == null ? <p className="muted">Loading…</p> : (
                    <form onSubmit={run} className="advanced-grid" aria-label="Advanced benchmark settings">
                        <Field label="Models (one path per line)" wide>
                            {(id) => <textarea id={id} rows={2} value={fields.models} onChange={(event) => set("models")(event.target.value)} spellCheck={false} />}
                        </Field>
                        <Field label="Threads">{(id) => <input id={id} value={fields.threads} onChange={(event) => set("threads")(event.target.value)} />}</Field>
                        <Field label="GPU layers">{(id) => <input id={id} value={fields.gpuLayers} onChange={(event) => set("gpuLayers")(event.target.value)} />}</Field>
                        <Field label="Prompt tokens (p)">{(id) => <input id={id} value={fields.nPrompt} onChange={(event) => set("nPrompt")(event.target.value)} />}</Field>
                        <Field label="Generated tokens (n)">{(id) => <input id={id} value={fields.nGen} onChange={(event) => set("nGen")(event.target.value)} />}</Field>
                        <Field label="Repetitions">{(id) => <input id={id} value={fields.reps} onChange={(event) => set("reps")(event.target.value)} inputMode="numeric" />}</Field>
                        <Field label="Batch sizes">{(id) => <input id={id} value={fields.batchSizes} onChange={(event) => set("batchSizes")(event.target.value)} />}</Field>
                        <Field label="Context size (blank: p + n)">{(id) => <input id={id} value={fields.contextSize} onChange={(event) => set("contextSize")(event.target.value)} inputMode="numeric" />}</Field>
                        <Field label="GPU bandwidth, GB/s">{(id) => <input id={id} value={fields.gpuBandwidth} onChange={(event) => set("gpuBandwidth")(event.target.value)} inputMode="decimal"
                            placeholder="spec table" title="The GPU's memory bandwidth for the ceiling; blank: the spec table's figure" />}</Field>
                        <Field label="VRAM budget, GiB">{(id) => <input id={id} value={fields.vramBudget} onChange={(event) => set("vramBudget")(event.target.value)} inputMode="decimal"
                            placeholder="free VRAM" title="VRAM the fit check may use; blank: the device's free VRAM" />}</Field>
                        <fieldset className="fa">
                            <legend>Flash attention</legend>
                            <label><input type="checkbox" checked={fields.faOff} onChange={(event) => set("faOff")(event.target.checked)} /> off</label>
                            <label><input type="checkbox" checked={fields.faOn} onChange={(event) => set("faOn")(event.target.checked)} /> on</label>
                        </fieldset>
                        <Field label="Depth (d): tokens already in the KV cache">{(id) => <input id={id} value={fields.nDepth} onChange={(event) => set("nDepth")(event.target.value)}
                            title="The prompt runs at this depth and generation after it; 0 (the default): generation at depth p, after the prompt" />}</Field>
                        <Field label="Micro-batch sizes (blank: the batch)">{(id) => <input id={id} value={fields.ubatchSizes} onChange={(event) => set("ubatchSizes")(event.target.value)}
                            title="llama-bench's -ub; node-llama-cpp ties n_ubatch to n_batch, so LlamaMeter feeds the prompt in micro-batches and its rows say so" />}</Field>
                        <Field label="K cache type (f16, q8_0, q4_0)">{(id) => <input id={id} value={fields.cacheTypeK} onChange={(event) => set("cacheTypeK")(event.target.value)} />}</Field>
                        <Field label="V cache type (f16, q8_0, q4_0)">{(id) => <input id={id} value={fields.cacheTypeV} onChange={(event) => set("cacheTypeV")(event.target.value)}
                            title="A quantized V cache needs flash attention on: llama.cpp refuses it without" />}</Field>
                        <fieldset className="fa">
                            <legend>Model file</legend>
                            <label title="llama-bench's use_mmap 1 (the default)"><input type="checkbox" checked={fields.mmapOn} onChange={(event) => set("mmapOn")(event.target.checked)} /> memory-mapped</label>
                            <label title="llama-bench's use_mmap 0"><input type="checkbox" checked={fields.mmapOff} onChange={(event) => set("mmapOff")(event.target.checked)} /> read into memory</label>
                        </fieldset>
                        <fieldset className="fa span2">
                            <legend>Engine</legend>
                            <label title="LlamaMeter's runner over node-llama-cpp: what an app embedding llama.cpp gets"><input type="checkbox" checked={fields.engineNode} onChange={(event) => set("engineNode")(event.target.checked)} /> LlamaMeter</label>
                            <label title="llama.cpp's own llama-bench, same settings: what Ollama, LM Studio and llama-server users get (found on the PATH or built once from node-llama-cpp's source)"><input type="checkbox" checked={fields.engineNative} onChange={(event) => set("engineNative")(event.target.checked)} /> llama-bench</label>
                            <label title="With LlamaMeter alone: llama-bench, same settings, beside each row where node-llama-cpp measurably falls short of llama.cpp (fast tokens: threads restarted every token at 2+ threads, or much of each token spent outside llama.cpp), when a llama-bench is at hand (never built for this)"><input type="checkbox" data-testid="engine-beside" checked={fields.nativeWhereShort} disabled={fields.engineNative || !fields.engineNode} onChange={(event) => set("nativeWhereShort")(event.target.checked)} /> llama-bench where it falls short</label>
                        </fieldset>
                        <Field label="GPU device" wide>
                            {(id) => (
                                <select id={id} value={fields.gpuDevice} onChange={(event) => set("gpuDevice")(event.target.value)} data-testid="gpu-device">
                                    <option value="">{devices.length === 0 ? "none detected: CPU" : "llama.cpp's choice (never a software device)"}</option>
                                    {devices.map((device) => <option key={device.index} value={String(device.index)}>{deviceLabel(device)}</option>)}
                                </select>
                            )}
                        </Field>
                        <div className="advanced-actions">
                            <button type="submit" disabled={running}>Run with these settings</button>
                            <button type="button" className="secondary" disabled={plan == null || !edited} onClick={() => {
                                setEdited(false);
                                touched.current.clear();
                                setFieldError(null);
                                if (plan != null) setFields(fieldsFrom(plan));
                            }}>Reset to the default plan</button>
                            {fieldError != null ? <span className="inline-error">{fieldError}</span> : null}
                        </div>
                        <p className="muted small wide">Lists are comma-separated, with llama-bench’s ranges: threads “1,2”, “1-8+1” or “auto” (the fastest, found by a short probe per model), GPU layers “0,8,max”, prompt tokens “64-512*2”, KV cache types “f16,q8_0”. Every combination is one test. A quantized V cache needs flash attention on.</p>
                    </form>
                )}
            </details>
        </section>
    );
}

function Field({label, wide, children}: {label: string, wide?: boolean, children: (id: string) => ReactNode}) {
    const id = useId();
    return (
        <div className={wide ? "field wide" : "field"}>
            <label htmlFor={id}>{label}</label>
            {children(id)}
        </div>
    );
}

/** Fixed height whatever the state, so the page below does not move while events stream in. */
function ProgressArea({progress, starting}: {progress: RunProgress | null, starting: boolean}) {
    const fraction = progress != null && progress.total > 0 ? Math.min(1, progress.done / progress.total) : 0;
    let line1 = "Ready.";
    let line2 = "Click “Run benchmark” to measure this machine with the plan above.";
    if (starting && progress == null) {
        line1 = "Starting…";
        line2 = "";
    } else if (progress != null) {
        const config = progress.currentConfig;
        if (progress.finished) {
            // The test cut short by the cancel may come back as a "cancelled" row: it is not a kept result.
            const kept = progress.results.filter((row) => row.status !== "cancelled").length;
            line1 = progress.error != null ? "The run failed."
                : progress.cancelled ? `Cancelled: ${kept} finished row${kept === 1 ? "" : "s"} kept.`
                    : `Finished: ${progress.results.length} row${progress.results.length === 1 ? "" : "s"}.`;
            line2 = progress.error ?? "";
        } else {
            line1 = progress.currentIndex != null
                ? `Test ${progress.currentIndex + 1} of ${progress.tests}${progress.phase != null ? ` · ${progress.phase}` : ""} · ETA ${formatDuration(progress.etaMs)}`
                : `Planning… · ETA ${formatDuration(progress.etaMs)}`;
            line2 = [config != null ? `${baseName(config.modelPath)}, ${config.threads} threads, GPU layers ${config.gpuLayers}, p ${config.nPrompt}, n ${config.nGen}` : null,
                progress.message].filter(Boolean).join(" — ");
        }
    }
    const percent = Math.round(fraction * 100);
    return (
        <div className="progress-area" aria-live="polite">
            <div className="bar" role="progressbar" aria-label="Benchmark progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}
                aria-valuetext={`${percent}%`}>
                <div className="bar-fill" style={{width: `${percent}%`}} />
            </div>
            <p className="progress-line1" data-testid="progress-step">{line1}</p>
            <p className="progress-line2 muted small" title={line2}>{line2}</p>
        </div>
    );
}
