// Parses one sweep list from the command line, in llama-bench's syntax: "1,2,4", "0,8,16,max",
// "1-8" (first-last), "1-8+1" (first-last+step), "1-64*2" (first-last*factor), "64,512", "f16,q8_0,q4_0".
import {KV_CACHE_TYPES, type KvCacheType} from "../types.js";

/** What the list holds, which decides the values allowed. */
export type SweepListKind =
    /** Integers >= 1: threads, batch sizes. */
    | "count"
    /** Integers >= 0: n_prompt, n_gen (0 = skip that phase). */
    | "tokens"
    /** Integers >= 0 or "max" (all layers): gpu layers. */
    | "gpuLayers"
    /** 0/1, true/false, on/off, yes/no: flash attention. */
    | "bool"
    /** Integers >= 1 or "auto" (the fastest, found by a probe): threads. */
    | "threads"
    /** KV-cache types: f16, q8_0, q4_0 (llama-bench's -ctk / -ctv). */
    | "cacheType";

/** Expanding "1-1000000" by accident would plan a million tests; no real sweep needs more. */
const maxValues = 4096;

/**
 * Parse a comma-separated list of values and ranges. Values keep the order given (duplicates too, as
 * llama-bench does). Throws an Error naming the bad item on anything it cannot read.
 */
export function parseSweepList(text: string, kind: "count" | "tokens"): number[];
export function parseSweepList(text: string, kind: "gpuLayers"): Array<number | "max">;
export function parseSweepList(text: string, kind: "bool"): boolean[];
export function parseSweepList(text: string, kind: "threads"): Array<number | "auto">;
export function parseSweepList(text: string, kind: "cacheType"): KvCacheType[];
export function parseSweepList(text: string, kind: SweepListKind): Array<number | "max" | "auto" | boolean | KvCacheType>;
export function parseSweepList(text: string, kind: SweepListKind): Array<number | "max" | "auto" | boolean | KvCacheType> {
    const items = text.split(",").map((item) => item.trim());
    if (items.length === 0 || items.some((item) => item === ""))
        throw new Error(`Empty item in list "${text}"`);

    const values: Array<number | "max" | "auto" | boolean | KvCacheType> = [];
    for (const item of items) {
        if (kind === "bool")
            values.push(parseBool(item));
        else if (kind === "cacheType")
            values.push(parseCacheType(item));
        else if (kind === "gpuLayers" && item.toLowerCase() === "max")
            values.push("max");
        else if (kind === "threads" && item.toLowerCase() === "auto")
            values.push("auto");
        else
            values.push(...parseIntItem(item, kind === "count" || kind === "threads" ? 1 : 0));

        if (values.length > maxValues)
            throw new Error(`List "${text}" expands to more than ${maxValues} values`);
    }
    return values;
}

/** The name the CLI uses. */
export const parseList = parseSweepList;

function parseBool(item: string): boolean {
    const lower = item.toLowerCase();
    if (["1", "true", "on", "yes"].includes(lower))
        return true;
    if (["0", "false", "off", "no"].includes(lower))
        return false;
    throw new Error(`"${item}" is not a boolean (use 0/1, true/false, on/off)`);
}

function parseCacheType(item: string): KvCacheType {
    const lower = item.toLowerCase();
    const type = KV_CACHE_TYPES.find((known) => known === lower);
    if (type == null)
        throw new Error(`"${item}" is not a KV-cache type (use ${KV_CACHE_TYPES.join(", ")})`);
    return type;
}

/** One item: an integer or a range first-last[+step | *factor]. */
function parseIntItem(item: string, min: number): number[] {
    const match = /^(\d+)(?:-(\d+)(?:([+*])(\d+))?)?$/.exec(item);
    if (match == null)
        throw new Error(`"${item}" is not an integer or a range like 1-8, 1-8+2 or 1-64*2`);

    const first = toInt(match[1]!, item);
    const last = match[2] != null ? toInt(match[2], item) : first;
    const op = match[3] ?? "+";
    const step = match[4] != null ? toInt(match[4], item) : 1;

    if (first < min)
        throw new Error(`"${item}": values must be at least ${min}`);
    if (last < first)
        throw new Error(`"${item}": the range ends before it starts`);
    if (op === "+" && step < 1)
        throw new Error(`"${item}": the step must be at least 1`);
    if (op === "*" && (step < 2 || first === 0))
        throw new Error(`"${item}": a multiplying range needs a factor >= 2 and a start >= 1`);

    const values: number[] = [];
    for (let value = first; value <= last; value = op === "+" ? value + step : value * step) {
        values.push(value);
        if (values.length > maxValues)
            throw new Error(`"${item}" expands to more than ${maxValues} values`);
    }
    return values;
}

function toInt(digits: string, item: string): number {
    const value = Number(digits);
    if (!Number.isSafeInteger(value))
        throw new Error(`"${item}": ${digits} is too large`);
    return value;
}
