import { describe, expect, it } from 'vitest'
import { countOf, firstOf } from './count.ts'

describe('counts', () => {
  it('says one thing in the singular and any other number in the plural', () => {
    expect(countOf(1, 'warning')).toBe('1 warning')
    expect(countOf(0, 'warning')).toBe('0 warnings')
    expect(countOf(2, 'new label')).toBe('2 new labels')
    expect(countOf(3, 'box', 'boxes')).toBe('3 boxes')
  })

  it('cuts a long list to its first items and counts the rest', () => {
    const list = Array.from({ length: 25 }, (_, i) => i)
    expect(firstOf(list, 10)).toEqual({ shown: list.slice(0, 10), more: 15 })
  })

  it('keeps a short list whole, one over the limit included', () => {
    expect(firstOf([1, 2, 3], 10)).toEqual({ shown: [1, 2, 3], more: 0 })
    const eleven = Array.from({ length: 11 }, (_, i) => i)
    expect(firstOf(eleven, 10)).toEqual({ shown: eleven, more: 0 })
  })
})
