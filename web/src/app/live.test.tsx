import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEventSource } from '../test/fakeEventSource';
import { RETRY_FIRST_MS } from './live';
import { FakeServer } from '../test/fakeServer';
import { renderApp } from '../test/renderApp';

let server: FakeServer;

beforeEach(() => {
  server = new FakeServer();
  server.install();
  FakeEventSource.instances = [];
  vi.stubGlobal('EventSource', FakeEventSource);
});
afterEach(() => vi.unstubAllGlobals());

const titles = () => Array.from(document.querySelectorAll('.todo-list li label')).map((l) => l.textContent);
const sidebarCount = (name: string) =>
  within(screen.getByRole('navigation', { name: 'Lists' })).getByRole('link', { name: new RegExp(name) }).querySelector('.count')
    ?.textContent;

async function openList(path: string) {
  const app = renderApp(path);
  await waitFor(() => expect(document.querySelector('.new-todo')).toBeInTheDocument());
  await waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
  return app;
}

const emit = (type: string, data: unknown, id?: string) => act(() => FakeEventSource.current().emit(type, data, id));

describe('live events', () => {
  it('opens one stream with cookies once logged in and closes it on log-out', async () => {
    const list = server.addList('Home');
    const { user } = await openList(`/lists/${list.id}`);
    const stream = FakeEventSource.current();
    expect(stream.url).toBe('/api/v1/events');
    expect(stream.withCredentials).toBe(true);
    await user.click(screen.getByText('Me'));
    await user.click(screen.getByRole('button', { name: 'Log out' }));
    await waitFor(() => expect(stream.closed).toBe(true));
  });

  it('fetches the lists again once the stream is open, and not on reconnections that resume by event id', async () => {
    const list = server.addList('Home');
    await openList(`/lists/${list.id}`);
    const nav = screen.getByRole('navigation', { name: 'Lists' });
    await within(nav).findByText('Home');
    server.addList('Shared before the stream started', 'viewer');
    act(() => FakeEventSource.current().emit('open', {}));
    expect(await within(nav).findByText('Shared before the stream started')).toBeInTheDocument();
    emit('list.updated', { ...list, name: 'House', version: 2 }, '1700000000000-0');
    expect(await within(nav).findByText('House')).toBeInTheDocument();
    // Reconnected with Last-Event-ID: the server replays what was missed (or sends resync).
    act(() => FakeEventSource.current().emit('open', {}));
    emit('list.updated', { ...list, name: 'Home again', version: 3 }, '1700000000001-0');
    expect(await within(nav).findByText('Home again')).toBeInTheDocument();
    expect(server.requests.filter((r) => r.method === 'GET' && r.path === '/lists')).toHaveLength(2);
  });

  it('fetches everything again when the stream reconnects before any event gave it an id to resume from', async () => {
    const list = server.addList('Home');
    await openList(`/lists/${list.id}`);
    const nav = screen.getByRole('navigation', { name: 'Lists' });
    await within(nav).findByText('Home');
    act(() => FakeEventSource.current().emit('open', {}));
    await waitFor(() => expect(server.requests.filter((r) => r.method === 'GET' && r.path === '/lists')).toHaveLength(2));
    // The stream dropped with no event id received, so the browser reconnects without
    // Last-Event-ID and the server can neither replay nor send resync: a list shared and a task
    // added meanwhile must still show.
    server.addList('Shared while the stream was down', 'viewer');
    server.addTask(list.id, 'Added while the stream was down');
    act(() => FakeEventSource.current().emit('open', {}));
    expect(await within(nav).findByText('Shared while the stream was down')).toBeInTheDocument();
    expect(await screen.findByText('Added while the stream was down')).toBeInTheDocument();
  });

  it('opens a new stream when the browser gives up on one, and fetches everything again once it is open', async () => {
    const list = server.addList('Home');
    await openList(`/lists/${list.id}`);
    const nav = screen.getByRole('navigation', { name: 'Lists' });
    await within(nav).findByText('Home');
    const first = FakeEventSource.current();
    act(() => first.emit('open', {}));
    await waitFor(() => expect(server.requests.filter((r) => r.method === 'GET' && r.path === '/lists')).toHaveLength(2));
    emit('list.updated', { ...list, name: 'House', version: 2 }, '1700000000000-0');
    expect(await within(nav).findByText('House')).toBeInTheDocument();
    // A 502 or 503 instead of a stream: the browser closes it for good. The new stream has no id to
    // resume from, so what changed meanwhile must be fetched.
    act(() => first.fail());
    server.addList('Shared while no stream was open', 'viewer');
    server.addTask(list.id, 'Added while no stream was open');
    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(2), { timeout: 3 * RETRY_FIRST_MS });
    act(() => FakeEventSource.current().emit('open', {}));
    expect(await within(nav).findByText('Shared while no stream was open')).toBeInTheDocument();
    expect(await screen.findByText('Added while no stream was open')).toBeInTheDocument();
  });

  it('does not open a stream for a visitor who is not logged in', async () => {
    server.user = null;
    renderApp('/login');
    await screen.findByRole('button', { name: /log in/i });
    expect(FakeEventSource.instances).toHaveLength(0);
  });

  it('applies task events to the open list and the sidebar counts without refetching', async () => {
    const list = server.addList('Home');
    const one = server.addTask(list.id, 'One');
    const two = server.addTask(list.id, 'Two');
    await openList(`/lists/${list.id}`);
    await screen.findByText('Two');
    await waitFor(() => expect(sidebarCount('Home')).toBe('2'));
    const gets = server.requests.filter((r) => r.method === 'GET').length;

    emit('task.created', { ...one, id: 'T99', title: 'Three', position: 99, version: 1 });
    await waitFor(() => expect(titles()).toEqual(['One', 'Two', 'Three']));
    expect(document.querySelector('.todo-count')?.textContent).toBe('3 items left');
    await waitFor(() => expect(sidebarCount('Home')).toBe('3'));

    emit('task.updated', { ...one, title: 'One, renamed', completed: true, version: 2 });
    await waitFor(() => expect(titles()).toEqual(['One, renamed', 'Two', 'Three']));
    expect(document.querySelector('.todo-list li')).toHaveClass('completed');
    expect(document.querySelector('.todo-count')?.textContent).toBe('2 items left');
    await waitFor(() => expect(sidebarCount('Home')).toBe('2'));

    // An older version than the one shown is ignored, the same event twice changes nothing.
    // (the deletion after them shows that they were handled).
    emit('task.updated', { ...one, title: 'stale', version: 1 });
    emit('task.created', { ...one, id: 'T99', title: 'Three', position: 99, version: 1 });
    emit('task.deleted', { id: two.id, listId: list.id });
    await waitFor(() => expect(titles()).toEqual(['One, renamed', 'Three']));
    expect(document.querySelector('.todo-count')?.textContent).toBe('1 item left');
    await waitFor(() => expect(sidebarCount('Home')).toBe('1'));
    expect(server.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/lists')).length).toBeLessThanOrEqual(
      gets,
    );
  });

  it('does not show a task twice when the event of our own creation comes before the answer', async () => {
    const list = server.addList('Home');
    const { user } = await openList(`/lists/${list.id}`);
    await screen.findByText(/No tasks yet/);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fetch = vi.mocked(globalThis.fetch);
    const real = fetch.getMockImplementation()!;
    fetch.mockImplementation(async (input, init) => {
      const response = await real(input, init);
      if (init?.method === 'POST' || (input instanceof Request && input.method === 'POST')) await gate;
      return response;
    });
    await user.type(document.querySelector('.new-todo') as HTMLInputElement, 'Milk{Enter}');
    await waitFor(() => expect(server.tasksOf(list.id)).toHaveLength(1));
    emit('task.created', server.tasksOf(list.id)[0]);
    emit('task.created', { ...server.tasksOf(list.id)[0]!, id: 'T-other', title: 'Bread', position: 50 });
    // Ours waits at the end for the server's answer.
    await waitFor(() => expect(titles()).toEqual(['Bread', 'Milk']));
    release();
    await waitFor(() => expect(document.querySelector('.todo-list li.pending')).toBeNull());
    expect(titles()).toEqual(['Milk', 'Bread']);
  });

  it('adds, renames and removes lists in the sidebar', async () => {
    const list = server.addList('Home');
    await openList(`/lists/${list.id}`);
    const nav = screen.getByRole('navigation', { name: 'Lists' });
    await within(nav).findByText('Home');
    const now = new Date().toISOString();
    emit('list.created', { id: 'L77', name: 'Work', role: 'editor', openCount: 4, totalCount: 5, version: 1, createdAt: now, updatedAt: now });
    expect(await within(nav).findByText('Work')).toBeInTheDocument();
    await waitFor(() => expect(sidebarCount('Work')).toBe('4'));
    emit('list.updated', { ...list, name: 'House', version: 2 });
    expect(await within(nav).findByText('House')).toBeInTheDocument();
    expect(await screen.findByRole('heading', { level: 1, name: 'House' })).toBeInTheDocument();
    emit('list.deleted', { id: 'L77', listId: 'L77' });
    await waitFor(() => expect(within(nav).queryByText('Work')).toBeNull());
  });

  it('refetches on resync and when the current user is added to or removed from a list', async () => {
    const list = server.addList('Home');
    await openList(`/lists/${list.id}`);
    const nav = screen.getByRole('navigation', { name: 'Lists' });
    await within(nav).findByText('Home');

    // Shared with me while I was looking: the server now lists it.
    server.addList('Shared', 'viewer');
    emit('member.added', { listId: 'L-other', userId: 'someone-else', email: 'x@example.com', displayName: '', role: 'viewer' });
    emit('member.added', { listId: 'L2', userId: 'u1', email: 'me@example.com', displayName: 'Me', role: 'viewer' });
    expect(await within(nav).findByText('Shared')).toBeInTheDocument();
    // One fetch at start, one for my own membership; someone else's changed nothing of mine.
    expect(server.requests.filter((r) => r.method === 'GET' && r.path === '/lists')).toHaveLength(2);

    server.addTask(list.id, 'Missed while offline');
    emit('resync', {});
    expect(await screen.findByText('Missed while offline')).toBeInTheDocument();

    server.lists = server.lists.filter((l) => l.name !== 'Shared');
    emit('member.removed', { listId: 'L2', userId: 'u1' });
    await waitFor(() => expect(within(nav).queryByText('Shared')).toBeNull());
  });
});

