// "This machine": what the benchmark runs on, every value with its source.
import type {HardwareProfile} from "../src-main/api/contract.js";
import {FactValue} from "./FactValue.js";
import {formatBytes, formatNumber} from "./format.js";

export interface HardwarePanelProps {
    hardware: HardwareProfile | null,
    /** One line when detection failed. */
    error?: string | null
}

const gbs = (value: number) => `${formatNumber(value)} GB/s`;

export function HardwarePanel({hardware, error}: HardwarePanelProps) {
    return (
        <section className="panel" aria-labelledby="hardware-title" aria-busy={hardware == null && error == null}>
            <h2 id="hardware-title">This machine</h2>
            {error != null ? <p className="inline-error">Hardware detection failed: {error}</p>
                : hardware == null ? <p className="muted">Detecting hardware and measuring memory bandwidth…</p>
                    : <HardwareFacts hardware={hardware} />}
        </section>
    );
}

function HardwareFacts({hardware}: {hardware: HardwareProfile}) {
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
                <FactValue fact={bandwidth} format={(value) =>
                    `read ${gbs(value.read1GBs)} (1 thread), ${gbs(value.readAllGBs)} (${value.threads} threads); copy ${gbs(value.copyAllGBs)}`} />
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
