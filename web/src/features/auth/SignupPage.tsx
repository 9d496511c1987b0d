import { useState } from 'react';
import { Link, Navigate, useNavigate } from 'react-router';
import { errorMessage } from '../../app/problem';
import { AuthForm } from './AuthForm';
import { useMeQuery, useSignupMutation } from './authApi';

export function SignupPage() {
  const [signup, { isLoading, error }] = useSignupMutation();
  const [localError, setLocalError] = useState('');
  const { data: me, isError } = useMeQuery();
  const navigate = useNavigate();
  if (me && !isError) return <Navigate to="/today" replace />;
  return (
    <AuthForm
      title="Create your account"
      submitLabel="Sign up"
      busy={isLoading}
      error={localError || errorMessage(error)}
      withDisplayName
      onSubmit={({ email, password, displayName }) => {
        if (!email.trim()) return setLocalError('Enter your email address.');
        if (password.length < 8) return setLocalError('The password needs at least 8 characters.');
        setLocalError('');
        signup({ email: email.trim(), password, ...(displayName.trim() ? { displayName: displayName.trim() } : {}) })
          .unwrap()
          .then(() => navigate('/today', { replace: true }))
          .catch(() => undefined);
      }}
      footer={
        <>
          Already have an account? <Link to="/login">Log in</Link>
        </>
      }
    />
  );
}
