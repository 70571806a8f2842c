// The registry of export formats.
import {csvExporter} from "./csvExporter.js";
import {EXPORT_FORMATS, type ExportFormat, type Exporter} from "./exporter.js";
import {jsonExporter} from "./jsonExporter.js";
import {jsonlExporter} from "./jsonlExporter.js";
import {markdownExporter} from "./markdownExporter.js";
import {tableExporter} from "./tableExporter.js";

const byFormat: Record<ExportFormat, Exporter> = {
    csv: csvExporter,
    json: jsonExporter,
    jsonl: jsonlExporter,
    md: markdownExporter,
    table: tableExporter
};


export function isExportFormat(text: string): text is ExportFormat {
    return Object.hasOwn(byFormat, text);
}

/** The exporter of a format; throws on an unknown name (e.g. a CLI typo). */
export function getExporter(format: ExportFormat | string): Exporter {
    if (!isExportFormat(format))
        throw new Error(`Unknown export format "${format}" (use ${EXPORT_FORMATS.join(", ")})`);
    return byFormat[format];
}
