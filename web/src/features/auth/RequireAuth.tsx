import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { errorMessage, errorStatus } from '../../app/problem';
import { Loading } from '../../components/Loading';
import { useMeQuery } from './authApi';

/** Shows its children to a logged-in user; sends anyone else to the log-in page. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { data: me, error, isLoading, refetch } = useMeQuery();
  const location = useLocation();
  if (me && !error) return <>{children}</>;
  if (isLoading) return <Loading />;
  if (errorStatus(error) === 401 || !error) {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  return (
    <main className="auth-page">
      <div className="auth-card">
        <p role="alert">{errorMessage(error)}</p>
        <button type="button" className="button" onClick={() => refetch()}>
          Try again
        </button>
      </div>
    </main>
  );
}
