import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { errorMessage } from '../../app/problem';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useCreateListMutation } from './listsApi';

/** "New list": a button that opens a one-field form; the new list opens once created. */
export function NewListForm({ onCreated }: { onCreated?: () => void }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [createList, { isLoading, error, reset }] = useCreateListMutation();
  const navigate = useNavigate();

  if (!open) {
    return (
      <button type="button" className="button ghost new-list" onClick={() => setOpen(true)}>
        <span aria-hidden="true">+</span> New list
      </button>
    );
  }
  const close = () => {
    setOpen(false);
    setName('');
    reset();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    createList({ name: trimmed })
      .unwrap()
      .then((list) => {
        close();
        onCreated?.();
        navigate(`/lists/${encodeURIComponent(list.id)}`);
      })
      .catch(() => undefined);
  };
  return (
    <form className="new-list-form" onSubmit={submit}>
      <label htmlFor="new-list-name" className="visually-hidden">
        Name of the new list
      </label>
      <input
        id="new-list-name"
        autoFocus
        placeholder="List name"
        maxLength={200}
        value={name}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && close()}
      />
      <div className="form-actions">
        <button type="submit" className="button primary small" disabled={isLoading || !name.trim()}>
          Create
        </button>
        <button type="button" className="button ghost small" onClick={close}>
          Cancel
        </button>
      </div>
      <ErrorMessage>{errorMessage(error)}</ErrorMessage>
    </form>
  );
}
