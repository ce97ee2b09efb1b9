/**
 * Signing in and out, locking and unlocking. Each applies the session the engine returns at once
 * (no wait for the next poll); a sign-in keeps the resume token for this tab, a sign-out drops it.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { SessionInfo, SignInResult } from '../../../../shared/api';
import { useApi } from '../api/api-context';
import { apiErrorOf, call } from '../api/bridge-error';
import { applySession, refetchPersonData, useSessionContext } from './session-context';

export interface PasswordSignIn {
  readonly login: string;
  readonly password: string;
  /** Six digits, once the engine asked for them (TOTP_REQUIRED). */
  readonly totp?: string;
}

function useSignedIn() {
  const queryClient = useQueryClient();
  const { tokens, setExpired } = useSessionContext();
  return async (result: SignInResult): Promise<void> => {
    if (result.resumeToken !== null) tokens.set(result.resumeToken);
    setExpired(false);
    await applySession(queryClient, result.session);
    await refetchPersonData(queryClient);
  };
}

export function useSignIn() {
  const { transport } = useApi();
  const signedIn = useSignedIn();
  return useMutation({
    mutationFn: (request: PasswordSignIn) =>
      call(transport.bridge, 'session.signIn', {
        method: 'password',
        login: request.login,
        password: request.password,
        ...(request.totp === undefined ? {} : { totp: request.totp }),
      }),
    onSuccess: signedIn,
  });
}

export function useSignOut() {
  const { transport } = useApi();
  const queryClient = useQueryClient();
  const { tokens, endingOnPurposeRef } = useSessionContext();
  return useMutation({
    mutationFn: () => {
      endingOnPurposeRef.current = true;
      tokens.clear();
      return call(transport.bridge, 'session.signOut', {});
    },
    onSuccess: async (session: SessionInfo) => {
      await applySession(queryClient, session);
      await refetchPersonData(queryClient);
    },
    onError: () => {
      endingOnPurposeRef.current = false;
    },
  });
}

export function useLock() {
  const { transport } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call(transport.bridge, 'session.lock', {}),
    onSuccess: (session: SessionInfo) => applySession(queryClient, session),
  });
}

export function useUnlock() {
  const { transport } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: { password: string; totp?: string }) =>
      call(transport.bridge, 'session.unlock', {
        password: request.password,
        ...(request.totp === undefined ? {} : { totp: request.totp }),
      }),
    onSuccess: async (session: SessionInfo) => {
      await applySession(queryClient, session);
      // Requests refused while the seat was locked left their queries in error.
      await refetchPersonData(queryClient);
    },
  });
}

/** Single sign-on: the identity provider's page to open, and the wait for its answer. */
export function useOidcStart() {
  const { transport } = useApi();
  return useMutation({ mutationFn: () => call(transport.bridge, 'session.oidcStart', {}) });
}

export function useOidcFinish() {
  const { transport } = useApi();
  const signedIn = useSignedIn();
  return useMutation({
    mutationFn: async ({ flowId, cancelled }: { flowId: string; cancelled: () => boolean }) => {
      // The person may take minutes at the provider; an invoke gives up sooner (UPSTREAM_TIMEOUT),
      // so keep waiting on the same flow until it settles or the person gives up.
      for (;;) {
        try {
          return await call(transport.bridge, 'session.oidcFinish', { flowId });
        } catch (err: unknown) {
          if (apiErrorOf(err)?.code !== 'UPSTREAM_TIMEOUT' || cancelled()) throw err;
        }
      }
    },
    onSuccess: signedIn,
  });
}
