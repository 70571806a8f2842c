// "Models": discovered and added GGUF files with what they are and whether they fit; add a file by path;
// create a synthetic model for what-if runs.
import {useId, useState, type FormEvent, type ReactNode} from "react";
import type {HardwareProfile, ModelEntry, PredictRequest, PredictResult, SynthRequest} from "../src-main/api/contract.js";
import {SHAPE_NAMES} from "../src-main/engine/models/shapePresets.js";
import {SYNTHETIC_WEIGHT_TYPES} from "../src-main/engine/types.js";
import {baseName, formatBytes, formatNumber, formatParams} from "./format.js";

/** A model's predicted ceiling, or why there is none. */
export type Prediction = PredictResult | {error: string};

/** A synthetic model being written, as the synth events report it. */
export interface SynthJob {
    jobId: string,
    label: string,
    writtenBytes: number,
    totalBytes: number,
    done: boolean,
    error?: string,
    path?: string
}

export interface ModelsPanelProps {
    models: ModelEntry[] | null,
    /** Paths picked for the next benchmark. */
    selected: readonly string[],
    onToggle: (path: string, selected: boolean) => void,
    onAddPath: (path: string) => Promise<void>,
    /** The desktop app's native open dialog; absent in browser mode, where a path is typed. */
    onPickFiles?: () => Promise<void>,
    onCreateSynthetic: (request: SynthRequest) => Promise<void>,
    onRefresh: () => void,
    synthJobs: readonly SynthJob[],
    /** This panel's error messages (ErrorAlert), shown under its forms. */
    alerts?: ReactNode,
    /** Predicted ceilings by model path (the engine's predict), as they arrive. */
    predictions?: ReadonlyMap<string, Prediction>,
    /** For the fit line's RAM budget. */
    hardware?: HardwareProfile | null,
    /** The what-if row: any shape and type, no file needed. */
    onPredict?: (request: PredictRequest) => Promise<PredictResult>
}

/** "fits: 843 KiB of 21.4 GiB RAM", with a GPU "…; GPU: up to 20 of 32 layers". */
export function fitLine(entry: ModelEntry, hardware: HardwareProfile | null | undefined): string {
    const fit = entry.fit;
    if (fit == null || entry.info == null) return "—";
    // The budget fitModel judged against: available RAM when known, else total.
    const budget = hardware?.memory.freeBytes.value ?? hardware?.memory.totalBytes.value ?? null;
    const ram = `${formatBytes(fit.ramBytes)}${budget != null ? ` of ${formatBytes(budget)}` : ""} RAM`;
    const gpu = fit.maxGpuLayers > 0 ? `; GPU: up to ${fit.maxGpuLayers} of ${entry.info.nLayer} layers` : "";
    return `${fit.verdict === "does not fit" ? "does not fit" : "fits"}: ${ram}${gpu}`;
}

// Exactly the presets the back end accepts (its own table), so no suggestion is refused.
const shapeSuggestions = SHAPE_NAMES;
const synthTypes = SYNTHETIC_WEIGHT_TYPES;

export function ModelsPanel(props: ModelsPanelProps) {
    const {models, selected, onToggle, onRefresh} = props;
    return (
        <section className="panel" aria-labelledby="models-title">
            <div className="panel-head">
                <h2 id="models-title">Models</h2>
                <button type="button" className="secondary" onClick={onRefresh}>Refresh</button>
            </div>
            {models == null ? <p className="muted">Looking for GGUF files…</p>
                : models.length === 0 ? <p className="muted">No GGUF files found yet. The benchmark uses the built-in default model; or add a file or create a synthetic model below.</p>
                    : (
                        <div className="table-scroll">
                            <table className="models-table">
                                <colgroup>
                                    <col style={{width: "2.2rem"}} />
                                    <col />
                                    <col style={{width: "4.5rem"}} />
                                    <col style={{width: "4rem"}} />
                                    <col style={{width: "5rem"}} />
                                    <col style={{width: "3.5rem"}} />
                                    <col style={{width: "5.5rem"}} />
                                    <col style={{width: "9.5rem"}} />
                                </colgroup>
                                <thead>
                                    <tr><th scope="col"><span className="visually-hidden">Use</span></th><th scope="col">Model</th><th scope="col">Params</th><th scope="col">Type</th><th scope="col">Size</th><th scope="col">Layers</th><th scope="col" className="num" title="The memory-bandwidth ceiling, predicted before any run">Ceiling t/s</th><th scope="col">Fit</th></tr>
                                </thead>
                                <tbody>
                                    {models.map((entry) => <ModelRow key={entry.path} entry={entry} checked={selected.includes(entry.path)} onToggle={onToggle}
                                        prediction={props.predictions?.get(entry.path)} hardware={props.hardware} />)}
                                </tbody>
                            </table>
                        </div>
                    )}
            <p className="muted small">{selected.length === 0 ? "None picked: the benchmark uses the default plan's model." : `${selected.length} picked for the next benchmark.`}</p>
            <div className="forms">
                {props.onPickFiles != null
                    ? <div className="inline-form"><button type="button" onClick={() => void props.onPickFiles?.()}>Add file…</button></div>
                    : <AddFileForm onAddPath={props.onAddPath} />}
                <SynthForm onCreateSynthetic={props.onCreateSynthetic} jobs={props.synthJobs} />
                {props.onPredict != null ? <WhatIfForm onPredict={props.onPredict} hardware={props.hardware} /> : null}
            </div>
            {props.alerts}
        </section>
    );
}

