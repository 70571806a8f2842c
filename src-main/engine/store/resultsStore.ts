// The results history: an append-only JSON-lines file, one TestResult per line. Appending never
// rewrites earlier lines, so a crash can damage at most the line being written, and reading skips
// (and counts) such a line instead of failing.
import {mkdir, open, readFile} from "node:fs/promises";
import path from "node:path";
import {setImmediate as yieldToEventLoop} from "node:timers/promises";
import type {TestResult} from "../types.js";
import {packageRoot} from "../packageRoot.js";
import {parseBinary} from "../llama/formatBinary.js";

export interface ResultsReadReport {
    results: TestResult[],
    /** Lines that were not a result: a half-written last line after a crash, or corrupt text. */
    skippedLines: number
}

export class ResultsStore {
    /** Appends run one after another so two lines never interleave or race the trailing-newline check. */
    private queue: Promise<void> = Promise.resolve();

    constructor(public readonly file: string) {}

    /**
     * Append one result as one line and fsync it before resolving, so a crash (or power loss) right
     * after loses nothing. Creates the folder when needed.
     */
    append(result: TestResult): Promise<void> {
        const line = JSON.stringify(result) + "\n";
        const done = this.queue.then(() => this.appendLine(line));
        // A failed append must not block later ones; the caller still sees this one's error.
        this.queue = done.catch(() => {});
        return done;
    }

    /** Appends many results (an import) as one write and one fsync: an fsync per row made 20,000 rows take minutes. */
    async appendMany(results: readonly TestResult[]): Promise<void> {
        if (results.length === 0)
            return;
        const lines: string[] = [];
        for (const [index, result] of results.entries()) {
            if (index > 0 && index % 500 === 0)
                await yieldToEventLoop();
            lines.push(JSON.stringify(result) + "\n");
        }
        const done = this.queue.then(() => this.appendLine(lines.join("")));
        this.queue = done.catch(() => {});
        return done;
    }

    private async appendLine(line: string): Promise<void> {
        await mkdir(path.dirname(this.file), {recursive: true});
        // "a+" = O_APPEND (every write lands at the end, even with another writer) and readable, to check
        // whether a crash left the last line unterminated: the new line must not be glued onto it.
        const handle = await open(this.file, "a+");
        try {
            const {size} = await handle.stat();
            let text = line;
            if (size > 0) {
                const last = Buffer.alloc(1);
                await handle.read(last, 0, 1, size - 1);
                if (last[0] !== 0x0a)
                    text = "\n" + line;
            }
            await handle.appendFile(text, "utf8");
            await handle.sync();
        } finally {
            await handle.close();
        }
    }

    /** Every readable result in file order; unreadable lines are skipped. No file = no results. */
    async readAll(): Promise<TestResult[]> {
        return (await this.readAllWithReport()).results;
    }

    /**
     * The ids of every readable result, for an import's duplicate check. Reads each line's leading id
     * instead of parsing the whole row, and yields to the event loop as it goes: parsing a long history
     * in one go held browser mode's other requests for seconds.
     */
    async readIds(): Promise<Set<string>> {
        let text: string;
        try {
            text = await readFile(this.file, "utf8");
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code === "ENOENT")
                return new Set();
            throw error;
        }
        const ids = new Set<string>();
        let count = 0;
        for (const line of text.split("\n")) {
            if (++count % 2000 === 0)
                await yieldToEventLoop();
            // append() writes JSON.stringify(result), whose first key is the id; a line cut short by a
            // crash does not end in "}" and is parsed (and skipped) as readAll does.
            const leading = line.trimEnd().endsWith("}") ? /^\{"id":("(?:[^"\\]|\\.)*"),/.exec(line) : null;
            const id = leading != null ? JSON.parse(leading[1]!) as string : line.trim() === "" ? null : parseLine(line)?.id;
            if (id != null)
                ids.add(id);
        }
        return ids;
    }

    async readAllWithReport(): Promise<ResultsReadReport> {
        let text: string;
        try {
            text = await readFile(this.file, "utf8");
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code === "ENOENT")
                return {results: [], skippedLines: 0};
            throw error;
        }

        const results: TestResult[] = [];
        let skippedLines = 0;
        for (const line of text.split("\n")) {
            if (line.trim() === "")
                continue;
            const result = parseLine(line);
            if (result == null)
                skippedLines++;
            else
                results.push(result);
        }
        return {results, skippedLines};
    }
}

/** One line as a result, or null when it is not JSON or lacks what every result has. */
function parseLine(line: string): TestResult | null {
    let value: unknown;
    try {
        value = JSON.parse(line);
    } catch {
        return null;
    }
    if (value == null || typeof value !== "object" || Array.isArray(value))
        return null;
    const r = value as Partial<TestResult>;
    if (typeof r.id !== "string" || typeof r.timestamp !== "string" || typeof r.status !== "string"
        || r.config == null || typeof r.config !== "object" || r.env == null || typeof r.env !== "object"
        || !Array.isArray(r.samples))
        return null;
    // Rows written before the binary's facts were kept apart carry its one-line text.
    const binary: unknown = r.env.binary;
    if (typeof binary === "string")
        r.env.binary = parseBinary(binary) ?? {buildType: binary === "" ? "unknown" : binary, cpuVariant: null, threadRuntime: null};
    return value as TestResult;
}

/**
 * Where the CLI and browser mode keep results: $LLAMAMETER_RESULTS, else results/results.jsonl in the
 * repository root (git-ignored). The Electron shell passes its userData path instead.
 */
export function defaultResultsFile(env: NodeJS.ProcessEnv = process.env): string {
    const fromEnv = env.LLAMAMETER_RESULTS;
    if (fromEnv != null && fromEnv !== "")
        return path.resolve(fromEnv);
    return path.join(packageRoot(), "results", "results.jsonl");
}
