// The error for a model file that cannot be used: which file, and why, in one line a user can act on.

export class ModelFileError extends Error {
    /** The file as given (not resolved), so the message names what the user typed or picked. */
    readonly file: string;
    /** One line, without the file name. */
    readonly reason: string;

    constructor(file: string, reason: string, options?: {cause?: unknown}) {
        const oneLine = reason.replace(/\s*[\r\n]+\s*/g, " ").trim();
        super(`${file}: ${oneLine}`, options);
        this.name = "ModelFileError";
        this.file = file;
        this.reason = oneLine;
    }
}
