/**
 * Hostile and random requests for every channel of the contract, shared by the unit fuzz of the
 * dispatcher (contract-fuzz.test.ts) and the fuzz of a real engine on the training estate
 * (test/integration/contract-fuzz.int.test.ts).
 *
 * A request is described by a small plan (channel, a plausible request built from the channel's
 * own schema, which field to attack and with what) and built only inside the property: fast-check
 * prints the plan of a failing case, never a 1 MB string or a 10 000-level array.
 */
import fc from 'fast-check';
import { z } from 'zod';
import { channels, type ChannelName } from '../../shared/api';

type JsonSchema = Readonly<Record<string, unknown>>;

/** The input JSON Schema of a channel's request (what a caller may send, defaults not applied). */
export function requestJsonSchema(channel: ChannelName): JsonSchema {
  return z.toJSONSchema(channels[channel].request, { io: 'input', unrepresentable: 'any' });
}

const asNumber = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const isSchema = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Plausible values for a JSON Schema: the right types, enums, patterns, lengths and bounds, small
 * arrays and records. Cross-field refinements (`to` after `from`) are not expressed, so some
 * samples are refused by the real schema: the properties hold either way.
 */
export function arbitraryFromJsonSchema(schema: unknown, depth = 0): fc.Arbitrary<unknown> {
  if (!isSchema(schema) || depth > 8) return fc.constant(null);
  if ('const' in schema) return fc.constant(schema['const']);
  const enumValues = schema['enum'];
  if (Array.isArray(enumValues) && enumValues.length > 0)
    return fc.constantFrom(...(enumValues as unknown[]));
  for (const union of ['anyOf', 'oneOf'] as const) {
    const options = schema[union];
    if (Array.isArray(options) && options.length > 0)
      return fc.oneof(...options.map((o) => arbitraryFromJsonSchema(o, depth + 1)));
  }
  const allOf = schema['allOf'];
  if (Array.isArray(allOf) && allOf.length > 0) return arbitraryFromJsonSchema(allOf[0], depth + 1);
  const type = schema['type'];
  if (Array.isArray(type))
    return fc.oneof(
      ...(type as unknown[]).map((t) => arbitraryFromJsonSchema({ ...schema, type: t }, depth + 1)),
    );
  switch (type) {
    case 'string': {
      const min = asNumber(schema['minLength']) ?? 0;
      const max = asNumber(schema['maxLength']);
      const pattern = schema['pattern'];
      if (typeof pattern === 'string')
        return fc
          .stringMatching(new RegExp(pattern))
          .filter((s) => s.length >= min && (max === undefined || s.length <= max));
      return fc.string({ minLength: min, maxLength: Math.min(max ?? min + 20, min + 20) });
    }
    case 'integer': {
      const exclusiveMin = asNumber(schema['exclusiveMinimum']);
      const exclusiveMax = asNumber(schema['exclusiveMaximum']);
      const min = asNumber(schema['minimum']) ?? (exclusiveMin === undefined ? -1e6 : exclusiveMin + 1);
      const max = asNumber(schema['maximum']) ?? (exclusiveMax === undefined ? 1e9 : exclusiveMax - 1);
      return fc.integer({
        min: Math.max(Math.ceil(min), Number.MIN_SAFE_INTEGER),
        max: Math.min(Math.floor(max), Number.MAX_SAFE_INTEGER),
      });
    }
    case 'number': {
      const min = asNumber(schema['minimum']) ?? asNumber(schema['exclusiveMinimum']) ?? -1e9;
      const max = asNumber(schema['maximum']) ?? asNumber(schema['exclusiveMaximum']) ?? 1e12;
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const min = asNumber(schema['minItems']) ?? 0;
      const max = Math.min(asNumber(schema['maxItems']) ?? min + 3, min + 3);
      const items = isSchema(schema['items'])
        ? arbitraryFromJsonSchema(schema['items'], depth + 1)
        : fc.jsonValue({ maxDepth: 1 });
      return fc.array(items, { minLength: min, maxLength: max });
    }
    case 'object': {
      const properties = schema['properties'];
      if (isSchema(properties)) {
        const required = Array.isArray(schema['required']) ? (schema['required'] as string[]) : [];
        const shape: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [key, sub] of Object.entries(properties))
          shape[key] = arbitraryFromJsonSchema(sub, depth + 1);
        return fc.record(shape, { requiredKeys: required.filter((k) => k in shape) });
      }
      const additional = schema['additionalProperties'];
      if (isSchema(additional)) {
        const names = schema['propertyNames'];
        const keys = isSchema(names)
          ? arbitraryFromJsonSchema(names, depth + 1).filter((k): k is string => typeof k === 'string')
          : fc.string({ minLength: 1, maxLength: 10 });
        return fc.dictionary(keys, arbitraryFromJsonSchema(additional, depth + 1), { maxKeys: 3 });
      }
      return fc.constant({});
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A plausible request for `channel`, from its schema. */
export function plausibleRequest(channel: ChannelName): fc.Arbitrary<unknown> {
  return arbitraryFromJsonSchema(requestJsonSchema(channel));
}

/** A request for `channel` the schema accepts (for the field-by-field sweep), or a plausible one. */
export function sampleRequest(channel: ChannelName, seed: number): unknown {
  const samples = fc.sample(plausibleRequest(channel), { seed, numRuns: 50 });
  return samples.find((s) => channels[channel].request.safeParse(s).success) ?? samples[0];
}

const MEGABYTE = 1 << 20;

function nestedArrays(levels: number): unknown {
  let value: unknown = [];
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

function nestedObjects(levels: number): unknown {
  let value: unknown = {};
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

/** An object with `key` as its OWN property, as JSON.parse makes it (an assignment to `__proto__` would set the prototype instead). */
export function withOwnKey(
  target: Record<string, unknown>,
  key: string,
  value: unknown,
): Record<string, unknown> {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

let bigString: string | undefined;
const megabyteString = (): string => (bigString ??= 'A'.repeat(MEGABYTE));
let bigDigits: string | undefined;

/**
 * Hostile values by name. Factories, so a handler that mutated its input could not poison the
 * next case; the large ones are built once (strings are immutable).
 */
export const HOSTILE_VALUES = {
  'string of 1 MB': megabyteString,
  'string of 1 MB of digits': () => (bigDigits ??= '9'.repeat(MEGABYTE)),
  'arrays nested 10 000 deep': () => nestedArrays(10_000),
  'objects nested 10 000 deep': () => nestedObjects(10_000),
  'array of 100 000 strings': () => new Array<string>(100_000).fill('a'),
  'array of 100 000 numbers': () => new Array<number>(100_000).fill(1),
  NaN: () => Number.NaN,
  Infinity: () => Number.POSITIVE_INFINITY,
  '-Infinity': () => Number.NEGATIVE_INFINITY,
  '-0': () => -0,
  '-1': () => -1,
  'most negative double': () => -Number.MAX_VALUE,
  'largest double': () => Number.MAX_VALUE,
  '2^53 + 2': () => 2 ** 53 + 2,
  'smallest denormal': () => Number.MIN_VALUE,
  '1.5': () => 1.5,
  'a BigInt': () => 12345678901234567890n,
  'BigInt-like string': () => '123456789012345678901234567890',
  'BigInt literal string': () => '10n',
  '1e400 string': () => '1e400',
  'hex string': () => '0x7fffffffffffffff',
  'empty string': () => '',
  NUL: () => '\u0000',
  'control characters': () => '\u0001\u0007\u001b[31m\u007f\r\n\t\u2028\u2029',
  'lone high surrogate': () => '\ud800',
  'lone low surrogate': () => 'a\udfffb',
  'right-to-left override': () => 'admin\u202etxt.exe',
  'SQL injection': () => "x'; DROP TABLE alarms; --",
  'SQL tautology': () => "' OR '1'='1",
  'InfluxQL injection': () => 'cpu" WHERE 1=1; DROP DATABASE "vigie"; --',
  'InfluxQL regex': () => '/.*/',
  'shell metacharacters': () => '$(reboot); `id` && rm -rf / | nc x 1 #',
  'path traversal': () => '../../../../../../etc/passwd',
  'encoded path traversal': () => '..%2f..%2f..%2fetc%2fshadow',
  'windows path traversal': () => '..\\..\\..\\windows\\system32',
  'format string': () => '%s%s%s%n%x',
  'template literal': () => '${process.exit(1)}{{constructor.constructor("return process")()}}',
  'HTML script': () => '<script>alert(1)</script>',
  'own __proto__ key': () => JSON.parse('{"__proto__":{"polluted":"yes"}}') as unknown,
  'constructor.prototype chain': () => ({ constructor: { prototype: { polluted: 'yes' } } }),
  'prototype key': () => ({ prototype: { polluted: 'yes' } }),
  'object with a toString key': () => ({ toString: 'not a function', valueOf: 1 }),
  'null-prototype object': () => Object.assign(Object.create(null) as object, { a: 1 }),
  null: () => null,
  undefined: () => undefined,
  true: () => true,
  'empty object': () => ({}),
  'empty array': () => [],
  'invalid date': () => new Date(Number.NaN),
  map: () => new Map([['a', 1]]),
  'typed array': () => new Float64Array([Number.NaN, 1]),
} satisfies Record<string, () => unknown>;
export type HostileValueName = keyof typeof HOSTILE_VALUES;
export const HOSTILE_VALUE_NAMES = Object.keys(HOSTILE_VALUES) as HostileValueName[];

/** Keys that reach prototypes or shadow methods when code copies objects carelessly. */
export const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
] as const;
export type HostileKey = (typeof HOSTILE_KEYS)[number];

export type Path = readonly (string | number)[];

/** Every place in a JSON-like value where a field could be attacked, the value itself first. */
export function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (prefix.length > 6) return out;
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...prefix, i], out));
  else if (typeof value === 'object' && value !== null)
    for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

function clone(value: unknown): unknown {
  return value === undefined ? undefined : structuredClone(value);
}

/** `base` with the value at `path` replaced by `replacement` (the whole request for the empty path). */
export function replaceAt(base: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const root = clone(base);
  let node = root as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (typeof last === 'string') withOwnKey(node, last, replacement);
  else node[last] = replacement;
  return root;
}

/** `base` with an own `key` added to the object at `path` (or to the nearest object above it). */
export function addKeyAt(base: unknown, path: Path, key: string, value: unknown): unknown {
  const root = clone(base);
  let target: unknown = root;
  let node: unknown = root;
  for (const step of path) {
    node = (node as Record<string | number, unknown>)[step];
    if (typeof node === 'object' && node !== null && !Array.isArray(node)) target = node;
  }
  if (typeof target !== 'object' || target === null || Array.isArray(target))
    return withOwnKey({}, key, value);
  return withOwnKey(target as Record<string, unknown>, key, value);
}

/** One attack on one channel, printable. */
export type HostilePlan =
  | {
      readonly kind: 'replace';
      readonly channel: ChannelName;
      readonly base: unknown;
      readonly path: Path;
      readonly hostile: HostileValueName;
    }
  | {
      readonly kind: 'add-key';
      readonly channel: ChannelName;
      readonly base: unknown;
      readonly path: Path;
      readonly key: HostileKey;
      readonly hostile: HostileValueName | 'pollution payload';
    };

/** The request a plan describes. */
export function buildRequest(plan: HostilePlan): unknown {
  if (plan.kind === 'replace') return replaceAt(plan.base, plan.path, HOSTILE_VALUES[plan.hostile]());
  const value = plan.hostile === 'pollution payload' ? { polluted: 'yes' } : HOSTILE_VALUES[plan.hostile]();
  return addKeyAt(plan.base, plan.path, plan.key, value);
}

/** Plans for `channel`: a plausible request with one field replaced, or one hostile key added. */
export function hostilePlan(channel: ChannelName): fc.Arbitrary<HostilePlan> {
  return plausibleRequest(channel).chain((base) => {
    const paths = pathsOf(base);
    const path = fc.constantFrom(...paths);
    return fc.oneof(
      fc.record({
        kind: fc.constant('replace' as const),
        channel: fc.constant(channel),
        base: fc.constant(base),
        path,
        hostile: fc.constantFrom(...HOSTILE_VALUE_NAMES),
      }),
      fc.record({
        kind: fc.constant('add-key' as const),
        channel: fc.constant(channel),
        base: fc.constant(base),
        path,
        key: fc.constantFrom(...HOSTILE_KEYS),
        hostile: fc.constantFrom<HostileValueName | 'pollution payload'>(
          'pollution payload',
          ...HOSTILE_VALUE_NAMES,
        ),
      }),
    );
  });
}

/** Whole requests of the wrong type: primitives, arrays, random JSON and random values of any kind. */
export const wrongTypeRequest: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_VALUE_NAMES).map((name) => ({ hostile: name })),
  fc.jsonValue().map((value) => ({ json: value })),
  fc
    .anything({
      withNullPrototype: true,
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withTypedArray: true,
      withSparseArray: true,
      withBoxedValues: true,
    })
    .map((value) => ({ anything: value })),
);

/** The request a wrong-type case describes (hostile values are named in the case, built here). */
export function wrongTypeValue(c: unknown): unknown {
  const o = c as { hostile?: HostileValueName; json?: unknown; anything?: unknown };
  if (o.hostile !== undefined) return HOSTILE_VALUES[o.hostile]();
  return 'json' in o ? o.json : o.anything;
}

/** What Object.prototype and friends hold, to prove a request polluted none of them. */
export function prototypeFingerprint(): string {
  const names = (o: object) => Reflect.ownKeys(o).map(String).sort().join(',');
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype, Number.prototype]
    .map(names)
    .join('|');
}

/** True when a plain new object shows no property a hostile request tried to plant. */
export function prototypesClean(): boolean {
  const probe = {} as Record<string, unknown>;
  return (
    probe['polluted'] === undefined && ([] as unknown as Record<string, unknown>)['polluted'] === undefined
  );
}

/** Rejects when `promise` has not settled within `ms` (a hang is a failure, not a test timeout). */
export async function withinMs<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
