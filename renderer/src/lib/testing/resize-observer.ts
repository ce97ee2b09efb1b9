/**
 * A ResizeObserver for jsdom (which has none and lays nothing out): every observed element
 * reports `cssWidth`, at once on observe and again on `resizeTo`.
 */
interface Observed {
  readonly observer: FakeResizeObserver;
  readonly target: Element;
}

const observed = new Set<Observed>();
let width = 800;

function entry(target: Element, cssWidth: number): ResizeObserverEntry {
  const rect = { x: 0, y: 0, top: 0, left: 0, bottom: 300, right: cssWidth, width: cssWidth, height: 300 };
  return {
    target,
    contentRect: { ...rect, toJSON: () => rect },
    borderBoxSize: [],
    contentBoxSize: [],
    devicePixelContentBoxSize: [],
  };
}

class FakeResizeObserver implements ResizeObserver {
  constructor(private readonly callback: ResizeObserverCallback) {}
  observe(target: Element): void {
    observed.add({ observer: this, target });
    this.callback([entry(target, width)], this);
  }
  unobserve(target: Element): void {
    for (const item of observed) if (item.observer === this && item.target === target) observed.delete(item);
  }
  disconnect(): void {
    for (const item of observed) if (item.observer === this) observed.delete(item);
  }
  notify(target: Element, cssWidth: number): void {
    this.callback([entry(target, cssWidth)], this);
  }
}

export interface ResizeControl {
  /** Makes every observed element `cssWidth` wide and tells its observers. */
  resizeTo(cssWidth: number): void;
  restore(): void;
}

export function installResizeObserver(cssWidth = 800): ResizeControl {
  const previous = Reflect.get(globalThis, 'ResizeObserver') as unknown;
  width = cssWidth;
  Reflect.set(globalThis, 'ResizeObserver', FakeResizeObserver);
  return {
    resizeTo(next) {
      width = next;
      for (const item of [...observed]) item.observer.notify(item.target, next);
    },
    restore() {
      observed.clear();
      if (previous === undefined) Reflect.deleteProperty(globalThis, 'ResizeObserver');
      else Reflect.set(globalThis, 'ResizeObserver', previous);
    },
  };
}
