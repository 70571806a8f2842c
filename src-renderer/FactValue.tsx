// One hardware fact with where it came from; "unknown" said plainly when the machine does not tell.
import type {ReactNode} from "react";

type FactSource = "systeminformation" | "node-llama-cpp" | "os-file" | "measured" | "user" | "table" | "none";

export interface FactValueProps<T> {
    fact: {value: T | null, source: FactSource, note?: string},
    format?: (value: T) => ReactNode
}

export function FactValue<T>({fact, format}: FactValueProps<T>) {
    const known = fact.value != null;
    // Known values show their source, with any note on hover; unknown ones also say why, in words.
    return (
        <span className="fact">
            <span className={known ? "fact-value" : "fact-value unknown"}>
                {known ? (format ? format(fact.value as T) : String(fact.value)) : "unknown"}
            </span>
            {" "}
            <span className="source" title={fact.note != null ? `${fact.source}: ${fact.note}` : fact.source}>
                {fact.source === "none" ? "not reported" : fact.source}
            </span>
            {!known && fact.note != null ? <span className="fact-note"> {fact.note}</span> : null}
        </span>
    );
}
