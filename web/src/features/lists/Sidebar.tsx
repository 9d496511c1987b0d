import { NavLink } from 'react-router';
import { errorMessage } from '../../app/problem';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useGetListsQuery } from './listsApi';
import { NewListForm } from './NewListForm';

const VIEWS = [
  { to: '/today', label: 'Today' },
  { to: '/week', label: 'This week' },
  { to: '/all', label: 'All' },
];

/** Navigation: the cross-list views, then the user's lists with their open counts. */
export function Sidebar({ onNavigate }: { onNavigate?: () => void }) {
  const { data: lists, error } = useGetListsQuery();
  const linkClass = ({ isActive }: { isActive: boolean }) => (isActive ? 'nav-link current' : 'nav-link');
  return (
    <nav className="sidebar" aria-label="Lists">
      <ul className="nav-views">
        {VIEWS.map((v) => (
          <li key={v.to}>
            <NavLink to={v.to} className={linkClass} onClick={onNavigate}>
              {v.label}
            </NavLink>
          </li>
        ))}
      </ul>
      <h2 className="nav-heading">My lists</h2>
      <ErrorMessage>{errorMessage(error)}</ErrorMessage>
      <ul className="nav-lists">
        {lists?.map((list) => (
          <li key={list.id}>
            <NavLink to={`/lists/${encodeURIComponent(list.id)}`} className={linkClass} onClick={onNavigate}>
              <span className="nav-name">{list.name}</span>
              {list.role !== 'owner' && (
                <span className="nav-shared" title={`Shared with you (${list.role})`}>
                  <span aria-hidden="true">⇆</span>
                  <span className="visually-hidden">, shared with you as {list.role}</span>
                </span>
              )}
              <span className="count" aria-label={`${list.openCount} open`}>
                {list.openCount}
              </span>
            </NavLink>
          </li>
        ))}
      </ul>
      {lists && lists.length === 0 && <p className="hint">No lists yet. Create your first one.</p>}
      <NewListForm onCreated={onNavigate} />
    </nav>
  );
}
