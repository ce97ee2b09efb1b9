/**
 * The in-page half of the alarm latency benchmark (alarm-latency.bench.ts), bundled for Chromium
 * with esbuild and evaluated in the console's page once its alarm list is shown (through the
 * DevTools protocol: the console's Content-Security-Policy refuses inline scripts, not that).
 *
 * A MutationObserver on the document notes, for every alarm row (`tr[data-testid="alarm-row"]`),
 * each value its `data-severity` and `data-state` take, with the time the observer saw it
 * (`performance.timeOrigin + performance.now()`: the DOM commit React made, before layout and
 * paint) and the time of the second animation frame after it (the frame that lays out and paints
 * the change has run by then: an upper bound of "painted", at most a frame late when frames are
 * short). Rows React moves (a new severity changes the order) come as removals and additions:
 * an added row's values count too. Long tasks (> 50 ms) are noted as well.
 *
 * The list is virtualised: only the rows in view (plus a margin) are in the DOM. Each value is
 * pushed with its row's place in the list (`aria-rowindex`, read without layout), and `start`
 * reports the scroll viewport (its scroll offset, height, the header's and a row's height) so
 * the bench can tell a row shown in view from one rendered in the margin only.
 *
 * Everything noted is pushed to the bench as it happens, through bindings the bench exposes
 * (`page.exposeBinding`), rather than read at the end: a console whose main thread cannot keep
 * up would answer an evaluation only once it has caught up, if ever within the run.
 *
 * tsconfig.node.json compiles test/bench without the DOM library: the few browser shapes used
 * here are declared structurally below.
 */

import { BINDINGS } from './alarm-latency-bindings';

interface ElementLike {
  readonly nodeType: number;
  readonly tagName: string;
  getAttribute(name: string): string | null;
  querySelector(selector: string): ElementLike | null;
  querySelectorAll(selector: string): ArrayLike<ElementLike>;
  readonly scrollTop: number;
  readonly clientHeight: number;
  getBoundingClientRect(): { readonly height: number };
}
interface MutationRecordLike {
  readonly type: 'attributes' | 'childList' | 'characterData';
  readonly target: ElementLike;
  readonly attributeName: string | null;
  readonly addedNodes: ArrayLike<ElementLike>;
}
interface MutationObserverLike {
  observe(target: ElementLike, options: object): void;
  disconnect(): void;
}
interface PerformanceEntryLike {
  readonly startTime: number;
  readonly duration: number;
}
interface PerformanceObserverLike {
  observe(options: object): void;
  disconnect(): void;
}
interface PageGlobals {
  readonly document: ElementLike & { readonly documentElement: ElementLike };
  readonly MutationObserver: new (callback: (records: MutationRecordLike[]) => void) => MutationObserverLike;
  readonly PerformanceObserver: new (
    callback: (list: { getEntries(): PerformanceEntryLike[] }) => void,
  ) => PerformanceObserverLike;
  requestAnimationFrame(callback: () => void): number;
  /** Bindings the bench exposes (see alarm-latency-bindings.ts). */
  readonly [binding: string]: unknown;
}

const page = globalThis as unknown as PageGlobals;
const ROW_SELECTOR = 'tr[data-testid="alarm-row"]';
const SCROLL_SELECTOR = '[data-testid="alarm-table-scroll"]';
const ELEMENT_NODE = 1;

/** `${alarmId}|${attribute}|${value}`, attribute `severity` or `state`. */
export type SeenKey = string;

export function seenKey(id: string, attribute: 'severity' | 'state', value: string): SeenKey {
  return `${id}|${attribute}|${value}`;
}

const seen = new Set<SeenKey>();
let observer: MutationObserverLike | null = null;
let taskObserver: PerformanceObserverLike | null = null;
let batches = 0;
let mutationCallbacks = 0;
let rowRecords = 0;

/** The wall clock as the page has it (same machine as the engine's). */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

/** Page wall clock, Date.now, and the rows in the document (setup checks). */
export function probe(): { wall: number; dateNow: number; rows: number } {
  return {
    wall: wallNow(),
    dateNow: Date.now(),
    rows: page.document.querySelectorAll(ROW_SELECTOR).length,
  };
}

function binding<A extends unknown[]>(name: string): (...args: A) => void {
  const f = page[name];
  if (typeof f !== 'function') throw new Error(`the bench did not expose ${name}`);
  return (...args: A) => void (f as (...a: A) => Promise<void>)(...args);
}

