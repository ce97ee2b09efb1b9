/**
 * Who is behind a request: a person signed in on the seat (their roles give capabilities, their
 * client scope limits what they see), or nobody (an anonymous viewer, when the engine allows
 * viewing without signing in). The transports hold one {@link SeatSession} per connection.
 */
import type { Capability, PersonSummary } from '../../../shared/api';

export interface Principal {
  /** The person signed in, or null for an anonymous seat. */
  readonly person: PersonSummary | null;
  /** What this principal may do now (see shared/api/access.ts). */
  readonly capabilities: readonly Capability[];
  /** Client ids whose services this principal sees; `*` for all; empty sees no client's data. */
  readonly clients: readonly string[];
}

/** The session a connection holds: an opaque token the identity service resolves. */
export interface SeatSession {
  token: string | null;
}
