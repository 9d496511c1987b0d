import { api } from '../../app/api';
import { noticeAdded } from '../../app/noticesSlice';
import { errorMessage } from '../../app/problem';

export type Role = 'owner' | 'editor' | 'viewer';

export interface TaskList {
  id: string;
  name: string;
  role: Role;
  openCount: number;
  totalCount: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Member {
  userId: string;
  email: string;
  displayName: string;
  role: Role;
}

export const canEdit = (role: Role | undefined) => role === 'owner' || role === 'editor';
export const isOwner = (role: Role | undefined) => role === 'owner';

export const listsApi = api.injectEndpoints({
  endpoints: (build) => ({
    getLists: build.query<TaskList[], void>({
      query: () => '/lists',
      providesTags: (lists) => [
        { type: 'List' as const, id: 'LIST' },
        ...(lists ?? []).map((l) => ({ type: 'List' as const, id: l.id })),
      ],
    }),
    getList: build.query<TaskList, string>({
      query: (listId) => `/lists/${encodeURIComponent(listId)}`,
      providesTags: (_r, _e, listId) => [{ type: 'List', id: listId }],
    }),
    createList: build.mutation<TaskList, { name: string }>({
      query: (body) => ({ url: '/lists', method: 'POST', body }),
      async onQueryStarted(_arg, { dispatch, queryFulfilled }) {
        const result = await queryFulfilled.catch(() => undefined);
        if (!result) return;
        dispatch(
          listsApi.util.updateQueryData('getLists', undefined, (lists) => {
            if (!lists.some((l) => l.id === result.data.id)) lists.push(result.data);
          }),
        );
      },
    }),
    renameList: build.mutation<TaskList, { listId: string; name: string }>({
      query: ({ listId, name }) => ({ url: `/lists/${encodeURIComponent(listId)}`, method: 'PATCH', body: { name } }),
      async onQueryStarted({ listId, name }, { dispatch, queryFulfilled }) {
        const patch = dispatch(
          listsApi.util.updateQueryData('getLists', undefined, (lists) => {
            const list = lists.find((l) => l.id === listId);
            if (list) list.name = name;
          }),
        );
        try {
          const { data } = await queryFulfilled;
          dispatch(listsApi.util.upsertQueryData('getList', listId, data));
        } catch (e) {
          patch.undo();
          dispatch(noticeAdded(`Could not rename the list: ${errorMessage((e as { error?: never }).error)}`));
        }
      },
    }),
    deleteList: build.mutation<void, string>({
      query: (listId) => ({ url: `/lists/${encodeURIComponent(listId)}`, method: 'DELETE' }),
      invalidatesTags: [{ type: 'List', id: 'LIST' }, 'View'],
    }),
    getMembers: build.query<Member[], string>({
      query: (listId) => `/lists/${encodeURIComponent(listId)}/members`,
      providesTags: (_r, _e, listId) => [{ type: 'Member', id: listId }],
    }),
    addMember: build.mutation<Member, { listId: string; email: string; role: Exclude<Role, 'owner'> }>({
      query: ({ listId, email, role }) => ({
        url: `/lists/${encodeURIComponent(listId)}/members`,
        method: 'POST',
        body: { email, role },
      }),
      invalidatesTags: (_r, _e, { listId }) => [{ type: 'Member', id: listId }],
    }),
    removeMember: build.mutation<void, { listId: string; userId: string }>({
      query: ({ listId, userId }) => ({
        url: `/lists/${encodeURIComponent(listId)}/members/${encodeURIComponent(userId)}`,
        method: 'DELETE',
      }),
      invalidatesTags: (_r, _e, { listId }) => [{ type: 'Member', id: listId }, { type: 'List', id: 'LIST' }],
    }),
  }),
});

export const {
  useGetListsQuery,
  useGetListQuery,
  useCreateListMutation,
  useRenameListMutation,
  useDeleteListMutation,
  useGetMembersQuery,
  useAddMemberMutation,
  useRemoveMemberMutation,
} = listsApi;
