import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { errorMessage, errorStatus } from '../../app/problem';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { useMeQuery } from '../auth/authApi';
import {
  isOwner,
  useAddMemberMutation,
  useDeleteListMutation,
  useGetListQuery,
  useGetMembersQuery,
  useRemoveMemberMutation,
  useRenameListMutation,
  type Role,
  type TaskList,
} from './listsApi';

/** Rename, share, members, leave and delete: what a list's owner and members can manage. */
export function ListSettings() {
  const { listId = '' } = useParams();
  const { data: list, error, isLoading } = useGetListQuery(listId);
  if (isLoading) return <Loading />;
  if (!list) {
    return (
      <section className="settings-page">
        <h1>List settings</h1>
        <ErrorMessage>
          {errorStatus(error) === 404 ? 'This list does not exist, or it is not shared with you.' : errorMessage(error)}
        </ErrorMessage>
        <Link to="/today">Go to Today</Link>
      </section>
    );
  }
  const owner = isOwner(list.role);
  return (
    <section className="settings-page" aria-labelledby="settings-title">
      <p>
        <Link to={`/lists/${encodeURIComponent(list.id)}`}>← Back to {list.name}</Link>
      </p>
      <h1 id="settings-title">Settings of “{list.name}”</h1>
      {owner ? <RenameForm key={list.version} list={list} /> : <p>You are {list.role === 'editor' ? 'an editor' : 'a viewer'} of this list.</p>}
      <Members list={list} />
      {owner ? <DeleteList list={list} /> : <LeaveList list={list} />}
    </section>
  );
}

function RenameForm({ list }: { list: TaskList }) {
  const [name, setName] = useState(list.name);
  const [rename, { isLoading, error, isSuccess }] = useRenameListMutation();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (trimmed && trimmed !== list.name) rename({ listId: list.id, name: trimmed });
  };
  return (
    <form className="settings-section" onSubmit={submit}>
      <h2>Name</h2>
      <div className="inline-form">
        <label htmlFor="list-name" className="visually-hidden">
          List name
        </label>
        <input id="list-name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="button primary" disabled={isLoading || !name.trim() || name.trim() === list.name}>
          Rename
        </button>
      </div>
      <ErrorMessage>{errorMessage(error)}</ErrorMessage>
      {isSuccess && !error && (
        <p className="hint" role="status">
          Renamed.
        </p>
      )}
    </form>
  );
}

function Members({ list }: { list: TaskList }) {
  const { data: members, error } = useGetMembersQuery(list.id);
  const [addMember, adding] = useAddMemberMutation();
  const [removeMember, removing] = useRemoveMemberMutation();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Exclude<Role, 'owner'>>('editor');
  const owner = isOwner(list.role);
  const share = (e: FormEvent) => {
    e.preventDefault();
    if (!email.trim()) return;
    addMember({ listId: list.id, email: email.trim(), role })
      .unwrap()
      .then(() => setEmail(''))
      .catch(() => undefined);
  };
  return (
    <div className="settings-section">
      <h2>People</h2>
      <ErrorMessage>{errorMessage(error)}</ErrorMessage>
      <ul className="members">
        {members?.map((m) => (
          <li key={m.userId}>
            <span className="member-name">
              {m.displayName || m.email}
              {m.displayName && <span className="member-email"> {m.email}</span>}
            </span>
            <span className="member-role">{m.role}</span>
            {owner && m.role !== 'owner' && (
              <button
                type="button"
                className="button ghost small"
                disabled={removing.isLoading}
                onClick={() => removeMember({ listId: list.id, userId: m.userId })}
              >
                Remove<span className="visually-hidden"> {m.email}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
      <ErrorMessage>{errorMessage(removing.error)}</ErrorMessage>
      {owner && (
        <form className="share-form" onSubmit={share}>
          <h3>Share this list</h3>
          <div className="inline-form">
            <label htmlFor="share-email" className="visually-hidden">
              Email of the person to share with
            </label>
            <input
              id="share-email"
              type="email"
              placeholder="name@example.com"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
            <label htmlFor="share-role" className="visually-hidden">
              Role
            </label>
            <select id="share-role" value={role} onChange={(e) => setRole(e.target.value as 'editor' | 'viewer')}>
              <option value="editor">can edit</option>
              <option value="viewer">can view</option>
            </select>
            <button type="submit" className="button primary" disabled={adding.isLoading || !email.trim()}>
              Share
            </button>
          </div>
          <ErrorMessage>
            {errorStatus(adding.error) === 404 ? 'No account uses that email address.' : errorMessage(adding.error)}
          </ErrorMessage>
        </form>
      )}
    </div>
  );
}

function DeleteList({ list }: { list: TaskList }) {
  const [confirming, setConfirming] = useState(false);
  const [deleteList, { isLoading, error }] = useDeleteListMutation();
  const navigate = useNavigate();
  return (
    <div className="settings-section danger">
      <h2>Delete the list</h2>
      {!confirming ? (
        <button type="button" className="button danger" onClick={() => setConfirming(true)}>
          Delete list…
        </button>
      ) : (
        <div role="group" aria-labelledby="confirm-delete">
          <p id="confirm-delete">
            Delete “{list.name}” and its {list.totalCount} {list.totalCount === 1 ? 'task' : 'tasks'} for everyone? This
            cannot be undone.
          </p>
          <div className="form-actions">
            <button
              type="button"
              className="button danger"
              autoFocus
              disabled={isLoading}
              onClick={() =>
                deleteList(list.id)
                  .unwrap()
                  .then(() => navigate('/today', { replace: true }))
                  .catch(() => undefined)
              }
            >
              Yes, delete it
            </button>
            <button type="button" className="button ghost" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <ErrorMessage>{errorMessage(error)}</ErrorMessage>
    </div>
  );
}

function LeaveList({ list }: { list: TaskList }) {
  const { data: me } = useMeQuery();
  const [removeMember, { isLoading, error }] = useRemoveMemberMutation();
  const navigate = useNavigate();
  if (!me) return null;
  return (
    <div className="settings-section">
      <h2>Leave the list</h2>
      <p>You will no longer see this list; its owner can share it with you again.</p>
      <button
        type="button"
        className="button danger"
        disabled={isLoading}
        onClick={() =>
          removeMember({ listId: list.id, userId: me.id })
            .unwrap()
            .then(() => navigate('/today', { replace: true }))
            .catch(() => undefined)
        }
      >
        Leave “{list.name}”
      </button>
      <ErrorMessage>{errorMessage(error)}</ErrorMessage>
    </div>
  );
}
