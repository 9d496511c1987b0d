import { useId, useState } from 'react';
import { priorityLabel } from '../../components/PriorityMarker';
import { PRIORITIES, useUpdateTaskMutation, type Priority, type Task, type TaskChanges } from './tasksApi';

interface Props {
  task: Task;
  editable: boolean;
  onClose: () => void;
}

/** Title, notes, due date and priority of one task, saved as each field is left or changed. */
export function TaskDetails({ task, editable, onClose }: Props) {
  const id = useId();
  const [updateTask] = useUpdateTaskMutation();
  const [title, setTitle] = useState(task.title);
  const [notes, setNotes] = useState(task.notes ?? '');
  const save = (changes: TaskChanges) => updateTask({ listId: task.listId, taskId: task.id, changes });

  return (
    <aside className="task-details" aria-labelledby={`${id}-heading`}>
      <div className="task-details-header">
        <h2 id={`${id}-heading`}>Task details</h2>
        <button type="button" className="button ghost small" onClick={onClose}>
          Close
        </button>
      </div>
      <form onSubmit={(e) => e.preventDefault()}>
        <fieldset disabled={!editable}>
          <legend className="visually-hidden">Details of {task.title}</legend>
          <div className="field">
            <label htmlFor={`${id}-title`}>Title</label>
            <input
              id={`${id}-title`}
              value={title}
              maxLength={500}
              onChange={(e) => setTitle(e.target.value)}
              onBlur={() => {
                const trimmed = title.trim();
                if (!trimmed) setTitle(task.title);
                else if (trimmed !== task.title) save({ title: trimmed });
              }}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-notes`}>Notes</label>
            <textarea
              id={`${id}-notes`}
              rows={5}
              maxLength={10000}
              value={notes}
              onChange={(e) => setNotes(e.target.value)}
              onBlur={() => {
                if (notes !== (task.notes ?? '')) save({ notes: notes || null });
              }}
            />
          </div>
          <div className="field-row">
            <div className="field">
              <label htmlFor={`${id}-due`}>Due date</label>
              <input
                id={`${id}-due`}
                type="date"
                value={task.due ?? ''}
                onChange={(e) => save({ due: e.target.value || null })}
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-priority`}>Priority</label>
              <select
                id={`${id}-priority`}
                value={task.priority}
                onChange={(e) => save({ priority: e.target.value as Priority })}
              >
                {PRIORITIES.map((p) => (
                  <option key={p} value={p}>
                    {priorityLabel(p)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {task.due && (
            <button type="button" className="button ghost small" onClick={() => save({ due: null })}>
              Remove due date
            </button>
          )}
        </fieldset>
      </form>
      {!editable && <p className="hint">You can view this list but not change it.</p>}
    </aside>
  );
}