/** New values, and the place in the list (aria-rowindex, -1 if absent) of the row of each. */
interface Fresh {
  readonly keys: SeenKey[];
  readonly rowIndices: number[];
}

function note(row: ElementLike, attribute: 'severity' | 'state', fresh: Fresh): void {
  const id = row.getAttribute('data-alarm-id');
  const value = row.getAttribute(`data-${attribute}`);
  if (id === null || value === null) return;
  const key = seenKey(id, attribute, value);
  if (seen.has(key)) return;
  seen.add(key);
  fresh.keys.push(key);
  fresh.rowIndices.push(Number(row.getAttribute('aria-rowindex') ?? -1));
}

/** The list's scroll viewport, in CSS pixels (null when the list is not shown). */
export interface Viewport {
  readonly scrollTop: number;
  readonly height: number;
  readonly header: number;
  readonly rowHeight: number;
}

/** Where the list is scrolled and how tall its viewport, header and rows are (forces a layout). */
export function viewport(): Viewport | null {
  const scroll = page.document.querySelector(SCROLL_SELECTOR);
  const row = scroll?.querySelector(ROW_SELECTOR);
  if (!scroll || !row) return null;
  return {
    scrollTop: scroll.scrollTop,
    height: scroll.clientHeight,
    header: scroll.querySelector('thead')?.getBoundingClientRect().height ?? 0,
    rowHeight: row.getBoundingClientRect().height,
  };
}

function isRow(node: ElementLike): boolean {
  return (
    node.nodeType === ELEMENT_NODE &&
    node.tagName === 'TR' &&
    node.getAttribute('data-testid') === 'alarm-row'
  );
}

/**
 * Starts noting row values and long tasks. What the rows show now is taken as known: only values
 * they take from here on are pushed.
 */
export function start(): { rows: number; longTasks: boolean; viewport: Viewport | null } {
  stop();
  const pushSeen = binding<[number, SeenKey[], number, number[]]>(BINDINGS.seen);
  const pushFrame = binding<[number, number]>(BINDINGS.frame);
  const pushLongTask = binding<[number, number]>(BINDINGS.longTask);
  seen.clear();
  const rows = page.document.querySelectorAll(ROW_SELECTOR);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row) {
      const ignored: Fresh = { keys: [], rowIndices: [] };
      note(row, 'severity', ignored);
      note(row, 'state', ignored);
    }
  }
  observer = new page.MutationObserver((records) => {
    const at = wallNow();
    mutationCallbacks += 1;
    const fresh: Fresh = { keys: [], rowIndices: [] };
    for (const r of records) {
      if (r.type === 'attributes') {
        if (!isRow(r.target)) continue;
        rowRecords += 1;
        if (r.attributeName === 'data-severity') note(r.target, 'severity', fresh);
        else if (r.attributeName === 'data-state') note(r.target, 'state', fresh);
      } else if (r.type === 'childList') {
        for (let i = 0; i < r.addedNodes.length; i++) {
          const node = r.addedNodes[i];
          if (!node || node.nodeType !== ELEMENT_NODE) continue;
          const added = isRow(node) ? [node] : Array.from(node.querySelectorAll(ROW_SELECTOR));
          for (const row of added) {
            rowRecords += 1;
            note(row, 'severity', fresh);
            note(row, 'state', fresh);
          }
        }
      }
    }
    if (fresh.keys.length === 0) return;
    const batch = ++batches;
    pushSeen(batch, fresh.keys, at, fresh.rowIndices);
    page.requestAnimationFrame(() => page.requestAnimationFrame(() => pushFrame(batch, wallNow())));
  });
  observer.observe(page.document.documentElement, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['data-severity', 'data-state'],
  });
  let longTasks = true;
  try {
    taskObserver = new page.PerformanceObserver((list) => {
      for (const e of list.getEntries()) pushLongTask(performance.timeOrigin + e.startTime, e.duration);
    });
    taskObserver.observe({ type: 'longtask' });
  } catch {
    taskObserver = null;
    longTasks = false;
  }
  return { rows: rows.length, longTasks, viewport: viewport() };
}

/** Observer callbacks and row mutation records so far. */
export function counters(): { callbacks: number; rowRecords: number } {
  return { callbacks: mutationCallbacks, rowRecords };
}

/** Stops observing. */
export function stop(): void {
  observer?.disconnect();
  taskObserver?.disconnect();
  observer = null;
  taskObserver = null;
}
