/** Calendar dates as the API writes them (YYYY-MM-DD), in the user's time zone. */
export function isoDate(date: Date): string {
  const y = date.getFullYear();
  const m = String(date.getMonth() + 1).padStart(2, '0');
  const d = String(date.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

export function addDays(iso: string, days: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return isoDate(new Date(y, m - 1, d + days));
}

export type DueState = 'overdue' | 'today' | 'tomorrow' | 'soon' | 'later';

export function dueState(due: string, today: string): DueState {
  if (due < today) return 'overdue';
  if (due === today) return 'today';
  if (due === addDays(today, 1)) return 'tomorrow';
  if (due <= addDays(today, 6)) return 'soon';
  return 'later';
}

export function dueLabel(due: string, today: string): string {
  const state = dueState(due, today);
  if (state === 'today') return 'Today';
  if (state === 'tomorrow') return 'Tomorrow';
  const [y, m, d] = due.split('-').map(Number) as [number, number, number];
  const date = new Date(y, m - 1, d);
  const sameYear = due.slice(0, 4) === today.slice(0, 4);
  const text = date.toLocaleDateString(undefined, {
    weekday: state === 'soon' ? 'short' : undefined,
    month: 'short',
    day: 'numeric',
    year: sameYear ? undefined : 'numeric',
  });
  return state === 'overdue' ? `Overdue · ${text}` : text;
}
