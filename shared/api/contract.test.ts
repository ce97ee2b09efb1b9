import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { channels, CHANNEL_NAMES, events, EVENT_NAMES, roleAllows } from './contract';

describe('the contract', () => {
  it('pins every channel, its role and the JSON schema of every payload', () => {
    const surface = {
      channels: Object.fromEntries(
        CHANNEL_NAMES.map((name) => [
          name,
          {
            role: channels[name].role,
            request: z.toJSONSchema(channels[name].request, { io: 'input', unrepresentable: 'any' }),
            response: z.toJSONSchema(channels[name].response, { io: 'output', unrepresentable: 'any' }),
          },
        ]),
      ),
      events: Object.fromEntries(
        EVENT_NAMES.map((name) => [name, z.toJSONSchema(events[name], { unrepresentable: 'any' })]),
      ),
    };
    expect(surface).toMatchSnapshot();
  });
  it('names requests area.verb and events area.pastTense', () => {
    for (const name of CHANNEL_NAMES) expect(name).toMatch(/^[a-z]+\.[a-z][A-Za-z]+$/);
    for (const name of EVENT_NAMES) expect(name).toMatch(/^[a-z]+\.[a-z][A-Za-z]+(ed|Changed)$/);
  });
  it('lets an operator do what a viewer may, and not the reverse', () => {
    expect(roleAllows('operator', 'viewer')).toBe(true);
    expect(roleAllows('viewer', 'operator')).toBe(false);
  });
});
