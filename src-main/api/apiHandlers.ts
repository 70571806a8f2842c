// The shape both transports register: one plain async function per operation, taking the raw,
// untrusted payload (each handler validates it) and resolving to the contract's output type.
import type {ApiName, ApiOutput, DesktopName, DesktopOperations} from "./contract.js";

export type ApiHandlers = {
    [K in ApiName]: (input: unknown) => Promise<ApiOutput<K>>
} & {
    [K in DesktopName]?: (input: unknown) => Promise<DesktopOperations[K][1]>
};

export type AnyApiName = ApiName | DesktopName;

/** The handler for `name`, or undefined for names that are not operations (e.g. "constructor"). */
export function findHandler(handlers: ApiHandlers, name: string): ((input: unknown) => Promise<unknown>) | undefined {
    if (!/^[A-Za-z][A-Za-z0-9]{0,63}$/.test(name) || !Object.hasOwn(handlers, name))
        return undefined;
    const handler = (handlers as Record<string, unknown>)[name];
    return typeof handler === "function" ? handler as (input: unknown) => Promise<unknown> : undefined;
}
