/**
 * Nothing that arrives over IPC or the WebSocket is trusted: every response envelope and every
 * event payload is parsed with the contract's zod schemas before the UI sees it.
 */
import { z } from 'zod';
import {
  apiErrorSchema,
  channels,
  events,
  type ChannelName,
  type Envelope,
  type ErrorCode,
  type EventName,
  type EventPayload,
  type ResponseOf,
} from '../../../../shared/api';

const envelopeSchemas = new Map<ChannelName, z.ZodType>();

function envelopeSchemaFor(channel: ChannelName): z.ZodType {
  let schema = envelopeSchemas.get(channel);
  if (!schema) {
    schema = z.discriminatedUnion('ok', [
      z.object({ ok: z.literal(true), value: channels[channel].response }),
      z.object({ ok: z.literal(false), error: apiErrorSchema }),
    ]);
    envelopeSchemas.set(channel, schema);
  }
  return schema;
}

let localSequence = 0;

/**
 * An error envelope made on this side of the wire (link down, timeout, reply that breaks the
 * contract). Its correlation id says so, since the engine never saw the request.
 */
export function localFailure(
  code: ErrorCode,
  message: string,
): { ok: false; error: z.infer<typeof apiErrorSchema> } {
  localSequence += 1;
  return { ok: false, error: { code, message, correlationId: `console-${localSequence}` } };
}

export type EnvelopeCheck<C extends ChannelName> =
  | { valid: true; envelope: Envelope<ResponseOf<C>> }
  | { valid: false; envelope: Envelope<ResponseOf<C>>; issues: unknown };

/** Parses a raw envelope for `channel`; an envelope that breaks the contract becomes INTERNAL. */
export function checkEnvelope<C extends ChannelName>(channel: C, raw: unknown): EnvelopeCheck<C> {
  const parsed = envelopeSchemaFor(channel).safeParse(raw);
  if (parsed.success) {
    // The schema is the channel's response schema, so the parsed value has the channel's type.
    return { valid: true, envelope: parsed.data as Envelope<ResponseOf<C>> };
  }
  return {
    valid: false,
    envelope: localFailure('INTERNAL', `the reply to "${channel}" does not match the contract`),
    issues: parsed.error.issues,
  };
}

export type PayloadCheck<E extends EventName> =
  { valid: true; payload: EventPayload<E> } | { valid: false; issues: unknown };

/** Parses a raw event payload for `event`. */
export function checkEventPayload<E extends EventName>(event: E, raw: unknown): PayloadCheck<E> {
  const schema: z.ZodType = events[event];
  const parsed = schema.safeParse(raw);
  // The schema is the event's payload schema, so the parsed value has the event's type.
  return parsed.success
    ? { valid: true, payload: parsed.data as EventPayload<E> }
    : { valid: false, issues: parsed.error.issues };
}
