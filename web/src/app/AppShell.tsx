import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, Outlet, useNavigate } from 'react-router';
import { Notices } from '../components/Notices';
import { ShortcutsDialog } from '../components/ShortcutsDialog';
import { SearchBox } from '../features/search/SearchBox';
import { isTyping } from './keys';
import { useLogoutMutation, useMeQuery } from '../features/auth/authApi';
import { Sidebar } from '../features/lists/Sidebar';
import { useLiveEvents } from './useLiveEvents';

/** The signed-in layout: a top bar with the account menu, the sidebar and the current page. */
export function AppShell() {
  const [menuOpen, setMenuOpen] = useState(false);
  const { data: me } = useMeQuery();
  useLiveEvents(me?.id);
  const close = () => setMenuOpen(false);
  const search = useRef<HTMLInputElement>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const closeHelp = useCallback(() => setHelpOpen(false), []);

  // "/" focuses the search field and "?" shows the shortcuts, from anywhere but a text field.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if (e.key === '/') {
        e.preventDefault();
        search.current?.focus();
      } else if (e.key === '?') {
        e.preventDefault();
        setHelpOpen(true);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
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
        <SearchBox ref={search} />
        <button type="button" className="help-button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={() => setHelpOpen(true)}>
          <span aria-hidden="true">?</span>
        </button>
        <AccountMenu />
      </header>
      <div id="sidebar" className="sidebar-container">
        <Sidebar onNavigate={close} />
      </div>
      <main id="content" className="content" tabIndex={-1}>
        <Outlet />
      </main>
      <Notices />
      {helpOpen && <ShortcutsDialog onClose={closeHelp} />}
    </div>
  );
}

function AccountMenu() {
  const { data: me } = useMeQuery();
  const [logout, { isLoading }] = useLogoutMutation();
  const navigate = useNavigate();
  if (!me) return null;
  const shown = me.displayName || me.email;
  return (
    <details className="account-menu">
      {/* Named by its content, which starts with the name that is shown (voice control). */}
      <summary>
        <span className="avatar" aria-hidden="true">
          {shown.slice(0, 1).toUpperCase()}
        </span>
        <span className="account-name">{shown}</span>
        <span className="visually-hidden">{me.displayName ? `, account of ${me.email}` : ', account'}</span>
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
