// Which disk holds a folder (the models folder: its speed decides load time, not tokens/s), what kind it is,
// and how much room is left. Matches the folder to the file system mounted at its longest mount-point
// prefix, then the file system's device to its block device (a partition "nvme0n1p2" to "nvme0n1").
import {realpath} from "node:fs/promises";
import path from "node:path";
import si from "systeminformation";
import type {Fact} from "../types.js";

export interface DiskInfo {
    path: string,
    device: Fact<string>,
    kind: Fact<"nvme" | "ssd" | "hdd">,
    freeBytes: Fact<number>
}

export interface DiskSources {
    fsSize: Array<Pick<si.Systeminformation.FsSizeData, "fs" | "mount" | "available">>,
    blockDevices: Array<Pick<si.Systeminformation.BlockDevicesData, "name" | "type" | "physical" | "protocol" | "device" | "model">>,
    diskLayout: Array<Pick<si.Systeminformation.DiskLayoutData, "device" | "type" | "interfaceType" | "name">>,
    virtualised: boolean | null
}

/** Resolves the folder (or its nearest existing parent) and describes its disk from systeminformation. */
export async function diskForPath(folder: string, sources?: DiskSources): Promise<DiskInfo> {
    const resolved = await existingRealPath(folder);
    const data = sources ?? await loadSources();
    return describeDisk(resolved, data);
}

/** Pure part of diskForPath, for tests. */
export function describeDisk(folder: string, data: DiskSources): DiskInfo {
    const unknown = (note: string) => ({value: null, source: "none" as const, note});
    const mount = data.fsSize
        .filter((entry) => isUnder(folder, entry.mount))
        .sort((a, b) => b.mount.length - a.mount.length)[0];
    if (mount == null) {
        return {
            path: folder,
            device: unknown("no mounted file system found for this folder"),
            kind: unknown("device unknown"),
            freeBytes: unknown("no mounted file system found for this folder")
        };
    }
    const freeBytes: Fact<number> = {value: mount.available, source: "systeminformation", note: `file system ${mount.fs} at ${mount.mount}`};

    const deviceName = path.basename(mount.fs);
    const block = data.blockDevices.find((entry) => entry.name === deviceName);
    const diskName = block?.type === "part" || (block == null && isPartitionName(deviceName)) ? parentDisk(deviceName) : deviceName;
    const disk = data.blockDevices.find((entry) => entry.name === diskName && entry.type === "disk")
        ?? data.blockDevices.find((entry) => entry.name === deviceName);
    if (disk == null) {
        return {
            path: folder,
            device: {value: mount.fs, source: "systeminformation", note: "not a local block device (network, overlay or container file system)"},
            kind: unknown(`the disk behind ${mount.fs} is not visible from here`),
            freeBytes
        };
    }
    const device: Fact<string> = {value: disk.device || `/dev/${disk.name}`, source: "systeminformation", note: disk.model || undefined};
    const layout = data.diskLayout.find((entry) => entry.device === device.value);

    if (disk.name.startsWith("nvme") || disk.protocol.toLowerCase() === "nvme" || layout?.interfaceType?.toLowerCase().includes("nvme"))
        return {path: folder, device, kind: {value: "nvme", source: "systeminformation"}, freeBytes};
    // Virtual disks (virtio vd*, Xen xvd*) report the host's rotational flag, which says nothing about
    // the storage behind them.
    if (/^(vd|xvd)[a-z]+$/.test(disk.name) || (data.virtualised === true && layout == null)) {
        return {path: folder, device, kind: unknown("virtual disk: its reported type (rotational flag) says nothing about the host's storage"), freeBytes};
    }
    const type = (layout?.type ?? disk.physical ?? "").toUpperCase();
    if (type.includes("SSD"))
        return {path: folder, device, kind: {value: "ssd", source: "systeminformation"}, freeBytes};
    if (type.includes("HD"))
        return {path: folder, device, kind: {value: "hdd", source: "systeminformation"}, freeBytes};
    return {path: folder, device, kind: unknown("the OS does not say whether this disk is solid-state"), freeBytes};
}

function isPartitionName(name: string): boolean {
    return /^(nvme\d+n\d+|mmcblk\d+)p\d+$/.test(name) || /^(sd|vd|xvd|hd)[a-z]+\d+$/.test(name);
}

function parentDisk(name: string): string {
    if (/^(nvme\d+n\d+|mmcblk\d+)p\d+$/.test(name))
        return name.replace(/p\d+$/, "");
    return name.replace(/\d+$/, "");
}

function isUnder(folder: string, mount: string): boolean {
    if (mount === "")
        return false;
    const relative = path.relative(mount, folder);
    return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

async function existingRealPath(folder: string): Promise<string> {
    for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
        try {
            return await realpath(dir);
        } catch {
            if (path.dirname(dir) === dir)
                return dir;
        }
    }
}

async function loadSources(): Promise<DiskSources> {
    const [fsSize, blockDevices, diskLayout, system] = await Promise.all([
        si.fsSize().catch(() => []),
        si.blockDevices().catch(() => []),
        si.diskLayout().catch(() => []),
        si.system().catch(() => null)
    ]);
    return {fsSize, blockDevices, diskLayout, virtualised: system?.virtual ?? null};
}
