import { createEvent, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeServer } from '../../test/fakeServer';
import { renderApp } from '../../test/renderApp';
import { ESTIMATED_ROW_PX } from './useRowWindow';

let server: FakeServer;

beforeEach(() => {
  server = new FakeServer();
  server.install();
});
afterEach(() => vi.unstubAllGlobals());

const titles = () => Array.from(document.querySelectorAll('.todo-list li label')).map((l) => l.textContent);
const row = (title: string) =>
  Array.from(document.querySelectorAll('.todo-list li')).find((li) => li.querySelector('label')?.textContent === title)!;
const patches = () => server.requests.filter((r) => r.method === 'PATCH').map((r) => r.body);

/** A DataTransfer for jsdom, which has none. */
function dataTransfer() {
  const data = new Map<string, string>();
  return {
    get types() {
      return Array.from(data.keys());
    },
    setData: (type: string, value: string) => data.set(type, value),
    getData: (type: string) => data.get(type) ?? '',
    effectAllowed: 'all',
    dropEffect: 'none',
  };
}

describe('moving tasks', () => {
  it('moves the focused task with Alt+↑ and Alt+↓ to the midpoint between its new neighbours', async () => {
    const list = server.addList('Home');
    for (const [i, title] of ['One', 'Two', 'Three'].entries()) server.addTask(list.id, title, { position: (i + 1) * 10 });
    const { user } = renderApp(`/lists/${list.id}`);
    await screen.findByText('Three');
    (row('One').querySelector('.toggle') as HTMLInputElement).focus();
    await user.keyboard('{Alt>}{ArrowDown}{/Alt}');
    expect(titles()).toEqual(['Two', 'One', 'Three']);
    await waitFor(() => expect(patches()).toEqual([{ position: 25 }]));
    expect(row('One').querySelector('.toggle')).toHaveFocus();
    await user.keyboard('{Alt>}{ArrowDown}{/Alt}');
    expect(titles()).toEqual(['Two', 'Three', 'One']);
    await waitFor(() => expect(patches()).toEqual([{ position: 25 }, { position: 31 }]));
    await user.keyboard('{Alt>}{ArrowDown}{/Alt}'); // already last: nothing to do
    await user.keyboard('{Alt>}{ArrowUp}{/Alt}');
    expect(titles()).toEqual(['Two', 'One', 'Three']);
    await waitFor(() => expect(patches()).toHaveLength(3));
    expect(patches()[2]).toEqual({ position: 25 });
    await waitFor(() => expect(server.tasksOf(list.id).map((t) => t.title)).toEqual(['Two', 'One', 'Three']));
  });

  it('moves a task by drag and drop', async () => {
    const list = server.addList('Home');
    for (const [i, title] of ['One', 'Two', 'Three'].entries()) server.addTask(list.id, title, { position: i });
    renderApp(`/lists/${list.id}`);
    await screen.findByText('Three');
    const transfer = dataTransfer();
    const drag = (type: 'dragStart' | 'dragOver' | 'drop', el: Element) => {
      const event = createEvent[type](el);
      Object.defineProperty(event, 'dataTransfer', { value: transfer });
      fireEvent(el, event);
    };
    expect(row('Three')).toHaveAttribute('draggable', 'true');
    drag('dragStart', row('Three'));
    drag('dragOver', row('One'));
    expect(row('One')).toHaveClass('drop-target');
    drag('drop', row('One'));
    expect(titles()).toEqual(['Three', 'One', 'Two']);
    await waitFor(() => expect(patches()).toEqual([{ position: -1 }]));
    expect(row('One')).not.toHaveClass('drop-target');
  });

  it('does not offer moving in a list the user can only view', async () => {
    const list = server.addList('Shared', 'viewer');
    server.addTask(list.id, 'One');
    server.addTask(list.id, 'Two');
    const { user } = renderApp(`/lists/${list.id}`);
    await screen.findByText('Two');
    expect(row('One')).toHaveAttribute('draggable', 'false');
    (row('One').querySelector('.details-toggle') as HTMLButtonElement).focus();
    await user.keyboard('{Alt>}{ArrowDown}{/Alt}');
    expect(titles()).toEqual(['One', 'Two']);
    expect(patches()).toEqual([]);
  });
});

describe('a list of 2,000 tasks', () => {
  it('renders only the rows near the viewport, counts them all, and follows the scroll', async () => {
    const list = server.addList('Big');
    for (let i = 0; i < 2000; i++) server.addTask(list.id, `Task ${i}`, { position: i, completed: i % 4 === 0 });
    renderApp(`/lists/${list.id}`);
    await screen.findByText('Task 0', {}, { timeout: 20_000 });
    const rendered = () => document.querySelectorAll('.todo-list li').length;
    expect(rendered()).toBeGreaterThan(10);
    expect(rendered()).toBeLessThan(100);
    expect(document.querySelector('.todo-count')?.textContent).toBe('1500 items left');
    // Fetched page by page with the API's cursor.
    expect(server.requests.filter((r) => r.path === `/lists/${list.id}/tasks`).length).toBe(10);
    const ul = document.querySelector('.todo-list') as HTMLElement;
    expect(ul.style.height).toBe(`${2000 * ESTIMATED_ROW_PX}px`);

    // Scrolled to the end (jsdom has no layout: the list's box is moved by hand).
    vi.spyOn(ul, 'getBoundingClientRect').mockReturnValue(new DOMRect(0, -2000 * ESTIMATED_ROW_PX + 500, 800, 2000 * ESTIMATED_ROW_PX));
    fireEvent.scroll(window);
    await screen.findByText('Task 1999');
    expect(screen.queryByText('Task 0')).toBeNull();
    expect(rendered()).toBeLessThan(100);
    const last = row('Task 1999') as HTMLElement;
    expect(last.style.top).toBe(`${1999 * ESTIMATED_ROW_PX}px`);
  }, 30_000);

  it('keeps the focused row in the DOM while it is scrolled out of the window', async () => {
    const list = server.addList('Big');
    for (let i = 0; i < 300; i++) server.addTask(list.id, `Task ${i}`, { position: i });
    renderApp(`/lists/${list.id}`);
    await screen.findByText('Task 0', {}, { timeout: 20_000 });
    const toggle = row('Task 1').querySelector('.toggle') as HTMLInputElement;
    toggle.focus();
    const ul = document.querySelector('.todo-list') as HTMLElement;
    vi.spyOn(ul, 'getBoundingClientRect').mockReturnValue(new DOMRect(0, -300 * ESTIMATED_ROW_PX + 500, 800, 300 * ESTIMATED_ROW_PX));
    fireEvent.scroll(window);
    await screen.findByText('Task 299');
    expect(screen.queryByText('Task 0')).toBeNull();
    expect(toggle.isConnected).toBe(true);
    expect(document.activeElement).toBe(toggle);
  }, 30_000);
});
