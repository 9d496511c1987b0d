import { Navigate, type RouteObject } from 'react-router';
import { LoginPage } from '../features/auth/LoginPage';
import { RequireAuth } from '../features/auth/RequireAuth';
import { SignupPage } from '../features/auth/SignupPage';
import { SearchPage } from '../features/search/SearchPage';
import { ListSettings } from '../features/lists/ListSettings';
import { ListView } from '../features/tasks/ListView';
import { ViewPage } from '../features/tasks/ViewPage';
import { AppShell } from './AppShell';

function NotFound() {
  return (
    <section className="empty-state">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <a href="/today">Go to Today</a>.
      </p>
    </section>
  );
}

/** Every client-side route; the server answers index.html for each of them. */
export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage /> },
  { path: '/signup', element: <SignupPage /> },
  {
    path: '/',
    element: (
      <RequireAuth>
        <AppShell />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <Navigate to="/today" replace /> },
      { path: 'today', element: <ViewPage view="today" /> },
      { path: 'week', element: <ViewPage view="week" /> },
      { path: 'all', element: <ViewPage view="all" /> },
      { path: 'search', element: <SearchPage /> },
      { path: 'lists/:listId', element: <ListView filter="all" /> },
      { path: 'lists/:listId/active', element: <ListView filter="active" /> },
      { path: 'lists/:listId/completed', element: <ListView filter="completed" /> },
      { path: 'lists/:listId/settings', element: <ListSettings /> },
      { path: '*', element: <NotFound /> },
    ],
  },
];
