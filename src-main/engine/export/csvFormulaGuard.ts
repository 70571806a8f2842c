// Spreadsheet formula injection: Excel, LibreOffice and Google Sheets run a cell that begins with =, +,
// -, @, tab or CR as a formula, so a model file named `=HYPERLINK("http://…","click").gguf` exported
// as-is becomes a live link (or worse) in whoever opens the CSV. OWASP's advice is a leading `'`, which
// spreadsheets show as text; parseResultsCsv takes it back off, so CSV -> import is exact.

/** Characters that start a formula in a spreadsheet cell (OWASP "CSV Injection"). */
const formulaStart = /^[=+\-@\t\r]/;
/** A plain number (negative included) is a number to a spreadsheet, never a formula: left as it is. */
const plainNumber = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function needsGuard(text: string): boolean {
    // A cell that already begins with the guard is guarded too, so taking one `'` off on import is exact.
    return (formulaStart.test(text) || text.startsWith("'")) && !plainNumber.test(text);
}

/** The CSV text of a cell, with a leading `'` when a spreadsheet would read it as a formula. */
export function guardCsvCell(text: string): string {
    return needsGuard(text) ? `'${text}` : text;
}

/** The inverse of guardCsvCell, for reading a CSV back: removes the `'` it added, and only that. */
export function unguardCsvCell(text: string): string {
    return text.startsWith("'") && needsGuard(text.slice(1)) ? text.slice(1) : text;
}
