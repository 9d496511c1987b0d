import { useState } from 'react';
import { Link, Outlet, useNavigate } from 'react-router';
import { Notices } from '../components/Notices';
import { useLogoutMutation, useMeQuery } from '../features/auth/authApi';
import { Sidebar } from '../features/lists/Sidebar';
import { useLiveEvents } from './useLiveEvents';

/** The signed-in layout: a top bar with the account menu, the sidebar and the current page. */
export function AppShell() {
  const [menuOpen, setMenuOpen] = useState(false);
  const { data: me } = useMeQuery();
  useLiveEvents(me?.id);
  const close = () => setMenuOpen(false);
  return (
    <div className={`app-shell${menuOpen ? ' nav-open' : ''}`}>
      <a href="#content" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <button
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          onClick={() => setMenuOpen((o) => !o)}
        >
          <span aria-hidden="true">☰</span>
          <span className="visually-hidden">Menu</span>
        </button>
        <Link to="/today" className="brand">
          Taskmesh
        </Link>
        <AccountMenu />
      </header>
      <div id="sidebar" className="sidebar-container">
        <Sidebar onNavigate={close} />
      </div>
      <main id="content" className="content" tabIndex={-1}>
        <Outlet />
      </main>
      <Notices />
    </div>
  );
}

function AccountMenu() {
  const { data: me } = useMeQuery();
  const [logout, { isLoading }] = useLogoutMutation();
  const navigate = useNavigate();
  if (!me) return null;
  return (
    <details className="account-menu">
      <summary aria-label={`Account: ${me.email}`}>
        <span className="avatar" aria-hidden="true">
          {(me.displayName || me.email).slice(0, 1).toUpperCase()}
        </span>
        <span className="account-name">{me.displayName || me.email}</span>
      </summary>
      <div className="account-panel">
        <p className="account-email">{me.email}</p>
        <button
          type="button"
          className="button ghost"
          disabled={isLoading}
          onClick={() => logout().finally(() => navigate('/login', { replace: true }))}
        >
          Log out
        </button>
      </div>
    </details>
  );
}
