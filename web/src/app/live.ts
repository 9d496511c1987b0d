import type { ThunkDispatch, UnknownAction } from '@reduxjs/toolkit';
import { listsApi, type TaskList } from '../features/lists/listsApi';
import { isPending, isTaskPending, tasksApi, type Task, type View } from '../features/tasks/tasksApi';
import { api, API_BASE } from './api';
import type { RootState } from './store';

/** Every event name the server sends on GET /events (besides `resync`). */
export const EVENT_TYPES = [
  'list.created',
  'list.updated',
  'list.deleted',
  'task.created',
  'task.updated',
  'task.deleted',
  'member.added',
  'member.removed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number] | 'resync';

interface Deleted {
  id: string;
  listId: string;
}
interface MemberChange {
  listId: string;
  userId: string;
}

type Dispatch = ThunkDispatch<RootState, unknown, UnknownAction>;
type GetState = () => RootState;

/** The subset of EventSource the subscription uses, so tests can pass a fake. */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
  /** 2 (EventSource.CLOSED) once the browser has given up on the stream. */
  readonly readyState: number;
}

const CLOSED = 2;
/** The wait before a new stream replaces one the browser gave up on, doubling up to the maximum. */
export const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 30_000;
export type EventSourceFactory = (url: string) => EventSourceLike;

const browserEventSource: EventSourceFactory = (url) => new EventSource(url, { withCredentials: true });

/**
 * Opens the live event stream and applies every event to the RTK Query cache: lists, the tasks
 * of each loaded list and the cross-list views are patched in place; `resync`, and a membership
 * change of the current user, refetch what may have changed. Reconnecting (with Last-Event-ID)
 * is EventSource's own behaviour; a stream it gives up on is replaced after a pause. Returns the
 * function that closes the stream.
 */
export function subscribeToEvents(
  dispatch: Dispatch,
  getState: GetState,
  userId: string,
  open: EventSourceFactory = browserEventSource,
): () => void {
  let source = open(`${API_BASE}/events`);
  // Whether the browser holds an event id to reconnect with (Last-Event-ID): until one arrives, a
  // reconnection cannot resume, and the server has nothing to replay or answer with `resync`.
  let resumable = false;
  // Whatever changed between the first load and the stream's start was not sent to us: the lists
  // (a list shared meanwhile) are fetched again once. Later reconnections resume by event id, but
  // one made before any event brought an id cannot: what changed while the stream was down (a list
  // shared with us) is then fetched again, as after `resync`.
  let opened = false;
  const refetchAll = () => dispatch(api.util.invalidateTags(['List', 'Task', 'View', 'Member']));
  // The browser gives up on a stream whose answer is not a stream (a 502 while every node restarts,
  // a 503 while Redis holds no sessions) and never retries it: a new one replaces it after a pause,
  // and starts without an id, like a reconnection before any event.
  let retry: ReturnType<typeof setTimeout> | undefined;
  let pause = RETRY_FIRST_MS;
  let stopped = false;
  const handlers = new Map<string, (event: MessageEvent<string>) => void>();
  const attach = (stream: EventSourceLike) => handlers.forEach((handler, type) => stream.addEventListener(type, handler));
  const on = (type: EventType, apply: (data: unknown) => void) =>
    handlers.set(type, (event) => {
      if (event.lastEventId) resumable = true;
      let data: unknown;
      try {
        data = JSON.parse(event.data);
      } catch {
        return;
      }
      apply(data);
    });
  handlers.set('open', () => {
    pause = RETRY_FIRST_MS;
    if (!opened) {
      opened = true;
      dispatch(api.util.invalidateTags([{ type: 'List', id: 'LIST' }]));
    } else if (!resumable) {
      refetchAll();
    }
  });
  handlers.set('error', () => {
    if (stopped || source.readyState !== CLOSED || retry !== undefined) return;
    retry = setTimeout(() => {
      retry = undefined;
      resumable = false;
      source = open(`${API_BASE}/events`);
      attach(source);
    }, pause);
    pause = Math.min(pause * 2, RETRY_MAX_MS);
  });
  on('resync', refetchAll);
  on('list.created', (data) => upsertList(dispatch, data as TaskList));
  on('list.updated', (data) => upsertList(dispatch, data as TaskList));
  on('list.deleted', (data) => {
    const { id } = data as Deleted;
    dispatch(listsApi.util.updateQueryData('getLists', undefined, (lists) => lists.filter((l) => l.id !== id)));
    dispatch(api.util.invalidateTags([{ type: 'List', id }, { type: 'Task', id }, { type: 'Member', id }, 'View']));
  });
  on('task.created', (data) => applyTask(dispatch, getState, data as Task, 'created'));
  on('task.updated', (data) => applyTask(dispatch, getState, data as Task, 'updated'));
  on('task.deleted', (data) => removeTask(dispatch, getState, data as Deleted));
  const member = (data: unknown) => {
    const change = data as MemberChange;
    dispatch(api.util.invalidateTags([{ type: 'Member', id: change.listId }]));
    if (change.userId === userId) {
      // Shared with me, or no longer: the set of lists, their tasks and the views change.
      dispatch(
        api.util.invalidateTags([
          { type: 'List', id: 'LIST' },
          { type: 'List', id: change.listId },
          { type: 'Task', id: change.listId },
          'View',
        ]),
      );
    }
  };
  on('member.added', member);
  on('member.removed', member);
  attach(source);
  return () => {
    stopped = true;
    clearTimeout(retry);
    source.close();
  };
}

