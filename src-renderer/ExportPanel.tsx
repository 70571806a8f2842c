// "Export": the shown run or all history as CSV (the engine's column table) or JSON, saved as a download.
import {useState} from "react";
import type {ExportRequest} from "../src-main/api/contract.js";

export interface ExportPanelProps {
    /** Ids of the rows shown in Results (empty: nothing to export but all history). */
    shownIds: readonly string[],
    onExport: (request: ExportRequest) => Promise<void>
}

export function ExportPanel({shownIds, onExport}: ExportPanelProps) {
    const [scope, setScope] = useState<"shown" | "all">("shown");
    const [busy, setBusy] = useState(false);
    const effectiveScope = shownIds.length === 0 ? "all" : scope;
    async function run(format: ExportRequest["format"]) {
        setBusy(true);
        try {
            await onExport(effectiveScope === "shown" ? {format, ids: [...shownIds]} : {format});
        } finally {
            setBusy(false);
        }
    }
    return (
        <section className="panel" aria-labelledby="export-title">
            <h2 id="export-title">Export</h2>
            <div className="export-row">
                <fieldset className="export-scope">
                    <legend className="visually-hidden">Rows to export</legend>
                    <label><input type="radio" name="export-scope" checked={effectiveScope === "shown"} disabled={shownIds.length === 0} onChange={() => setScope("shown")} /> The run shown in Results ({shownIds.length} rows)</label>
                    <label><input type="radio" name="export-scope" checked={effectiveScope === "all"} onChange={() => setScope("all")} /> All history</label>
                </fieldset>
                <button type="button" onClick={() => run("csv")} disabled={busy}>Export CSV</button>
                <button type="button" onClick={() => run("json")} disabled={busy}>Export JSON</button>
            </div>
        </section>
    );
}
