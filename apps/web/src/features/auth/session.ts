import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { api, ApiError, type User } from '../../app/api.ts'

const ME_KEY = ['me'] as const

/** The signed-in user, or null when the server says 401. */
export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async () => {
      try {
        return (await api<{ user: User }>('/api/auth/me')).user
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null
        throw error
      }
    },
    staleTime: 60_000,
  })
}

export function useSignIn() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: { email: string; password: string }) =>
      api<{ user: User }>('/api/auth/login', { method: 'POST', json: input }),
    onSuccess: ({ user }) => {
      forgetAllBut(client, ME_KEY[0])
      client.setQueryData(ME_KEY, user)
    },
  })
}

export function useSignOut() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: () => api<void>('/api/auth/logout', { method: 'POST' }),
    onSettled: () => {
      forgetAllBut(client, ME_KEY[0])
      client.setQueryData(ME_KEY, null)
    },
  })
}

/**
 * Drops every cached answer of the previous user. The `me` query itself stays: clearing it
 * would detach the observer that decides between the sign-in page and the app.
 */
function forgetAllBut(client: QueryClient, keep: string): void {
  client.removeQueries({ predicate: (q) => q.queryKey[0] !== keep })
}
