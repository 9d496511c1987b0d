import { memo, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { DueChip } from '../../components/DueChip';
import { PriorityMarker } from '../../components/PriorityMarker';
import { isPending, type Task } from './tasksApi';

interface Props {
  task: Task;
  editable: boolean;
  selected: boolean;
  today: string;
  /** Where the row is placed in a windowed list (absolutely); undefined in a list rendered whole. */
  top?: number;
  rowRef?: (el: HTMLLIElement | null) => void;
  onToggle: (task: Task) => void;
  onSave: (task: Task, title: string) => void;
  onDestroy: (task: Task) => void;
  onDetails: (task: Task) => void;
  /** Alt+↑ / Alt+↓: move by one place. */
  onMoveBy?: (task: Task, delta: -1 | 1) => void;
  /** Drag and drop: `dragged` was dropped on this task. */
  onDropOn?: (draggedId: string, target: Task) => void;
}

const DRAG_TYPE = 'application/x-taskmesh-task';

/** One task, in TodoMVC's markup: li > div.view (toggle, label, destroy) and input.edit while editing. */
export const TodoItem = memo(function TodoItem({
  task,
  editable,
  selected,
  today,
  top,
  rowRef,
  onToggle,
  onSave,
  onDestroy,
  onDetails,
  onMoveBy,
  onDropOn,
}: Props) {
  const [dropTarget, setDropTarget] = useState(false);
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(task.title);
  const finished = useRef(false);
  const input = useRef<HTMLInputElement>(null);
  const pending = isPending(task);
  const changeable = editable && !pending;

  useEffect(() => {
    if (editing && input.current) {
      const el = input.current;
      el.focus();
      el.setSelectionRange(el.value.length, el.value.length);
    }
  }, [editing]);

  const startEditing = () => {
    if (!changeable) return;
    finished.current = false;
    setText(task.title);
    setEditing(true);
  };

  const finish = () => {
    if (finished.current) return;
    finished.current = true;
    setEditing(false);
    const title = text.trim();
    if (!title) onDestroy(task);
    else if (title !== task.title) onSave(task, title);
    setText(title);
  };

  const cancel = () => {
    finished.current = true;
    setText(task.title);
    setEditing(false);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' && !e.nativeEvent.isComposing) finish();
    else if (e.key === 'Escape') cancel();
  };

  const onRowKeyDown = (e: KeyboardEvent<HTMLLIElement>) => {
    if (!e.altKey || editing || !changeable || !onMoveBy) return;
    if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault();
      onMoveBy(task, e.key === 'ArrowUp' ? -1 : 1);
    }
  };
  const movable = changeable && !!onDropOn && !editing;

  const classes = [
    task.completed ? 'completed' : '',
    editing ? 'editing' : '',
    selected ? 'selected' : '',
    pending ? 'pending' : '',
    dropTarget ? 'drop-target' : '',
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <li
      ref={rowRef}
      className={classes || undefined}
      style={top === undefined ? undefined : { top }}
      data-id={task.id}
      draggable={movable}
      onKeyDown={onRowKeyDown}
      onDragStart={(e) => {
        e.dataTransfer.setData(DRAG_TYPE, task.id);
        e.dataTransfer.effectAllowed = 'move';
      }}
      onDragOver={(e) => {
        if (!movable || !e.dataTransfer.types.includes(DRAG_TYPE)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
        setDropTarget(true);
      }}
      onDragLeave={() => setDropTarget(false)}
      onDrop={(e) => {
        setDropTarget(false);
        const dragged = e.dataTransfer.getData(DRAG_TYPE);
        if (!movable || !dragged || dragged === task.id) return;
        e.preventDefault();
        onDropOn?.(dragged, task);
      }}
    >
      <div className="view">
        <input
          className="toggle"
          type="checkbox"
          checked={task.completed}
          disabled={!changeable}
          onChange={() => onToggle(task)}
          aria-label={`${task.title}: done`}
          aria-keyshortcuts={changeable && onMoveBy ? 'Alt+ArrowUp Alt+ArrowDown' : undefined}
        />
        <label onDoubleClick={startEditing}>{task.title}</label>
        <span className="task-meta">
          <PriorityMarker priority={task.priority} />
          <DueChip due={task.due} completed={task.completed} today={today} />
          {task.notes ? (
            <span className="notes-mark" title="Has notes">
              <span aria-hidden="true">¶</span>
              <span className="visually-hidden">Has notes</span>
            </span>
          ) : null}
        </span>
        <button
          type="button"
          className="details-toggle"
          aria-label={`Details of ${task.title}`}
          aria-expanded={selected}
          disabled={pending}
          onClick={() => onDetails(task)}
        >
          <span aria-hidden="true">⋯</span>
        </button>
        <button
          type="button"
          className="destroy"
          aria-label={`Delete ${task.title}`}
          disabled={!changeable}
          onClick={() => onDestroy(task)}
        />
      </div>
      {editing && (
        <input
          ref={input}
          className="edit"
          aria-label={`Edit ${task.title}`}
          value={text}
          maxLength={500}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          onBlur={finish}
        />
      )}
    </li>
  );
});
