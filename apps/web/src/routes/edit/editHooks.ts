import { useEffect, useRef } from 'react';

export const EDIT_OPERATIONS_KEY = ['edit-operations'] as const;

export const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/**
 * Calls `onKey` for key presses (and releases, with `up`) anywhere on the page while `active`,
 * except while typing in a field; it returns true when it used the key, which then does nothing else.
 */
export function useKeys(active: boolean, onKey: (e: KeyboardEvent, up: boolean) => boolean): void {
  const latest = useRef(onKey);
  latest.current = onKey;
  useEffect(() => {
    if (!active) {
      return;
    }
    const handle = (up: boolean) => (e: KeyboardEvent) => {
      if (!typing(e.target) && latest.current(e, up)) {
        e.preventDefault();
      }
    };
    const down = handle(false);
    const release = handle(true);
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', release);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', release);
    };
  }, [active]);
}

/** Ctrl/⌘+Z undoes a step and Shift+Ctrl/⌘+Z (or Ctrl+Y) redoes it, except while typing in a field. */
export function useEditShortcuts(active: boolean, actions: { undo: () => void; redo: () => void }): void {
  useKeys(active, (e, up) => {
    if (up || !(e.ctrlKey || e.metaKey) || e.altKey) {
      return false;
    }
    const k = e.key.toLowerCase();
    if (k === 'z' && !e.shiftKey) {
      actions.undo();
      return true;
    }
    if ((k === 'z' && e.shiftKey) || (k === 'y' && !e.shiftKey)) {
      actions.redo();
      return true;
    }
    return false;
  });
}
