import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { errorMessage, errorStatus } from '../../app/problem';
import { AuthForm } from './AuthForm';
import { useLoginMutation, useMeQuery } from './authApi';

function returnPath(state: unknown): string {
  const from = (state as { from?: string } | null)?.from;
  return from && from.startsWith('/') && !from.startsWith('//') ? from : '/today';
}

export function LoginPage() {
  const [login, { isLoading, error }] = useLoginMutation();
  const { data: me, isError } = useMeQuery();
  const navigate = useNavigate();
  const location = useLocation();
  if (me && !isError) return <Navigate to={returnPath(location.state)} replace />;
  const message =
    errorStatus(error) === 401 ? 'That email and password do not match an account.' : errorMessage(error);
  return (
    <AuthForm
      title="Log in"
      submitLabel="Log in"
      busy={isLoading}
      error={message}
      onSubmit={({ email, password }) => {
        if (!email.trim() || !password) return;
        login({ email: email.trim(), password })
          .unwrap()
          .then(() => navigate(returnPath(location.state), { replace: true }))
          .catch(() => undefined);
      }}
      footer={
        <>
          New to Taskmesh? <Link to="/signup">Create an account</Link>
        </>
      }
    />
  );
}
