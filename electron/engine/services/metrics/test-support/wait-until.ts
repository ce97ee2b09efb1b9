/**
 * Waiting without sleeping: resolves when a condition holds, checked now and after every change
 * signal. A condition that never holds fails the test through vitest's timeout.
 */

/** Resolves once `condition()` is true, re-checking each time `subscribe`'s listener is called. */
export function waitUntil(
  subscribe: (listener: () => void) => () => void,
  condition: () => boolean,
): Promise<void> {
  return new Promise((resolve) => {
    if (condition()) {
      resolve();
      return;
    }
    const unsubscribe = subscribe(() => {
      if (!condition()) return;
      unsubscribe();
      resolve();
    });
  });
}
