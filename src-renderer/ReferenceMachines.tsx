// Reference machines from the hardware guide, with this machine's best rows ranked among them by memory
// bandwidth (what sets the ceiling), for scale.
import type {ReferenceMachineRow} from "../src-main/api/contract.js";
import {formatNumber, formatPercent} from "./format.js";

/** This machine's figures for one model, placed among the reference rows. */
export type RankedMachine = Pick<ReferenceMachineRow, "machine" | "model" | "bandwidthGBs" | "measuredTps" | "ceilingTps" | "efficiency">;

export interface ReferenceMachinesProps {
    rows: readonly ReferenceMachineRow[] | null,
    error?: string | null,
    /** This machine's rows (one per model of the shown run); empty before a run. */
    thisMachine?: readonly RankedMachine[]
}

type Line = RankedMachine & {source?: string, mine: boolean};

export function ReferenceMachines({rows, error, thisMachine = []}: ReferenceMachinesProps) {
    // Highest bandwidth first; rows without a bandwidth last, in their given order.
    // Before a run, a placeholder holds this machine's place (and the table's height, so a run's first row does
    // not move the page).
    const mine: Line[] = thisMachine.length > 0 ? thisMachine.map((row) => ({...row, mine: true}))
        : [{machine: "This machine (after a run)", model: "—", bandwidthGBs: null, measuredTps: null, ceilingTps: null, efficiency: null, mine: true}];
    const lines: Line[] = [...(rows ?? []).map((row) => ({...row, mine: false})), ...mine]
        .map((line, index) => ({line, index}))
        .sort((a, b) => (b.line.bandwidthGBs ?? -1) - (a.line.bandwidthGBs ?? -1) || a.index - b.index)
        .map(({line}) => line);
    return (
        <div className="reference" aria-labelledby="reference-title" role="group">
            <h3 id="reference-title">Reference machines, with this machine ranked by memory bandwidth</h3>
            {error != null ? <p className="muted small">Not available: {error}</p>
                : rows == null ? <p className="muted small">Loading…</p>
                    : (
                        <div className="table-scroll" tabIndex={0} role="region" aria-label="Reference machines (scrollable)">
                            <table className="compact reference-table">
                                <thead>
                                    <tr><th scope="col" className="num">#</th><th scope="col">Machine</th><th scope="col">Model</th><th scope="col" className="num">GB/s</th><th scope="col" className="num">t/s</th><th scope="col" className="num">Ceiling t/s</th><th scope="col" className="num">Eff.</th></tr>
                                </thead>
                                <tbody>
                                    {lines.map((row, index) => (
                                        <tr key={index} title={row.source} className={row.mine ? "this-machine" : undefined} data-testid={row.mine ? "this-machine-row" : undefined}>
                                            <td className="num">{index + 1}</td>
                                            <td>{row.mine ? <strong>{row.machine}</strong> : row.machine}</td>
                                            <td>{row.model}</td>
                                            <td className="num">{row.bandwidthGBs != null ? formatNumber(row.bandwidthGBs) : "—"}</td>
                                            <td className="num">{row.measuredTps != null ? formatNumber(row.measuredTps) : "—"}</td>
                                            <td className="num">{row.ceilingTps != null ? formatNumber(row.ceilingTps) : "—"}</td>
                                            <td className="num">{formatPercent(row.efficiency)}</td>
                                        </tr>
                                    ))}
                                </tbody>
                            </table>
                        </div>
                    )}
        </div>
    );
}