function ModelRow({entry, checked, onToggle, prediction, hardware}: {entry: ModelEntry, checked: boolean, onToggle: ModelsPanelProps["onToggle"],
    prediction: Prediction | undefined, hardware: HardwareProfile | null | undefined}) {
    const info = entry.info;
    const name = info?.fileName ?? baseName(entry.path);
    if (info == null) {
        return (
            <tr className="error-row">
                <td><input type="checkbox" disabled aria-label={`Use ${name} (cannot be read)`} /></td>
                <td className="wrap" title={entry.path}>{name}<span className="tag" title="where it was found">{entry.origin}</span></td>
                <td colSpan={6} className="inline-error">{entry.error ?? "cannot be read"}</td>
            </tr>
        );
    }
    return (
        <tr>
            <td><input type="checkbox" checked={checked} onChange={(event) => onToggle(entry.path, event.target.checked)} aria-label={`Use ${name}`} /></td>
            <td className="wrap" title={entry.path}>{name}<span className="tag" title="where it was found">{entry.origin}</span>{info.synthetic ? <span className="tag">synthetic</span> : null}</td>
            <td className="num">{formatParams(info.parameters)}</td>
            <td>{info.weightType}</td>
            <td className="num">{formatBytes(info.fileBytes)}</td>
            <td className="num">{info.nLayer}</td>
            <td className="num" data-testid="predicted-ceiling">{prediction == null ? "…" : "error" in prediction ? <span className="muted" title={prediction.error}>—</span>
                : prediction.ceilingTps != null ? `≤ ${formatNumber(prediction.ceilingTps)}` : "—"}</td>
            <td className="wrap small" data-testid="fit-line">{fitLine(entry, hardware)}</td>
        </tr>
    );
}

function AddFileForm({onAddPath}: {onAddPath: ModelsPanelProps["onAddPath"]}) {
    const id = useId();
    const [path, setPath] = useState("");
    const [busy, setBusy] = useState(false);
    async function submit(event: FormEvent) {
        event.preventDefault();
        if (path.trim() === "") return;
        setBusy(true);
        try {
            await onAddPath(path.trim());
            setPath("");
        } finally {
            setBusy(false);
        }
    }
    return (
        <form className="inline-form" onSubmit={submit} aria-label="Add a model file">
            <label htmlFor={id}>GGUF file path</label>
            <input id={id} type="text" value={path} onChange={(event) => setPath(event.target.value)} placeholder="/path/to/model.gguf" spellCheck={false} />
            <button type="submit" disabled={busy || path.trim() === ""}>Add file</button>
        </form>
    );
}

