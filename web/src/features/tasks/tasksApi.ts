import type { FetchBaseQueryError } from '@reduxjs/toolkit/query';
import { api } from '../../app/api';
import { noticeAdded } from '../../app/noticesSlice';
import { errorMessage } from '../../app/problem';
import { listsApi } from '../lists/listsApi';

export type Priority = 'none' | 'low' | 'medium' | 'high';
export const PRIORITIES: Priority[] = ['none', 'low', 'medium', 'high'];

export interface Task {
  id: string;
  listId: string;
  title: string;
  notes: string | null;
  due: string | null;
  priority: Priority;
  completed: boolean;
  completedAt: string | null;
  position: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface TaskPage {
  items: Task[];
  nextCursor: string | null;
}

/**
 * Tasks with an optimistic change on its way to the server. Live events for them are held back
 * until the answer arrives: an event of an earlier change would otherwise overwrite the newer
 * optimistic state (e.g. "mark all" then "unmark all", then ticking one task).
 */
const pendingTasks = new Map<string, number>();

/**
 * A refetched list (after `resync`, or a membership change) merged with what the page shows: a
 * task with a change of ours in flight keeps its optimistic state (or stays deleted), one that a
 * newer event or answer updated meanwhile keeps the newer version, and tasks still being created
 * keep their placeholders. The refetch could otherwise briefly reinstate older state.
 */
export function mergeRefetched(fetched: Task[], shown: Task[] | undefined): Task[] {
  if (!shown) return fetched;
  const byId = new Map(shown.map((t) => [t.id, t]));
  const merged: Task[] = [];
  for (const task of fetched) {
    const current = byId.get(task.id);
    if (isTaskPending(task.id)) {
      if (current) merged.push(current);
    } else merged.push(current && current.version > task.version ? current : task);
  }
  merged.push(...shown.filter(isPending));
  return merged.sort((a, b) => a.position - b.position);
}

export function isTaskPending(taskId: string): boolean {
  return (pendingTasks.get(taskId) ?? 0) > 0;
}

function beginPending(taskIds: string[]) {
  for (const id of taskIds) pendingTasks.set(id, (pendingTasks.get(id) ?? 0) + 1);
}

function endPending(taskIds: string[]) {
  for (const id of taskIds) {
    const left = (pendingTasks.get(id) ?? 1) - 1;
    if (left > 0) pendingTasks.set(id, left);
    else pendingTasks.delete(id);
  }
}

export type TaskChanges = Partial<Pick<Task, 'title' | 'notes' | 'due' | 'priority' | 'completed' | 'position'>>;
export type NewTask = { listId: string; title: string } & Partial<Pick<Task, 'notes' | 'due' | 'priority'>>;
export type View = 'today' | 'week' | 'overdue' | 'all';

/** Temporary ids of tasks shown before the server has created them. */
export const PENDING_PREFIX = 'pending-';
export const isPending = (task: Pick<Task, 'id'>) => task.id.startsWith(PENDING_PREFIX);

const PAGE_SIZE = 200;
const MAX_TASKS = 10_000;
const SEARCH_MAX = 200;

type Answer = { data?: unknown; error?: FetchBaseQueryError };
type Fetch = (url: string) => PromiseLike<Answer> | Answer;

/** Follows the API's cursor until every page is in. */
async function fetchAllPages(url: string, fetch: Fetch, max = MAX_TASKS): Promise<{ data: Task[] } | { error: FetchBaseQueryError }> {
  const items: Task[] = [];
  let cursor: string | null = null;
  do {
    const page = await fetch(cursor ? `${url}&cursor=${encodeURIComponent(cursor)}` : url);
    if (page.error) return { error: page.error };
    const data = page.data as TaskPage;
    items.push(...data.items);
    cursor = data.nextCursor;
  } while (cursor && items.length < max);
  return { data: items };
}

const queues = new Map<string, Promise<unknown>>();

/**
 * Sends requests that share a key one after another, in the order the user made them: tasks
 * typed in quick succession keep their order, and a tick then an untick of one task cannot reach
 * the server (over two connections) the other way round.
 */
async function inOrder<T>(key: string, send: () => T | PromiseLike<T>): Promise<T> {
  const mine = (queues.get(key) ?? Promise.resolve()).then(send);
  const settled = mine.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, settled);
  try {
    return await mine;
  } finally {
    if (queues.get(key) === settled) queues.delete(key);
  }
}

const answer = <T,>(result: Answer) => (result.error ? { error: result.error } : { data: result.data as T });

const listPath = (listId: string) => `/lists/${encodeURIComponent(listId)}`;
const taskPath = (listId: string, taskId: string) => `${listPath(listId)}/tasks/${encodeURIComponent(taskId)}`;

function failure(prefix: string, error: unknown) {
  return noticeAdded(`${prefix}: ${errorMessage((error as { error?: FetchBaseQueryError }).error)}`);
}