describe('live events and optimistic changes', () => {
  it('does not undo a change in flight when an event repeats the version the page already has', async () => {
    const list = server.addList('Home');
    const milk = { ...server.addTask(list.id, 'Milk') }; // as created: version 1, open
    const { user } = await openList(`/lists/${list.id}`);
    await screen.findByText('Milk');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fetch = vi.mocked(globalThis.fetch);
    const real = fetch.getMockImplementation()!;
    fetch.mockImplementation(async (input, init) => {
      const response = await real(input, init);
      const method = init?.method ?? (typeof input === 'object' && 'method' in input ? input.method : 'GET');
      if (method === 'PATCH') await gate;
      return response;
    });
    await user.click(document.querySelector('.todo-list li .toggle')!);
    expect(document.querySelector('.todo-list li')).toHaveClass('completed');
    // A late event of the creation (version 1, not completed), then one of another task.
    emit('task.created', { ...milk });
    emit('task.created', { ...milk, id: 'T50', title: 'Later', position: 50 });
    await waitFor(() => expect(titles()).toEqual(['Milk', 'Later']));
    expect(document.querySelector('.todo-list li')).toHaveClass('completed');
    release();
    await waitFor(() => expect(server.tasksOf(list.id)[0]?.completed).toBe(true));
    expect(document.querySelector('.todo-list li')).toHaveClass('completed');
  });
});

