/**
 * The hostile requests of test/security/contract-fuzz.test.ts against a REAL engine on the
 * training estate (issue 6, item 6): every channel, with a caller holding every role, so each
 * request goes past authorisation and reaches the real handlers, stores and estate. No answer
 * may be INTERNAL (a crash behind the envelope), a request the schema refuses is VALIDATION, and
 * the engine still answers `overview.get` afterwards.
 *
 * Fewer runs than the unit fuzz (the handlers write to DuckDB, talk SNMP and SSH); the seed is
 * fixed and printed, VIGIE_FUZZ_SEED replays or explores.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiErrorSchema,
  CHANNEL_NAMES,
  channels,
  ROLES,
  type ChannelName,
  type Envelope,
} from '../../shared/api';
import { dispatch } from '../../electron/engine/api/dispatch';
import { configSchema } from '../../electron/engine/config/schema';
import { startEngine, type Engine } from '../../electron/engine/engine';
import type { Logger } from '../../electron/engine/ports/logger';
import { authenticateAs } from '../../electron/engine/test-support/call-context';
import {
  addKeyAt,
  buildRequest,
  HOSTILE_KEYS,
  HOSTILE_VALUE_NAMES,
  HOSTILE_VALUES,
  pathsOf,
  replaceAt,
  sampleRequest,
  hostilePlan,
  plausibleRequest,
  prototypeFingerprint,
  prototypesClean,
  withinMs,
  wrongTypeRequest,
  wrongTypeValue,
} from '../security/hostile-inputs';

const SEED = Number(process.env['VIGIE_FUZZ_SEED'] ?? 20_261_123);
const RUNS = 30;
/** A handler that talks to a device may wait for its timeout (1.5 s here); anything far beyond is a hang. */
const DEADLINE_MS = 20_000;

/** The engine's error lines, to name the cause of an INTERNAL answer by its correlation id. */
const errors: { correlationId?: unknown; err?: unknown; msg: string | undefined }[] = [];
function capturingLogger(bindings: Record<string, unknown> = {}): Logger {
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (obj, msg) => errors.push({ ...bindings, ...obj, msg }),
    child: (more) => capturingLogger({ ...bindings, ...more }),
  };
}
const logger = capturingLogger();

let engine: Engine;
let dataDir = '';
let fingerprint = '';

beforeAll(async () => {
  console.log(`contract fuzz on the estate: seed ${SEED} (VIGIE_FUZZ_SEED=${SEED} replays it)`);
  fingerprint = prototypeFingerprint();
  dataDir = await mkdtemp(join(tmpdir(), 'vigie-fuzz-'));
  const config = configSchema.parse({
    estate: true,
    polling: { deviceIntervalSeconds: 2, serviceIntervalSeconds: 2, timeoutMs: 1500 },
  });
  engine = await startEngine({ config, dataDir, version: 'test', logger });
});
afterAll(async () => {
  await engine?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const everyRole = authenticateAs(ROLES, 'fuzzer');
/** Channels that got at least one request past validation, into the real handler. */
const reached = new Set<ChannelName>();
let seatCounter = 0;

function causeOf(envelope: Envelope<unknown>): string {
  if (envelope.ok) return '';
  const logged = errors.find((e) => e.correlationId === envelope.error.correlationId);
  if (!logged) return 'no error line logged for it';
  const err = logged.err;
  return err instanceof Error
    ? `${logged.msg}: ${err.stack ?? err.message}`
    : `${logged.msg}: ${String(err)}`;
}

async function expectNoCrash(channel: ChannelName, raw: unknown): Promise<void> {
  const accepted = channels[channel].request.safeParse(raw ?? {}).success;
  // A new seat each time: a session channel (signOut, lock) must not change the next case.
  const seat = { name: `fuzz#${++seatCounter}`, session: { token: null } };
  const envelope = await withinMs(
    dispatch(engine.handlers, channel, raw, seat, everyRole, logger),
    DEADLINE_MS,
    `${channel}`,
  );
  expect(prototypesClean(), 'a request polluted Object.prototype').toBe(true);
  if (accepted) reached.add(channel);
  if (envelope.ok) {
    expect(accepted, 'the engine accepted a request its schema refuses').toBe(true);
    return;
  }
  expect(apiErrorSchema.safeParse(envelope.error).success).toBe(true);
  expect(envelope.error.code, `${channel} answered INTERNAL; cause: ${causeOf(envelope)}`).not.toBe(
    'INTERNAL',
  );
  if (!accepted) expect(envelope.error.code).toBe('VALIDATION');
}

describe('every channel of a real engine on the training estate, fuzzed', () => {
  it.each(CHANNEL_NAMES.map((c) => [c]))(
    '%s answers hostile and random requests without INTERNAL',
    async (channel) => {
      await fc.assert(
        fc.asyncProperty(
          // Cases stay descriptions (printed on failure); the requests are built in the property.
          fc.oneof(
            { weight: 3, arbitrary: hostilePlan(channel).map((plan) => ({ plan })) },
            // Plausible requests, most of them valid: the handlers, stores and estate behind them run.
            { weight: 2, arbitrary: plausibleRequest(channel).map((json) => ({ json })) },
            { weight: 1, arbitrary: fc.jsonValue().map((json) => ({ json })) },
            { weight: 1, arbitrary: wrongTypeRequest.map((wrong) => ({ wrong })) },
          ),
          (c) =>
            expectNoCrash(
              channel,
              'plan' in c ? buildRequest(c.plan) : 'json' in c ? c.json : wrongTypeValue(c.wrong),
            ),
        ),
        { seed: SEED, numRuns: RUNS },
      );
    },
  );

  it.each(CHANNEL_NAMES.map((c) => [c]))(
    '%s survives every hostile value in every field of a valid request, and every hostile key',
    async (channel) => {
      const base = sampleRequest(channel, SEED);
      for (const path of pathsOf(base)) {
        for (const name of HOSTILE_VALUE_NAMES)
          await expectNoCrash(channel, replaceAt(base, path, HOSTILE_VALUES[name]()));
        for (const key of HOSTILE_KEYS)
          await expectNoCrash(channel, addKeyAt(base, path, key, { polluted: 'yes' }));
      }
    },
  );

  it('still answers overview.get, and no prototype was polluted', async () => {
    const envelope = await dispatch(
      engine.handlers,
      'overview.get',
      {},
      { name: 'after-fuzz', session: { token: null } },
      everyRole,
      logger,
    );
    expect(envelope).toMatchObject({ ok: true, value: { training: true } });
    expect(prototypeFingerprint()).toBe(fingerprint);
  });

  it('reached the real handlers of nearly every channel (the fuzz is not all VALIDATION)', () => {
    const missed = CHANNEL_NAMES.filter((c) => !reached.has(c));
    console.log(
      `handlers reached: ${reached.size}/${CHANNEL_NAMES.length}; not reached: ${missed.join(', ') || 'none'}`,
    );
    expect(reached.size).toBeGreaterThanOrEqual(CHANNEL_NAMES.length * 0.8);
  });
});
