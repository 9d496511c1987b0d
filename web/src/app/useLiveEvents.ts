import { useEffect } from 'react';
import { useStore } from 'react-redux';
import type { AppStore } from './store';
import { subscribeToEvents, type EventSourceFactory } from './live';

/** Keeps the live event stream open while a user is logged in (the app shell is shown). */
export function useLiveEvents(userId: string | undefined, open?: EventSourceFactory) {
  const store = useStore() as AppStore;
  useEffect(() => {
    if (!userId || (!open && typeof EventSource === 'undefined')) return undefined;
    return subscribeToEvents(store.dispatch, store.getState, userId, open);
  }, [store, userId, open]);
}
