// The whole UI: loads what the back end knows, folds pushed events into run progress, and wires the panels
// to the API. Every back-end call goes through the one LlamaMeterApi object it is given.
import {oneLine} from "../src-main/engine/oneLine.js";
import {useCallback, useEffect, useMemo, useReducer, useRef, useState} from "react";
import type {
    ExportRequest, HardwareProfile, LlamaMeterApi, ModelEntry, ReferenceMachineRow, SweepSpec, SynthRequest, TestResult
} from "../src-main/api/contract.js";
import {benchProgress, emptyRunProgress} from "./benchProgress.js";
import {BenchmarkPanel, countTests} from "./BenchmarkPanel.js";
import {downloadFile} from "./downloadFile.js";
import {AnswerPanel} from "./AnswerPanel.js";
import {ErrorAlert, type AlertItem, type AlertPlace} from "./ErrorAlert.js";
import {ExportPanel} from "./ExportPanel.js";
import {baseName} from "./format.js";
import {groupRuns} from "./groupRuns.js";
import {HardwarePanel} from "./HardwarePanel.js";
import {HistoryPanel} from "./HistoryPanel.js";
import {ModelsPanel, fitLine, type Prediction, type SynthJob} from "./ModelsPanel.js";
import {formatNumber} from "./format.js";
import {ResultsPanel} from "./ResultsPanel.js";
import {ThemeToggle} from "./ThemeToggle.js";

export interface AppProps {
    api: LlamaMeterApi,
    /** Saves an export; default: the desktop app's save dialog, else a browser download. */
    save?: (file: {fileName: string, mime: string, content: string}) => void
}

/** An error as one line, as every message in the UI is one line. */
export function errorLine(error: unknown): string {
    return oneLine(error) || "unknown error";
}

/** Why a model file cannot be used, naming the file once (the engine's message usually names it already). */
function unreadable(entry: ModelEntry): string {
    const name = baseName(entry.path);
    const error = entry.error ?? "cannot be read";
    return error.includes(name) ? error : `${name}: ${error}`;
}

