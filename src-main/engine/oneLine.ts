// The one rule for turning an error (or any text) into the single line every row, CLI message and UI toast
// shows. Plain code, no Node imports: the renderer uses it too.

/**
 * A thrown value or text as one line: its non-empty lines, trimmed, joined with "; " (a multi-line llama.cpp
 * or node-llama-cpp error keeps every line's content), or with a space after a line that already ends in
 * ":", ";" or ",". Longer than `maxLength`, it is cut with "...".
 */
export function oneLine(value: unknown, maxLength = Number.POSITIVE_INFINITY): string {
    const text = value instanceof Error ? value.message || value.name : String(value);
    const lines = text.split(/\r?\n|\r/).map((line) => line.trim()).filter((line) => line !== "");
    let line = "";
    for (const part of lines)
        line = line === "" ? part : /[:;,]$/.test(line) ? `${line} ${part}` : `${line}; ${part}`;
    return line.length > maxLength ? line.slice(0, Math.max(0, maxLength - 3)) + "..." : line;
}
