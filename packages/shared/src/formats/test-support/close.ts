import { expect } from 'vitest'

/** Deep equality where numbers may differ by `tolerance` (a format's precision). */
export function expectClose(
  actual: unknown,
  expected: unknown,
  tolerance = 1e-6,
  path = '$',
): void {
  if (typeof actual === 'number' && typeof expected === 'number') {
    expect(Math.abs(actual - expected), `${path}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
      tolerance,
    )
  } else if (Array.isArray(actual) && Array.isArray(expected)) {
    expect(actual.length, `${path}.length`).toBe(expected.length)
    actual.forEach((v, i) => expectClose(v, expected[i], tolerance, `${path}[${i}]`))
  } else if (actual && expected && typeof actual === 'object' && typeof expected === 'object') {
    const a = actual as Record<string, unknown>
    const b = expected as Record<string, unknown>
    expect(Object.keys(a).sort(), `${path} keys`).toEqual(Object.keys(b).sort())
    for (const k of Object.keys(a)) expectClose(a[k], b[k], tolerance, `${path}.${k}`)
  } else {
    expect(actual, path).toEqual(expected)
  }
}
