// What the UI knows about each run, folded from the pushed bench events (pure, so it is unit-testable).
import type {ApiEvent, BenchEvent, TestResult} from "../src-main/api/contract.js";

type TestConfig = TestResult["config"];

export interface RunProgress {
    runId: string,
    /** Tests in the plan (0 until the plan event). */
    tests: number,
    /** Progress units done / total, as the engine counts them (reps, including warm-ups). */
    done: number,
    total: number,
    etaMs: number | null,
    /** The engine's own words for the current step. */
    message: string,
    /** Index of the test running now (0-based), its config and phase. */
    currentIndex: number | null,
    currentConfig: TestConfig | null,
    phase: string | null,
    /** Finished rows, in the order they finished. */
    results: TestResult[],
    finished: boolean,
    cancelled: boolean,
    /** One line when the run failed as a whole (not a single row). */
    error: string | null
}

/** runId -> its progress; events for runs we have not heard of yet start a new entry (they may beat
 *  startBench's answer). */
export type RunsProgress = Record<string, RunProgress>;

export function emptyRunProgress(runId: string): RunProgress {
    return {
        runId, tests: 0, done: 0, total: 0, etaMs: null, message: "starting…",
        currentIndex: null, currentConfig: null, phase: null, results: [], finished: false, cancelled: false, error: null
    };
}

/** Folds one pushed event into the runs' progress; events of other channels leave it unchanged. */
export function benchProgress(runs: RunsProgress, apiEvent: ApiEvent): RunsProgress {
    if (apiEvent.channel !== "bench") return runs;
    const before = runs[apiEvent.runId] ?? emptyRunProgress(apiEvent.runId);
    const after = applyBenchEvent(before, apiEvent.event);
    return {...runs, [apiEvent.runId]: apiEvent.error != null ? {...after, error: apiEvent.error} : after};
}

export function applyBenchEvent(run: RunProgress, event: BenchEvent): RunProgress {
    switch (event.type) {
        case "plan":
            return {...run, tests: event.tests, total: Math.max(run.total, event.totalReps)};
        case "test-start":
            return {...run, tests: event.tests, currentIndex: event.index, currentConfig: event.config, phase: "load"};
        case "phase":
            return {
                ...run,
                currentIndex: event.index,
                // The engine counts repetitions from 0 (runTest's loop index); people count from 1.
                phase: event.phase === "rep" && event.rep != null && event.reps != null
                    ? `rep ${event.rep + 1}/${event.reps}`
                    : event.phase
            };
        case "progress":
            return {...run, done: event.done, total: event.total, etaMs: event.etaMs, message: event.message};
        case "converted":
            return {...run, message: `${event.cached ? "using the GGUF converted earlier from" : "converted to GGUF from"} ${event.from}`};
        case "test-end": {
            // A row replaces an earlier copy of itself (the same id) rather than appearing twice.
            const results = run.results.filter((row) => row.id !== event.result.id);
            return {...run, results: [...results, event.result]};
        }
        case "done":
            return {
                ...run,
                // The engine's final list is authoritative; keep streamed rows it somehow lacks.
                results: mergeRows(event.results, run.results),
                finished: true,
                cancelled: event.cancelled,
                done: event.cancelled ? run.done : run.total,
                etaMs: 0,
                phase: null,
                message: event.cancelled ? "cancelled" : "finished"
            };
    }
}

function mergeRows(authoritative: TestResult[], streamed: TestResult[]): TestResult[] {
    const ids = new Set(authoritative.map((row) => row.id));
    return [...authoritative, ...streamed.filter((row) => !ids.has(row.id))];
}