function SynthForm({onCreateSynthetic, jobs}: {onCreateSynthetic: ModelsPanelProps["onCreateSynthetic"], jobs: readonly SynthJob[]}) {
    const shapeId = useId();
    const typeId = useId();
    const listId = useId();
    const [shape, setShape] = useState("tiny");
    const [type, setType] = useState<SynthRequest["type"]>("q4_0");
    const [busy, setBusy] = useState(false);
    async function submit(event: FormEvent) {
        event.preventDefault();
        setBusy(true);
        try {
            await onCreateSynthetic({shape: shape.trim(), type});
        } finally {
            setBusy(false);
        }
    }
    return (
        <form className="inline-form" onSubmit={submit} aria-label="Create a synthetic model">
            <fieldset>
                <legend>Create a synthetic model</legend>
                <label htmlFor={shapeId}>Shape</label>
                <input id={shapeId} list={listId} value={shape} onChange={(event) => setShape(event.target.value)} size={8} spellCheck={false} />
                <datalist id={listId}>{shapeSuggestions.map((name) => <option key={name} value={name} />)}</datalist>
                <label htmlFor={typeId}>Type</label>
                <select id={typeId} value={type} onChange={(event) => setType(event.target.value as SynthRequest["type"])}>
                    {synthTypes.map((name) => <option key={name} value={name}>{name.toUpperCase()}</option>)}
                </select>
                <button type="submit" disabled={busy || shape.trim() === ""}>Create</button>
            </fieldset>
            <ul className="plain synth-jobs" aria-live="polite">
                {jobs.map((job) => (
                    <li key={job.jobId}>
                        <span className="job-label">{job.label}</span>
                        {job.error != null ? <span className="inline-error">{job.error}</span>
                            : job.done ? <span>written{job.path != null ? `: ${baseName(job.path)}` : ""}</span>
                                : <progress max={job.totalBytes || 1} value={job.writtenBytes} aria-label={`Writing ${job.label}`} />}
                    </li>
                ))}
            </ul>
        </form>
    );
}

/** The what-if row: the engine's prediction for any shape and type on this machine, with no file written. */
function WhatIfForm({onPredict, hardware}: {onPredict: NonNullable<ModelsPanelProps["onPredict"]>, hardware: HardwareProfile | null | undefined}) {
    const shapeId = useId();
    const typeId = useId();
    const [shape, setShape] = useState("7b");
    const [type, setType] = useState<SynthRequest["type"]>("q4_0");
    const [answer, setAnswer] = useState<{label: string, result: PredictResult} | {label: string, error: string} | null>(null);
    const [busy, setBusy] = useState(false);
    async function submit(event: FormEvent) {
        event.preventDefault();
        setBusy(true);
        const label = `${shape} ${type.toUpperCase()}`;
        try {
            setAnswer({label, result: await onPredict({shape, type})});
        } catch (error) {
            setAnswer({label, error: error instanceof Error ? error.message.split("\n")[0]! : String(error)});
        } finally {
            setBusy(false);
        }
    }
    const budget = hardware?.memory.freeBytes.value ?? hardware?.memory.totalBytes.value ?? null;
    return (
        <form className="inline-form" onSubmit={submit} aria-label="What if: predict a model">
            <fieldset>
                <legend>What if: predict any model, no download</legend>
                <label htmlFor={shapeId}>Shape</label>
                <select id={shapeId} value={shape} onChange={(event) => setShape(event.target.value)}>
                    {shapeSuggestions.map((name) => <option key={name} value={name}>{name}</option>)}
                </select>
                <label htmlFor={typeId}>Type</label>
                <select id={typeId} value={type} onChange={(event) => setType(event.target.value as SynthRequest["type"])}>
                    {synthTypes.map((name) => <option key={name} value={name}>{name.toUpperCase()}</option>)}
                </select>
                <button type="submit" disabled={busy}>Predict</button>
            </fieldset>
            <p className="what-if-answer" aria-live="polite" data-testid="what-if">
                {answer == null ? null : "error" in answer ? <span className="inline-error">{answer.label}: {answer.error}</span> : (
                    <>
                        <strong>{answer.label}</strong>: {answer.result.verdict === "does not fit" ? "does not fit" : "fits"}
                        {" "}({formatBytes(answer.result.ramBytes)}{budget != null ? ` of ${formatBytes(budget)}` : ""} RAM{answer.result.gpuLayers > 0 ? `, up to ${answer.result.gpuLayers} layers on the GPU` : ""})
                        {" · "}{answer.result.ceilingTps != null ? <span className="ceiling-value">ceiling {formatNumber(answer.result.ceilingTps)} tok/s</span> : "no ceiling (bandwidth unknown)"}
                    </>
                )}
            </p>
        </form>
    );
}
