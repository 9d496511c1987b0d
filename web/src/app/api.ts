import { createApi, fetchBaseQuery } from '@reduxjs/toolkit/query/react';
import type { BaseQueryFn, FetchArgs, FetchBaseQueryError } from '@reduxjs/toolkit/query';
import { CSRF_COOKIE, CSRF_HEADER, isUnsafe, readCookie } from './csrf';

export const API_BASE = '/api/v1';

// An absolute base: the same origin in the browser, and a valid URL for fetch in tests.
const baseUrl = `${typeof window === 'undefined' ? 'http://localhost' : window.location.origin}${API_BASE}`;

const rawBaseQuery = fetchBaseQuery({
  baseUrl,
  credentials: 'same-origin',
  prepareHeaders: (headers) => {
    headers.set('Accept', 'application/json, application/problem+json');
    return headers;
  },
});

/**
 * The base query of every endpoint: same-origin cookies, and on unsafe methods the CSRF header
 * echoing the XSRF-TOKEN cookie (read at send time, since the server may rotate it at log-in).
 */
let writes: Promise<void> = Promise.resolve();

export const baseQuery: BaseQueryFn<string | FetchArgs, unknown, FetchBaseQueryError> = async (
  args,
  queryApi,
  extraOptions,
) => {
  const request: FetchArgs = typeof args === 'string' ? { url: args } : { ...args };
  let result;
  if (isUnsafe(request.method)) {
    // Changes go to the server one at a time, in the order the user made them: two quick changes
    // sent side by side (e.g. "mark all" then "unmark all") could be applied the other way round.
    const previous = writes;
    let release = () => {};
    writes = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      const token = readCookie(CSRF_COOKIE);
      if (token) {
        const headers = new Headers(request.headers as HeadersInit | undefined);
        headers.set(CSRF_HEADER, token);
        request.headers = headers;
      }
      result = await rawBaseQuery(request, queryApi, extraOptions);
    } finally {
      release();
    }
  } else {
    result = await rawBaseQuery(request, queryApi, extraOptions);
  }
  if (result.error?.status === 401 && !SESSION_ENDPOINTS.has(queryApi.endpoint)) {
    // The session ended (expired or logged out elsewhere): ask who we are, which leads to log-in.
    queryApi.dispatch(api.util.invalidateTags(['Me']));
  }
  return result;
};

const SESSION_ENDPOINTS = new Set(['me', 'login', 'signup', 'logout']);

/** The one RTK Query API slice; features add their endpoints with injectEndpoints. */
export const api = createApi({
  reducerPath: 'api',
  baseQuery,
  tagTypes: ['Me', 'List', 'Member', 'Task', 'View'],
  refetchOnReconnect: true,
  endpoints: () => ({}),
});
