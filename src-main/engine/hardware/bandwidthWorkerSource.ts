// The bandwidth probe's worker thread, as plain JavaScript source run with `new Worker(src, {eval: true})`.
// Kept as a string so it runs the same under tsx, vitest, Electron and the compiled dist, with no loader.
//
// Protocol (Int32Array over a SharedArrayBuffer, see CONTROL below):
//   the main thread sets KIND and PARTICIPANTS, bumps GENERATION and notifies; every worker whose index is
//   below PARTICIPANTS starts at once, streams its buffer chunk by chunk until STOP is set, then posts
//   {generation, startNs, endNs, bytes} (bytes of whole chunks finished). EXIT ends the worker.
// Native primitives do the streaming so JS loop overhead never limits it:
//   read = Buffer#indexOf of a byte that is absent (memchr: every byte read, nothing written);
//   copy = Buffer#copy (memcpy/memmove), counted as read + write bytes like STREAM.

/** Slots of the shared control array. */
export const CONTROL = {
    GENERATION: 0,
    STOP: 1,
    /** 0 = read, 1 = copy. */
    KIND: 2,
    PARTICIPANTS: 3,
    EXIT: 4,
    /** Workers increment this when their buffers are filled and they wait for work. */
    READY: 5,
    LENGTH: 8
} as const;

export const bandwidthWorkerSource = `
const {parentPort, workerData} = require("node:worker_threads");
const {index, bytes, chunkBytes, control} = workerData;
const ctl = new Int32Array(control);
const C = ${JSON.stringify(CONTROL)};

// Fill with a non-zero byte: untouched pages would all map the kernel's zero page and read from cache.
const src = Buffer.allocUnsafeSlow(bytes).fill(1);
const dst = Buffer.allocUnsafeSlow(bytes).fill(2);
const srcChunks = [];
const dstChunks = [];
for (let offset = 0; offset + chunkBytes <= bytes; offset += chunkBytes) {
    srcChunks.push(src.subarray(offset, offset + chunkBytes));
    dstChunks.push(dst.subarray(offset, offset + chunkBytes));
}
let found = 0;
let generation = 0;
Atomics.add(ctl, C.READY, 1);
Atomics.notify(ctl, C.READY);

for (;;) {
    Atomics.wait(ctl, C.GENERATION, generation);
    if (Atomics.load(ctl, C.EXIT) !== 0)
        break;
    generation = Atomics.load(ctl, C.GENERATION);
    if (index >= Atomics.load(ctl, C.PARTICIPANTS))
        continue;
    const copy = Atomics.load(ctl, C.KIND) === 1;
    let done = 0;
    let i = 0;
    const startNs = process.hrtime.bigint();
    while (Atomics.load(ctl, C.STOP) === 0) {
        if (copy) {
            srcChunks[i].copy(dstChunks[i]);
            done += 2 * chunkBytes;
        } else {
            if (srcChunks[i].indexOf(0) !== -1)
                found++;
            done += chunkBytes;
        }
        i = (i + 1) % srcChunks.length;
    }
    const endNs = process.hrtime.bigint();
    parentPort.postMessage({generation, startNs: String(startNs), endNs: String(endNs), bytes: done, found});
}
`;
