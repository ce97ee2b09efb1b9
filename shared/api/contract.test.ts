import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { channels, CHANNEL_NAMES, events, EVENT_NAMES } from './contract';

describe('the contract', () => {
  it('pins every channel, its access and the JSON schema of every payload', () => {
    const surface = {
      channels: Object.fromEntries(
        CHANNEL_NAMES.map((name) => [
          name,
          {
            access: channels[name].access,
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
  it('opens only the session channels and the app identity to a seat nobody signed in on', () => {
    const open = CHANNEL_NAMES.filter((n) => channels[n].access === 'public');
    expect(open.sort()).toEqual(
      [
        'app.info',
        'session.lock',
        'session.oidcFinish',
        'session.oidcStart',
        'session.resume',
        'session.signIn',
        'session.signOut',
        'session.status',
        'session.unlock',
      ].sort(),
    );
  });
  it('asks a capability that changes something of every channel whose name says it acts', () => {
    const reads =
      /\.(list|get|info|sources|catalog|tagValues|query|scenarios|history|directory|draft|inventory|device|templates|hostKey|export|import)$/;
    for (const name of CHANNEL_NAMES) {
      if (name.startsWith('session.') || reads.test(name)) continue;
      expect([name, channels[name].access]).not.toEqual([name, 'view']);
      expect([name, channels[name].access]).not.toEqual([name, 'view.infrastructure']);
    }
  });
});
