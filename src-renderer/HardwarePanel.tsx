// "This machine": what the benchmark runs on, every value with its source.
import type {ReactNode} from "react";
import type {HardwareProfile} from "../src-main/api/contract.js";
import {FactValue} from "./FactValue.js";
import {formatBytes, formatNumber} from "./format.js";
import {formatBandwidthSpread} from "../src-main/engine/hardware/formatBandwidthSpread.js";
import {busyBandwidthProbe} from "../src-main/engine/ceiling/busyMachine.js";

export interface HardwarePanelProps {
    hardware: HardwareProfile | null,
    /** One line when detection failed. */
    error?: string | null,
    /** The bandwidth probe is running (the facts above it are shown already). */
    measuring?: boolean,
    /** "Measure again": forgets the bandwidth and measures it afresh. */
    onMeasureAgain?: () => void,
    /** This panel's error messages (ErrorAlert). */
    alerts?: ReactNode
}

const gbs = (value: number) => `${formatNumber(value)} GB/s`;

export function HardwarePanel({hardware, error, measuring = false, onMeasureAgain, alerts}: HardwarePanelProps) {
    return (
        <section className="panel" aria-labelledby="hardware-title" aria-busy={hardware == null && error == null}>
            <h2 id="hardware-title">This machine</h2>
            {error != null ? <p className="inline-error">Hardware detection failed: {error}</p>
                : hardware == null ? <p className="muted">Detecting hardware…</p>
                    : <HardwareFacts hardware={hardware} measuring={measuring} onMeasureAgain={onMeasureAgain} />}
            {alerts}
        </section>
    );
}

function HardwareFacts({hardware, measuring, onMeasureAgain}: {hardware: HardwareProfile, measuring: boolean, onMeasureAgain?: (() => void) | undefined}) {
    const {cpu, memory, bandwidth, gpus, disk, os, backends} = hardware;
    return (
        <dl className="facts" data-testid="hardware-facts">
            <dt>CPU</dt>
            <dd><FactValue fact={cpu.brand} /></dd>
            <dt>Cores</dt>
            <dd>
                <FactValue fact={cpu.physicalCores} format={(value) => `${value} physical`} />
                {" "}
                <FactValue fact={cpu.logicalCores} format={(value) => `${value} logical`} />
            </dd>
            <dt>SIMD</dt>
            <dd><FactValue fact={cpu.simd} format={(value) => value.length > 0 ? value.join(" ") : "none reported"} /></dd>
            <dt>RAM</dt>
            <dd>
                <FactValue fact={memory.totalBytes} format={(value) => `${formatBytes(value)} total`} />
                {" "}
                <FactValue fact={memory.freeBytes} format={(value) => `${formatBytes(value)} free`} />
            </dd>
            <dt>Memory modules</dt>
            <dd>
                <FactValue fact={memory.modules} format={(modules) => modules.length === 0 ? "none reported"
                    : modules.map((module) => [module.type ?? "?", module.speedMTs != null ? `${module.speedMTs} MT/s` : null,
                        module.sizeBytes != null ? formatBytes(module.sizeBytes) : null].filter(Boolean).join(" ")).join(", ")} />
            </dd>
            <dt>Bandwidth, measured</dt>
            <dd>
                {measuring ? <span className="muted" data-testid="bandwidth-measuring">measuring… (a few seconds; the rest of the page works meanwhile)</span>
                    : <FactValue fact={bandwidth} format={(value) =>
                        `read ${gbs(value.read1GBs)} (1 thread), ${gbs(value.readAllGBs)} (${value.threads} threads); copy ${gbs(value.copyAllGBs)}`} />}
                {!measuring && bandwidth.value != null ? <span className="muted small"> · probe took {formatNumber(bandwidth.value.durationMs / 1000)} s</span> : null}
                {onMeasureAgain != null && !measuring ? <>{" "}<button type="button" className="secondary small-button" onClick={onMeasureAgain}>Measure again</button></> : null}
                {!measuring && bandwidth.value != null ? <BandwidthSpreadNote measurement={bandwidth.value} /> : null}
            </dd>
            <dt>Bandwidth, theoretical</dt>
            <dd><FactValue fact={memory.theoreticalGBs} format={gbs} /></dd>
            <dt>GPUs</dt>
            <dd>
                {gpus.length === 0 ? <span className="fact"><span className="fact-value">none detected</span><span className="source">backend: {backends.used}</span></span>
                    : <ul className="plain">
                        {gpus.map((gpu, index) => (
                            <li key={index}>
                                <FactValue fact={gpu.name} />{" "}
                                <FactValue fact={gpu.vramTotalBytes} format={(value) => `${formatBytes(value)} VRAM`} />{" "}
                                <FactValue fact={gpu.bandwidthGBs} format={gbs} />
                            </li>
                        ))}
                    </ul>}
            </dd>
            <dt>Disk</dt>
            <dd>
                <FactValue fact={disk.kind} format={(value) => value.toUpperCase()} />{" "}
                <FactValue fact={disk.freeBytes} format={(value) => `${formatBytes(value)} free`} />{" "}
                <span className="muted path" title={disk.path}>{disk.path}</span>
            </dd>
            <dt>System</dt>
            <dd>
                {os.platform} {os.arch}{" "}
                <FactValue fact={os.distro} />{" "}
                <FactValue fact={os.virtualised} format={(value) => value ? "virtual machine" : "bare metal"} />
            </dd>
            <dt>llama.cpp</dt>
            <dd>{hardware.llamaCppRelease} via node-llama-cpp {hardware.nodeLlamaCppVersion}, backend {backends.used}</dd>
        </dl>
    );
}

/** How far the probe's windows spread, and a warning when the machine looked busy while it ran. */
function BandwidthSpreadNote({measurement}: {measurement: NonNullable<HardwareProfile["bandwidth"]["value"]>}) {
    const spread = formatBandwidthSpread(measurement);
    const busy = busyBandwidthProbe(measurement);
    if (spread == null)
        return null;
    return (
        <>
            <span className="bandwidth-spread muted small" data-testid="bandwidth-spread">read windows: {spread}</span>
            {busy != null ? <span className="bandwidth-busy" role="note" data-testid="bandwidth-busy">
                <span className="badge badge-busy">busy</span> {busy}</span> : null}
        </>
    );
}
