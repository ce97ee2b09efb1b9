/**
 * The WebSocket transport of `vigie serve` under attack (issue 6, items 5 and 6), against the
 * real `serve()` with a stub engine whose handlers answer every channel: a foreign Origin is
 * closed with 4403, a missing or wrong token with 4401, binary, oversized, invalid UTF-8,
 * non-JSON and non-invoke frames with their close codes; random invoke messages get either a
 * close code or an envelope, never a crash. Role and session rules are checked over the wire for
 * every channel (a caller is refused before its request is read, so a refusal says nothing about
 * the schema).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import {
  accessAllows,
  apiErrorSchema,
  capabilitiesOf,
  CHANNEL_NAMES,
  channels,
  invokeMessageSchema,
  WS_CLOSE_FORBIDDEN_ORIGIN,
  WS_CLOSE_UNAUTHENTICATED,
  type Capability,
  type Envelope,
  type Overview,
} from '../../shared/api';
import type { Handlers } from '../../electron/engine/api/dispatch';
import { createScope } from '../../electron/engine/api/scope';
import type { Engine } from '../../electron/engine/engine';
import type { Logger } from '../../electron/engine/ports/logger';
import { serve, type RunningServer } from '../../electron/engine/server/serve';
import { rawText } from '../../electron/engine/server/raw-text';
import { setupSessions } from '../../electron/engine/session-setup';
import { MemoryIdentity } from '../../electron/engine/test-support/memory-identity';
import { buildRequest, hostilePlan, withinMs } from './hostile-inputs';

const SEED = Number(process.env['VIGIE_FUZZ_SEED'] ?? 20_261_123);
// Whole-channel sweeps over the wire; generous on a loaded machine, while every wait has its own deadline.
vi.setConfig({ testTimeout: 30_000 });
const TOKEN = 'seat-token-0123456789';
/** serve.ts refuses larger messages (ws maxPayload). */
const MAX_MESSAGE_BYTES = 256 * 1024;
const SESSION_MS = 3600_000;

const overview: Overview = {
  revision: 1,
  generatedAt: 0,
  training: true,
  zones: [],
  tiles: [],
  counts: { down: 0, degraded: 0, unknown: 0, maintenance: 0, up: 0 },
  status: 'unknown',
};

let now = 1_000_000;
const identity = new MemoryIdentity(() => now, SESSION_MS);
for (const [id, role] of [
  ['olivia', 'operator'],
  ['victor', 'viewer'],
] as const)
  identity.add(
    { id, displayName: id, roles: [role], clients: ['*'], source: 'local', disabled: false },
    `${id}-pw`,
  );
const sessions = setupSessions({
  identity,
  oidc: null,
  access: { anonymousViewing: true, sessionHours: 12, idleMinutes: 30 },
  audit: { append: () => Promise.resolve(), list: () => Promise.resolve([]) },
  clock: { now: () => now, setTimeout: () => () => undefined },
});
/** What an anonymous seat may do when the engine allows anonymous viewing (session-setup.ts). */
const ANONYMOUS_CAPABILITIES: Capability[] = ['view', 'view.infrastructure'];

/** Every channel answers, so what the transport does is all that is tested; sessions are real. */
const handlers = Object.fromEntries(
  CHANNEL_NAMES.map((channel) => [
    channel,
    (sessions.handlers as Record<string, unknown>)[channel] ??
      ((): Promise<unknown> => Promise.resolve({ stub: channel })),
  ]),
) as unknown as Handlers;

/** Error lines of the server: a handler or dispatch failure shows up here. */
const errors: { msg: string | undefined; obj: object }[] = [];
const logger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (obj, msg) => errors.push({ obj, msg }),
  child: () => logger,
};

const engine: Engine = {
  handlers,
  sessions,
  scope: createScope(
    () => null,
    () => [],
  ),
  alarmSources: { raise: () => undefined, clear: () => undefined },
  training: true,
  version: 'test',
  overview: () => overview,
  onEvent: () => () => undefined,
  stop: () => Promise.resolve(),
};

let server: RunningServer;
let dir = '';
let wsUrl = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigie-ws-security-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Vigie</title>');
  server = await serve({ engine, host: '127.0.0.1', port: 0, rendererDir: dir, logger, token: TOKEN });
  wsUrl = `${server.url.replace('http', 'ws')}/ws`;
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

