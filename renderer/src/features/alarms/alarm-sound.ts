/**
 * The alarm sound. What sounds follows the shared alarm state, never a local click: the worst
 * severity that still has an outstanding alarm sounds, over and over, until no outstanding alarm of
 * a sounding severity is left; an acknowledgement on any seat therefore silences every seat. A seat
 * may mute itself (until unmuted) or silence the sound for a few minutes; wall displays stay quiet
 * unless told otherwise.
 *
 * `soundDecision` is the pure part; `createAlarmSoundPlayer` is a thin Web Audio player that makes
 * the tones (no sound files): a distinct rhythm per severity, so an operator tells them apart
 * without looking (after IEC 60601-1-8's idea of priority by pattern, not by pitch alone).
 */
import { ALARM_SEVERITIES, type AlarmSeverity } from '../../../../shared/domain/alarm';

/** Severities that sound unless the seat says otherwise: warning and info are silent. */
export const DEFAULT_SOUNDING: ReadonlySet<AlarmSeverity> = new Set<AlarmSeverity>([
  'critical',
  'major',
  'minor',
]);

/** A seat's own sound settings (kept on the workstation). */
export interface SoundPreferences {
  /** Muted until unmuted. */
  readonly muted: boolean;
  /** Silenced until this time (epoch ms); null when not silenced. */
  readonly silencedUntil: number | null;
  /** Sound on the wall display too (off by default: a wall has no one to acknowledge). */
  readonly onWall: boolean;
}

export const DEFAULT_SOUND_PREFERENCES: SoundPreferences = {
  muted: false,
  silencedUntil: null,
  onWall: false,
};

export interface SoundInput {
  /** Outstanding alarms per severity, as the engine counts them; null while unknown. */
  readonly outstanding: Readonly<Record<AlarmSeverity, number>> | null;
  readonly sounding: ReadonlySet<AlarmSeverity>;
  readonly preferences: SoundPreferences;
  readonly now: number;
  /** This seat shows the wall display. */
  readonly wall: boolean;
}

export type SoundDecision =
  /** Nothing outstanding of a sounding severity (or nothing known yet). */
  | { readonly kind: 'quiet' }
  | { readonly kind: 'play'; readonly severity: AlarmSeverity }
  /** Something should sound, but this seat holds it back. */
  | {
      readonly kind: 'held';
      readonly severity: AlarmSeverity;
      readonly reason: 'muted' | 'silenced' | 'wall';
    };

/** What this seat should sound now. */
export function soundDecision(input: SoundInput): SoundDecision {
  const { outstanding, sounding, preferences } = input;
  if (outstanding === null) return { kind: 'quiet' };
  const severity = ALARM_SEVERITIES.find((s) => sounding.has(s) && outstanding[s] > 0);
  if (severity === undefined) return { kind: 'quiet' };
  if (input.wall && !preferences.onWall) return { kind: 'held', severity, reason: 'wall' };
  if (preferences.muted) return { kind: 'held', severity, reason: 'muted' };
  if (preferences.silencedUntil !== null && input.now < preferences.silencedUntil)
    return { kind: 'held', severity, reason: 'silenced' };
  return { kind: 'play', severity };
}

export interface Tone {
  readonly frequency: number;
  readonly startMs: number;
  readonly durationMs: number;
}

export interface SoundPattern {
  readonly wave: OscillatorType;
  readonly tones: readonly Tone[];
  /** The pattern starts again this long after it started. */
  readonly repeatMs: number;
}

/** Critical: three fast high beeps, often. Major: a falling two-tone. Minor: one low beep, seldom. */
export const SOUND_PATTERNS: Readonly<Record<AlarmSeverity, SoundPattern>> = {
  critical: {
    wave: 'square',
    tones: [
      { frequency: 1046, startMs: 0, durationMs: 140 },
      { frequency: 1046, startMs: 220, durationMs: 140 },
      { frequency: 1046, startMs: 440, durationMs: 140 },
    ],
    repeatMs: 1_500,
  },
  major: {
    wave: 'triangle',
    tones: [
      { frequency: 784, startMs: 0, durationMs: 260 },
      { frequency: 587, startMs: 320, durationMs: 260 },
    ],
    repeatMs: 3_000,
  },
  minor: { wave: 'sine', tones: [{ frequency: 523, startMs: 0, durationMs: 320 }], repeatMs: 8_000 },
  warning: { wave: 'sine', tones: [{ frequency: 440, startMs: 0, durationMs: 200 }], repeatMs: 20_000 },
  info: { wave: 'sine', tones: [{ frequency: 392, startMs: 0, durationMs: 150 }], repeatMs: 60_000 },
};

