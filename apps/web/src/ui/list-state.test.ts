import { describe, expect, it } from 'vitest'
import { listState } from './list-state.ts'

describe('a query-backed list', () => {
  it('is loading before its first answer', () => {
    expect(listState({ data: undefined, error: null, isFetching: true })).toBe('loading')
  })

  it('is loading, not empty, while an empty answer is fetched again', () => {
    expect(listState({ data: [], error: null, isFetching: true })).toBe('loading')
  })

  it('is empty only once an empty answer is settled', () => {
    expect(listState({ data: [], error: null, isFetching: false })).toBe('empty')
  })

  it('keeps showing its items while they are fetched again', () => {
    expect(listState({ data: [1], error: null, isFetching: true })).toBe('ready')
  })

  it('shows an error once the fetch has given up', () => {
    expect(listState({ data: undefined, error: new Error('down'), isFetching: false })).toBe(
      'error',
    )
  })
})
