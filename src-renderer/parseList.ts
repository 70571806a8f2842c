// The advanced panel's list fields ("1,2", "0,8,max") <-> SweepSpec arrays.

export interface ParseListOptions {
    /** The field's name, for the error message. */
    label: string,
    /** Smallest allowed integer. */
    min: number,
    /** Whether "max" is a valid item (GPU layers). */
    allowMax?: boolean,
    /** Whether "auto" is a valid item (threads: the fastest, found by a probe). */
    allowAuto?: boolean
}

/** "1, 2,4" -> [1, 2, 4]; throws a one-line error naming the field and the bad item. */
export function parseList(text: string, options: ParseListOptions): Array<number | "max" | "auto"> {
    const items = text.split(/[\s,;]+/).filter((item) => item !== "");
    if (items.length === 0) throw new Error(`${options.label}: enter at least one value`);
    return items.map((item) => {
        if (options.allowMax && item.toLowerCase() === "max") return "max" as const;
        if (options.allowAuto && item.toLowerCase() === "auto") return "auto" as const;
        if (!/^\d+$/.test(item))
            throw new Error(`${options.label}: "${item}" is not a whole number${options.allowMax ? " or max" : options.allowAuto ? " or auto" : ""}`);
        const value = Number(item);
        if (value < options.min) throw new Error(`${options.label}: ${value} is below ${options.min}`);
        return value;
    });
}

/** parseList for fields where "max" is not allowed. */
export function parseNumberList(text: string, options: Omit<ParseListOptions, "allowMax" | "allowAuto">): number[] {
    return parseList(text, {...options, allowMax: false, allowAuto: false}) as number[];
}

/** "936", "68.25" -> the number; throws a one-line error naming the field unless it is a number above zero. */
export function parsePositiveNumber(text: string, label: string): number {
    const value = Number(text.trim());
    if (text.trim() === "" || !Number.isFinite(value) || value <= 0) throw new Error(`${label}: "${text.trim()}" is not a number above 0`);
    return value;
}

/** [0, 8, "max"] -> "0,8,max". */
export function formatList(values: ReadonlyArray<number | string | boolean>): string {
    return values.join(",");
}
