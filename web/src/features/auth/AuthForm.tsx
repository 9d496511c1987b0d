import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';

export interface AuthFields {
  email: string;
  password: string;
  displayName: string;
}

interface Props {
  title: string;
  submitLabel: string;
  busy: boolean;
  error: string;
  withDisplayName?: boolean;
  onSubmit: (fields: AuthFields) => void;
  footer: ReactNode;
}

/** The shared form of the sign-up and log-in pages. */
export function AuthForm({ title, submitLabel, busy, error, withDisplayName = false, onSubmit, footer }: Props) {
  const [fields, setFields] = useState<AuthFields>({ email: '', password: '', displayName: '' });
  const id = useId();
  const errorId = `${id}-error`;
  const set = (name: keyof AuthFields) => (e: { target: { value: string } }) =>
    setFields((f) => ({ ...f, [name]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(fields);
  };
  return (
    <main className="auth-page">
      <div className="auth-card">
        <p className="brand">Taskmesh</p>
        <h1>{title}</h1>
        <form onSubmit={submit} aria-describedby={error ? errorId : undefined} noValidate>
          {withDisplayName && (
            <div className="field">
              <label htmlFor={`${id}-name`}>Name (optional)</label>
              <input id={`${id}-name`} name="displayName" autoComplete="name" value={fields.displayName} onChange={set('displayName')} />
            </div>
          )}
          <div className="field">
            <label htmlFor={`${id}-email`}>Email</label>
            <input
              id={`${id}-email`}
              name="email"
              type="email"
              autoComplete="email"
              required
              autoFocus
              value={fields.email}
              onChange={set('email')}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-password`}>Password</label>
            <input
              id={`${id}-password`}
              name="password"
              type="password"
              autoComplete={withDisplayName ? 'new-password' : 'current-password'}
              required
              minLength={withDisplayName ? 8 : undefined}
              value={fields.password}
              onChange={set('password')}
            />
            {withDisplayName && <p className="hint">At least 8 characters.</p>}
          </div>
          <ErrorMessage id={errorId}>{error}</ErrorMessage>
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? `${submitLabel}…` : submitLabel}
          </button>
        </form>
        <p className="auth-footer">{footer}</p>
      </div>
    </main>
  );
}
