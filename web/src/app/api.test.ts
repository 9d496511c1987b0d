import { afterEach, describe, expect, it, vi } from 'vitest';
import { listsApi } from '../features/lists/listsApi';
import { tasksApi } from '../features/tasks/tasksApi';
import { FakeServer } from '../test/fakeServer';
import { readCookie } from './csrf';
import { makeStore } from './store';

afterEach(() => vi.unstubAllGlobals());

describe('readCookie', () => {
  it('finds a cookie among others and decodes it', () => {
    expect(readCookie('XSRF-TOKEN', 'a=1; XSRF-TOKEN=abc%3D%3D; b=2')).toBe('abc==');
    expect(readCookie('XSRF-TOKEN', 'a=1')).toBeUndefined();
  });
});

describe('the API layer', () => {
  it('sends the XSRF-TOKEN cookie back as X-XSRF-TOKEN on unsafe requests only', async () => {
    const server = new FakeServer();
    server.install();
    document.cookie = 'XSRF-TOKEN=token-123; path=/';
    const store = makeStore();
    await store.dispatch(listsApi.endpoints.getLists.initiate());
    await store.dispatch(listsApi.endpoints.createList.initiate({ name: 'Groceries' }));
    const [get, post] = server.requests;
    expect(get?.method).toBe('GET');
    expect(get?.headers.get('X-XSRF-TOKEN')).toBeNull();
    expect(post?.method).toBe('POST');
    expect(post?.path).toBe('/lists');
    expect(post?.headers.get('X-XSRF-TOKEN')).toBe('token-123');
    expect(post?.body).toEqual({ name: 'Groceries' });
  });

  it('uses same-origin credentials and asks for JSON', async () => {
    const server = new FakeServer();
    const fetch = server.install();
    await makeStore().dispatch(listsApi.endpoints.getLists.initiate());
    const request = fetch.mock.calls[0]![0] as Request;
    expect(request.credentials).toBe('same-origin');
    expect(request.headers.get('Accept')).toContain('application/json');
    expect(new URL(request.url).pathname).toBe('/api/v1/lists');
  });

  it('follows the cursor until every task of a list is loaded', async () => {
    const server = new FakeServer();
    server.install();
    const list = server.addList('Big');
    for (let i = 0; i < 450; i++) server.addTask(list.id, `Task ${i}`);
    const store = makeStore();
    const result = await store.dispatch(tasksApi.endpoints.getTasks.initiate(list.id));
    expect(result.data).toHaveLength(450);
    expect(result.data?.[449]?.title).toBe('Task 449');
    expect(server.requests.filter((r) => r.path.endsWith('/tasks'))).toHaveLength(3);
  });

  it('applies a change at once and rolls it back with a message when the server refuses', async () => {
    const server = new FakeServer();
    server.install();
    const list = server.addList('Shared', 'viewer');
    const task = server.addTask(list.id, 'Read the paper');
    const store = makeStore();
    await store.dispatch(listsApi.endpoints.getLists.initiate());
    await store.dispatch(tasksApi.endpoints.getTasks.initiate(list.id));
    server.refuse = { method: 'PATCH', pathPattern: /\/tasks\//, status: 403, detail: 'Viewers cannot change tasks' };

    const pending = store.dispatch(
      tasksApi.endpoints.updateTask.initiate({ listId: list.id, taskId: task.id, changes: { completed: true } }),
    );
    const optimistic = tasksApi.endpoints.getTasks.select(list.id)(store.getState()).data;
    expect(optimistic?.[0]?.completed).toBe(true);
    expect(listsApi.endpoints.getLists.select()(store.getState()).data?.[0]?.openCount).toBe(0);
    await pending;

    const after = tasksApi.endpoints.getTasks.select(list.id)(store.getState()).data;
    expect(after?.[0]?.completed).toBe(false);
    expect(listsApi.endpoints.getLists.select()(store.getState()).data?.[0]?.openCount).toBe(1);
    expect(store.getState().notices.items.map((n) => n.message)).toEqual([
      'Could not save the change: Viewers cannot change tasks',
    ]);
  });

  it('keeps the order of tasks created in quick succession', async () => {
    const server = new FakeServer();
    server.install();
    const list = server.addList('Quick');
    const store = makeStore();
    await store.dispatch(tasksApi.endpoints.getTasks.initiate(list.id));
    await Promise.all(
      ['one', 'two', 'three'].map((title) => store.dispatch(tasksApi.endpoints.addTask.initiate({ listId: list.id, title }))),
    );
    expect(server.tasksOf(list.id).map((t) => t.title)).toEqual(['one', 'two', 'three']);
    const cached = tasksApi.endpoints.getTasks.select(list.id)(store.getState()).data;
    expect(cached?.map((t) => t.title)).toEqual(['one', 'two', 'three']);
    expect(cached?.every((t) => t.id.startsWith('T'))).toBe(true);
  });
});
