/**
 * The Content-Security-Policy of every page of the console, on the desktop (app:// protocol) and
 * in browser seats (`vigie serve`): no inline script or style, no eval, no remote host. The
 * renderer talks to the engine only through the bridge ('self' covers the seat's own WebSocket).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
