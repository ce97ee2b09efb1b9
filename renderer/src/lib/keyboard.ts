/** Helpers for single-key shortcuts, which must never fire while someone is typing. */

export function isEditableTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}

/** True while a modal dialog is open: page shortcuts then belong to the dialog. */
export function isModalOpen(): boolean {
  return document.querySelector('[aria-modal="true"]') !== null;
}

/** Whether a page-level single-key shortcut may act on this event. */
export function isPlainShortcut(event: KeyboardEvent): boolean {
  return (
    !event.defaultPrevented &&
    !event.altKey &&
    !event.ctrlKey &&
    !event.metaKey &&
    !isEditableTarget(event.target) &&
    !isModalOpen()
  );
}
