import type { FetchBaseQueryError } from '@reduxjs/toolkit/query';
import type { SerializedError } from '@reduxjs/toolkit';

/** An RFC 9457 problem as the API answers errors. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && ('title' in value || 'detail' in value);
}

/** A sentence a person can read, from whatever RTK Query reports as an error. */
export function errorMessage(error: FetchBaseQueryError | SerializedError | undefined | null): string {
  if (!error) return '';
  if ('status' in error) {
    const { status } = error;
    if (status === 'FETCH_ERROR') return 'The server cannot be reached. Check your connection and try again.';
    if (status === 'TIMEOUT_ERROR') return 'The server took too long to answer. Try again.';
    if (status === 'PARSING_ERROR') return 'The server sent an answer that could not be read.';
    const data = error.data;
    if (isProblem(data)) {
      if (data.errors && data.errors.length > 0) {
        return data.errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
      }
      return data.detail || data.title || `Request failed (${String(status)})`;
    }
    if (status === 401) return 'Your session has ended. Please log in again.';
    if (status === 403) return 'You are not allowed to do that.';
    if (status === 404) return 'This no longer exists, or you do not have access to it.';
    return `Request failed (${String(status)})`;
  }
  return error.message ?? 'Something went wrong.';
}

export function errorStatus(error: unknown): number | string | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error) {
    return (error as { status: number | string }).status;
  }
  return undefined;
}
