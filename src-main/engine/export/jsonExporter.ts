// JSON: the full TestResult objects, pretty-printed, as one array.
import type {Exporter} from "./exporter.js";

export const jsonExporter: Exporter = {
    format: "json",
    mime: "application/json",
    extension: "json",
    serialize: (results) => JSON.stringify(results, null, 2) + "\n"
};
