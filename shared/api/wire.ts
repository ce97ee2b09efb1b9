/**
 * Messages on the wire, shared by the WebSocket transport (browser seats) and the message port
 * between Electron's main process and the engine's utility process. Both carry the same
 * contract: `invoke` goes in, `result` and `event` come out.
 *
 * WebSocket: connect to `/ws?token=<seat token>`; the server checks the Origin and the token
 * (close code 4401 bad token, 4403 bad origin), then sends `hello`. A seat starts with no
 * session: it may view read-only (when the engine allows anonymous viewing) until a person
 * signs in (`session.signIn`) or the tab resumes its session (`session.resume`).
 */
import { z } from 'zod';

export const WS_CLOSE_UNAUTHENTICATED = 4401;
export const WS_CLOSE_FORBIDDEN_ORIGIN = 4403;

export const invokeMessageSchema = z.strictObject({
  type: z.literal('invoke'),
  id: z.number().int().nonnegative(),
  channel: z.string().max(100),
  request: z.unknown(),
});
export type InvokeMessage = z.infer<typeof invokeMessageSchema>;

export const helloMessageSchema = z.strictObject({
  type: z.literal('hello'),
  version: z.string(),
  training: z.boolean(),
});

export const resultMessageSchema = z.strictObject({
  type: z.literal('result'),
  id: z.number().int().nonnegative(),
  envelope: z.unknown(),
});

export const eventMessageSchema = z.strictObject({
  type: z.literal('event'),
  event: z.string(),
  payload: z.unknown(),
});

export const serverMessageSchema = z.discriminatedUnion('type', [
  helloMessageSchema,
  resultMessageSchema,
  eventMessageSchema,
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;