interface Seat {
  readonly ws: WebSocket;
  /** The next message from the server, or null once the connection closed. */
  next(): Promise<Record<string, unknown> | null>;
  readonly closed: Promise<{ code: number; reason: string }>;
}

/** Connects; resolves once open (the server may close it right after, which `closed` tells). */
function connect(query: string, options: WebSocket.ClientOptions = {}): Promise<Seat> {
  const ws = new WebSocket(`${wsUrl}${query}`, options);
  const queue: (Record<string, unknown> | null)[] = [];
  const waiters: ((m: Record<string, unknown> | null) => void)[] = [];
  const push = (m: Record<string, unknown> | null): void => {
    const waiter = waiters.shift();
    if (waiter) waiter(m);
    else queue.push(m);
  };
  ws.on('message', (data: WebSocket.RawData) => push(JSON.parse(rawText(data)) as Record<string, unknown>));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => {
      push(null);
      resolve({ code, reason: reason.toString() });
    }),
  );
  const next = (): Promise<Record<string, unknown> | null> =>
    queue.length > 0
      ? Promise.resolve(queue.shift() ?? null)
      : queue.length === 0 && ws.readyState === WebSocket.CLOSED
        ? Promise.resolve(null)
        : new Promise((resolve) => waiters.push(resolve));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, next, closed }));
    ws.once('error', reject);
  });
}

/** A seat that passed the checks and got its hello. */
async function seat(): Promise<Seat> {
  const s = await connect(`?token=${TOKEN}`, { origin: server.url });
  expect(await s.next()).toMatchObject({ type: 'hello' });
  return s;
}

let ids = 1;
async function call(s: Seat, channel: string, request: unknown): Promise<Envelope<unknown>> {
  const id = ids++;
  s.ws.send(JSON.stringify({ type: 'invoke', id, channel, request }));
  for (;;) {
    const m = await s.next();
    if (m === null) throw new Error(`connection closed while waiting for ${channel}`);
    if (m['type'] === 'result' && m['id'] === id) return m['envelope'] as Envelope<unknown>;
  }
}

/** The server still takes seats and answers them. */
async function expectServerAlive(): Promise<void> {
  const s = await seat();
  expect(await call(s, 'app.info', {})).toMatchObject({ ok: true });
  s.ws.close();
}

