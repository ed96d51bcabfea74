import { useEffect, useRef } from 'react';

export const EDIT_OPERATIONS_KEY = ['edit-operations'] as const;

const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/** Ctrl/⌘+Z undoes a stroke and Shift+Ctrl/⌘+Z (or Ctrl+Y) redoes it, except while typing in a field. */
export function useEditShortcuts(active: boolean, actions: { undo: () => void; redo: () => void }): void {
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    if (!active) {
      return;
    }
    const key = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || typing(e.target)) {
        return;
      }
      const k = e.key.toLowerCase();
      if (k === 'z' && !e.shiftKey) {
        e.preventDefault();
        latest.current.undo();
      } else if ((k === 'z' && e.shiftKey) || (k === 'y' && !e.shiftKey)) {
        e.preventDefault();
        latest.current.redo();
      }
    };
    window.addEventListener('keydown', key);
    return () => window.removeEventListener('keydown', key);
  }, [active]);
}
