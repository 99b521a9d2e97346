/** What a list backed by a query shows. */
export type ListState = 'loading' | 'error' | 'empty' | 'ready'

/**
 * Which of its states a query's list is in. An empty answer still being fetched again (after an
 * import, whose answer waits for the new regions) is loading, not empty: it is about to fill.
 */
export function listState(query: {
  data: readonly unknown[] | undefined
  error: unknown
  isFetching: boolean
}): ListState {
  if (query.error && !query.isFetching) return 'error'
  if (query.data === undefined) return query.error ? 'error' : 'loading'
  if (query.data.length > 0) return 'ready'
  return query.isFetching ? 'loading' : 'empty'
}