describe('the WebSocket handshake', () => {
  const foreignOrigins = (port: number) => [
    'http://evil.example',
    'null',
    'file://',
    `https://127.0.0.1:${port}`,
    `http://127.0.0.1:${port + 1}`,
    `http://127.0.0.1:${port}.evil.example`,
    `http://localhost.evil.example:${port}`,
    `http://127.0.0.1:${port}/`,
    `http://127.0.0.1:${port}@evil.example`,
    `ws://127.0.0.1:${port}`,
    'app://vigie',
  ];

  it('closes a seat from any foreign Origin with 4403, even with the right token', async () => {
    for (const origin of foreignOrigins(server.port)) {
      const s = await connect(`?token=${TOKEN}`, { origin });
      expect([origin, (await s.closed).code]).toEqual([origin, WS_CLOSE_FORBIDDEN_ORIGIN]);
      expect(await s.next()).toBeNull();
    }
  });

  it('accepts its own origins (127.0.0.1 and localhost on its port)', async () => {
    for (const origin of [`http://127.0.0.1:${server.port}`, `http://localhost:${server.port}`]) {
      const s = await connect(`?token=${TOKEN}`, { origin });
      expect(await s.next()).toMatchObject({ type: 'hello' });
      s.ws.close();
    }
  });

  it.each([
    ['no token', ''],
    ['an empty token', '?token='],
    ['a wrong token of the same length', `?token=${'x'.repeat(TOKEN.length)}`],
    ['a wrong, shorter token', '?token=seat'],
    ['the token with a character more', `?token=${TOKEN}x`],
    ['the token under another name', `?tok=${TOKEN}`],
    ['a wrong token first and the right one second', `?token=nope&token=${TOKEN}`],
    ['the token in another case', `?token=${TOKEN.toUpperCase()}`],
  ])('closes a seat with %s with 4401 and says nothing else', async (_what, query) => {
    const s = await connect(query, { origin: server.url });
    expect((await s.closed).code).toBe(WS_CLOSE_UNAUTHENTICATED);
    expect(await s.next()).toBeNull();
  });

  it('refuses the token in an Authorization header alone (4401): seats carry it in the URL only', async () => {
    const s = await connect('', { origin: server.url, headers: { authorization: `Bearer ${TOKEN}` } });
    expect((await s.closed).code).toBe(WS_CLOSE_UNAUTHENTICATED);
  });

  it('drops an upgrade on any other path', async () => {
    for (const path of ['/', '/wss', '/ws/', '/WS', '/api/ws']) {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}${path}?token=${TOKEN}`, {
        origin: server.url,
      });
      await expect(
        new Promise((resolve, reject) => {
          ws.once('open', resolve);
          ws.once('error', reject);
        }),
      ).rejects.toThrow();
    }
    await expectServerAlive();
  });
});

describe('frames a seat must not send', () => {
  it('closes on a binary frame (1003)', async () => {
    const s = await seat();
    s.ws.send(Buffer.from(JSON.stringify({ type: 'invoke', id: 1, channel: 'app.info', request: {} })));
    expect((await s.closed).code).toBe(1003);
  });

  it('closes on a text frame larger than the limit (1009), binary or not', async () => {
    const text = await seat();
    text.ws.send(
      JSON.stringify({ type: 'invoke', id: 1, channel: 'app.info', request: 'x'.repeat(MAX_MESSAGE_BYTES) }),
    );
    expect((await text.closed).code).toBe(1009);
    const binary = await seat();
    binary.ws.send(Buffer.alloc(MAX_MESSAGE_BYTES + 1));
    expect((await binary.closed).code).toBe(1009);
    await expectServerAlive();
  });

  it('answers a message just under the limit', async () => {
    const s = await seat();
    const padding = 'x'.repeat(MAX_MESSAGE_BYTES - 200);
    expect(await call(s, 'app.info', { padding })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    s.ws.close();
  });

  it('answers a request nested 100 000 levels deep (200 KB of brackets) with VALIDATION and stays up', async () => {
    const s = await seat();
    const id = ids++;
    const depth = 100_000;
    s.ws.send(
      `{"type":"invoke","id":${id},"channel":"alarms.list","request":${'['.repeat(depth)}${']'.repeat(depth)}}`,
    );
    expect(await s.next()).toMatchObject({
      type: 'result',
      id,
      envelope: { ok: false, error: { code: 'VALIDATION' } },
    });
    s.ws.close();
    await expectServerAlive();
  });

  it('closes on a text frame that is not UTF-8 (1007)', async () => {
    const s = await seat();
    s.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await s.closed).code).toBe(1007);
  });

  it.each([['not json'], ['{"type":"invoke"'], [''], ['{"a":1}{"b":2}'], ["{'type':'invoke'}"], ['NaN']])(
    'closes on text that is not JSON (1007): %j',
    async (text) => {
      const s = await seat();
      s.ws.send(text);
      expect((await s.closed).code).toBe(1007);
    },
  );

  it.each([
    ['null'],
    ['42'],
    ['[]'],
    ['{}'],
    ['{"type":"result","id":1,"envelope":{}}'],
    ['{"type":"invoke","id":-1,"channel":"app.info","request":{}}'],
    ['{"type":"invoke","id":1.5,"channel":"app.info","request":{}}'],
    ['{"type":"invoke","id":1e300,"channel":"app.info","request":{}}'],
    ['{"type":"invoke","id":"1","channel":"app.info","request":{}}'],
    ['{"type":"invoke","id":1,"channel":7,"request":{}}'],
    [`{"type":"invoke","id":1,"channel":"${'a'.repeat(101)}","request":{}}`],
    ['{"type":"invoke","id":1,"channel":"app.info","request":{},"extra":1}'],
    ['{"type":"invoke","id":1,"channel":"app.info","request":{},"__proto__":{"polluted":1}}'],
  ])('closes on JSON that is not an invoke message (1008): %s', async (text) => {
    const s = await seat();
    s.ws.send(text);
    expect((await s.closed).code).toBe(1008);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

/** What the server must do with a message (the same checks as serve.ts, in the same order). */
function expectedOutcome(
  text: string | Buffer,
): { kind: 'close'; code: number } | { kind: 'result'; id: number; channel: string } {
  const size = typeof text === 'string' ? Buffer.byteLength(text) : text.length;
  if (size > MAX_MESSAGE_BYTES) return { kind: 'close', code: 1009 };
  if (typeof text !== 'string') return { kind: 'close', code: 1003 };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'close', code: 1007 };
  }
  const msg = invokeMessageSchema.safeParse(parsed);
  if (!msg.success) return { kind: 'close', code: 1008 };
  return { kind: 'result', id: msg.data.id, channel: msg.data.channel };
}

function describeMessage(payload: string | Buffer): string {
  return typeof payload === 'string'
    ? `text of ${payload.length} characters: ${payload.slice(0, 120)}`
    : `${payload.length} binary bytes`;
}

type JsonTask = { readonly text: string } | { readonly value: unknown };

/**
 * JSON text for any value, as a careless client would send it (BigInt as a string). Not
 * JSON.stringify: Node's overflows its stack on the 10 000-level values, which a client can
 * still send as text (the server's JSON.parse must cope).
 */
function toJson(root: unknown): string {
  const out: string[] = [];
  const stack: JsonTask[] = [{ value: root }];
  const jsonable = (v: unknown): unknown =>
    v === undefined || typeof v === 'function' || typeof v === 'symbol' ? null : v;
  while (stack.length > 0) {
    const task = stack.pop()!;
    if ('text' in task) {
      out.push(task.text);
      continue;
    }
    const v = task.value;
    const parts: JsonTask[] = [];
    if (typeof v === 'bigint') out.push(JSON.stringify(v.toString()));
    else if (Array.isArray(v)) {
      parts.push({ text: '[' });
      for (let i = 0; i < v.length; i++) {
        if (i > 0) parts.push({ text: ',' });
        parts.push({ value: jsonable(v[i]) });
      }
      parts.push({ text: ']' });
    } else if (
      typeof v === 'object' &&
      v !== null &&
      !(v instanceof Date) &&
      !(v instanceof Number) &&
      !(v instanceof String) &&
      !(v instanceof Boolean)
    ) {
      parts.push({ text: '{' });
      const entries = Object.entries(v).filter(([, x]) => x !== undefined && typeof x !== 'function');
      entries.forEach(([k, x], i) => {
        parts.push({ text: `${i > 0 ? ',' : ''}${JSON.stringify(k)}:` }, { value: x });
      });
      parts.push({ text: '}' });
    } else out.push(JSON.stringify(v) ?? 'null');
    for (let i = parts.length - 1; i >= 0; i--) stack.push(parts[i]!);
  }
  return out.join('');
}

describe('random and hostile messages', () => {
  it('get a close code or an envelope, never a crash, and the server keeps taking seats', async () => {
    const channelName = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...CHANNEL_NAMES) },
      { weight: 1, arbitrary: fc.string({ maxLength: 120 }) },
      { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'app.info ', '') },
    );
    const invoke = fc
      .record({
        id: fc.oneof(fc.nat(), fc.integer(), fc.double()),
        channel: channelName,
        request: fc.oneof(
          fc.jsonValue(),
          fc
            .constantFrom(...CHANNEL_NAMES)
            .chain((c) => hostilePlan(c))
            .map((plan) => ({ plan })),
        ),
        extra: fc.option(fc.jsonValue(), { nil: undefined }),
      })
      .map(({ request, extra, ...rest }) => ({ kind: 'invoke' as const, ...rest, request, extra }));
    const message = fc.oneof(
      { weight: 6, arbitrary: invoke },
      {
        weight: 1,
        arbitrary: fc.string({ maxLength: 300 }).map((text) => ({ kind: 'text' as const, text })),
      },
      { weight: 1, arbitrary: fc.json().map((text) => ({ kind: 'text' as const, text })) },
      {
        weight: 1,
        arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ kind: 'binary' as const, bytes })),
      },
    );

    let current: Seat | null = null;
    await fc.assert(
      fc.asyncProperty(message, async (m) => {
        let payload: string | Buffer;
        if (m.kind === 'binary') payload = Buffer.from(m.bytes);
        else if (m.kind === 'text') payload = m.text;
        else {
          const request =
            typeof m.request === 'object' && m.request !== null && 'plan' in m.request
              ? buildRequest((m.request as { plan: Parameters<typeof buildRequest>[0] }).plan)
              : m.request;
          const body: Record<string, unknown> = { type: 'invoke', id: m.id, channel: m.channel, request };
          if (m.extra !== undefined) body['extra'] = m.extra;
          payload = toJson(body);
        }
        const expected = expectedOutcome(payload);
        current ??= await seat();
        const s: Seat = current;
        s.ws.send(payload, { binary: typeof payload !== 'string' });
        if (expected.kind === 'close') {
          const closed = await withinMs(
            s.closed,
            5000,
            `close ${expected.code} for ${describeMessage(payload)}`,
          );
          current = null;
          expect(closed.code).toBe(expected.code);
          return;
        }
        const answer = await withinMs(s.next(), 5000, `result for ${describeMessage(payload)}`);
        expect(answer, 'the server closed a seat that sent a well-formed invoke').not.toBeNull();
        expect(answer).toMatchObject({ type: 'result', id: expected.id });
        const envelope = answer!['envelope'] as Envelope<unknown>;
        if (envelope.ok) {
          expect(Object.hasOwn(channels, expected.channel)).toBe(true);
          return;
        }
        expect(apiErrorSchema.safeParse(envelope.error).success).toBe(true);
        expect(['VALIDATION', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN', 'CONFLICT']).toContain(
          envelope.error.code,
        );
        if (!Object.hasOwn(channels, expected.channel)) expect(envelope.error.code).toBe('NOT_FOUND');
      }),
      { seed: SEED, numRuns: 300 },
    );
    (current as Seat | null)?.ws.close();
    await expectServerAlive();
    expect(errors).toEqual([]);
  }, 120_000);
});

describe('who may call what, over the wire', () => {
  const request = { id: 'x', deviceId: 'x', comment: 'fuzz' };

  it('answers an anonymous seat UNAUTHENTICATED (sign in) on every channel beyond viewing', async () => {
    const s = await seat();
    for (const channel of CHANNEL_NAMES) {
      const envelope = await call(s, channel, request);
      const allowed = accessAllows(ANONYMOUS_CAPABILITIES, channels[channel].access);
      if (allowed)
        expect([channel, envelope.ok ? 'in' : envelope.error.code]).not.toEqual([channel, 'UNAUTHENTICATED']);
      else
        expect([channel, envelope]).toMatchObject([
          channel,
          { ok: false, error: { code: 'UNAUTHENTICATED', reason: 'SIGN_IN_REQUIRED' } },
        ]);
    }
    s.ws.close();
  });

  it('answers a viewer FORBIDDEN on every channel its role lacks, before reading the request', async () => {
    const s = await seat();
    expect(
      await call(s, 'session.signIn', { method: 'password', login: 'victor', password: 'victor-pw' }),
    ).toMatchObject({
      ok: true,
    });
    const viewer = capabilitiesOf(['viewer'], ['*']);
    for (const channel of CHANNEL_NAMES) {
      if (accessAllows(viewer, channels[channel].access)) continue;
      // A request of the wrong type: FORBIDDEN, not VALIDATION, so a viewer cannot probe the schema.
      const envelope = await call(s, channel, ['not', 'a', 'request']);
      expect([channel, envelope]).toMatchObject([channel, { ok: false, error: { code: 'FORBIDDEN' } }]);
    }
    s.ws.close();
  });

  it('answers UNAUTHENTICATED (session expired) on every channel once the session lapsed', async () => {
    for (const channel of CHANNEL_NAMES.filter((c) => channels[c].access !== 'public')) {
      const s = await seat();
      expect(
        await call(s, 'session.signIn', { method: 'password', login: 'olivia', password: 'olivia-pw' }),
      ).toMatchObject({ ok: true });
      now += SESSION_MS + 1;
      expect([channel, await call(s, channel, request)]).toMatchObject([
        channel,
        { ok: false, error: { code: 'UNAUTHENTICATED', reason: 'SESSION_EXPIRED' } },
      ]);
      s.ws.close();
    }
  });
});
