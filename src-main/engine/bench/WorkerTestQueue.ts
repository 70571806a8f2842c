// The bench worker's side of the protocol, without the process around it: runs the parent's tests one
// at a time, in the order sent, and applies cancels. A cancel names its test and holds whenever it
// arrives: before the test's run message was handled (the parent cancelled during the worker's
// start-up, or while an earlier test was still finishing), or while the test runs. The audit found a
// cancel sent 10-25 ms after startBench dropped by the idle worker, and the test then ran to the end
// and was stored as ok.
import type {TestConfig} from "../types.js";
import type {FromWorker, ToWorker} from "./workerProtocol.js";
import type {TestMeasurement} from "./measureTest.js";
import {oneLine} from "../oneLine.js";

export interface WorkerTestQueueOptions {
    /** Runs one test (inspection, load, repetitions); sends its model and phase messages itself. */
    run: (id: number, config: TestConfig, signal: AbortSignal) => Promise<TestMeasurement>,
    send: (message: FromWorker) => void,
    /** Unloads and ends the process; called once, after the queued tests. */
    shutdown: () => Promise<void>
}

export class WorkerTestQueue {
    private queue: Promise<void> = Promise.resolve();
    private current: {id: number, controller: AbortController} | null = null;
    /** Tests cancelled before they started; removed when their run message comes up. */
    private readonly cancelledEarly = new Set<number>();

    constructor(private readonly options: WorkerTestQueueOptions) {}

    handle(message: ToWorker): void {
        if (message.type === "cancel") {
            if (this.current?.id === message.id)
                this.current.controller.abort();
            else
                this.cancelledEarly.add(message.id);
            return;
        }
        if (message.type === "shutdown") {
            this.queue = this.queue.then(() => this.options.shutdown());
            return;
        }
        this.queue = this.queue.then(() => this.runOne(message.id, message.config));
    }

    private async runOne(id: number, config: TestConfig): Promise<void> {
        const {send} = this.options;
        if (this.cancelledEarly.delete(id)) {
            send({type: "failed", id, error: "cancelled", cancelled: true});
            return;
        }
        const controller = new AbortController();
        this.current = {id, controller};
        try {
            const measurement = await this.options.run(id, config, controller.signal);
            // A cancel that came while the last repetition finished still wins: its answer was "cancelled".
            if (controller.signal.aborted)
                send({type: "failed", id, error: "cancelled", cancelled: true});
            else
                send({type: "result", id, measurement});
        } catch (error) {
            send({type: "failed", id, error: oneLine(error), cancelled: controller.signal.aborted});
        } finally {
            this.current = null;
        }
    }
}
