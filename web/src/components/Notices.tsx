import { useEffect } from 'react';
import { useAppDispatch, useAppSelector } from '../app/hooks';
import { noticeDismissed, selectNotices } from '../app/noticesSlice';

const DISMISS_AFTER_MS = 8000;

/** Messages about changes the server refused (after the optimistic change was rolled back). */
export function Notices() {
  const notices = useAppSelector(selectNotices);
  const dispatch = useAppDispatch();
  useEffect(() => {
    if (notices.length === 0) return;
    const timers = notices.map((n) => setTimeout(() => dispatch(noticeDismissed(n.id)), DISMISS_AFTER_MS));
    return () => timers.forEach(clearTimeout);
  }, [notices, dispatch]);
  return (
    <div className="notices" aria-live="assertive" aria-atomic="false">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'}>
          <span>{n.message}</span>
          <button type="button" className="notice-close" onClick={() => dispatch(noticeDismissed(n.id))} aria-label="Dismiss">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
