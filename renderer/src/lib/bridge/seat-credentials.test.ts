import { describe, expect, it, vi } from 'vitest';
import {
  OPERATOR_KEY_STORAGE_KEY,
  SEAT_TOKEN_STORAGE_KEY,
  takeSeatCredentials,
  webSocketUrl,
} from './seat-credentials';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
    removeItem: (key: string) => void data.delete(key),
  };
}

const location = (hash: string) => ({ hash, pathname: '/console', search: '?wall=1' });

describe('takeSeatCredentials', () => {
  it('takes the token and operator key from the fragment, stores them and removes them from the address bar', () => {
    const storage = memoryStorage();
    const history = { state: { keep: true }, replaceState: vi.fn() };
    expect(takeSeatCredentials(location('#token=abc%2B1&key=op-key'), history, storage)).toEqual({
      token: 'abc+1',
      operatorKey: 'op-key',
    });
    expect(history.replaceState).toHaveBeenCalledWith({ keep: true }, '', '/console?wall=1');
    expect(storage.data.get(SEAT_TOKEN_STORAGE_KEY)).toBe('abc+1');
    expect(storage.data.get(OPERATOR_KEY_STORAGE_KEY)).toBe('op-key');
  });

  it('reads them back from sessionStorage after a reload, leaving the URL alone', () => {
    const storage = memoryStorage({ [SEAT_TOKEN_STORAGE_KEY]: 'abc', [OPERATOR_KEY_STORAGE_KEY]: 'op' });
    const history = { state: null, replaceState: vi.fn() };
    expect(takeSeatCredentials(location(''), history, storage)).toEqual({ token: 'abc', operatorKey: 'op' });
    expect(history.replaceState).not.toHaveBeenCalled();
  });

  it('starts a read-only session when a new link carries a token without a key', () => {
    const storage = memoryStorage({ [SEAT_TOKEN_STORAGE_KEY]: 'old', [OPERATOR_KEY_STORAGE_KEY]: 'op' });
    const history = { state: null, replaceState: vi.fn() };
    expect(takeSeatCredentials(location('#token=new'), history, storage)).toEqual({
      token: 'new',
      operatorKey: null,
    });
    expect(storage.data.has(OPERATOR_KEY_STORAGE_KEY)).toBe(false);
  });

  it('keeps other fragment parameters and works without storage', () => {
    const history = { state: null, replaceState: vi.fn() };
    expect(takeSeatCredentials(location('#token=t&view=wall'), history, null)).toEqual({
      token: 't',
      operatorKey: null,
    });
    expect(history.replaceState).toHaveBeenCalledWith(null, '', '/console?wall=1#view=wall');
    expect(takeSeatCredentials(location(''), history, null)).toEqual({ token: null, operatorKey: null });
  });
});

describe('webSocketUrl', () => {
  it('points at /ws on the page origin with the token encoded', () => {
    expect(webSocketUrl('http://127.0.0.1:8080', 'a b&c')).toBe('ws://127.0.0.1:8080/ws?token=a%20b%26c');
    expect(webSocketUrl('https://vigie.example', 't')).toBe('wss://vigie.example/ws?token=t');
  });
});
