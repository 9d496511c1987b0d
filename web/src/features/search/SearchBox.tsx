import { forwardRef, useEffect, useState, type KeyboardEvent } from 'react';
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

  const go = (q: string) => {
    const trimmed = q.trim();
    if (trimmed === urlQuery.trim() && onSearchPage) return;
    if (!trimmed && !onSearchPage) return;
    navigate(`/search?q=${encodeURIComponent(trimmed)}`, { replace: onSearchPage });
  };

  useEffect(() => {
    if (text === urlQuery) return undefined;
    const timer = setTimeout(() => go(text), DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // Only the text starts the timer; go() reads the current URL state when it fires.
  }, [text]);

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
