// An error meant for the user: one line, shown as is by the UI. `status` is the HTTP status the
// browser-mode server answers with (the Electron shell only passes the message on).
import type {ZodError} from "zod";
import {oneLine} from "../engine/oneLine.js";

export class ApiError extends Error {
    readonly status: number;

    constructor(message: string, status = 400) {
        super(oneLine(message));
        this.name = "ApiError";
        this.status = status;
    }

    /** A zod failure as one line: "threads.0: Too small: expected number to be >=1; reps: ...". */
    static fromZod(operation: string, error: ZodError): ApiError {
        const issues = error.issues.slice(0, 5).map((issue) => {
            const where = issue.path.length > 0 ? issue.path.map(String).join(".") + ": " : "";
            return where + issue.message;
        });
        const more = error.issues.length > 5 ? ` (and ${error.issues.length - 5} more)` : "";
        return new ApiError(`${operation}: invalid input: ${issues.join("; ")}${more}`, 400);
    }
}

/** Any thrown value as one line of text, for the UI (at most 500 characters). */
export function errorMessage(err: unknown): string {
    return oneLine(err, 500);
}
