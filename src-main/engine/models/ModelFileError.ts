// The error for a model file that cannot be used: which file, and why, in one line a user can act on.

import {oneLine} from "../oneLine.js";
export class ModelFileError extends Error {
    /** The file as given (not resolved), so the message names what the user typed or picked. */
    readonly file: string;
    /** One line, without the file name. */
    readonly reason: string;

    constructor(file: string, reason: string, options?: {cause?: unknown}) {
        const line = oneLine(reason);
        super(`${file}: ${line}`, options);
        this.name = "ModelFileError";
        this.file = file;
        this.reason = line;
    }
}
