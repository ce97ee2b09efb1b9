import { describe, expect, it } from 'vitest';
import {
  MAX_ENGINE_BOOTS,
  TimeWindowTracker,
  checkTimeWindow,
  notionTime,
  type EngineNotion,
} from './net-snmp-trap-receiver-time-window';

const T0 = 1_000_000; // monotonic ms
const s = (seconds: number): number => T0 + seconds * 1000;

describe('checkTimeWindow (RFC 3414 section 3.2 step 7b)', () => {
  it('accepts the first message of an engine and takes its boots and time as the notion', () => {
    const v = checkTimeWindow(undefined, { boots: 5, time: 1_000 }, T0);
    expect(v).toEqual({
      inWindow: true,
      notion: { boots: 5, time: 1_000, latestTime: 1_000, receivedAt: T0 },
    });
  });

  it('advances the notion of time with the local clock between messages', () => {
    const notion: EngineNotion = { boots: 5, time: 1_000, latestTime: 1_000, receivedAt: T0 };
    expect(notionTime(notion, s(0.999))).toBe(1_000);
    expect(notionTime(notion, s(60))).toBe(1_060);
    // A clock read before the notion was set (should not happen) does not go back.
    expect(notionTime(notion, T0 - 5_000)).toBe(1_000);
  });

  it('accepts a later message and moves the notion forward', () => {
    const first = checkTimeWindow(undefined, { boots: 5, time: 1_000 }, T0).notion;
    const v = checkTimeWindow(first, { boots: 5, time: 1_030 }, s(30));
    expect(v.inWindow).toBe(true);
    expect(v.notion).toEqual({ boots: 5, time: 1_030, latestTime: 1_030, receivedAt: s(30) });
  });

  it('accepts a replay of the same message within 150 s, refuses it after', () => {
    const first = checkTimeWindow(undefined, { boots: 5, time: 1_000 }, T0).notion;
    expect(checkTimeWindow(first, { boots: 5, time: 1_000 }, s(150)).inWindow).toBe(true);
    const late = checkTimeWindow(first, { boots: 5, time: 1_000 }, s(151));
    expect(late).toMatchObject({ inWindow: false, why: 'timeBehind', expectedTime: 1_151 });
    // Refusing does not move the notion.
    expect(late.notion).toBe(first);
  });

  it('refuses a message more than 150 s older than the latest, at once', () => {
    const first = checkTimeWindow(undefined, { boots: 5, time: 10_000 }, T0).notion;
    expect(checkTimeWindow(first, { boots: 5, time: 9_850 }, T0).inWindow).toBe(true);
    expect(checkTimeWindow(first, { boots: 5, time: 9_849 }, T0)).toMatchObject({
      inWindow: false,
      why: 'timeBehind',
    });
  });

  it('refuses a message of an earlier boot, whatever its time', () => {
    const first = checkTimeWindow(undefined, { boots: 5, time: 10 }, T0).notion;
    expect(checkTimeWindow(first, { boots: 4, time: 999_999 }, T0)).toMatchObject({
      inWindow: false,
      why: 'bootsBehind',
    });
  });

  it('accepts a reboot of the sender (boots up, time back to small) and then refuses the old boot', () => {
    const first = checkTimeWindow(undefined, { boots: 5, time: 50_000 }, T0).notion;
    const reboot = checkTimeWindow(first, { boots: 6, time: 3 }, s(10));
    expect(reboot.inWindow).toBe(true);
    expect(checkTimeWindow(reboot.notion, { boots: 5, time: 50_010 }, s(11))).toMatchObject({
      inWindow: false,
      why: 'bootsBehind',
    });
  });

  it('refuses every message once boots reached 2147483647, the first one included', () => {
    expect(checkTimeWindow(undefined, { boots: MAX_ENGINE_BOOTS, time: 10 }, T0)).toMatchObject({
      inWindow: false,
      why: 'bootsLatched',
    });
    const first = checkTimeWindow(undefined, { boots: 7, time: 10 }, T0).notion;
    const latched = checkTimeWindow(first, { boots: MAX_ENGINE_BOOTS, time: 10 }, s(1));
    expect(latched).toMatchObject({ inWindow: false, why: 'bootsLatched' });
    expect(checkTimeWindow(latched.notion, { boots: MAX_ENGINE_BOOTS, time: 20 }, s(2)).inWindow).toBe(false);
  });

  it('compares a later time with the highest received, not the locally advanced notion', () => {
    // RFC 3414 7b(1): a sender whose clock runs slow still advances the notion with each message.
    const first = checkTimeWindow(undefined, { boots: 1, time: 100 }, T0).notion;
    const slow = checkTimeWindow(first, { boots: 1, time: 101 }, s(100));
    expect(slow.inWindow).toBe(true);
    expect(slow.notion.receivedAt).toBe(s(100));
  });
});

describe('TimeWindowTracker', () => {
  it('keeps one notion per engine ID', () => {
    const tracker = new TimeWindowTracker();
    expect(tracker.check('800001', { boots: 9, time: 5_000 }, T0).inWindow).toBe(true);
    // Another engine with older values is not compared with the first.
    expect(tracker.check('800002', { boots: 1, time: 10 }, T0).inWindow).toBe(true);
    expect(tracker.check('800001', { boots: 9, time: 10 }, T0).inWindow).toBe(false);
    expect(tracker.size).toBe(2);
  });

  it('forgets the engine heard from least recently beyond its bound', () => {
    const tracker = new TimeWindowTracker(2);
    tracker.check('a', { boots: 3, time: 1_000 }, T0);
    tracker.check('b', { boots: 3, time: 1_000 }, T0);
    tracker.check('a', { boots: 3, time: 1_001 }, T0);
    tracker.check('c', { boots: 3, time: 1_000 }, T0);
    expect(tracker.size).toBe(2);
    // 'b' was forgotten: its old message establishes a new notion; 'a' was kept.
    expect(tracker.check('b', { boots: 1, time: 0 }, T0).inWindow).toBe(true);
    expect(tracker.check('c', { boots: 1, time: 0 }, T0).inWindow).toBe(false);
  });
});
