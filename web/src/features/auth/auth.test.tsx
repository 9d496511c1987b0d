import { screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeServer } from '../../test/fakeServer';
import { renderApp } from '../../test/renderApp';

let server: FakeServer;

beforeEach(() => {
  server = new FakeServer();
  server.install();
});
afterEach(() => vi.unstubAllGlobals());

describe('authentication screens', () => {
  it('sends a visitor to the log-in page and back after logging in', async () => {
    server.user = null;
    const list = server.addList('Work');
    const { user, router } = renderApp(`/lists/${list.id}/active`);
    await screen.findByRole('heading', { name: 'Log in' });
    expect(router.state.location.pathname).toBe('/login');

    await user.type(screen.getByLabelText('Email'), 'me@example.com');
    await user.type(screen.getByLabelText('Password'), 'wrong password');
    await user.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('That email and password do not match an account.');

    await user.clear(screen.getByLabelText('Password'));
    await user.type(screen.getByLabelText('Password'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Log in' }));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/lists/${list.id}/active`));
    expect(await screen.findByRole('heading', { name: 'Work' })).toBeInTheDocument();
  });

  it('checks the password length on sign-up before asking the server', async () => {
    server.user = null;
    const { user } = renderApp('/signup');
    await user.type(await screen.findByLabelText('Email'), 'new@example.com');
    await user.type(screen.getByLabelText('Password'), 'short');
    await user.click(screen.getByRole('button', { name: 'Sign up' }));
    expect(screen.getByRole('alert')).toHaveTextContent('at least 8 characters');
    expect(server.requests.some((r) => r.path === '/auth/signup')).toBe(false);
  });

  it('shows the lists with open counts in the sidebar and logs out', async () => {
    const list = server.addList('Groceries');
    server.addTask(list.id, 'Milk');
    server.addTask(list.id, 'Eggs', { completed: true });
    const { user, router } = renderApp('/today');
    const link = await screen.findByRole('link', { name: /Groceries/ });
    expect(link).toHaveTextContent('1');
    for (const name of ['Today', 'This week', 'All']) expect(screen.getByRole('link', { name })).toBeInTheDocument();

    await user.click(screen.getByText(', account of me@example.com'));
    await user.click(screen.getByRole('button', { name: 'Log out' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(server.requests.some((r) => r.path === '/auth/logout' && r.method === 'POST')).toBe(true);
  });
});
