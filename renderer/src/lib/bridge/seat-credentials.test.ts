import { describe, expect, it, vi } from 'vitest';
import {
  LEGACY_OPERATOR_KEY_STORAGE_KEY,
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
  it('takes the token from the fragment, stores it and removes it from the address bar', () => {
    const storage = memoryStorage();
    const history = { state: { keep: true }, replaceState: vi.fn() };
    expect(takeSeatCredentials(location('#token=abc%2B1'), history, storage)).toEqual({ token: 'abc+1' });
    expect(history.replaceState).toHaveBeenCalledWith({ keep: true }, '', '/console?wall=1');
    expect(storage.data.get(SEAT_TOKEN_STORAGE_KEY)).toBe('abc+1');
  });

  it("ignores an old link's operator key: wiped from the address bar and from storage, never returned", () => {
    const storage = memoryStorage({ [LEGACY_OPERATOR_KEY_STORAGE_KEY]: 'old-key' });
    const history = { state: null, replaceState: vi.fn() };
    expect(takeSeatCredentials(location('#token=t&key=op-key'), history, storage)).toEqual({ token: 't' });
    expect(history.replaceState).toHaveBeenCalledWith(null, '', '/console?wall=1');
    expect([...storage.data.keys()]).toEqual([SEAT_TOKEN_STORAGE_KEY]);
    expect([...storage.data.values()]).not.toContain('op-key');
  });

  it('reads the token back from sessionStorage after a reload, leaving the URL alone', () => {
    const storage = memoryStorage({ [SEAT_TOKEN_STORAGE_KEY]: 'abc' });
    const history = { state: null, replaceState: vi.fn() };
    expect(takeSeatCredentials(location(''), history, storage)).toEqual({ token: 'abc' });
    expect(history.replaceState).not.toHaveBeenCalled();
  });

  it('keeps other fragment parameters and works without storage', () => {
    const history = { state: null, replaceState: vi.fn() };
    expect(takeSeatCredentials(location('#token=t&view=wall'), history, null)).toEqual({ token: 't' });
    expect(history.replaceState).toHaveBeenCalledWith(null, '', '/console?wall=1#view=wall');
    expect(takeSeatCredentials(location(''), history, null)).toEqual({ token: null });
  });
});

describe('webSocketUrl', () => {
  it('points at /ws on the page origin with the token encoded', () => {
    expect(webSocketUrl('http://127.0.0.1:8080', 'a b&c')).toBe('ws://127.0.0.1:8080/ws?token=a%20b%26c');
    expect(webSocketUrl('https://vigie.example', 't')).toBe('wss://vigie.example/ws?token=t');
  });
});
