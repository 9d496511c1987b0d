import { createSlice, nanoid, type PayloadAction } from '@reduxjs/toolkit';

/** Short messages shown in a live region, e.g. when the server refused an optimistic change. */
export interface Notice {
  id: string;
  kind: 'error' | 'info';
  message: string;
}

export interface NoticesState {
  items: Notice[];
}

const MAX_NOTICES = 3;

const initialState: NoticesState = { items: [] };

export const noticesSlice = createSlice({
  name: 'notices',
  initialState,
  reducers: {
    noticeAdded: {
      reducer(state, action: PayloadAction<Notice>) {
        state.items = state.items.filter((n) => n.message !== action.payload.message);
        state.items.push(action.payload);
        if (state.items.length > MAX_NOTICES) state.items.splice(0, state.items.length - MAX_NOTICES);
      },
      prepare(message: string, kind: Notice['kind'] = 'error') {
        return { payload: { id: nanoid(), kind, message } };
      },
    },
    noticeDismissed(state, action: PayloadAction<string>) {
      state.items = state.items.filter((n) => n.id !== action.payload);
    },
    noticesCleared(state) {
      state.items = [];
    },
  },
  selectors: {
    selectNotices: (state) => state.items,
  },
});

export const { noticeAdded, noticeDismissed, noticesCleared } = noticesSlice.actions;
export const { selectNotices } = noticesSlice.selectors;
