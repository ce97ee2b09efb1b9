import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlarmSeverity } from '../../../../shared/domain/alarm';
import {
  createAlarmSoundPlayer,
  DEFAULT_SOUND_PREFERENCES,
  DEFAULT_SOUNDING,
  readSoundPreferences,
  SOUND_PATTERNS,
  soundDecision,
  SOUND_STORAGE_KEY,
  type SoundInput,
} from './alarm-sound';

const NOW = 1_800_000_000_000;

function outstanding(counts: Partial<Record<AlarmSeverity, number>>): Record<AlarmSeverity, number> {
  return { critical: 0, major: 0, minor: 0, warning: 0, info: 0, ...counts };
}

function input(overrides: Partial<SoundInput> = {}): SoundInput {
  return {
    outstanding: outstanding({ critical: 1, minor: 2 }),
    sounding: DEFAULT_SOUNDING,
    preferences: DEFAULT_SOUND_PREFERENCES,
    now: NOW,
    wall: false,
    ...overrides,
  };
}

describe('soundDecision', () => {
  it('sounds the worst severity that has an outstanding alarm', () => {
    expect(soundDecision(input())).toEqual({ kind: 'play', severity: 'critical' });
    expect(soundDecision(input({ outstanding: outstanding({ major: 1, minor: 4 }) }))).toEqual({
      kind: 'play',
      severity: 'major',
    });
  });

  it('stops when the alarm is acknowledged on any seat: it follows the shared counts', () => {
    const before = soundDecision(input({ outstanding: outstanding({ critical: 1 }) }));
    expect(before).toEqual({ kind: 'play', severity: 'critical' });
    // Another seat acknowledged it: the engine's counts no longer have it outstanding.
    expect(soundDecision(input({ outstanding: outstanding({}) }))).toEqual({ kind: 'quiet' });
  });

  it('keeps warning and info silent by default, and is quiet while nothing is known', () => {
    expect(soundDecision(input({ outstanding: outstanding({ warning: 3, info: 9 }) }))).toEqual({
      kind: 'quiet',
    });
    expect(soundDecision(input({ outstanding: null }))).toEqual({ kind: 'quiet' });
    expect(
      soundDecision(input({ outstanding: outstanding({ warning: 1 }), sounding: new Set(['warning']) })),
    ).toEqual({ kind: 'play', severity: 'warning' });
  });

  it('holds the sound on a muted seat until unmuted', () => {
    const muted = { ...DEFAULT_SOUND_PREFERENCES, muted: true };
    expect(soundDecision(input({ preferences: muted }))).toEqual({
      kind: 'held',
      severity: 'critical',
      reason: 'muted',
    });
    expect(soundDecision(input({ preferences: muted, outstanding: outstanding({}) }))).toEqual({
      kind: 'quiet',
    });
  });

  it('holds the sound while the seat silenced it, and sounds again when the time is up', () => {
    const silenced = { ...DEFAULT_SOUND_PREFERENCES, silencedUntil: NOW + 15 * 60_000 };
    expect(soundDecision(input({ preferences: silenced }))).toMatchObject({
      kind: 'held',
      reason: 'silenced',
    });
    expect(soundDecision(input({ preferences: silenced, now: NOW + 15 * 60_000 }))).toEqual({
      kind: 'play',
      severity: 'critical',
    });
  });

  it('keeps a wall display quiet unless it is enabled there', () => {
    expect(soundDecision(input({ wall: true }))).toMatchObject({ kind: 'held', reason: 'wall' });
    expect(
      soundDecision(input({ wall: true, preferences: { ...DEFAULT_SOUND_PREFERENCES, onWall: true } })),
    ).toEqual({ kind: 'play', severity: 'critical' });
  });
});

describe('readSoundPreferences', () => {
  it('reads what was stored and ignores anything else', () => {
    const store = (raw: string) => ({
      getItem: (key: string) => (key === SOUND_STORAGE_KEY ? raw : null),
      setItem: () => undefined,
    });
    expect(readSoundPreferences(store('{"muted":true,"silencedUntil":12,"onWall":true}'))).toEqual({
      muted: true,
      silencedUntil: 12,
      onWall: true,
    });
    expect(readSoundPreferences(store('{"muted":"yes","silencedUntil":"soon"}'))).toEqual(
      DEFAULT_SOUND_PREFERENCES,
    );
    expect(readSoundPreferences(store('not json'))).toEqual(DEFAULT_SOUND_PREFERENCES);
    expect(readSoundPreferences(null)).toEqual(DEFAULT_SOUND_PREFERENCES);
  });
});

/** Just enough of an AudioContext to count the tones a player starts. */
function fakeAudio() {
  const started: number[] = [];
  const param = () => ({ value: 0, setValueAtTime: vi.fn(), linearRampToValueAtTime: vi.fn() });
  const context = {
    state: 'suspended' as AudioContextState,
    currentTime: 0,
    destination: {},
    resume: vi.fn(() => {
      context.state = 'running';
      return Promise.resolve();
    }),
    close: vi.fn(() => Promise.resolve()),
    createGain: () => ({ gain: param(), connect: (target: unknown) => target }),
    createOscillator: () => {
      const frequency = param();
      return {
        type: 'sine',
        frequency,
        connect: (target: unknown) => target,
        start: () => started.push(frequency.value),
        stop: vi.fn(),
      };
    },
  };
  return { context, started };
}

describe('createAlarmSoundPlayer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('plays nothing before a gesture unlocks audio, then repeats the pattern until stopped', async () => {
    const audio = fakeAudio();
    const player = createAlarmSoundPlayer(() => audio.context as unknown as AudioContext, true);
    player.play('critical');
    expect(audio.started).toEqual([]);

    expect(await player.unlock()).toBe(true);
    const tones = SOUND_PATTERNS.critical.tones.length;
    expect(audio.started).toHaveLength(tones);
    vi.advanceTimersByTime(SOUND_PATTERNS.critical.repeatMs);
    expect(audio.started).toHaveLength(2 * tones);

    player.play(null);
    vi.advanceTimersByTime(10 * SOUND_PATTERNS.critical.repeatMs);
    expect(audio.started).toHaveLength(2 * tones);
    player.dispose();
    expect(audio.context.close).toHaveBeenCalled();
  });

  it('starts without a gesture only where the browser lets audio run', async () => {
    const refused = fakeAudio();
    const player = createAlarmSoundPlayer(() => refused.context as unknown as AudioContext, true);
    player.play('major');
    expect(await player.probe()).toBe(false);
    expect(refused.started).toEqual([]);

    const allowed = fakeAudio();
    allowed.context.state = 'running';
    const kiosk = createAlarmSoundPlayer(() => allowed.context as unknown as AudioContext, true);
    kiosk.play('major');
    expect(await kiosk.probe()).toBe(true);
    expect(allowed.started).toEqual([784, 587]);
    kiosk.dispose();
    player.dispose();
  });

  it('says so when the browser has no Web Audio', async () => {
    const player = createAlarmSoundPlayer(() => null, false);
    expect(player.available).toBe(false);
    expect(await player.unlock()).toBe(false);
    expect(await player.probe()).toBe(false);
  });
});
