import { describe, expect, it, vi } from 'vitest'
import { computeSaveStatus } from './save-status.ts'
import { throttle } from './throttle.ts'

describe('save status', () => {
  const base = { connected: true, everConnected: true, localClock: 5, savedClock: 5 }

  it('is saved when the server holds every local update', () => {
    expect(computeSaveStatus(base)).toBe('saved')
    expect(computeSaveStatus({ ...base, savedClock: 9 })).toBe('saved')
  })

  it('is saving while local updates are ahead of the saved clock', () => {
    expect(computeSaveStatus({ ...base, localClock: 6 })).toBe('saving')
    expect(computeSaveStatus({ ...base, savedClock: null })).toBe('saving')
  })

  it('is saved for a client that made no edits', () => {
    expect(computeSaveStatus({ ...base, localClock: 0, savedClock: null })).toBe('saved')
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
