/** True when a key press goes to a text field, where single-letter shortcuts must not fire. */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== 'string') return false;
  if (el.isContentEditable) return true;
  if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  if (el.tagName !== 'INPUT') return false;
  const type = (el as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(type);
}

/** The keyboard shortcuts, as the help dialog lists them. */
export const SHORTCUTS: { keys: string[]; action: string }[] = [
  { keys: ['/'], action: 'Search across all lists' },
  { keys: ['n'], action: 'New task (in a list)' },
  { keys: ['?'], action: 'Show these shortcuts' },
  { keys: ['Enter'], action: 'Add the task, or save the edit' },
  { keys: ['Esc'], action: 'Cancel an edit, close a dialog, clear the search' },
  { keys: ['Double-click'], action: 'Edit a task’s title' },
  { keys: ['Alt', '↑'], action: 'Move the focused task up (or drag it)' },
  { keys: ['Alt', '↓'], action: 'Move the focused task down' },
];
