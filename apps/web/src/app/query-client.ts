import { QueryClient } from '@tanstack/react-query'
import { ApiError } from './api.ts'

/** Queries retry network blips, but never a 4xx: asking again will not change the answer. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
    },
  },
})
