import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';

/** Lists up to this long are rendered whole: windowing only pays off for long lists. */
export const WINDOW_FROM = 100;
/** A row's height before it has been measured (one line of title at 16 px). */
export const ESTIMATED_ROW_PX = 53;
/** Rows this far above and below the viewport are rendered too, so fast scrolling shows no gaps. */
const OVERSCAN_PX = 1000;

export interface RowWindow {
  /** Whether the rows are windowed (absolutely placed at `offsets`) or all rendered in flow. */
  windowed: boolean;
  /** Indices of the rows to render, ascending. */
  indices: number[];
  /** The top of each row within the list; `offsets[n]` is the list's whole height. */
  offsets: number[];
  /** Callback ref for each rendered row (an element with `data-id`), to measure its height. */
  measure: (el: HTMLElement | null) => void;
}

/** First index whose row ends below `y`. */
function firstBelow(offsets: number[], y: number): number {
  let lo = 0;
  let hi = offsets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((offsets[mid + 1] ?? Infinity) > y) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Windowed rendering of a long list in the page's own scroll: only the rows within the viewport
 * (plus a margin) are in the DOM. Heights are measured as rows render (titles wrap, the layout
 * changes at 360 px) and estimated for the others. `keep` (the focused row) stays rendered while
 * scrolled away, so keyboard focus is not lost.
 */
export function useRowWindow(ids: string[], list: RefObject<HTMLElement | null>, keep: string | null): RowWindow {
  const windowed = ids.length > WINDOW_FROM;
  const heights = useRef(new Map<string, number>());
  const [measured, setMeasured] = useState(0);
  const [view, setView] = useState({ top: 0, bottom: typeof window === 'undefined' ? 800 : window.innerHeight });

  const offsets = useMemo(() => {
    void measured; // recomputed when a height changed
    const result = new Array<number>(ids.length + 1);
    let y = 0;
    for (let i = 0; i < ids.length; i++) {
      result[i] = y;
      y += heights.current.get(ids[i] ?? '') ?? ESTIMATED_ROW_PX;
    }
    result[ids.length] = y;
    return result;
  }, [ids, measured]);

  // One observer for every rendered row; a batch of new heights causes one re-render.
  const observer = useMemo(() => {
    if (typeof ResizeObserver === 'undefined') return undefined;
    return new ResizeObserver((entries) => {
      let changed = false;
      for (const entry of entries) {
        const el = entry.target as HTMLElement;
        const id = el.dataset.id;
        const height = entry.borderBoxSize?.[0]?.blockSize ?? el.getBoundingClientRect().height;
        if (!id || height <= 0 || heights.current.get(id) === height) continue;
        heights.current.set(id, height);
        changed = true;
      }
      if (changed) setMeasured((n) => n + 1);
    });
  }, []);
  useEffect(() => () => observer?.disconnect(), [observer]);

  const measure = useCallback(
    (el: HTMLElement | null) => {
      if (!el || !observer) return undefined;
      observer.observe(el);
      return () => observer.unobserve(el);
    },
    [observer],
  );

  // The viewport in the list's coordinates, from the page's scroll position.
  const update = useCallback(() => {
    const el = list.current;
    if (!el) return;
    const top = -el.getBoundingClientRect().top;
    const bottom = top + window.innerHeight;
    setView((v) => (v.top === top && v.bottom === bottom ? v : { top, bottom }));
  }, [list]);
  useLayoutEffect(() => {
    if (!windowed) return undefined;
    update();
    let frame = 0;
    const onScroll = () => {
      if (!frame) frame = requestAnimationFrame(() => ((frame = 0), update()));
    };
    window.addEventListener('scroll', onScroll, { passive: true });
    window.addEventListener('resize', onScroll);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('scroll', onScroll);
      window.removeEventListener('resize', onScroll);
    };
  }, [windowed, update, ids.length]);

  const start = windowed ? firstBelow(offsets, view.top - OVERSCAN_PX) : 0;
  const end = windowed ? Math.min(ids.length, firstBelow(offsets, view.bottom + OVERSCAN_PX) + 1) : ids.length;
  const indices = useMemo(() => {
    const result: number[] = [];
    const kept = keep ? ids.indexOf(keep) : -1;
    if (kept >= 0 && kept < start) result.push(kept);
    for (let i = start; i < end; i++) result.push(i);
    if (kept >= end) result.push(kept);
    return result;
  }, [ids, keep, start, end]);

  return { windowed, indices, offsets, measure };
}
