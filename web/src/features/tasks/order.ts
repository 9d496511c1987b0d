import type { Task } from './tasksApi';

/** A position between two neighbours (either may be missing: the start or the end of the list). */
export function positionBetween(before: number | undefined, after: number | undefined): number {
  if (before !== undefined && after !== undefined) return (before + after) / 2;
  if (before !== undefined) return before + 1;
  if (after !== undefined) return after - 1;
  return 0;
}

/**
 * The position that puts `tasks[from]` at index `to` of `tasks` (an ordered list, possibly
 * filtered): the midpoint between the tasks that will be its neighbours. Undefined when it stays.
 */
export function positionForMove(tasks: Pick<Task, 'position'>[], from: number, to: number): number | undefined {
  if (from === to || to < 0 || to >= tasks.length || from < 0 || from >= tasks.length) return undefined;
  const others = tasks.filter((_, i) => i !== from);
  return positionBetween(others[to - 1]?.position, others[to]?.position);
}
