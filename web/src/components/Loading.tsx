import { useEffect, useState } from 'react';

/** Says "Loading…" only when loading lasts long enough to notice, so fast answers do not flash. */
export function Loading({ delayMs = 400, label = 'Loading…' }: { delayMs?: number; label?: string }) {
  const [visible, setVisible] = useState(delayMs === 0);
  useEffect(() => {
    if (delayMs === 0) return;
    const timer = setTimeout(() => setVisible(true), delayMs);
    return () => clearTimeout(timer);
  }, [delayMs]);
  return (
    <div className="loading" role="status" aria-live="polite">
      {visible ? label : null}
    </div>
  );
}
