/**
 * The alarm sound of this seat, for the whole console (every view, not only the alarms view): it
 * plays what `soundDecision` says from the shared alarm counts, and holds the seat's mute and
 * silence settings. Browsers allow audio only after a user gesture: until one happened the
 * controls say "click to enable sound".
 */
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useAlarmList } from '../../lib/api/alarm-queries';
import { useClock, useClockDerived } from '../../lib/clock/clock-context';
import { browserPreferenceStorage } from '../../lib/i18n/locale-preference';
import type { AlarmSeverity } from '../../../../shared/domain/alarm';
import {
  createAlarmSoundPlayer,
  DEFAULT_SOUNDING,
  readSoundPreferences,
  soundDecision,
  storeSoundPreferences,
  type AlarmSoundPlayer,
  type SoundDecision,
  type SoundPreferences,
} from './alarm-sound';

export interface AlarmSound {
  readonly decision: SoundDecision;
  readonly preferences: SoundPreferences;
  /** Audio may play: a user gesture happened on this page, or the browser allows audio without one. */
  readonly allowed: boolean;
  /** This browser can make sound. */
  readonly available: boolean;
  readonly wall: boolean;
  readonly mute: () => void;
  readonly unmute: () => void;
  readonly silence: (minutes: number) => void;
  readonly resume: () => void;
  readonly setOnWall: (on: boolean) => void;
}

const AlarmSoundContext = createContext<AlarmSound | null>(null);

/** The seat's alarm sound, or null outside an AlarmSoundProvider. */
export function useAlarmSound(): AlarmSound | null {
  return useContext(AlarmSoundContext);
}

function stickyActivation(): boolean {
  return typeof navigator !== 'undefined' && navigator.userActivation?.hasBeenActive === true;
}

export interface AlarmSoundProviderProps {
  /** This seat shows the wall display (quiet unless its settings say otherwise). */
  readonly wall: boolean;
  /** Makes the player (tests pass a fake; the console's plays through Web Audio). */
  readonly makePlayer?: () => AlarmSoundPlayer;
  readonly children: ReactNode;
}

export function AlarmSoundProvider({
  wall,
  makePlayer = createAlarmSoundPlayer,
  children,
}: AlarmSoundProviderProps) {
  const list = useAlarmList();
  const clock = useClock();
  const [storage] = useState(browserPreferenceStorage);
  const [preferences, setPreferences] = useState(() => readSoundPreferences(storage));
  const [allowed, setAllowed] = useState(stickyActivation);
  // Disposing only stops it: a remount (StrictMode) starts it again with the next unlock.
  const [player] = useState(makePlayer);
  const wanted = useRef<AlarmSeverity | null>(null);

  const until = preferences.silencedUntil;
  // Re-decides when a silence ends, without re-rendering every second.
  useClockDerived((now) => until !== null && now < until);
  const decision = soundDecision({
    outstanding: list.data?.counts.outstanding ?? null,
    sounding: DEFAULT_SOUNDING,
    preferences,
    now: clock.now(),
    wall,
  });
  const playing = decision.kind === 'play' ? decision.severity : null;

  // The gesture that unlocks audio (unless audio is allowed without one); the player is disposed
  // with the console.
  useEffect(() => {
    player.play(wanted.current);
    const events = ['pointerdown', 'keydown'] as const;
    const stopListening = () => {
      for (const name of events) document.removeEventListener(name, onGesture, true);
    };
    function onGesture(): void {
      setAllowed(true);
      stopListening();
      void player.unlock();
    }
    if (stickyActivation()) void player.unlock();
    else {
      for (const name of events) document.addEventListener(name, onGesture, true);
      void player.probe().then((running) => {
        if (!running) return;
        setAllowed(true);
        stopListening();
      });
    }
    return () => {
      stopListening();
      player.dispose();
    };
  }, [player]);

  useEffect(() => {
    wanted.current = playing;
    player.play(playing);
  }, [player, playing]);

  const update = useCallback(
    (change: Partial<SoundPreferences>) =>
      setPreferences((previous) => {
        const next = { ...previous, ...change };
        storeSoundPreferences(storage, next);
        return next;
      }),
    [storage],
  );

  const value: AlarmSound = {
    decision,
    preferences,
    allowed,
    available: player.available,
    wall,
    mute: () => update({ muted: true }),
    unmute: () => update({ muted: false }),
    silence: (minutes) => update({ silencedUntil: clock.now() + minutes * 60_000 }),
    resume: () => update({ silencedUntil: null }),
    setOnWall: (on) => update({ onWall: on }),
  };
  return <AlarmSoundContext value={value}>{children}</AlarmSoundContext>;
}
