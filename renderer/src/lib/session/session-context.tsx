/**
 * The seat's session (issue 6) as the console sees it: `session.status` through TanStack Query,
 * kept fresh when the link opens, after every sign-in, sign-out, lock and unlock, every
 * SESSION_REFRESH_MS, and whenever any request answers UNAUTHENTICATED (the engine resolves the
 * session on every request, so that answer means it changed under us). The provider also notices
 * a session that ended by itself (expired, signed out elsewhere) so the console can say so.
 */
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { AuthReason, Capability, SessionInfo } from '../../../../shared/api';
import { useApi, useConnectionState } from '../api/api-context';
import { apiErrorOf, call } from '../api/bridge-error';
import { createResumeTokenStore, type ResumeTokenStore } from '../bridge/resume-token';

export const sessionKey = ['session.status'] as const;
/** How often the console asks who is signed in, to notice expiry and locks from elsewhere. */
export const SESSION_REFRESH_MS = 20_000;

/** UNAUTHENTICATED reasons that mean the seat's session changed (the others refuse a sign-in). */
const SESSION_CHANGED: readonly (AuthReason | undefined)[] = [
  'SIGN_IN_REQUIRED',
  'SESSION_EXPIRED',
  'SEAT_LOCKED',
  undefined,
];

interface SessionContextValue {
  readonly tokens: ResumeTokenStore;
  /** The last session ended by itself (expired, signed out elsewhere); cleared by a sign-in. */
  readonly expired: boolean;
  readonly setExpired: (expired: boolean) => void;
  /** Set before this console signs out, so that end is not mistaken for an expiry. */
  readonly endingOnPurposeRef: { current: boolean };
}

const fallback: SessionContextValue = {
  tokens: createResumeTokenStore(null),
  expired: false,
  setExpired: () => undefined,
  endingOnPurposeRef: { current: false },
};

const SessionContext = createContext<SessionContextValue | null>(null);

export function useSessionContext(): SessionContextValue {
  return useContext(SessionContext) ?? fallback;
}

/** The session query; null data while the engine has not said yet. */
export function useSessionQuery() {
  const { transport } = useApi();
  const open = useConnectionState().kind === 'open';
  return useQuery({
    queryKey: sessionKey,
    queryFn: () => call(transport.bridge, 'session.status', {}),
    enabled: open,
    refetchInterval: SESSION_REFRESH_MS,
    refetchIntervalInBackground: true,
  });
}

/** The seat's session, or null while unknown (link not open yet, or the first answer pending). */
export function useSession(): SessionInfo | null {
  return useSessionQuery().data ?? null;
}

/** Whether the person on this seat may do what needs `capability` (false while unknown). */
export function useCan(capability: Capability): boolean {
  const session = useSession();
  return session !== null && session.capabilities.includes(capability);
}

/** Refetches what the person sees after they changed (sign-in, sign-out, unlock): scope may differ. */
export function refetchPersonData(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== sessionKey[0] });
}

/** Applies a session the engine just returned (from a mutation), winning over a poll in flight. */
export async function applySession(queryClient: QueryClient, session: SessionInfo): Promise<void> {
  await queryClient.cancelQueries({ queryKey: sessionKey });
  queryClient.setQueryData(sessionKey, session);
}

function useSessionUpkeep(value: SessionContextValue): void {
  const queryClient = useQueryClient();
  const connection = useConnectionState();
  const { data } = useSessionQuery();
  const { tokens, setExpired, endingOnPurposeRef } = value;

  // A reconnection may have lost or resumed the session: ask again (the first open is the
  // query's own `enabled`).
  const wasOpen = useRef(connection.kind === 'open');
  useEffect(() => {
    const open = connection.kind === 'open';
    if (open && !wasOpen.current) void queryClient.invalidateQueries({ queryKey: sessionKey });
    wasOpen.current = open;
  }, [connection, queryClient]);

  // Any request refused as UNAUTHENTICATED: the session changed; SESSION_EXPIRED says how.
  useEffect(() => {
    const seen = (err: unknown): void => {
      const apiError = apiErrorOf(err);
      if (apiError?.code !== 'UNAUTHENTICATED' || !SESSION_CHANGED.includes(apiError.reason)) return;
      if (apiError.reason === 'SESSION_EXPIRED') {
        tokens.clear();
        setExpired(true);
      }
      void queryClient.invalidateQueries({ queryKey: sessionKey });
    };
    const offQueries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') seen(event.action.error);
    });
    const offMutations = queryClient.getMutationCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') seen(event.action.error);
    });
    return () => {
      offQueries();
      offMutations();
    };
  }, [queryClient, tokens, setExpired]);

  // A session that was there and is gone, without this console signing out, ended by itself.
  const previous = useRef<SessionInfo['state'] | null>(null);
  useEffect(() => {
    if (!data) return;
    const was = previous.current;
    previous.current = data.state;
    if (data.state !== 'anonymous') return;
    const held = tokens.get() !== null;
    if (held) tokens.clear();
    if (endingOnPurposeRef.current) {
      endingOnPurposeRef.current = false;
      return;
    }
    if (held || was === 'signed-in' || was === 'locked') setExpired(true);
  }, [data, tokens, setExpired, endingOnPurposeRef]);
}

function SessionUpkeep({ value }: { value: SessionContextValue }) {
  useSessionUpkeep(value);
  return null;
}

/** Provides the session upkeep; `tokens` defaults to the tab's sessionStorage (`vigie.session`). */
export function SessionProvider({ tokens, children }: { tokens?: ResumeTokenStore; children: ReactNode }) {
  const [store] = useState(() => tokens ?? createResumeTokenStore());
  const [expired, setExpired] = useState(false);
  const endingOnPurposeRef = useRef(false);
  const value = useMemo(() => ({ tokens: store, expired, setExpired, endingOnPurposeRef }), [store, expired]);
  return (
    <SessionContext value={value}>
      <SessionUpkeep value={value} />
      {children}
    </SessionContext>
  );
}
