import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlarmSeverity } from '../../../../shared/domain/alarm';
import { countAlarms } from '../../../../shared/domain/alarm';
import { alarmHandlers, fixtureAlarms } from '../../lib/testing/alarm-fixtures';
import { createFakeTransport, ok, type FakeTransport } from '../../lib/testing/fake-transport';
import { fixtureAppInfo, fixtureOverview } from '../../lib/testing/fixtures';
import { renderWithProviders } from '../../lib/testing/render';
import type { AlarmSoundPlayer } from './alarm-sound';
import { AlarmSoundProvider } from './alarm-sound-context';
import { SOUND_STORAGE_KEY } from './alarm-sound';
import { SoundControls } from './sound-controls';
import { Live } from '../../lib/testing/live';

/** Records what the provider asks the player to sound. */
function fakePlayer(autoplay = false) {
  const played: (AlarmSeverity | null)[] = [];
  let unlocks = 0;
  const player: AlarmSoundPlayer = {
    available: true,
    play: (severity) => played.push(severity),
    unlock: () => {
      unlocks += 1;
      return Promise.resolve(true);
    },
    probe: () => Promise.resolve(autoplay),
    dispose: () => undefined,
  };
  return { player, played, unlocks: () => unlocks, last: () => played[played.length - 1] };
}

let transport: FakeTransport;

function setup(wall = false, autoplay = false) {
  const fake = fakePlayer(autoplay);
  transport = createFakeTransport({
    'app.info': () => ok(fixtureAppInfo()),
    'overview.get': () => ok(fixtureOverview()),
    ...alarmHandlers(),
  });
  const result = renderWithProviders(
    <Live>
      <AlarmSoundProvider wall={wall} makePlayer={() => fake.player}>
        <SoundControls />
      </AlarmSoundProvider>
    </Live>,
    { transport },
  );
  return { ...result, fake };
}

const state = () => screen.getByTestId('sound-state').dataset['state'];

beforeEach(() => localStorage.clear());
afterEach(() => {
  cleanup();
  localStorage.clear();
});

describe('the alarm sound of a seat', () => {
  it('sounds the worst outstanding severity and stops when it is acknowledged on another seat', async () => {
    const { fake } = setup();
    await screen.findByText('Sounding: Critical');
    expect(fake.last()).toBe('critical');

    // Another seat acknowledged both critical alarms: the shared counts say so.
    const alarms = fixtureAlarms().map((a) =>
      a.severity === 'critical' || a.severity === 'major' || a.severity === 'minor'
        ? { ...a, state: 'acknowledged' as const, revision: 10 }
        : a,
    );
    await act(async () => {
      transport.emit('alarms.changed', {
        revision: 150,
        alarms,
        counts: countAlarms(alarms),
        escalations: {},
      });
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(fake.last()).toBeNull();
    expect(state()).toBe('on');
  });

  it('asks for a click before the browser may play sound, and unlocks audio on the first gesture', async () => {
    const { fake } = setup();
    await screen.findByText('Sounding: Critical');
    expect(screen.getByTestId('sound-enable').textContent).toBe('Click to enable sound');
    fireEvent.pointerDown(document.body);
    expect(screen.queryByTestId('sound-enable')).toBeNull();
    expect(fake.unlocks()).toBe(1);
  });

  it('needs no click where the browser allows audio without one (Electron, a kiosk wall)', async () => {
    setup(false, true);
    await screen.findByText('Sounding: Critical');
    await vi.waitFor(() => expect(screen.queryByTestId('sound-enable')).toBeNull());
  });

  it('mutes this seat until unmuted, and remembers it', async () => {
    const user = userEvent.setup();
    const { fake } = setup();
    await screen.findByText('Sounding: Critical');
    await user.click(screen.getByTestId('sound-mute'));
    expect(fake.last()).toBeNull();
    expect(state()).toBe('muted');
    expect(screen.getByTestId('sound-mute').getAttribute('aria-pressed')).toBe('true');
    expect(JSON.parse(localStorage.getItem(SOUND_STORAGE_KEY) ?? '{}')).toMatchObject({ muted: true });
    await user.click(screen.getByTestId('sound-mute'));
    expect(fake.last()).toBe('critical');
  });

  it('silences for the chosen minutes, says until when, and sounds again when the time is up', async () => {
    const user = userEvent.setup();
    const { fake, clock } = setup();
    await screen.findByText('Sounding: Critical');
    await user.selectOptions(screen.getByTestId('sound-silence-minutes'), '5');
    await user.click(screen.getByTestId('sound-silence'));
    expect(fake.last()).toBeNull();
    expect(screen.getByTestId('sound-state').textContent).toContain('Sound silenced until 14:15');
    act(() => clock.advance(5 * 60_000));
    expect(fake.last()).toBe('critical');
    expect(state()).toBe('playing');
  });

  it('stays quiet on the wall display unless sound is enabled there', async () => {
    const user = userEvent.setup();
    const { fake } = setup(true);
    await screen.findByText('Sound off on the wall display');
    expect(fake.played.every((severity) => severity === null)).toBe(true);
    await user.click(screen.getByTestId('sound-on-wall'));
    expect(fake.last()).toBe('critical');
  });
});