function upsertList(dispatch: Dispatch, list: TaskList) {
  dispatch(
    listsApi.util.updateQueryData('getLists', undefined, (lists) => {
      const index = lists.findIndex((l) => l.id === list.id);
      if (index < 0) lists.push(list);
      else if ((lists[index]?.version ?? 0) <= list.version) lists[index] = { ...lists[index], ...list };
    }),
  );
  dispatch(
    listsApi.util.updateQueryData('getList', list.id, (cached) =>
      cached.version <= list.version ? { ...cached, ...list } : cached,
    ),
  );
}

function applyTask(dispatch: Dispatch, getState: GetState, task: Task, kind: 'created' | 'updated') {
  const loaded = tasksApi.endpoints.getTasks.select(task.listId)(getState()).data !== undefined;
  dispatch(
    tasksApi.util.updateQueryData('getTasks', task.listId, (tasks) => {
      const index = tasks.findIndex((t) => t.id === task.id);
      if (index >= 0) {
        // Only a newer version, and not while an optimistic change of ours is in flight (its
        // answer brings the server's state).
        if ((tasks[index]?.version ?? 0) < task.version && !isTaskPending(task.id)) tasks[index] = task;
      } else if (kind === 'created' && tasks.some((t) => isPending(t) && t.title === task.title)) {
        // Our own creation, still on its way back: the mutation replaces its placeholder.
        return;
      } else {
        tasks.push(task);
        tasks.sort((a, b) => a.position - b.position);
      }
    }),
  );
  // A task moved between lists arrives as an update of the list it is now in.
  for (const listId of cachedTaskLists(getState)) {
    if (listId === task.listId) continue;
    const there = tasksApi.endpoints.getTasks.select(listId)(getState()).data;
    if (!there?.some((t) => t.id === task.id)) continue;
    dispatch(tasksApi.util.updateQueryData('getTasks', listId, (tasks) => tasks.filter((t) => t.id !== task.id)));
    syncCounts(dispatch, getState, listId);
  }
  for (const view of cachedViews(getState)) {
    dispatch(
      tasksApi.util.updateQueryData('getView', view, (tasks) => {
        const index = tasks.findIndex((t) => t.id === task.id);
        if (index >= 0 && (tasks[index]?.version ?? 0) < task.version) tasks[index] = task;
      }),
    );
  }
  // Which views a task belongs to depends on its due date and state: let them refetch.
  dispatch(api.util.invalidateTags(['View']));
  if (loaded) syncCounts(dispatch, getState, task.listId);
  else dispatch(api.util.invalidateTags([{ type: 'List', id: 'LIST' }]));
}

function removeTask(dispatch: Dispatch, getState: GetState, { id, listId }: Deleted) {
  const loaded = tasksApi.endpoints.getTasks.select(listId)(getState()).data !== undefined;
  dispatch(tasksApi.util.updateQueryData('getTasks', listId, (tasks) => tasks.filter((t) => t.id !== id)));
  for (const view of cachedViews(getState)) {
    dispatch(tasksApi.util.updateQueryData('getView', view, (tasks) => tasks.filter((t) => t.id !== id)));
  }
  if (loaded) syncCounts(dispatch, getState, listId);
  else dispatch(api.util.invalidateTags([{ type: 'List', id: 'LIST' }]));
}

/** The sidebar's counts, taken from the list's tasks when they are loaded (exact, and idempotent). */
function syncCounts(dispatch: Dispatch, getState: GetState, listId: string) {
  const tasks = tasksApi.endpoints.getTasks.select(listId)(getState()).data;
  if (!tasks) return;
  const real = tasks.filter((t) => !isPending(t));
  const pending = tasks.length - real.length;
  dispatch(
    listsApi.util.updateQueryData('getLists', undefined, (lists) => {
      const list = lists.find((l) => l.id === listId);
      if (list) {
        list.totalCount = real.length + pending;
        list.openCount = real.filter((t) => !t.completed).length + pending;
      }
    }),
  );
}

function cachedTaskLists(getState: GetState): string[] {
  return tasksApi.util.selectCachedArgsForQuery(getState(), 'getTasks');
}

function cachedViews(getState: GetState): View[] {
  return tasksApi.util.selectCachedArgsForQuery(getState(), 'getView');
}
