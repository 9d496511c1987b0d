import type { ReactNode } from 'react';

/** An inline error, announced to screen readers. */
export function ErrorMessage({ children, id }: { children: ReactNode; id?: string }) {
  if (!children) return null;
  return (
    <p className="error-message" role="alert" id={id}>
      {children}
    </p>
  );
}
