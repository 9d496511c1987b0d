import { forwardRef, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';

const DEBOUNCE_MS = 250;

/** The shell's search field: typing shows /search?q=… (after a short pause), Enter at once. */
export const SearchBox = forwardRef<HTMLInputElement>(function SearchBox(_props, ref) {
  const location = useLocation();
  const [params] = useSearchParams();
  const onSearchPage = location.pathname === '/search';
  const urlQuery = onSearchPage ? (params.get('q') ?? '') : '';
  const [text, setText] = useState(urlQuery);
  const navigate = useNavigate();

  // Follow the URL (back and forward, or leaving the search page).
  useEffect(() => setText(urlQuery), [urlQuery]);

  // The timer below may fire after a navigation: it reads where we are now, not at render.
  const where = useRef({ urlQuery, onSearchPage });
  where.current = { urlQuery, onSearchPage };

  const go = (q: string) => {
    const { urlQuery: current, onSearchPage: searching } = where.current;
    const trimmed = q.trim();
    if (trimmed === current.trim() && searching) return;
    if (!trimmed && !searching) return;
    navigate(`/search?q=${encodeURIComponent(trimmed)}`, { replace: searching });
  };

  useEffect(() => {
    if (text === urlQuery) return undefined;
    const timer = setTimeout(() => go(text), DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // A new URL (Enter, a click on a result, back) cancels the pending search as well.
  }, [text, urlQuery]);

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      go(text);
    } else if (e.key === 'Escape') {
      setText('');
      e.currentTarget.blur();
    }
  };

  return (
    <form className="search-box" role="search" onSubmit={(e) => e.preventDefault()}>
      <label htmlFor="search-tasks" className="visually-hidden">
        Search tasks in all lists
      </label>
      <input
        ref={ref}
        id="search-tasks"
        type="search"
        placeholder="Search  /"
        autoComplete="off"
        maxLength={200}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
    </form>
  );
});
