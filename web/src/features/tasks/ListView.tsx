import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type FocusEvent, type KeyboardEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useAppDispatch } from '../../app/hooks';
import { isTyping } from '../../app/keys';
import { noticeAdded } from '../../app/noticesSlice';
import { errorMessage, errorStatus } from '../../app/problem';
import { isoDate } from '../../components/dates';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { canEdit, useGetListQuery, useGetListsQuery } from '../lists/listsApi';
import { TaskDetails } from './TaskDetails';
import {
  useAddTaskMutation,
  useClearCompletedMutation,
  useCompleteAllMutation,
  useDeleteTaskMutation,
  useGetTasksQuery,
  useUpdateTaskMutation,
  type Task,
} from './tasksApi';
import { positionForMove } from './order';
import { TodoItem } from './TodoItem';
import { useRowWindow } from './useRowWindow';

export type Filter = 'all' | 'active' | 'completed';

const FILTERS: { filter: Filter; label: string; suffix: string }[] = [
  { filter: 'all', label: 'All', suffix: '' },
  { filter: 'active', label: 'Active', suffix: '/active' },
  { filter: 'completed', label: 'Completed', suffix: '/completed' },
];

/** One list, following the TodoMVC specification and markup; the filter is part of the URL. */
export function ListView({ filter }: { filter: Filter }) {
  const { listId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const selectedId = params.get('task');
  const dispatch = useAppDispatch();
  const { list: listFromAll } = useGetListsQuery(undefined, {
    selectFromResult: ({ data }) => ({ list: data?.find((l) => l.id === listId) }),
  });
  const { data: listAlone, error: listError } = useGetListQuery(listId);
  const list = listFromAll ?? listAlone;
  const { data: tasks, error, isLoading } = useGetTasksQuery(listId);
  const [addTask] = useAddTaskMutation();
  const [updateTask] = useUpdateTaskMutation();
  const [deleteTask] = useDeleteTaskMutation();
  const [completeAll] = useCompleteAllMutation();
  const [clearCompleted] = useClearCompletedMutation();
  const newTodo = useRef<HTMLInputElement | null>(null);
  const editable = canEdit(list?.role);
  const today = isoDate(new Date());

  // "n" jumps to the new-task field from anywhere on the page but a text field.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'n' || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      e.preventDefault();
      newTodo.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  // In list order; a task moved optimistically takes its new place at once.
  const all = useMemo(() => [...(tasks ?? [])].sort((a, b) => a.position - b.position), [tasks]);
  const activeCount = useMemo(() => all.filter((t) => !t.completed).length, [all]);
  const completedCount = all.length - activeCount;
  const visible = useMemo(
    () => (filter === 'all' ? all : all.filter((t) => (filter === 'active' ? !t.completed : t.completed))),
    [all, filter],
  );

  const onToggle = useCallback(
    (task: Task) => updateTask({ listId: task.listId, taskId: task.id, changes: { completed: !task.completed } }),
    [updateTask],
  );
  const onSave = useCallback(
    (task: Task, title: string) => updateTask({ listId: task.listId, taskId: task.id, changes: { title } }),
    [updateTask],
  );
  const onDestroy = useCallback(
    (task: Task) => {
      deleteTask({ listId: task.listId, taskId: task.id });
      setParams(
        (p) => {
          if (p.get('task') === task.id) p.delete('task');
          return p;
        },
        { replace: true },
      );
    },
    [deleteTask, setParams],
  );
  const onDetails = useCallback(
    (task: Task) =>
      setParams(
        (p) => {
          if (p.get('task') === task.id) p.delete('task');
          else p.set('task', task.id);
          return p;
        },
        { replace: true },
      ),
    [setParams],
  );

  // A task moved with the keyboard stays in sight (and only then: a live event must not scroll
  // the page back to a focused row the user scrolled away from).
  const followFocus = useRef(false);
  const visibleRef = useRef(visible);
  visibleRef.current = visible;
  const moveTo = useCallback(
    (task: Task, to: number) => {
      const list = visibleRef.current;
      const position = positionForMove(list, list.indexOf(task), to);
      if (position !== undefined) updateTask({ listId: task.listId, taskId: task.id, changes: { position } });
    },
    [updateTask],
  );
  const onMoveBy = useCallback(
    (task: Task, delta: -1 | 1) => {
      followFocus.current = true;
      moveTo(task, visibleRef.current.indexOf(task) + delta);
    },
    [moveTo],
  );
  const onDropOn = useCallback(
    (draggedId: string, target: Task) => {
      const dragged = visibleRef.current.find((t) => t.id === draggedId);
      if (dragged) moveTo(dragged, visibleRef.current.indexOf(target));
    },
    [moveTo],
  );

  // Long lists are windowed: only the rows near the viewport are in the DOM, plus the focused one.
  const listRef = useRef<HTMLUListElement | null>(null);
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const ids = useMemo(() => visible.map((t) => t.id), [visible]);
  const rows = useRowWindow(ids, listRef, focusedId);
  const onListFocus = useCallback((e: FocusEvent<HTMLUListElement>) => {
    setFocusedId((e.target as HTMLElement).closest('li')?.dataset.id ?? null);
  }, []);
  const onListBlur = useCallback((e: FocusEvent<HTMLUListElement>) => {
    if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setFocusedId(null);
  }, []);
  useLayoutEffect(() => {
    const active = document.activeElement;
    if (!followFocus.current || !listRef.current?.contains(active)) return;
    followFocus.current = false;
    const row = active?.closest('li');
    const box = row?.getBoundingClientRect();
    if (row && box && (box.top < 0 || box.bottom > window.innerHeight)) row.scrollIntoView?.({ block: 'nearest' });
  }, [visible]);

  const onNewKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter' || e.nativeEvent.isComposing) return;
    const input = e.currentTarget;
    const title = input.value.trim();
    if (!title) return;
    if (title.length > 500) {
      dispatch(noticeAdded('A task title can have at most 500 characters.'));
      return;
    }
    input.value = '';
    addTask({ listId, title });
  };

  const focusOnMount = useCallback((el: HTMLInputElement | null) => {
    newTodo.current = el;
    // The attribute is part of TodoMVC's markup; React only calls focus() for autoFocus.
    el?.setAttribute('autofocus', '');
  }, []);

  if (errorStatus(listError) === 404 || errorStatus(error) === 404) {
    return (
      <section className="empty-state">
        <h1>List not found</h1>
        <p>This list does not exist, or it is not shared with you.</p>
        <Link to="/today">Go to Today</Link>
      </section>
    );
  }

  const selected = selectedId ? all.find((t) => t.id === selectedId) : undefined;
  const base = `/lists/${encodeURIComponent(listId)}`;

  return (
    <div className={`list-page${selected ? ' with-details' : ''}`}>
      <section className="todoapp" aria-labelledby="list-title">
        <header className="header">
          <div className="list-heading">
            <h1 id="list-title">{list?.name ?? '\u00a0'}</h1>
            {list && !editable && <span className="badge">View only</span>}
            {list && list.role !== 'owner' && editable && <span className="badge">Shared with you</span>}
            <Link className="button ghost small" to={`${base}/settings`}>
              List settings
            </Link>
          </div>
          <input
            ref={focusOnMount}
            className="new-todo"
            placeholder="What needs to be done?"
            aria-label="New task"
            autoFocus
            maxLength={500}
            disabled={!!list && !editable}
            title={list && !editable ? 'You can view this list but not change it' : undefined}
            onKeyDown={onNewKeyDown}
          />
        </header>
        {isLoading && <Loading />}
        <ErrorMessage>{error && errorStatus(error) !== 404 ? errorMessage(error) : ''}</ErrorMessage>
        {all.length > 0 && (
          <section className="main">
            <input
              id="toggle-all"
              className="toggle-all"
              type="checkbox"
              checked={activeCount === 0}
              disabled={!editable}
              onChange={() => completeAll({ listId, completed: activeCount !== 0 })}
            />
            <label htmlFor="toggle-all">Mark all as complete</label>
            <ul
              ref={listRef}
              className={rows.windowed ? 'todo-list windowed' : 'todo-list'}
              style={rows.windowed ? { height: rows.offsets[visible.length] } : undefined}
              onFocus={onListFocus}
              onBlur={onListBlur}
            >
              {rows.indices.map((index) => {
                const task = visible[index] as Task;
                return (
                  <TodoItem
                    key={task.id}
                    task={task}
                    editable={editable}
                    selected={task.id === selectedId}
                    today={today}
                    top={rows.windowed ? rows.offsets[index] : undefined}
                    rowRef={rows.windowed ? rows.measure : undefined}
                    onToggle={onToggle}
                    onSave={onSave}
                    onDestroy={onDestroy}
                    onDetails={onDetails}
                    onMoveBy={onMoveBy}
                    onDropOn={onDropOn}
                  />
                );
              })}
            </ul>
          </section>
        )}
        {all.length > 0 && (
          <footer className="footer">
            <span className="todo-count">
              <strong>{activeCount}</strong> {activeCount === 1 ? 'item' : 'items'} left
            </span>
            <ul className="filters" aria-label="Show">
              {FILTERS.map((f) => (
                <li key={f.filter}>
                  <Link
                    to={base + f.suffix}
                    className={filter === f.filter ? 'selected' : undefined}
                    aria-current={filter === f.filter ? 'page' : undefined}
                  >
                    {f.label}
                  </Link>
                </li>
              ))}
            </ul>
            {completedCount > 0 && (
              <button type="button" className="clear-completed" disabled={!editable} onClick={() => clearCompleted(listId)}>
                Clear completed
              </button>
            )}
          </footer>
        )}
        {tasks && all.length === 0 && (
          <p className="empty-hint">
            {editable ? 'No tasks yet. Type one above and press Enter.' : 'This list has no tasks yet.'}
          </p>
        )}
        {tasks && all.length > 0 && visible.length === 0 && (
          <p className="empty-hint">{filter === 'active' ? 'Nothing left to do.' : 'Nothing completed yet.'}</p>
        )}
      </section>
      {selected && <TaskDetails key={selected.id} task={selected} editable={editable} onClose={() => onDetails(selected)} />}
      <p className="shortcuts-hint">
        Double-click a task to edit it · <kbd>n</kbd> new task · <kbd>Alt</kbd>+<kbd>↑</kbd>/<kbd>↓</kbd> or drag to move · <kbd>/</kbd> search · <kbd>?</kbd> all shortcuts
      </p>
    </div>
  );
}
