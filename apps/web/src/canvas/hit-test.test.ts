import { describe, expect, it } from 'vitest'
import { boundsOf, pickRegion, pointInRing, regionContains } from './hit-test.ts'
import { region } from './testing.ts'

describe('hit testing', () => {
  const big = region('big', { kind: 'bbox', geometry: { x: 0, y: 0, w: 100, h: 100 } })
  const small = region('small', { kind: 'bbox', geometry: { x: 10, y: 10, w: 20, h: 20 } })
  const dot = region('dot', { kind: 'point', geometry: { x: 15, y: 15 } })
  const triangle = region('tri', {
    kind: 'polygon',
    geometry: {
      points: [
        [200, 0],
        [300, 0],
        [200, 100],
      ],
    },
  })

  it('picks the smallest region under the pointer so nested boxes stay reachable', () => {
    expect(pickRegion([big, small], { x: 15, y: 25 }, 1)?.id).toBe('small')
    expect(pickRegion([big, small], { x: 50, y: 50 }, 1)?.id).toBe('big')
  })

  it('prefers a point over the area it sits in', () => {
    expect(pickRegion([big, small, dot], { x: 16, y: 15 }, 2)?.id).toBe('dot')
  })

  it('hits a polygon inside and misses it beyond its hypotenuse', () => {
    expect(regionContains(triangle, { x: 210, y: 10 }, 0)).toBe(true)
    expect(regionContains(triangle, { x: 290, y: 90 }, 0)).toBe(false)
    expect(pickRegion([triangle], { x: 290, y: 90 }, 2)).toBeNull()
  })

  it('counts a click just outside a polygon edge as a hit within tolerance', () => {
    expect(regionContains(triangle, { x: 250, y: -2 }, 3)).toBe(true)
  })

  it('tells inside from outside for a concave ring', () => {
    const ring: [number, number][] = [
      [0, 0],
      [10, 0],
      [10, 10],
      [5, 5],
      [0, 10],
    ]
    expect(pointInRing({ x: 5, y: 8 }, ring)).toBe(false)
    expect(pointInRing({ x: 5, y: 2 }, ring)).toBe(true)
  })

  it('bounds a rotated box by its rotated corners', () => {
    const b = boundsOf(
      region('r', { kind: 'rbox', geometry: { cx: 0, cy: 0, w: 2, h: 2, angle: 45 } }),
    )
    expect(b?.maxX).toBeCloseTo(Math.SQRT2)
  })
})
