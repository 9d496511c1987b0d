import type { Priority } from '../features/tasks/tasksApi';

const LABELS: Record<Priority, string> = { none: 'No priority', low: 'Low priority', medium: 'Medium priority', high: 'High priority' };
const MARKS: Record<Priority, string> = { none: '', low: '!', medium: '!!', high: '!!!' };

export function priorityLabel(priority: Priority): string {
  return LABELS[priority];
}

/** A short mark for the priority, with its name for screen readers and on hover. */
export function PriorityMarker({ priority }: { priority: Priority }) {
  if (priority === 'none') return null;
  return (
    <span className={`priority priority-${priority}`} title={LABELS[priority]}>
      <span aria-hidden="true">{MARKS[priority]}</span>
      <span className="visually-hidden">{LABELS[priority]}</span>
    </span>
  );
}