export function App({api, save: saveProp}: AppProps) {
    const save = saveProp ?? downloadFile;
    const [hardware, setHardware] = useState<HardwareProfile | null>(null);
    const [hardwareError, setHardwareError] = useState<string | null>(null);
    const [measuring, setMeasuring] = useState(true);
    const [listed, setListed] = useState<ModelEntry[] | null>(null);
    const [added, setAdded] = useState<ModelEntry[]>([]);
    const [selected, setSelected] = useState<string[]>([]);
    const [plan, setPlan] = useState<SweepSpec | null>(null);
    const [runs, dispatch] = useReducer(benchProgress, {});
    const [currentRunId, setCurrentRunId] = useState<string | null>(null);
    const [expectedTests, setExpectedTests] = useState(0);
    const [starting, setStarting] = useState(false);
    const [history, setHistory] = useState<TestResult[] | null>(null);
    const [shownRunId, setShownRunId] = useState<string | null>(null);
    const [reference, setReference] = useState<ReferenceMachineRow[] | null>(null);
    const [referenceError, setReferenceError] = useState<string | null>(null);
    const [synthJobs, setSynthJobs] = useState<SynthJob[]>([]);
    const [errors, setErrors] = useState<AlertItem[]>([]);
    const nextErrorId = useRef(1);

    const answerRef = useRef<HTMLElement>(null);
    const [predictions, setPredictions] = useState<ReadonlyMap<string, Prediction>>(new Map());

    /** Shows a one-line error in the panel whose action failed (the same message replaces its older copy). */
    const report = useCallback((error: unknown, place: AlertPlace) => {
        const message = errorLine(error);
        const id = nextErrorId.current++;
        setErrors((before) => {
            const next = [...before.filter((item) => item.message !== message), {id, place, message}];
            // At most the three newest per panel.
            return next.filter((item, index) => next.slice(index + 1).filter((other) => other.place === item.place).length < 3);
        });
    }, []);
    const alertsFor = (place: AlertPlace) => (
        <ErrorAlert errors={errors.filter((item) => item.place === place)} onDismiss={(id) => setErrors((before) => before.filter((item) => item.id !== id))} />
    );

    const loadModels = useCallback(async () => {
        try {
            setListed(await api.listModels());
        } catch (error) {
            setListed((before) => before ?? []);
            report(`Listing models failed: ${errorLine(error)}`, "models");
        }
    }, [api, report]);

    const loadHistory = useCallback(async () => {
        try {
            setHistory(await api.listHistory());
        } catch (error) {
            setHistory((before) => before ?? []);
            report(`Loading history failed: ${errorLine(error)}`, "history");
        }
    }, [api, report]);

    // Pushed events: bench progress, synthetic-model progress; a finished run refreshes the history.
    useEffect(() => api.onEvent((event) => {
        if (event.channel === "bench") {
            dispatch(event);
            if (event.event.type === "done") {
                void loadHistory();
                // A run may have written the default model, and what fits may have changed: no stale list.
                void loadModels();
                if (event.error != null) report(`The benchmark failed: ${event.error}`, "bench");
                else if (event.event.results.some((row) => row.status === "ok"))
                    // The answer first: bring the headline into view once the run's rows are in.
                    requestAnimationFrame(() => answerRef.current?.scrollIntoView({block: "start"}));
            }
            return;
        }
        const update = (job: SynthJob): SynthJob => ({
            ...job, writtenBytes: event.writtenBytes, totalBytes: event.totalBytes, done: event.done,
            ...(event.error != null ? {error: event.error} : {}), ...(event.path != null ? {path: event.path} : {})
        });
        // A small file's events can beat createSyntheticModel's answer: keep them under the job id, and the
        // answer adds the label (dropping them left the job "writing" forever).
        setSynthJobs((jobs) => jobs.some((job) => job.jobId === event.jobId) ? jobs.map((job) => job.jobId !== event.jobId ? job : update(job))
            : [...jobs, update({jobId: event.jobId, label: "synthetic model", writtenBytes: 0, totalBytes: 0, done: false})].slice(-4));
        if (event.done && event.error == null) {
            void loadModels();
            const path = event.path;
            if (path != null) setSelected((before) => before.includes(path) ? before : [...before, path]);
        }
        if (event.error != null) report(`Creating the synthetic model failed: ${event.error}`, "models");
    }), [api, loadHistory, loadModels, report]);

    useEffect(() => {
        performance.mark("llamameter:interactive");
        // The facts first (about a second), then the bandwidth probe (several seconds on a cold start).
        void api.getHardwareFacts().then((facts) => setHardware((before) => before ?? facts), () => undefined)
            .then(() => api.getHardware())
            .then(setHardware, (error: unknown) => setHardwareError(errorLine(error)))
            .finally(() => setMeasuring(false));
        void loadModels();
        void loadHistory();
        api.referenceMachines().then(setReference, (error: unknown) => setReferenceError(errorLine(error)));
    }, [api, loadModels, loadHistory]);

    useEffect(() => {
        if (hardware != null && performance.getEntriesByName("llamameter:hardware-rendered").length === 0)
            performance.mark("llamameter:hardware-rendered");
    }, [hardware]);

    // The default plan follows the picked models (none picked: the back end's default model).
    useEffect(() => {
        let current = true;
        api.defaultPlan(selected.length > 0 ? {models: selected} : {}).then(
            (value) => { if (current) setPlan(value); },
            (error: unknown) => { if (current) report(`No default plan: ${errorLine(error)}`, "bench"); });
        return () => { current = false; };
    }, [api, selected, report]);

    const models = useMemo(() => {
        if (listed == null) return null;
        const known = new Set(listed.map((entry) => entry.path));
        return [...listed, ...added.filter((entry) => !known.has(entry.path))];
    }, [listed, added]);

    // Each listed model's predicted ceiling (the engine's predict), asked once per file, one file at a time.
    useEffect(() => {
        const next = (models ?? []).find((entry) => entry.info != null && !predictions.has(entry.path));
        if (next == null) return;
        let current = true;
        api.predict({modelPath: next.path}).then((value): Prediction => value, (error: unknown): Prediction => ({error: errorLine(error)})).then((prediction) => {
            if (current) setPredictions((before) => new Map(before).set(next.path, prediction));
        });
        return () => { current = false; };
    }, [api, models, predictions]);

    async function addPath(path: string) {
        try {
            const entry = await api.inspectModel({path});
            setAdded((before) => [...before.filter((item) => item.path !== entry.path), entry]);
            if (entry.info == null) report(unreadable(entry), "models");
            else setSelected((before) => before.includes(entry.path) ? before : [...before, entry.path]);
        } catch (error) {
            report(`Adding ${baseName(path)} failed: ${errorLine(error)}`, "models");
        }
    }

    // Desktop only: the native open dialog; its files become allowed model paths.
    async function pickModelFiles() {
        try {
            const entries = await api.pickModelFiles?.() ?? [];
            setAdded((before) => [...before.filter((item) => !entries.some((entry) => entry.path === item.path)), ...entries]);
            for (const entry of entries) {
                if (entry.info == null) report(unreadable(entry), "models");
                else setSelected((before) => before.includes(entry.path) ? before : [...before, entry.path]);
            }
        } catch (error) {
            report(`Adding files failed: ${errorLine(error)}`, "models");
        }
    }

    async function createSynthetic(request: SynthRequest) {
        try {
            const {jobId} = await api.createSyntheticModel(request);
            const label = `${request.shape} ${request.type.toUpperCase()}`;
            // Events may have arrived before the answer; keep what they said.
            setSynthJobs((jobs) => jobs.some((job) => job.jobId === jobId) ? jobs.map((job) => job.jobId === jobId ? {...job, label} : job)
                : [...jobs, {jobId, label, writtenBytes: 0, totalBytes: 0, done: false}].slice(-4));
        } catch (error) {
            report(`Creating the synthetic model failed: ${errorLine(error)}`, "models");
        }
    }

    async function run(spec: SweepSpec) {
        setStarting(true);
        setShownRunId(null);
        setCurrentRunId(null);
        setExpectedTests(countTests(spec));
        try {
            const {runId} = await api.startBench(spec);
            setCurrentRunId(runId);
        } catch (error) {
            report(`The benchmark did not start: ${errorLine(error)}`, "bench");
        } finally {
            setStarting(false);
        }
    }

    async function cancel() {
        if (currentRunId == null) return;
        try {
            await api.cancelBench({runId: currentRunId});
        } catch (error) {
            report(`Cancel failed: ${errorLine(error)}`, "bench");
        }
    }

    async function importCsv(text: string): Promise<string | null> {
        try {
            // The back end keeps the new rows in the history and answers with a count, not the rows.
            const summary = await api.importCsv({text});
            await loadHistory();
            return summary.message;
        } catch (error) {
            report(`Import failed: ${errorLine(error)}`, "history");
            return null;
        }
    }

    async function exportResults(request: ExportRequest) {
        try {
            // The desktop app saves through its native dialog; the browser downloads.
            if (api.saveExport != null && saveProp == null) await api.saveExport(request);
            else save(await api.exportResults(request));
        } catch (error) {
            report(`Export failed: ${errorLine(error)}`, "export");
        }
    }

    // What Results shows: a run picked in History, else the current run, else the newest run on file.
    // startBench has answered but no event has arrived yet: the run is still under way.
    const progress = currentRunId != null ? runs[currentRunId] ?? emptyRunProgress(currentRunId) : null;
    const groups = useMemo(() => groupRuns(history ?? []), [history]);
    let shownRows: readonly TestResult[] = [];
    let pending = 0;
    let caption = "No run yet.";
    const shownGroup = shownRunId != null ? groups.find((group) => group.runId === shownRunId) : undefined;
    if (shownGroup != null) {
        shownRows = shownGroup.rows;
        caption = `Run from history, started ${new Date(shownGroup.startedAt).toLocaleString()} on ${shownGroup.machine || "unknown machine"}.`;
    } else if (starting || currentRunId != null) {
        shownRows = progress?.results ?? [];
        const planned = Math.max(progress?.tests ?? 0, expectedTests);
        pending = progress?.finished ? 0 : Math.max(0, planned - shownRows.length);
        caption = progress?.finished ? (progress.cancelled ? "This run (cancelled; finished rows kept)." : "This run.") : "This run (in progress).";
    } else if (groups[0] != null) {
        shownRows = groups[0].rows;
        caption = `The latest run on file, started ${new Date(groups[0].startedAt).toLocaleString()}.`;
    }

    return (
        <div className="app">
            <header className="app-header">
                <div>
                    <h1>LlamaMeter</h1>
                    <p className="muted tagline">How fast will this model run on this machine, and why?</p>
                </div>
                <ThemeToggle />
            </header>
            <main className="layout">
                <div className="span-all">
                    <AnswerPanel ref={answerRef} rows={shownRows}
                        before={starting || (progress != null && !progress.finished)
                            ? <p className="muted">Measuring: the answer appears here when the first test finishes.</p>
                            : <Predicted models={(models ?? []).filter((entry) => (plan?.models ?? selected).includes(entry.path))} predictions={predictions} hardware={hardware} />} />
                </div>
                <HardwarePanel hardware={hardware} error={hardwareError} measuring={measuring} alerts={alertsFor("hardware")}
                    onMeasureAgain={() => {
                        setMeasuring(true);
                        api.measureBandwidth().then(setHardware, (error: unknown) => report(`Measuring the bandwidth failed: ${errorLine(error)}`, "hardware"))
                            .finally(() => setMeasuring(false));
                    }} />
                <ModelsPanel models={models} selected={selected} synthJobs={synthJobs} onRefresh={() => void loadModels()}
                    onToggle={(path, on) => setSelected((before) => on ? [...before.filter((item) => item !== path), path] : before.filter((item) => item !== path))}
                    onAddPath={addPath} onPickFiles={api.pickModelFiles != null ? pickModelFiles : undefined} onCreateSynthetic={createSynthetic}
                    alerts={alertsFor("models")} predictions={predictions} hardware={hardware} onPredict={api.predict} />
                <div className="span-all">
                    <BenchmarkPanel plan={plan} progress={progress} starting={starting} onRun={(spec) => void run(spec)} onCancel={() => void cancel()}
                        estimate={api.estimateSweep} alerts={alertsFor("bench")} historyKey={history?.length ?? 0} devices={hardware?.devices ?? []} planFor={api.defaultPlan} />
                </div>
                <div className="span-all">
                    <ResultsPanel rows={shownRows} pending={pending} caption={caption} reference={reference} referenceError={referenceError} />
                </div>
                <div className="span-all">
                    <ExportPanel shownIds={shownRows.map((row) => row.id)} onExport={exportResults} />
                    {alertsFor("export")}
                </div>
                <div className="span-all">
                    <HistoryPanel history={history} onImport={importCsv} onShowRun={setShownRunId} />
                    {alertsFor("history")}
                </div>
            </main>
        </div>
    );
}