const PEAK_GAIN = 0.25;
const RAMP_S = 0.012;

export interface AlarmSoundPlayer {
  /** Sounds this severity's pattern until told otherwise; null stops. */
  play(severity: AlarmSeverity | null): void;
  /** Call from a user gesture: starts (or resumes) audio. True when audio runs. */
  unlock(): Promise<boolean>;
  /** Without a gesture: true when the browser lets audio run anyway (Electron, a kiosk wall). */
  probe(): Promise<boolean>;
  /** Whether this browser can make sound at all. */
  readonly available: boolean;
  dispose(): void;
}

function browserAudioContext(): AudioContext | null {
  return typeof AudioContext === 'undefined' ? null : new AudioContext();
}

function sound(context: AudioContext, pattern: SoundPattern): void {
  const base = context.currentTime + 0.02;
  for (const tone of pattern.tones) {
    const start = base + tone.startMs / 1000;
    const end = start + tone.durationMs / 1000;
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = pattern.wave;
    oscillator.frequency.value = tone.frequency;
    // A short attack and release: no click at either end of the tone.
    gain.gain.setValueAtTime(0, start);
    gain.gain.linearRampToValueAtTime(PEAK_GAIN, start + RAMP_S);
    gain.gain.setValueAtTime(PEAK_GAIN, end - RAMP_S);
    gain.gain.linearRampToValueAtTime(0, end);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start);
    oscillator.stop(end + 0.01);
  }
}

/**
 * The player owns its repeat timer and its audio context; `dispose` stops both. Until `unlock`
 * succeeds it only remembers what to play (browsers refuse audio before a user gesture).
 */
export function createAlarmSoundPlayer(
  makeContext: () => AudioContext | null = browserAudioContext,
  canMake: boolean = typeof AudioContext !== 'undefined',
): AlarmSoundPlayer {
  let context: AudioContext | null = null;
  let wanted: AlarmSeverity | null = null;
  let playing: AlarmSeverity | null = null;
  let timer: number | null = null;

  function stop(): void {
    if (timer !== null) window.clearInterval(timer);
    timer = null;
    playing = null;
  }

  function start(): void {
    if (wanted === playing) return;
    stop();
    const severity = wanted;
    if (severity === null || context === null || context.state !== 'running') return;
    const ready = context;
    const pattern = SOUND_PATTERNS[severity];
    sound(ready, pattern);
    timer = window.setInterval(() => sound(ready, pattern), pattern.repeatMs);
    playing = severity;
  }

  return {
    available: canMake,
    play(severity) {
      wanted = severity;
      start();
    },
    async unlock() {
      if (!canMake) return false;
      context ??= makeContext();
      if (context === null) return false;
      if (context.state === 'suspended') await context.resume();
      start();
      return context.state === 'running';
    },
    probe() {
      if (!canMake) return Promise.resolve(false);
      // Made before any gesture, a context stays suspended where autoplay is refused.
      context ??= makeContext();
      start();
      return Promise.resolve(context?.state === 'running');
    },
    dispose() {
      stop();
      wanted = null;
      void context?.close();
      context = null;
    },
  };
}

/** Where a seat keeps its sound settings (localStorage of the workstation). */
export const SOUND_STORAGE_KEY = 'vigie.alarmSound';

type SoundStorage = Pick<Storage, 'getItem' | 'setItem'>;

export function readSoundPreferences(storage: SoundStorage | null): SoundPreferences {
  const raw = storage?.getItem(SOUND_STORAGE_KEY) ?? null;
  if (raw === null) return DEFAULT_SOUND_PREFERENCES;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return DEFAULT_SOUND_PREFERENCES;
    const record = parsed as Record<string, unknown>;
    const until = record['silencedUntil'];
    return {
      muted: record['muted'] === true,
      silencedUntil: typeof until === 'number' && Number.isFinite(until) ? until : null,
      onWall: record['onWall'] === true,
    };
  } catch (err: unknown) {
    if (err instanceof SyntaxError) return DEFAULT_SOUND_PREFERENCES;
    throw err;
  }
}

export function storeSoundPreferences(storage: SoundStorage | null, preferences: SoundPreferences): void {
  try {
    storage?.setItem(SOUND_STORAGE_KEY, JSON.stringify(preferences));
  } catch (err: unknown) {
    // A full or locked storage costs the memory of the setting across a reload, not the setting.
    if (!(err instanceof DOMException)) throw err;
    console.warn('[vigie] the alarm sound setting could not be saved', err);
  }
}
