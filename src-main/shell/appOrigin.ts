// The origin the renderer is served from (see appProtocol.ts). Kept free of Electron imports so the
// navigation guards and the IPC sender check can be unit-tested without the Electron binary.
export const appOrigin = "app://llamameter";

/** Whether a URL is the app's own page: exactly app://llamameter/... (not app://llamameter.evil/). */
export function isAppUrl(url: string): boolean {
    return url === appOrigin || url.startsWith(appOrigin + "/");
}
