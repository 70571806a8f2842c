// "Models": discovered and added GGUF files with what they are and whether they fit; add a file by path;
// create a synthetic model for what-if runs.
import {useId, useState, type FormEvent, type ReactNode} from "react";
import type {ModelEntry, SynthRequest} from "../src-main/api/contract.js";
import {SHAPE_PRESETS} from "../src-main/engine/models/shapePresets.js";
import {baseName, formatBytes, formatParams} from "./format.js";

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
    alerts?: ReactNode
}

// Exactly the presets the back end accepts (its own table), so no suggestion is refused.
const shapeSuggestions = Object.keys(SHAPE_PRESETS);
const synthTypes: Array<SynthRequest["type"]> = ["q4_0", "q4_k", "q8_0", "f16"];

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
                                    <col style={{width: "2.5rem"}} />
                                    <col />
                                    <col style={{width: "6.5rem"}} />
                                    <col style={{width: "5.5rem"}} />
                                    <col style={{width: "5rem"}} />
                                    <col style={{width: "5.5rem"}} />
                                    <col style={{width: "4rem"}} />
                                    <col style={{width: "7.5rem"}} />
                                </colgroup>
                                <thead>
                                    <tr><th scope="col"><span className="visually-hidden">Use</span></th><th scope="col">Model</th><th scope="col">Origin</th><th scope="col">Params</th><th scope="col">Type</th><th scope="col">Size</th><th scope="col">Layers</th><th scope="col">Fit</th></tr>
                                </thead>
                                <tbody>
                                    {models.map((entry) => <ModelRow key={entry.path} entry={entry} checked={selected.includes(entry.path)} onToggle={onToggle} />)}
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
            </div>
            {props.alerts}
        </section>
    );
}

function ModelRow({entry, checked, onToggle}: {entry: ModelEntry, checked: boolean, onToggle: ModelsPanelProps["onToggle"]}) {
    const info = entry.info;
    const name = info?.fileName ?? baseName(entry.path);
    if (info == null) {
        return (
            <tr className="error-row">
                <td><input type="checkbox" disabled aria-label={`Use ${name} (cannot be read)`} /></td>
                <td className="cell-clip" title={entry.path}>{name}</td>
                <td>{entry.origin}</td>
                <td colSpan={5} className="inline-error">{entry.error ?? "cannot be read"}</td>
            </tr>
        );
    }
    return (
        <tr>
            <td><input type="checkbox" checked={checked} onChange={(event) => onToggle(entry.path, event.target.checked)} aria-label={`Use ${name}`} /></td>
            <td className="cell-clip" title={entry.path}>{name}{info.synthetic ? <span className="tag">synthetic</span> : null}</td>
            <td>{entry.origin}</td>
            <td className="num">{formatParams(info.parameters)}</td>
            <td>{info.weightType}</td>
            <td className="num">{formatBytes(info.fileBytes)}</td>
            <td className="num">{info.nLayer}</td>
            <td title={entry.fit?.detail}>{entry.fit?.verdict ?? "—"}</td>
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
