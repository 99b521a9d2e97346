import { describe, expect, it, vi } from 'vitest'
import { computeSaveStatus } from './save-status.ts'
import { throttle } from './throttle.ts'

describe('save status', () => {
  const ME = 7
  const EARLIER_LOAD = 3
  const COLLEAGUE = 11
  const vector = (entries: [number, number][]) => new Map(entries)
  const base = {
    connected: true,
    everConnected: true,
    localVector: vector([[ME, 5]]),
    savedVector: vector([[ME, 5]]),
  }

  it('is saved when the server holds every local update', () => {
    expect(computeSaveStatus(base)).toBe('saved')
    expect(computeSaveStatus({ ...base, savedVector: vector([[ME, 9]]) })).toBe('saved')
  })

  it('is saving while local updates are ahead of what the server saved', () => {
    expect(computeSaveStatus({ ...base, localVector: vector([[ME, 6]]) })).toBe('saving')
    expect(computeSaveStatus({ ...base, savedVector: null })).toBe('saving')
  })

  it('is saving while edits restored from an earlier page load are not on the server', () => {
    const localVector = vector([
      [ME, 5],
      [EARLIER_LOAD, 2],
    ])
    expect(computeSaveStatus({ ...base, localVector })).toBe('saving')
    const savedVector = vector([
      [ME, 5],
      [EARLIER_LOAD, 2],
      [COLLEAGUE, 40],
    ])
    expect(computeSaveStatus({ ...base, localVector, savedVector })).toBe('saved')
  })

  it('is saved for an empty document before any saved message', () => {
    expect(computeSaveStatus({ ...base, localVector: vector([]), savedVector: null })).toBe('saved')
  })

  it('is offline once disconnected, connecting before the first connection', () => {
    expect(computeSaveStatus({ ...base, connected: false })).toBe('offline')
    expect(computeSaveStatus({ ...base, connected: false, everConnected: false })).toBe(
      'connecting',
    )
  })
})

describe('throttle', () => {
  it('delivers the first call at once and the latest of a burst at the end of the interval', () => {
    vi.useFakeTimers()
    const calls: number[] = []
    const t = throttle(
      (n: number) => calls.push(n),
      33,
      () => Date.now(),
    )
    t.call(1)
    t.call(2)
    t.call(3)
    expect(calls).toEqual([1])
    vi.advanceTimersByTime(40)
    expect(calls).toEqual([1, 3])
    vi.useRealTimers()
  })
})
