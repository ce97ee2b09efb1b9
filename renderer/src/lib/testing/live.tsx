/** Helpers for renderer tests of live views: event delivery, and text as an operator reads it. */
import { act } from '@testing-library/react';
import type { ReactNode } from 'react';
import { useLiveSync } from '../api/live-sync';

/** Keeps the query cache live from the fake transport's events, as the console's providers do. */
export function Live({ children }: { children: ReactNode }) {
  useLiveSync();
  return <>{children}</>;
}

/** Emits an event and lets TanStack Query deliver its batched notifications (a zero-delay timeout). */
export async function emitAndSettle(emit: () => void): Promise<void> {
  await act(async () => {
    emit();
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

/** An element's text with Intl's narrow and no-break spaces as plain spaces. */
export function shownText(element: Element): string {
  return (element.textContent ?? '').replace(/\u00a0|\u202f/g, ' ');
}