export const tasksApi = api.injectEndpoints({
  endpoints: (build) => ({
    getTasks: build.query<Task[], string>({
      queryFn: async (listId, { getState }, _extra, fetchWithBQ): Promise<{ data: Task[] } | { error: FetchBaseQueryError }> => {
        const result = await fetchAllPages(`${listPath(listId)}/tasks?status=all&limit=${PAGE_SIZE}`, fetchWithBQ);
        if ('error' in result) return result;
        const shown = tasksApi.endpoints.getTasks.select(listId)(getState() as never).data;
        return { data: mergeRefetched(result.data, shown) };
      },
      providesTags: (_r, _e, listId) => [{ type: 'Task', id: listId }],
    }),
    getView: build.query<Task[], View>({
      queryFn: (view, _api, _extra, fetchWithBQ) => fetchAllPages(`/tasks?view=${view}&limit=${PAGE_SIZE}`, fetchWithBQ),
      providesTags: ['View'],
    }),
    /** Open tasks of every list whose title or notes contain `q` (GET /tasks?view=all&q=). */
    searchTasks: build.query<Task[], string>({
      queryFn: (q, _api, _extra, fetchWithBQ) =>
        fetchAllPages(`/tasks?view=all&q=${encodeURIComponent(q)}&limit=${PAGE_SIZE}`, fetchWithBQ, SEARCH_MAX),
      providesTags: ['View'],
    }),
    addTask: build.mutation<Task, NewTask & { tempId?: string }>({
      queryFn: async ({ listId, tempId: _tempId, ...body }, _api, _extra, fetchWithBQ) =>
        answer<Task>(await inOrder('creations', () => fetchWithBQ({ url: `${listPath(listId)}/tasks`, method: 'POST', body }))),
      async onQueryStarted(arg, { dispatch, queryFulfilled, requestId }) {
        const tempId = arg.tempId ?? `${PENDING_PREFIX}${requestId}`;
        const now = new Date().toISOString();
        const pending: Task = {
          id: tempId,
          listId: arg.listId,
          title: arg.title,
          notes: arg.notes ?? null,
          due: arg.due ?? null,
          priority: arg.priority ?? 'none',
          completed: false,
          completedAt: null,
          position: Number.MAX_SAFE_INTEGER,
          version: 0,
          createdAt: now,
          updatedAt: now,
        };
        const patch = dispatch(
          tasksApi.util.updateQueryData('getTasks', arg.listId, (tasks) => {
            tasks.push(pending);
          }),
        );
        const counts = dispatch(adjustCounts(arg.listId, 1, 1));
        try {
          const { data } = await queryFulfilled;
          dispatch(
            tasksApi.util.updateQueryData('getTasks', arg.listId, (tasks) => {
              const index = tasks.findIndex((t) => t.id === tempId);
              if (tasks.some((t) => t.id === data.id)) {
                // The live event announcing it came first.
                if (index >= 0) tasks.splice(index, 1);
              } else if (index >= 0) tasks[index] = data;
              else tasks.push(data);
              tasks.sort((a, b) => a.position - b.position);
            }),
          );
          dispatch(api.util.invalidateTags(['View']));
        } catch (e) {
          patch.undo();
          counts.undo();
          dispatch(failure(`Could not add “${arg.title}”`, e));
        }
      },
    }),
    updateTask: build.mutation<Task, { listId: string; taskId: string; changes: TaskChanges }>({
      queryFn: async ({ listId, taskId, changes }, _api, _extra, fetchWithBQ) =>
        answer<Task>(await inOrder(taskId, () => fetchWithBQ({ url: taskPath(listId, taskId), method: 'PATCH', body: changes }))),
      async onQueryStarted({ listId, taskId, changes }, { dispatch, queryFulfilled, getState }) {
        const before = tasksApi.endpoints.getTasks.select(listId)(getState()).data?.find((t) => t.id === taskId);
        const patch = dispatch(
          tasksApi.util.updateQueryData('getTasks', listId, (tasks) => {
            const task = tasks.find((t) => t.id === taskId);
            if (task) Object.assign(task, changes);
          }),
        );
        const openDelta =
          before && changes.completed !== undefined && changes.completed !== before.completed
            ? changes.completed
              ? -1
              : 1
            : 0;
        const counts = dispatch(adjustCounts(listId, openDelta, 0));
        beginPending([taskId]);
        try {
          const { data } = await queryFulfilled;
          dispatch(
            tasksApi.util.updateQueryData('getTasks', listId, (tasks) => {
              const index = tasks.findIndex((t) => t.id === taskId);
              const shown = tasks[index];
              if (!shown) return;
              // A later change of ours to this task is on its way: the page keeps showing it (its
              // answer brings the final state), or a quick tick-untick would flicker back.
              if ((pendingTasks.get(taskId) ?? 0) > 1) shown.version = Math.max(shown.version, data.version);
              else if (shown.version <= data.version) tasks[index] = data;
            }),
          );
          dispatch(api.util.invalidateTags(['View']));
        } catch (e) {
          patch.undo();
          counts.undo();
          dispatch(failure('Could not save the change', e));
        } finally {
          endPending([taskId]);
        }
      },
    }),
    deleteTask: build.mutation<void, { listId: string; taskId: string }>({
      queryFn: async ({ listId, taskId }, _api, _extra, fetchWithBQ) =>
        answer<void>(await inOrder(taskId, () => fetchWithBQ({ url: taskPath(listId, taskId), method: 'DELETE' }))),
      async onQueryStarted({ listId, taskId }, { dispatch, queryFulfilled, getState }) {
        const before = tasksApi.endpoints.getTasks.select(listId)(getState()).data?.find((t) => t.id === taskId);
        const patch = dispatch(
          tasksApi.util.updateQueryData('getTasks', listId, (tasks) => tasks.filter((t) => t.id !== taskId)),
        );
        const counts = dispatch(adjustCounts(listId, before && !before.completed ? -1 : 0, before ? -1 : 0));
        beginPending([taskId]);
        try {
          await queryFulfilled;
          dispatch(api.util.invalidateTags(['View']));
        } catch (e) {
          patch.undo();
          counts.undo();
          dispatch(failure('Could not delete the task', e));
        } finally {
          endPending([taskId]);
        }
      },
    }),
    completeAll: build.mutation<{ updated: number }, { listId: string; completed: boolean }>({
      query: ({ listId, completed }) => ({
        url: `${listPath(listId)}/tasks/complete-all`,
        method: 'POST',
        body: { completed },
      }),
      async onQueryStarted({ listId, completed }, { dispatch, queryFulfilled }) {
        const now = new Date().toISOString();
        let total = 0;
        const changed: string[] = [];
        const patch = dispatch(
          tasksApi.util.updateQueryData('getTasks', listId, (tasks) => {
            total = tasks.length;
            for (const task of tasks) {
              if (task.completed !== completed) {
                task.completed = completed;
                task.completedAt = completed ? now : null;
                changed.push(task.id);
              }
            }
          }),
        );
        const counts = dispatch(setOpenCount(listId, completed ? 0 : total));
        beginPending(changed);
        try {
          await queryFulfilled;
          // The server raised the version of each task it changed by one: so do we, so that the
          // events of this change (and of earlier ones) cannot undo a newer optimistic change.
          // (Refetching the list here could answer after newer events and undo them.)
          dispatch(
            tasksApi.util.updateQueryData('getTasks', listId, (tasks) => {
              for (const task of tasks) if (changed.includes(task.id)) task.version += 1;
            }),
          );
          dispatch(api.util.invalidateTags(['View']));
        } catch (e) {
          patch.undo();
          counts.undo();
          dispatch(failure(completed ? 'Could not complete every task' : 'Could not reopen the tasks', e));
        } finally {
          endPending(changed);
        }
      },
    }),
    clearCompleted: build.mutation<{ deleted: number }, string>({
      query: (listId) => ({ url: `${listPath(listId)}/tasks?status=completed`, method: 'DELETE' }),
      async onQueryStarted(listId, { dispatch, queryFulfilled, getState }) {
        const tasks = tasksApi.endpoints.getTasks.select(listId)(getState()).data ?? [];
        const removed = tasks.filter((t) => t.completed).map((t) => t.id);
        const patch = dispatch(
          tasksApi.util.updateQueryData('getTasks', listId, (draft) => draft.filter((t) => !t.completed)),
        );
        const counts = dispatch(adjustCounts(listId, 0, -removed.length));
        beginPending(removed);
        try {
          await queryFulfilled;
        } catch (e) {
          patch.undo();
          counts.undo();
          dispatch(failure('Could not clear the completed tasks', e));
        } finally {
          endPending(removed);
        }
      },
    }),
  }),
});

/** Keeps the sidebar's open counts in step with an optimistic change. */
function adjustCounts(listId: string, openDelta: number, totalDelta: number) {
  return listsApi.util.updateQueryData('getLists', undefined, (lists) => {
    const list = lists.find((l) => l.id === listId);
    if (list) {
      list.openCount = Math.max(0, list.openCount + openDelta);
      list.totalCount = Math.max(0, list.totalCount + totalDelta);
    }
  });
}

function setOpenCount(listId: string, openCount: number) {
  return listsApi.util.updateQueryData('getLists', undefined, (lists) => {
    const list = lists.find((l) => l.id === listId);
    if (list) list.openCount = openCount;
  });
}

export const {
  useGetTasksQuery,
  useGetViewQuery,
  useSearchTasksQuery,
  useAddTaskMutation,
  useUpdateTaskMutation,
  useDeleteTaskMutation,
  useCompleteAllMutation,
  useClearCompletedMutation,
} = tasksApi;
