/**
 * Callers for tests that call handlers directly or through the dispatcher without a transport:
 * a person holding `roles`, on a named seat. The real sessions (session-setup.ts) are tested
 * through the WebSocket server and the estate.
 */
import { ALL_CLIENTS, capabilitiesOf, type Role } from '../../../shared/api';
import type { Authenticate, CallContext } from '../api/dispatch';
import type { Principal } from '../ports/principal';

export function testPrincipal(
  roles: readonly Role[],
  id = 'tester',
  clients: readonly string[] = [ALL_CLIENTS],
): Principal {
  return {
    person: { id, displayName: id, roles: [...roles], clients: [...clients], source: 'local' },
    capabilities: capabilitiesOf(roles, clients),
    clients,
  };
}

/** A call context for a person holding `roles` (default: an operator) on seat `seat`. */
export function testContext(
  roles: readonly Role[] = ['operator'],
  seat = 'test',
  id = 'tester',
): CallContext {
  const principal = testPrincipal(roles, id);
  return {
    principal,
    seat,
    actor: `${id} @ ${seat}`,
    role: roles.join('+'),
    correlationId: 'test',
    session: { token: null },
  };
}

/** Authenticates every seat as a person holding `roles`. */
export function authenticateAs(roles: readonly Role[], id = 'tester'): Authenticate {
  return () => Promise.resolve({ ok: true, principal: testPrincipal(roles, id) });
}
