import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeServer } from '../../test/fakeServer';
import { renderApp } from '../../test/renderApp';

let server: FakeServer;

beforeEach(() => {
  server = new FakeServer();
  server.install();
});
afterEach(() => vi.unstubAllGlobals());

describe('search across lists', () => {
  it('focuses the search field on "/" and shows matching open tasks of every list', async () => {
    const home = server.addList('Home');
    const work = server.addList('Work');
    server.addTask(home.id, 'Buy milk');
    server.addTask(work.id, 'Milk the budget');
    server.addTask(work.id, 'Write report');
    server.addTask(home.id, 'Old milk', { completed: true });
    const { user, router } = renderApp('/today');
    await screen.findByRole('heading', { level: 1, name: 'Today' });

    await user.keyboard('/');
    const box = screen.getByRole('searchbox', { name: 'Search tasks in all lists' });
    expect(box).toHaveFocus();
    await user.keyboard('milk{Enter}');
    expect(router.state.location.pathname).toBe('/search');
    expect(router.state.location.search).toBe('?q=milk');
    await screen.findByRole('heading', { level: 1, name: 'Search: “milk”' });
    await waitFor(() =>
      expect(Array.from(document.querySelectorAll('.view-list .view-title')).map((a) => a.textContent)).toEqual([
        'Buy milk',
        'Milk the budget',
      ]),
    );
    expect(within(document.querySelector('.view-list') as HTMLElement).getByText('Work')).toBeInTheDocument();
    expect(screen.getByText('2 open tasks')).toBeInTheDocument();
    const request = server.requests.find((r) => r.path === '/tasks' && r.search.get('q') === 'milk');
    expect(request?.search.get('view')).toBe('all');
  });

  it('searches after a pause in typing, says when nothing matches, and ignores "/" inside text fields', async () => {
    const home = server.addList('Home');
    server.addTask(home.id, 'Buy milk');
    const { user, router } = renderApp(`/lists/${home.id}`);
    await screen.findByText('Buy milk');
    const newTodo = document.querySelector('.new-todo') as HTMLInputElement;
    await user.click(newTodo);
    await user.keyboard('a/b');
    expect(newTodo).toHaveValue('a/b');

    await user.click(screen.getByRole('searchbox', { name: 'Search tasks in all lists' }));
    await user.keyboard('zebra');
    await waitFor(() => expect(router.state.location.search).toBe('?q=zebra'));
    expect(await screen.findByText('No open task matches “zebra”.')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.getByRole('searchbox', { name: 'Search tasks in all lists' })).toHaveValue('');
  });

  it('lists the keyboard shortcuts in a dialog opened with "?", closed with Escape', async () => {
    const { user } = renderApp('/today');
    await screen.findByRole('heading', { level: 1, name: 'Today' });
    await user.keyboard('?');
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(within(dialog).getByText('Search across all lists')).toBeInTheDocument();
    expect(within(dialog).getByText('New task (in a list)')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Close' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Keyboard shortcuts' }));
    const again = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    await user.click(within(again).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
