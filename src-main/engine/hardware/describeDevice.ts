// How rows, the CLI and the app name a device. Plain code with no imports at run time: the renderer uses it too,
// so the Advanced panel's device list says "software Vulkan device (runs on the CPU)" in the rows' words.
import type {DeviceKind} from "../types.js";

/** How a row and the UI name a device: its name, and for a software device that it runs on the CPU. */
export function describeDevice(name: string, kind: DeviceKind | null | undefined, backend: string): string {
    return kind === "software" ? `${name}: software ${backendLabel(backend)} device (runs on the CPU)` : name;
}

function backendLabel(backend: string): string {
    return backend === "cuda" ? "CUDA" : backend === "metal" ? "Metal" : backend === "vulkan" ? "Vulkan" : backend;
}
