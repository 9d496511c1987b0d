import { vi } from 'vitest';
import type { User } from '../features/auth/authApi';
import type { Role, TaskList } from '../features/lists/listsApi';
import type { Task } from '../features/tasks/tasksApi';

export interface RecordedRequest {
  method: string;
  path: string;
  search: URLSearchParams;
  headers: Headers;
  body: unknown;
}

const problem = (status: number, title: string, detail: string) =>
  new Response(JSON.stringify({ type: 'about:blank', title, status, detail }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/**
 * An in-memory stand-in for the Taskmesh API behind a fake fetch: enough of the contract for
 * the UI's tests, and a log of every request.
 */
export class FakeServer {
  user: User | null = { id: 'u1', email: 'me@example.com', displayName: 'Me' };
  lists: TaskList[] = [];
  tasks: Task[] = [];
  requests: RecordedRequest[] = [];
  /** When set, answers this status (as a problem) to matching requests instead of handling them. */
  refuse: { method: string; pathPattern: RegExp; status: number; detail: string } | null = null;
  /** Requests matching this wait, in arrival order, until `letThrough` lets them on. */
  private held: { method: string; pathPattern: RegExp; waiting: Array<() => void> } | null = null;
  private nextId = 1;

  hold(method: string, pathPattern: RegExp) {
    this.held = { method, pathPattern, waiting: [] };
  }

  /** Lets the oldest held request on; resolves once one has arrived to be let on. */
  async letThrough() {
    const held = this.held!;
    await vi.waitFor(() => {
      if (held.waiting.length === 0) throw new Error(`no ${held.method} request is waiting`);
    });
    held.waiting.shift()!();
  }

  addList(name: string, role: Role = 'owner'): TaskList {
    const now = new Date().toISOString();
    const list: TaskList = { id: `L${this.nextId++}`, name, role, openCount: 0, totalCount: 0, version: 1, createdAt: now, updatedAt: now };
    this.lists.push(list);
    return list;
  }

  addTask(listId: string, title: string, fields: Partial<Task> = {}): Task {
    const now = new Date().toISOString();
    const task: Task = {
      id: `T${this.nextId++}`,
      listId,
      title,
      notes: null,
      due: null,
      priority: 'none',
      completed: false,
      completedAt: null,
      position: this.tasks.length,
      version: 1,
      createdAt: now,
      updatedAt: now,
      ...fields,
    };
    this.tasks.push(task);
    return task;
  }

  tasksOf(listId: string): Task[] {
    return this.tasks.filter((t) => t.listId === listId).sort((a, b) => a.position - b.position);
  }

  install() {
    const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => this.handle(new Request(input, init)));
    vi.stubGlobal('fetch', fetch);
    return fetch;
  }

  private withCounts(list: TaskList): TaskList {
    const tasks = this.tasksOf(list.id);
    return { ...list, totalCount: tasks.length, openCount: tasks.filter((t) => !t.completed).length };
  }

  async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname.replace(/^\/api\/v1/, '');
    const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
    const body: unknown = text ? JSON.parse(text) : undefined;
    this.requests.push({ method: request.method, path, search: url.searchParams, headers: request.headers, body });
    const matches = <R extends { method: string; pathPattern: RegExp }>(rule: R | null): rule is R =>
      rule !== null && rule.method === request.method && rule.pathPattern.test(path);
    const held = this.held;
    if (matches(held)) await new Promise<void>((resolve) => held.waiting.push(resolve));
    if (matches(this.refuse)) {
      return problem(this.refuse.status, 'Refused', this.refuse.detail);
    }
    const b = (body ?? {}) as Record<string, unknown>;
    let m: RegExpMatchArray | null;
    if (path === '/me' && request.method === 'GET') {
      return this.user ? json(this.user) : problem(401, 'Unauthorized', 'Log in');
    }
    if (path === '/auth/login' && request.method === 'POST') {
      if (b.password !== 'correct horse') return problem(401, 'Unauthorized', 'Bad credentials');
      this.user = { id: 'u1', email: String(b.email), displayName: '' };
      return json(this.user);
    }
    if (path === '/auth/logout' && request.method === 'POST') {
      this.user = null;
      return new Response(null, { status: 204 });
    }
    if (!this.user) return problem(401, 'Unauthorized', 'Log in');
    if (path === '/lists' && request.method === 'GET') return json(this.lists.map((l) => this.withCounts(l)));
    if (path === '/lists' && request.method === 'POST') return json(this.withCounts(this.addList(String(b.name))), 201);
    if ((m = path.match(/^\/lists\/([^/]+)$/)) && request.method === 'GET') {
      const list = this.lists.find((l) => l.id === m![1]);
      return list ? json(this.withCounts(list)) : problem(404, 'Not Found', 'No such list');
    }
    if ((m = path.match(/^\/lists\/([^/]+)\/tasks$/))) {
      const listId = m[1]!;
      if (request.method === 'GET') {
        const status = url.searchParams.get('status') ?? 'all';
        const limit = Number(url.searchParams.get('limit') ?? 50);
        const start = Number(url.searchParams.get('cursor') ?? 0);
        const all = this.tasksOf(listId).filter((t) => status === 'all' || (status === 'active' ? !t.completed : t.completed));
        const items = all.slice(start, start + limit);
        return json({ items, nextCursor: start + limit < all.length ? String(start + limit) : null });
      }
      if (request.method === 'POST') {
        const position = Math.max(-1, ...this.tasksOf(listId).map((t) => t.position)) + 1;
        return json(this.addTask(listId, String(b.title).trim(), { position }), 201);
      }
      if (request.method === 'DELETE') {
        const before = this.tasks.length;
        this.tasks = this.tasks.filter((t) => t.listId !== listId || !t.completed);
        return json({ deleted: before - this.tasks.length });
      }
    }
    if ((m = path.match(/^\/lists\/([^/]+)\/tasks\/complete-all$/)) && request.method === 'POST') {
      let updated = 0;
      for (const t of this.tasksOf(m[1]!)) {
        if (t.completed !== b.completed) {
          t.completed = Boolean(b.completed);
          updated++;
        }
      }
      return json({ updated });
    }
    if ((m = path.match(/^\/lists\/([^/]+)\/tasks\/([^/]+)$/))) {
      const task = this.tasks.find((t) => t.listId === m![1] && t.id === m![2]);
      if (!task) return problem(404, 'Not Found', 'No such task');
      if (request.method === 'PATCH') {
        Object.assign(task, b, { version: task.version + 1 });
        return json(task);
      }
      if (request.method === 'DELETE') {
        this.tasks = this.tasks.filter((t) => t !== task);
        return new Response(null, { status: 204 });
      }
    }
    if (path === '/tasks' && request.method === 'GET') {
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      const items = this.tasks.filter(
        (t) => !t.completed && (!q || t.title.toLowerCase().includes(q) || (t.notes ?? '').toLowerCase().includes(q)),
      );
      return json({ items, nextCursor: null });
    }
    return problem(404, 'Not Found', `No route for ${request.method} ${path}`);
  }
}
