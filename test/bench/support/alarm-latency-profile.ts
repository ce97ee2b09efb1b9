/**
 * CPU profiles for the alarm latency benchmark (VIGIE_BENCH_PROFILE=<dir>): this process (the
 * engine) through node:inspector, over the load; the console's page through a Chromium trace
 * (timeline events and V8's sampling profiler), from the load to the end of the wait. A trace is
 * collected by the browser process, so it is taken even when the page's main thread is too busy
 * to answer the DevTools protocol (a page profile through `Profiler.stop` would wait for it).
 * Written as engine.cpuprofile and page-trace.json (open them in Chrome DevTools' Performance
 * panel or speedscope) and summed up: the functions with the most self and total time, and for
 * the page the main thread's time per kind of work (script, style, layout, paint, GC).
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { basename, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';

interface CallFrame {
  readonly functionName: string;
  /** Absent in a trace's profile chunks for native and VM frames. */
  readonly url?: string;
  readonly lineNumber?: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

/** A profiler over a window: `stop` returns the profile (null when the target did not answer). */
export interface Profiler {
  stop(): Promise<CpuProfile | null>;
}

/** Profiles this process (the engine runs in it). */
export async function profileThisProcess(): Promise<Profiler> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      return profile as unknown as CpuProfile;
    },
  };
}

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly id?: string;
  readonly args?: {
    readonly name?: string;
    readonly data?: {
      readonly cpuProfile?: {
        readonly nodes?: readonly (ProfileNode & { readonly parent?: number })[];
        readonly samples?: readonly number[];
      };
      readonly timeDeltas?: readonly number[];
    };
  };
}

/** What the page's trace says: its main thread's time per kind of work, and its JS profile. */
export interface PageTrace {
  readonly raw: Buffer;
  /** Wall time covered by the main thread's events, ms. */
  readonly spanMs: number;
  /** Inclusive ms per event name on the main thread (nested events count in their parents too). */
  readonly work: readonly (readonly [string, number, number])[];
  readonly profile: CpuProfile | null;
}

const MAIN_THREAD_WORK = [
  'RunTask',
  'EventDispatch',
  'FunctionCall',
  'TimerFire',
  'FireAnimationFrame',
  'UpdateLayoutTree',
  'Layout',
  'PrePaint',
  'Paint',
  'Layerize',
  'Commit',
  'HitTest',
  'MajorGC',
  'MinorGC',
  'V8.GCFinalizeMC',
  'V8.GCScavenger',
];

