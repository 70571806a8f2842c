/**
 * Progress on stderr, so stdout carries only the chosen output format. On a terminal one line is
 * redrawn in place; elsewhere (CI logs, pipes) each update is its own line, at most every 2 s.
 */
export class ProgressLine {
    private lastPrinted = 0;
    private drawn = false;

    constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

    update(text: string, force = false) {
        if (this.stream.isTTY) {
            const width = Math.max(20, (this.stream.columns ?? 100) - 1);
            this.stream.write(`\r${text.slice(0, width).padEnd(width)}`);
            this.drawn = true;
        } else if (force || Date.now() - this.lastPrinted >= 2000) {
            this.stream.write(`${text}\n`);
            this.lastPrinted = Date.now();
        }
    }

    /** Prints a line that stays (an error, a finished step) above the progress line. */
    log(text: string) {
        this.clear();
        this.stream.write(`${text}\n`);
    }

    clear() {
        if (this.drawn) {
            this.stream.write(`\r${" ".repeat(Math.max(20, (this.stream.columns ?? 100) - 1))}\r`);
            this.drawn = false;
        }
    }
}

export function formatDuration(ms: number): string {
    const seconds = Math.round(ms / 1000);
    return seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s` : `${seconds}s`;
}

/** A text bar like [#####.....] 50% */
export function bar(fraction: number, width = 20): string {
    const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
    return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${Math.floor(fraction * 100)}%`;
}