/** Before any run: what the engine predicts for the models the plan will run (measured figures replace it). */
function Predicted({models, predictions, hardware}: {models: readonly ModelEntry[], predictions: ReadonlyMap<string, Prediction>, hardware: HardwareProfile | null}) {
    const known = models.flatMap((entry) => {
        const prediction = predictions.get(entry.path);
        return prediction != null && !("error" in prediction) && prediction.ceilingTps != null ? [{entry, ceilingTps: prediction.ceilingTps}] : [];
    });
    if (known.length === 0)
        return <p className="muted">No run yet: click “Run benchmark” below to measure this machine.{hardware == null ? " The memory bandwidth is being measured; the predicted ceiling follows." : ""}</p>;
    return (
        <ul className="plain prediction-list" data-testid="prediction">
            {known.map(({entry, ceilingTps}) => (
                <li key={entry.path} className="headline">
                    <p className="headline-model">{entry.info?.fileName ?? baseName(entry.path)} <span className="muted">· predicted, before any run</span></p>
                    <p className="headline-figures">at most <span className="ceiling-value">{formatNumber(ceilingTps)} tok/s</span> (the memory-bandwidth ceiling) · {fitLine(entry, hardware)}</p>
                </li>
            ))}
            <li className="muted small">A run measures the real rate; it lands below the ceiling.</li>
        </ul>
    );
}
