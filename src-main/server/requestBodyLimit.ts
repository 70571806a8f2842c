// How large a request body each API operation may send. One 80 MiB limit for every operation let a
// 79 MiB cancelBench raise the server's RSS from 211 to 552 MB; only importCsv carries a file.
import type {AnyApiName} from "../api/apiHandlers.js";

const KiB = 1024;
const MiB = 1024 * KiB;

/** The JSON body of each operation that may exceed the default, with room for JSON's escaping. */
const limits: Partial<Record<AnyApiName, number>> = {
    // up to 32 MiB of CSV / JSON text (contract.ts); escaping quotes and line ends adds to it
    importCsv: 48 * MiB,
    // up to 100,000 result ids to export
    exportResults: 12 * MiB,
    saveExport: 12 * MiB,
    // up to 32 model paths of 4,096 characters, plus the lists
    startBench: 256 * KiB,
    defaultPlan: 256 * KiB
};

/** Every other operation sends a path, an id or nothing. */
const defaultLimit = 64 * KiB;

/** The largest body `operation` may send, in bytes. */
export function requestBodyLimit(operation: string): number {
    return Object.hasOwn(limits, operation) ? limits[operation as AnyApiName]! : defaultLimit;
}
