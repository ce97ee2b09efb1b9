/**
 * The signed-in person's self-service channels: their own password and their own TOTP.
 *
 * Nothing secret goes through a mutation's variables or data: TanStack keeps both in its mutation
 * cache (and hands them to every cache subscriber, the session upkeep among them) long after the
 * request. The passwords are read from their form fields by a `take` function that empties the
 * fields in the same step; the TOTP enrolment (its secret) is handed to the caller's callback and
 * the mutation itself holds nothing.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { SessionInfo } from '../../../../shared/api';
import { useApi } from '../../lib/api/api-context';
import { call } from '../../lib/api/bridge-error';
import { applySession } from '../../lib/session/session-context';

/** The two passwords of a change, read from their fields (which are emptied as they are read). */
export type TakePasswords = () => { readonly current: string; readonly next: string };

/** What an authenticator app needs: the `otpauth://` link and the same secret in base32. */
export interface TotpEnrolment {
  readonly uri: string;
  readonly secret: string;
}

/** `session.changePassword`; the passwords come from `take` when the request leaves. */
export function useChangePassword(take: TakePasswords) {
  const { transport } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call(transport.bridge, 'session.changePassword', take()),
    onSuccess: (session: SessionInfo) => applySession(queryClient, session),
  });
}

/** `session.totpBegin`; the enrolment goes to `received`, never into the mutation cache. */
export function useTotpBegin(received: (enrolment: TotpEnrolment) => void) {
  const { transport } = useApi();
  return useMutation({
    mutationFn: async (): Promise<void> => {
      received(await call(transport.bridge, 'session.totpBegin', {}));
    },
  });
}

/** `session.totpConfirm` with the first code from the app (a code works once, so it may be kept). */
export function useTotpConfirm() {
  const { transport } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => call(transport.bridge, 'session.totpConfirm', { code }),
    onSuccess: (session: SessionInfo) => applySession(queryClient, session),
  });
}
