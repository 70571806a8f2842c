// CSV (RFC 4180: CRLF line ends, fields quoted when they hold a comma, a quote or a line break) with
// one column per entry of the column table and raw, full-precision values, so parseResultsCsv can read
// a file written on another machine back into the same results. Text that a spreadsheet would run as
// a formula gets a leading ' (csvFormulaGuard); numbers are written as they are.
import {stringify} from "csv-stringify/sync";
import type {TestResult} from "../types.js";
import {COLUMNS, type CellValue, type Column} from "./columns.js";
import type {Exporter} from "./exporter.js";
import {guardCsvCell} from "./csvFormulaGuard.js";

function cellText(value: CellValue): string {
    if (value == null)
        return "";
    if (typeof value === "boolean")
        return value ? "true" : "false";
    if (typeof value === "number")
        return String(value);
    return guardCsvCell(value);
}

function stringifyRows(rows: string[][]): string {
    // csv-stringify quotes a lone "\n" only when it is the record delimiter; with CRLF records a
    // multi-line error message would otherwise be written bare and split the row when read back.
    return stringify(rows, {record_delimiter: "windows", quoted_match: /[\r\n]/});
}

/** The header line (column keys), CRLF-terminated. */
export function csvHeader(columns: readonly Column[] = COLUMNS): string {
    return stringifyRows([columns.map((c) => c.key)]);
}

/** The CSV lines of these results, without the header. */
export function csvRows(results: readonly TestResult[], columns: readonly Column[] = COLUMNS): string {
    if (results.length === 0)
        return "";
    return stringifyRows(results.map((r) => columns.map((c) => cellText(c.get(r)))));
}

export const csvExporter: Exporter = {
    format: "csv",
    mime: "text/csv",
    extension: "csv",
    serialize: (results) => csvHeader() + csvRows(results)
};
