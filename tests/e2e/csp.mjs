// The Content-Security-Policy the sandbox serves the demo pages with (the pages use no inline
// script or style); the demo and playground tests serve them with it and count violations.
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; frame-ancestors 'none'";
