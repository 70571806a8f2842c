// Reference machines from the hardware guide, beside the user's results, for scale.
import type {ReferenceMachineRow} from "../src-main/api/contract.js";
import {formatNumber, formatPercent} from "./format.js";

export interface ReferenceMachinesProps {
    rows: readonly ReferenceMachineRow[] | null,
    error?: string | null
}

export function ReferenceMachines({rows, error}: ReferenceMachinesProps) {
    return (
        <div className="reference" aria-labelledby="reference-title" role="group">
            <h3 id="reference-title">Reference machines</h3>
            {error != null ? <p className="muted small">Not available: {error}</p>
                : rows == null ? <p className="muted small">Loading…</p>
                    : (
                        <table className="compact">
                            <thead>
                                <tr><th scope="col">Machine</th><th scope="col">Model</th><th scope="col" className="num">GB/s</th><th scope="col" className="num">t/s</th><th scope="col" className="num">Ceiling</th><th scope="col" className="num">Eff.</th></tr>
                            </thead>
                            <tbody>
                                {rows.map((row, index) => (
                                    <tr key={index} title={row.source}>
                                        <td>{row.machine}</td>
                                        <td>{row.model}</td>
                                        <td className="num">{row.bandwidthGBs != null ? formatNumber(row.bandwidthGBs) : "—"}</td>
                                        <td className="num">{row.measuredTps != null ? formatNumber(row.measuredTps) : "—"}</td>
                                        <td className="num">{row.ceilingTps != null ? formatNumber(row.ceilingTps) : "—"}</td>
                                        <td className="num">{formatPercent(row.efficiency)}</td>
                                    </tr>
                                ))}
                            </tbody>
                        </table>
                    )}
        </div>
    );
}
