// The renderer's Content-Security-Policy, shared by the Electron shell and the browser-mode server:
// scripts only from the app itself (no inline, no eval), no plugins, no framing, network only to
// the app's own origin (browser mode's API and event stream). Inline styles stay allowed because
// the UI sets style attributes (chart geometry, progress width).
export const contentSecurityPolicy = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'"
].join("; ");