describe('a refetch after resync and optimistic changes', () => {
  /** Holds the matching requests before the fake server sees them, until released. */
  function holdRequests(match: (method: string, url: string) => boolean) {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fetch = vi.mocked(globalThis.fetch);
    const real = fetch.getMockImplementation()!;
    fetch.mockImplementation(async (input, init) => {
      const request = new Request(input, init);
      if (match(request.method, request.url)) await gate;
      return real(request);
    });
    return release;
  }
  const isTaskGet = (listId: string) => (method: string, url: string) =>
    method === 'GET' && new URL(url).pathname === `/api/v1/lists/${listId}/tasks`;
  const taskGets = (listId: string) => server.requests.filter((r) => r.method === 'GET' && r.path === `/lists/${listId}/tasks`).length;

  // RTK Query delays a refetch until mutations in flight are answered; the change made while the
  // refetch is on its way is the one at risk.
  it('keeps a change made while the refetch was on its way', async () => {
    const list = server.addList('Home');
    server.addTask(list.id, 'Milk');
    server.addTask(list.id, 'Bread');
    const { user } = await openList(`/lists/${list.id}`);
    await screen.findByText('Bread');
    const gets = taskGets(list.id);
    const releaseGet = holdRequests(isTaskGet(list.id));
    const releasePatch = holdRequests((method) => method === 'PATCH');
    server.addTask(list.id, 'Missed while offline');
    emit('resync', {});
    await user.click(document.querySelector('.todo-list li .toggle')!);
    expect(document.querySelector('.todo-list li')).toHaveClass('completed');
    releaseGet();
    expect(await screen.findByText('Missed while offline')).toBeInTheDocument();
    expect(taskGets(list.id)).toBe(gets + 1);
    // The refetch said "open": the page still shows the change the server has not answered yet.
    expect(document.querySelector('.todo-list li')).toHaveClass('completed');
    expect(document.querySelector('.todo-count')?.textContent).toBe('2 items left');
    releasePatch();
    await waitFor(() => expect(server.tasksOf(list.id)[0]?.completed).toBe(true));
    expect(document.querySelector('.todo-list li')).toHaveClass('completed');
  });

  it('does not bring back a task whose deletion is in flight', async () => {
    const list = server.addList('Home');
    server.addTask(list.id, 'Milk');
    server.addTask(list.id, 'Bread');
    const { user } = await openList(`/lists/${list.id}`);
    await screen.findByText('Bread');
    const releaseGet = holdRequests(isTaskGet(list.id));
    const releaseDelete = holdRequests((method) => method === 'DELETE');
    server.addTask(list.id, 'Missed while offline');
    emit('resync', {});
    await user.click(screen.getByRole('button', { name: 'Delete Milk' }));
    expect(titles()).toEqual(['Bread']);
    releaseGet();
    expect(await screen.findByText('Missed while offline')).toBeInTheDocument();
    expect(titles()).toEqual(['Bread', 'Missed while offline']);
    releaseDelete();
    await waitFor(() => expect(server.tasksOf(list.id)).toHaveLength(2));
    expect(titles()).toEqual(['Bread', 'Missed while offline']);
  });
});
