// Starts the bench worker (the same child entry the CLI forks) as an Electron utilityProcess, so
// model loading and native crashes happen outside the main process and the app lives on. The worker
// talks over process.parentPort there; benchWorker.ts handles both that and Node's process.send.
import {app, utilityProcess} from "electron";
import os from "node:os";
import type {WorkerChannel, WorkerSpawner} from "../engine/bench/BenchWorkerClient.js";
import type {FromWorker} from "../engine/bench/workerProtocol.js";

let spawned = 0;

export const utilityProcessSpawner: WorkerSpawner = ({entry, execArgv, env}): WorkerChannel => {
    // A unique service name lets us match app's "child-process-gone" report (crash reason) to this child.
    const serviceName = `LlamaMeter bench worker ${++spawned}`;
    const child = utilityProcess.fork(entry, [], {
        execArgv,
        env,
        stdio: ["ignore", "ignore", "pipe"],
        serviceName
    });
    let stderr = "";
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
        stderr = (stderr + chunk).slice(-4000);
    });

    let goneReason: string | null = null;
    const onGone = (_event: unknown, details: {type: string, reason: string, serviceName?: string}) => {
        if (details.serviceName === serviceName)
            goneReason = details.reason;
    };
    app.on("child-process-gone", onGone);

    return {
        send: (message) => {
            if (child.pid != null)
                child.postMessage(message);
        },
        onMessage: (listener) => {
            child.on("message", (message: unknown) => listener(message as FromWorker));
        },
        onExit: (listener) => {
            child.once("exit", (code: number) => {
                // "child-process-gone" may arrive just after "exit": give it a moment before judging.
                setTimeout(() => {
                    app.off("child-process-gone", onGone);
                    if (goneReason == null || goneReason === "clean-exit") {
                        listener(code, null);
                        return;
                    }
                    // On POSIX, Chromium reports a signalled child's signal number as its exit code.
                    const signal = process.platform !== "win32" ? signalName(code) : null;
                    listener(null, signal ?? goneReason);
                }, 100);
            });
        },
        stderrTail: () => stderr,
        kill: () => {
            child.kill();
        }
    };
};

function signalName(code: number): string | null {
    for (const [name, number] of Object.entries(os.constants.signals)) {
        if (number === code)
            return name;
    }
    return null;
}
