/**
 * The app://vigie/ scheme that serves the built renderer (out/renderer). A custom standard,
 * secure scheme instead of file:// gives the page a real origin, so the CSP, the sender-origin
 * check and same-origin navigation all have something to compare against.
 *
 * Path resolution is pure and refuses anything that could leave the renderer folder: dot
 * segments (raw or percent-encoded), encoded separators, backslashes, NUL, drive letters,
 * double encoding, hidden files. Chromium already normalises `..` in standard URLs; this does not
 * rely on it.
 */
import { readFile, realpath } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import type { CustomScheme, Protocol } from 'electron';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from './security-policy';

/**
 * Privileges of app:: standard (relative URLs, storage), secure (a secure context, like https),
 * fetch support. Not corsEnabled: that would let other origins read our responses.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

const INDEX = 'index.html';

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
  '.mp3': 'audio/mpeg',
};

export function mimeTypeFor(filePath: string): string {
  return MIME_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers of every app:// response; the CSP is on all of them (workers take theirs from their script). */
export function responseHeaders(filePath: string): Record<string, string> {
  return {
    'content-type': mimeTypeFor(filePath),
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache',
  };
}

export type AppPathResolution =
  | {
      kind: 'file';
      /** Absolute path inside the root. */
      filePath: string;
      /** A route (no file extension) that is not a file falls back to index.html (client-side routing). */
      isRoute: boolean;
    }
  | { kind: 'refused'; status: 400 | 403 | 404; reason: string };

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Maps an app:// URL to a file under `root`, or refuses it. Works on the raw URL text, so dot
 * segments are refused even where a URL parser would have silently resolved them.
 */
export function resolveAppPath(requestUrl: string, root: string): AppPathResolution {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/i.exec(requestUrl);
  if (!match) return { kind: 'refused', status: 400, reason: 'not a hierarchical URL' };
  const [, scheme = '', host = '', rawPath = ''] = match;
  if (scheme.toLowerCase() !== APP_SCHEME) return { kind: 'refused', status: 400, reason: 'wrong scheme' };
  if (host.toLowerCase() !== APP_HOST) return { kind: 'refused', status: 404, reason: 'unknown host' };

  const segments: string[] = [];
  for (const raw of rawPath.split('/')) {
    if (raw === '') continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      return { kind: 'refused', status: 400, reason: 'malformed percent-encoding' };
    }
    if (decoded === '.' || decoded === '..') return { kind: 'refused', status: 403, reason: 'dot segment' };
    // A separator, NUL, drive colon or a second layer of encoding inside one segment is an
    // attempt to smuggle a path; a leading dot is a hidden file the build never produces.
    if (/[/\\\0:%]/.test(decoded) || decoded.startsWith('.')) {
      return { kind: 'refused', status: 403, reason: 'forbidden character in path' };
    }
    segments.push(decoded);
  }
  const last = segments.at(-1);
  if (last === undefined) return { kind: 'file', filePath: join(root, INDEX), isRoute: false };
  const filePath = join(root, ...segments);
  if (!isInside(root, filePath))
    return { kind: 'refused', status: 403, reason: 'outside the renderer folder' };
  return { kind: 'file', filePath, isRoute: extname(last) === '' };
}

function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...responseHeaders('error.txt') } });
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR';
}

export interface AppProtocolLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Answers one app:// request from the files under `root` (GET and HEAD only). */
export async function handleAppRequest(
  request: Request,
  root: string,
  logger: AppProtocolLogger,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'method not allowed');
  const resolution = resolveAppPath(request.url, root);
  if (resolution.kind === 'refused') {
    logger.warn({ url: request.url.slice(0, 200), reason: resolution.reason }, 'app:// request refused');
    return textResponse(resolution.status, 'refused');
  }
  const candidates = resolution.isRoute ? [resolution.filePath, join(root, INDEX)] : [resolution.filePath];
  const realRoot = await realpath(root).catch(() => root);
  for (const candidate of candidates) {
    try {
      // A symlink inside out/renderer must not lead out of it either.
      const real = await realpath(candidate);
      if (!isInside(realRoot, real)) return textResponse(403, 'refused');
      const body = await readFile(real);
      const headers = responseHeaders(candidate);
      return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
    } catch (err: unknown) {
      if (!isMissing(err)) {
        logger.error({ err, file: candidate }, 'app:// could not read a file');
        return textResponse(500, 'internal error');
      }
    }
  }
  return textResponse(404, 'not found');
}

/** Before `ready`: app:// is standard and secure (this call may happen only once per app). */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
}

/** After `ready`: serve app:// from the built renderer. */
export function serveAppProtocol(
  protocol: Pick<Protocol, 'handle'>,
  root: string,
  logger: AppProtocolLogger,
): void {
  protocol.handle(APP_SCHEME, (request) => handleAppRequest(request, root, logger));
}
