import { api } from '../../app/api';

export interface User {
  id: string;
  email: string;
  displayName: string;
}

export interface Credentials {
  email: string;
  password: string;
}

export interface SignupRequest extends Credentials {
  displayName?: string;
}

export const authApi = api.injectEndpoints({
  endpoints: (build) => ({
    me: build.query<User, void>({
      query: () => '/me',
      providesTags: ['Me'],
    }),
    login: build.mutation<User, Credentials>({
      query: (body) => ({ url: '/auth/login', method: 'POST', body }),
      async onQueryStarted(_arg, { dispatch, queryFulfilled }) {
        const { data } = await queryFulfilled.catch(() => ({ data: undefined }));
        if (data) startSession(dispatch, data);
      },
    }),
    signup: build.mutation<User, SignupRequest>({
      query: (body) => ({ url: '/auth/signup', method: 'POST', body }),
      async onQueryStarted(_arg, { dispatch, queryFulfilled }) {
        const { data } = await queryFulfilled.catch(() => ({ data: undefined }));
        if (data) startSession(dispatch, data);
      },
    }),
    logout: build.mutation<void, void>({
      query: () => ({ url: '/auth/logout', method: 'POST' }),
      async onQueryStarted(_arg, { dispatch, queryFulfilled }) {
        await queryFulfilled.catch(() => undefined);
        // Whatever the answer, forget everything the previous user could see.
        dispatch(api.util.resetApiState());
      },
    }),
  }),
});

/** A new session: drop what an earlier user left in the cache, then remember who is logged in. */
function startSession(dispatch: (action: unknown) => unknown, user: User) {
  dispatch(api.util.resetApiState());
  dispatch(authApi.util.upsertQueryData('me', undefined, user));
}

export const { useMeQuery, useLoginMutation, useSignupMutation, useLogoutMutation } = authApi;
