import { dueLabel, dueState, isoDate } from './dates';

interface Props {
  due: string | null;
  completed?: boolean;
  today?: string;
}

/** The due date as a small chip; overdue open tasks stand out in colour and words. */
export function DueChip({ due, completed = false, today = isoDate(new Date()) }: Props) {
  if (!due) return null;
  const state = completed ? 'done' : dueState(due, today);
  return (
    <span className={`due-chip due-${state}`} title={`Due ${due}`}>
      <span className="visually-hidden">Due: </span>
      {dueLabel(due, today).replace(completed ? 'Overdue · ' : '', '')}
    </span>
  );
}
