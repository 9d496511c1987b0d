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

const $ = (selector: string) => document.querySelector(selector);
const $$ = (selector: string) => Array.from(document.querySelectorAll(selector));
const titles = () => $$('.todo-list li label').map((l) => l.textContent);
const newTodo = () => $('.new-todo') as HTMLInputElement;

async function openList(path: string) {
  const app = renderApp(path);
  await screen.findByRole('heading', { level: 1, name: /\S/ });
  await waitFor(() => expect(newTodo()).toBeInTheDocument());
  return app;
}

describe('list view (TodoMVC)', () => {
  it('focuses the new-task field and hides main and footer while the list is empty', async () => {
    const list = server.addList('Home');
    await openList(`/lists/${list.id}`);
    await screen.findByText(/No tasks yet/);
    expect(newTodo()).toHaveAttribute('placeholder', 'What needs to be done?');
    expect(newTodo()).toHaveAttribute('autofocus');
    expect(newTodo()).toHaveFocus();
    expect($('section.main')).toBeNull();
    expect($('footer.footer')).toBeNull();
  });

  it('adds trimmed tasks on Enter, clears the field and counts what is left', async () => {
    const list = server.addList('Home');
    const { user } = await openList(`/lists/${list.id}`);
    await user.type(newTodo(), '  Buy milk  {Enter}');
    expect(titles()).toEqual(['Buy milk']);
    expect(newTodo()).toHaveValue('');
    expect($('.todo-count')?.innerHTML).toBe('<strong>1</strong> item left');
    await user.type(newTodo(), 'Walk the dog{Enter}   {Enter}');
    expect(titles()).toEqual(['Buy milk', 'Walk the dog']);
    expect($('.todo-count')?.textContent).toBe('2 items left');
    await waitFor(() => expect(server.tasksOf(list.id).map((t) => t.title)).toEqual(['Buy milk', 'Walk the dog']));
    expect($('section.main input.toggle-all')).toBeInTheDocument();
  });

  it('toggles a task, toggles all, and clears completed tasks', async () => {
    const list = server.addList('Home');
    server.addTask(list.id, 'One');
    server.addTask(list.id, 'Two');
    const { user } = await openList(`/lists/${list.id}`);
    await screen.findByText('One');
    expect($('.clear-completed')).toBeNull();

    await user.click($$('.todo-list li .toggle')[0]!);
    expect($$('.todo-list li')[0]).toHaveClass('completed');
    expect($('.todo-count')?.textContent).toBe('1 item left');
    expect($('.clear-completed')).toBeInTheDocument();
    await waitFor(() => expect(server.tasksOf(list.id)[0]?.completed).toBe(true));

    await user.click($('.toggle-all')!);
    expect($$('.todo-list li.completed')).toHaveLength(2);
    expect($('.toggle-all')).toBeChecked();
    expect($('.todo-count')?.textContent).toBe('0 items left');
    await user.click($('.toggle-all')!);
    expect($$('.todo-list li.completed')).toHaveLength(0);
    await waitFor(() => expect(server.tasksOf(list.id).every((t) => !t.completed)).toBe(true));

    await user.click($$('.todo-list li .toggle')[1]!);
    await user.click($('.clear-completed')!);
    expect(titles()).toEqual(['One']);
    expect($('.clear-completed')).toBeNull();
    await waitFor(() => expect(server.tasksOf(list.id).map((t) => t.title)).toEqual(['One']));
  });

  it('edits on double-click: Enter saves trimmed text, Escape cancels, blur saves, empty deletes', async () => {
    const list = server.addList('Home');
    server.addTask(list.id, 'Old title');
    server.addTask(list.id, 'Second');
    const { user } = await openList(`/lists/${list.id}`);
    const label = await screen.findByText('Old title');

    await user.dblClick(label);
    const li = $$('.todo-list li')[0]!;
    expect(li).toHaveClass('editing');
    const edit = li.querySelector('input.edit') as HTMLInputElement;
    expect(edit).toHaveFocus();
    expect(edit).toHaveValue('Old title');
    await user.clear(edit);
    await user.type(edit, '  New title  {Enter}');
    expect(li).not.toHaveClass('editing');
    expect(li.querySelector('input.edit')).toBeNull();
    expect(titles()).toEqual(['New title', 'Second']);
    await waitFor(() => expect(server.tasksOf(list.id)[0]?.title).toBe('New title'));

    await user.dblClick(screen.getByText('New title'));
    await user.type($('.todo-list li.editing .edit')!, ' changed{Escape}');
    expect($('.todo-list li.editing')).toBeNull();
    expect(titles()).toEqual(['New title', 'Second']);

    await user.dblClick(screen.getByText('Second'));
    await user.type($('.todo-list li.editing .edit')!, ' edited');
    await user.click(document.body);
    expect(titles()).toEqual(['New title', 'Second edited']);

    await user.dblClick(screen.getByText('Second edited'));
    await user.clear($('.todo-list li.editing .edit')!);
    await user.keyboard('{Enter}');
    expect(titles()).toEqual(['New title']);
    await waitFor(() => expect(server.tasksOf(list.id)).toHaveLength(1));
    expect(server.requests.filter((r) => r.method === 'PATCH').map((r) => r.body)).toEqual([
      { title: 'New title' },
      { title: 'Second edited' },
    ]);
  });

  it('deletes with the destroy button', async () => {
    const list = server.addList('Home');
    server.addTask(list.id, 'Gone soon');
    const { user } = await openList(`/lists/${list.id}`);
    await screen.findByText('Gone soon');
    await user.click($('.todo-list li .destroy')!);
    expect(titles()).toEqual([]);
    expect($('section.main')).toBeNull();
    expect($('footer.footer')).toBeNull();
  });

  it('filters through the URL, with the current filter selected', async () => {
    const list = server.addList('Home');
    server.addTask(list.id, 'Open task');
    server.addTask(list.id, 'Done task', { completed: true });
    const { user, router } = await openList(`/lists/${list.id}/active`);
    await screen.findByText('Open task');
    expect(titles()).toEqual(['Open task']);
    const filters = within($('ul.filters') as HTMLElement);
    expect(filters.getByRole('link', { name: 'Active' })).toHaveClass('selected');
    expect(filters.getByRole('link', { name: 'All' })).not.toHaveClass('selected');
    expect(filters.getByRole('link', { name: 'All' })).toHaveAttribute('href', `/lists/${list.id}`);

    await user.click(filters.getByRole('link', { name: 'Completed' }));
    expect(router.state.location.pathname).toBe(`/lists/${list.id}/completed`);
    expect(titles()).toEqual(['Done task']);
    expect(filters.getByRole('link', { name: 'Completed' })).toHaveClass('selected');
    expect($('.todo-count')?.textContent).toBe('1 item left');

    await router.navigate(-1);
    await waitFor(() => expect(titles()).toEqual(['Open task']));
    await user.click(filters.getByRole('link', { name: 'All' }));
    expect(titles()).toEqual(['Open task', 'Done task']);
  });

  it('disables every editing control for a viewer', async () => {
    const list = server.addList('Their list', 'viewer');
    server.addTask(list.id, 'Look only', { completed: true });
    const { user } = await openList(`/lists/${list.id}`);
    await screen.findByText('Look only');
    await waitFor(() => expect(newTodo()).toBeDisabled());
    expect($('.toggle-all')).toBeDisabled();
    expect($('.todo-list .toggle')).toBeDisabled();
    expect($('.todo-list .destroy')).toBeDisabled();
    expect($('.clear-completed')).toBeDisabled();
    await user.dblClick(screen.getByText('Look only'));
    expect($('.todo-list li.editing')).toBeNull();
    expect(screen.getByText('View only')).toBeInTheDocument();
  });

  it('sends a quick tick and untick of one task in order, and never shows the tick again meanwhile', async () => {
    const list = server.addList('Home');
    server.addTask(list.id, 'Butter');
    const { user } = await openList(`/lists/${list.id}`);
    await screen.findByText('Butter');
    const patches = () => server.requests.filter((r) => r.method === 'PATCH');
    const toggle = () => $('.todo-list li .toggle') as HTMLInputElement;
    server.hold('PATCH', /\/tasks\//);

    await user.click(toggle());
    await user.click(toggle());
    expect(toggle()).not.toBeChecked();
    expect(patches()).toHaveLength(1);

    await server.letThrough();
    await waitFor(() => expect(patches()).toHaveLength(2));
    expect(toggle()).not.toBeChecked();
    expect(patches().map((r) => r.body)).toEqual([{ completed: true }, { completed: false }]);

    await server.letThrough();
    await waitFor(() => expect(server.tasksOf(list.id)[0]).toMatchObject({ completed: false, version: 3 }));
    expect(toggle()).not.toBeChecked();
  });

  it('rolls back a refused change and says why', async () => {
    const list = server.addList('Home');
    server.addTask(list.id, 'Stubborn');
    const { user } = await openList(`/lists/${list.id}`);
    await screen.findByText('Stubborn');
    server.refuse = { method: 'DELETE', pathPattern: /\/tasks\//, status: 403, detail: 'You cannot change this list' };
    await user.click($('.todo-list li .destroy')!);
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not delete the task: You cannot change this list');
    expect(titles()).toEqual(['Stubborn']);
  });

  it('edits details: notes, due date and priority', async () => {
    const list = server.addList('Home');
    const task = server.addTask(list.id, 'Plan trip');
    const { user } = await openList(`/lists/${list.id}`);
    await user.click(await screen.findByRole('button', { name: 'Details of Plan trip' }));
    const details = within(await screen.findByRole('complementary'));
    await user.type(details.getByLabelText('Notes'), 'Book the train');
    await user.selectOptions(details.getByLabelText('Priority'), 'high');
    await waitFor(() => expect(server.tasks.find((t) => t.id === task.id)?.notes).toBe('Book the train'));
    await waitFor(() => expect(server.tasks.find((t) => t.id === task.id)?.priority).toBe('high'));
    expect(screen.getAllByText('High priority').length).toBeGreaterThan(0);
  });
});
