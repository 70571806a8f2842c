import os from "node:os";
import type {HardwareProfile} from "../types.js";

/**
 * The cores a benchmark may use: the physical cores when known (SMT siblings only contend for the same
 * units), else the logical ones, else what Node sees. The one rule for every front end and the thread probe.
 */
export function physicalCoresOf(hardware: HardwareProfile | null | undefined): number {
    return hardware?.cpu.physicalCores.value ?? hardware?.cpu.logicalCores.value ?? os.availableParallelism();
}
