import { describe, expect, it } from 'vitest';
import { channels, events } from '../../shared/api/contract';
import { CHANNEL_NAMES, EVENT_NAMES } from '../../shared/api/names';

describe('the preload name lists', () => {
  it('CHANNEL_NAMES equals the channels of the contract', () => {
    expect([...CHANNEL_NAMES].sort()).toEqual(Object.keys(channels).sort());
  });

  it('EVENT_NAMES equals the events of the contract', () => {
    expect([...EVENT_NAMES].sort()).toEqual(Object.keys(events).sort());
  });

  it('lists each name once', () => {
    expect(new Set(CHANNEL_NAMES).size).toBe(CHANNEL_NAMES.length);
    expect(new Set(EVENT_NAMES).size).toBe(EVENT_NAMES.length);
  });
});
