/**
 * The administrators' channels through TanStack Query: the account list and the vault listing,
 * and the changes to them, each refreshing its list when it succeeds.
 *
 * Passwords and secret values never go through a mutation's variables: TanStack keeps those in
 * its mutation cache (and hands them to every cache subscriber) long after the request. Each
 * mutation that carries one is given a `take` function instead, which reads the value from its
 * form field and empties the field in the same step, so the value lives only for the call.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Account, RequestIn } from '../../../../shared/api';
import { useApi } from '../../lib/api/api-context';
import { call } from '../../lib/api/bridge-error';

export const accountsKey = ['users.list'] as const;
export const secretsKey = ['secrets.list'] as const;

/** Reads a one-way value (password, secret) from its field and clears the field. */
export type TakeValue = () => string;

export function useAccounts(enabled: boolean) {
  const { transport } = useApi();
  return useQuery({
    queryKey: accountsKey,
    queryFn: () => call(transport.bridge, 'users.list', {}),
    enabled,
  });
}

/** Puts an account the engine returned into the cached list at once (the refetch follows). */
function useAccountChanged() {
  const queryClient = useQueryClient();
  return async (account: Account): Promise<void> => {
    queryClient.setQueryData<{ accounts: Account[] }>(accountsKey, (held) => {
      if (!held) return held;
      const known = held.accounts.some((a) => a.id === account.id);
      return {
        accounts: known
          ? held.accounts.map((a) => (a.id === account.id ? account : a))
          : [...held.accounts, account],
      };
    });
    await queryClient.invalidateQueries({ queryKey: accountsKey });
  };
}

export type NewAccount = Omit<RequestIn<'users.create'>, 'password'>;

/** `users.create`; the first password, for a local account, comes from `takePassword`. */
export function useCreateAccount(takePassword: TakeValue) {
  const { transport } = useApi();
  const changed = useAccountChanged();
  return useMutation({
    mutationFn: (account: NewAccount) => {
      const password = account.source === 'oidc' ? '' : takePassword();
      return call(transport.bridge, 'users.create', {
        ...account,
        ...(password === '' ? {} : { password }),
      });
    },
    onSuccess: changed,
  });
}

export function useUpdateAccount() {
  const { transport } = useApi();
  const changed = useAccountChanged();
  return useMutation({
    mutationFn: (update: RequestIn<'users.update'>) => call(transport.bridge, 'users.update', update),
    onSuccess: changed,
  });
}

export function useSetPassword(takePassword: TakeValue) {
  const { transport } = useApi();
  const changed = useAccountChanged();
  return useMutation({
    mutationFn: (id: string) => call(transport.bridge, 'users.setPassword', { id, password: takePassword() }),
    onSuccess: changed,
  });
}

export function useRemoveTotp() {
  const { transport } = useApi();
  const changed = useAccountChanged();
  return useMutation({
    mutationFn: (id: string) => call(transport.bridge, 'users.removeTotp', { id }),
    onSuccess: changed,
  });
}

export function useSecrets(enabled: boolean) {
  const { transport } = useApi();
  return useQuery({
    queryKey: secretsKey,
    queryFn: () => call(transport.bridge, 'secrets.list', {}),
    enabled,
  });
}

export interface SecretTarget {
  readonly name: string;
  readonly comment: string;
}

/** `secrets.set`; the value comes from `takeValue` (see the file's comment). */
export function useSetSecret(takeValue: TakeValue) {
  const { transport } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ name, comment }: SecretTarget) =>
      call(transport.bridge, 'secrets.set', {
        name,
        value: takeValue(),
        ...(comment.trim() === '' ? {} : { comment: comment.trim() }),
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: secretsKey }),
  });
}

export function useDeleteSecret() {
  const { transport } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ name, comment }: SecretTarget) =>
      call(transport.bridge, 'secrets.delete', {
        name,
        ...(comment.trim() === '' ? {} : { comment: comment.trim() }),
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: secretsKey }),
  });
}
