import { describe, expect, it } from 'vitest';
import { noticeAdded, noticeDismissed, noticesCleared, noticesSlice, type NoticesState } from './noticesSlice';

const reduce = (state: NoticesState | undefined, action: Parameters<typeof noticesSlice.reducer>[1]) =>
  noticesSlice.reducer(state, action);

describe('notices slice', () => {
  it('adds errors by default and dismisses them by id', () => {
    let state = reduce(undefined, noticeAdded('Could not save'));
    expect(state.items).toHaveLength(1);
    expect(state.items[0]).toMatchObject({ kind: 'error', message: 'Could not save' });
    state = reduce(state, noticeDismissed(state.items[0]!.id));
    expect(state.items).toEqual([]);
  });

  it('keeps one copy of a repeated message and at most three messages', () => {
    let state = reduce(undefined, noticeAdded('same'));
    state = reduce(state, noticeAdded('same'));
    expect(state.items).toHaveLength(1);
    for (const m of ['a', 'b', 'c']) state = reduce(state, noticeAdded(m, 'info'));
    expect(state.items.map((n) => n.message)).toEqual(['a', 'b', 'c']);
    expect(reduce(state, noticesCleared()).items).toEqual([]);
  });
});