/** Traces the page's renderer (timeline and JS samples); `stop` returns the summary. */
export async function tracePage(browser: Browser, page: Page): Promise<{ stop(): Promise<PageTrace> }> {
  await browser.startTracing(page, {
    categories: [
      'devtools.timeline',
      'disabled-by-default-devtools.timeline',
      'disabled-by-default-v8.cpu_profiler',
    ],
  });
  return {
    async stop() {
      const raw = await browser.stopTracing();
      const parsed = JSON.parse(raw.toString('utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
      const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
      // The page's main thread: the CrRendererMain with the most work.
      const mains = events.filter(
        (e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain',
      );
      let main: { pid: number; tid: number } | null = null;
      let most = -1;
      for (const m of mains) {
        const n = events.filter((e) => e.pid === m.pid && e.tid === m.tid && e.ph === 'X').length;
        if (n > most) {
          most = n;
          main = { pid: m.pid, tid: m.tid };
        }
      }
      const work = new Map<string, { ms: number; count: number }>();
      let first = Number.POSITIVE_INFINITY;
      let last = Number.NEGATIVE_INFINITY;
      for (const e of events) {
        if (!main || e.pid !== main.pid || e.tid !== main.tid || e.ph !== 'X' || e.dur === undefined)
          continue;
        first = Math.min(first, e.ts);
        last = Math.max(last, e.ts + e.dur);
        if (!MAIN_THREAD_WORK.includes(e.name)) continue;
        const w = work.get(e.name) ?? { ms: 0, count: 0 };
        w.ms += e.dur / 1000;
        w.count += 1;
        work.set(e.name, w);
      }
      // V8's samples come as a Profile event and ProfileChunk events of the same id.
      const chunks = events.filter((e) => e.name === 'ProfileChunk' && main !== null && e.pid === main.pid);
      const nodes = new Map<number, ProfileNode & { parent?: number }>();
      const samples: number[] = [];
      const deltas: number[] = [];
      const ids = new Map<string, number>();
      for (const c of chunks) ids.set(c.id ?? '', (ids.get(c.id ?? '') ?? 0) + 1);
      const busiest = [...ids].sort((a, b) => b[1] - a[1])[0]?.[0];
      for (const c of chunks) {
        if ((c.id ?? '') !== busiest) continue;
        for (const n of c.args?.data?.cpuProfile?.nodes ?? []) nodes.set(n.id, n);
        samples.push(...(c.args?.data?.cpuProfile?.samples ?? []));
        deltas.push(...(c.args?.data?.timeDeltas ?? []));
      }
      const children = new Map<number, number[]>();
      for (const n of nodes.values())
        if (n.parent !== undefined) children.set(n.parent, [...(children.get(n.parent) ?? []), n.id]);
      const profile: CpuProfile | null =
        samples.length === 0
          ? null
          : {
              nodes: [...nodes.values()].map((n) => ({
                id: n.id,
                callFrame: n.callFrame,
                children: children.get(n.id) ?? [],
              })),
              startTime: 0,
              endTime: 0,
              samples,
              timeDeltas: deltas,
            };
      return {
        raw,
        spanMs: Number.isFinite(first) ? (last - first) / 1000 : 0,
        work: [...work].sort((a, b) => b[1].ms - a[1].ms).map(([name, w]) => [name, w.ms, w.count] as const),
        profile,
      };
    },
  };
}

function frameName(frame: CallFrame): string {
  const url = frame.url ?? '';
  const where = url === '' ? '' : ` ${basename(url.split('?')[0] ?? '')}:${(frame.lineNumber ?? 0) + 1}`;
  return `${frame.functionName || '(anonymous)'}${where}`;
}

/** The functions with the most self and total time (ms) over the profile, `top` of each. */
export function summarise(profile: CpuProfile, top = 15): { self: string[]; total: string[]; ms: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    // A sample's time is the delta to the next one.
    const dt = (deltas[i + 1] ?? 0) / 1000;
    const id = samples[i];
    const node = id === undefined ? undefined : byId.get(id);
    if (!node || dt <= 0) continue;
    sum += dt;
    const own = frameName(node.callFrame);
    self.set(own, (self.get(own) ?? 0) + dt);
    const counted = new Set<string>();
    for (let at: number | undefined = node.id; at !== undefined; at = parent.get(at)) {
      const n = byId.get(at);
      if (!n) break;
      const name = frameName(n.callFrame);
      if (counted.has(name) || name.startsWith('(root)')) continue;
      counted.add(name);
      total.set(name, (total.get(name) ?? 0) + dt);
    }
  }
  const list = (m: Map<string, number>): string[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([name, t]) =>
          `${t.toFixed(0).padStart(7)} ms ${((t * 100) / Math.max(1, sum)).toFixed(1).padStart(5)} %  ${name}`,
      );
  return { self: list(self), total: list(total), ms: sum };
}

/** Writes the page's trace and prints its summary. */
export async function reportTrace(label: string, trace: PageTrace | null, dir: string): Promise<void> {
  if (!trace) {
    console.log(`\ntrace of ${label}: not taken`);
    return;
  }
  const path = join(dir, 'page-trace.json');
  await writeFile(path, trace.raw);
  console.log(
    `\ntrace of ${label} (${(trace.spanMs / 1000).toFixed(1)} s; ${path}), main thread, inclusive:`,
  );
  for (const [name, ms, count] of trace.work)
    console.log(
      `  ${ms.toFixed(0).padStart(7)} ms ${((ms * 100) / Math.max(1, trace.spanMs)).toFixed(1).padStart(5)} %  ` +
        `${name} (${count.toLocaleString('en')}, mean ${(ms / Math.max(1, count)).toFixed(1)} ms)`,
    );
  await report(`${label}, JavaScript samples`, trace.profile, dir, 'page.cpuprofile');
}

/** Writes the profile and prints its summary. */
export async function report(
  label: string,
  profile: CpuProfile | null,
  dir: string,
  file: string,
): Promise<void> {
  if (!profile) {
    console.log(`\nprofile of ${label}: not taken (the target did not answer)`);
    return;
  }
  const path = join(dir, file);
  await writeFile(path, JSON.stringify(profile));
  const s = summarise(profile);
  console.log(`\nprofile of ${label} (${(s.ms / 1000).toFixed(1)} s sampled; ${path}):`);
  console.log('  most self time:');
  for (const l of s.self) console.log(`  ${l}`);
  console.log('  most total time:');
  for (const l of s.total) console.log(`  ${l}`);
}
