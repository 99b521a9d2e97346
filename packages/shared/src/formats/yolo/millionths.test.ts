import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatMillionths, toMillionths } from './lines.ts'

/**
 * Millionths of `value` rounded as Python's `%.6f` does, in exact arithmetic: the double's own
 * binary value, a tie to even. A double in (0, 1) is m / 2^k exactly.
 */
function reference(value: number): number {
  let k = 0n
  let x = value
  while (!Number.isInteger(x)) {
    x *= 2
    k += 1n
  }
  const scaled = BigInt(x) * 1_000_000n
  const denominator = 1n << k
  const whole = scaled / denominator
  const twice = (scaled % denominator) * 2n
  const up = twice > denominator || (twice === denominator && whole % 2n === 1n)
  return Number(up ? whole + 1n : whole)
}

describe('toMillionths', () => {
  it('rounds a tie to even as Python does: 185/640 is 0.289062', () => {
    expect(formatMillionths(toMillionths(185 / 640))).toBe('0.289062')
    expect(formatMillionths(toMillionths(3 / 128))).toBe('0.023438')
    expect(formatMillionths(toMillionths(0.5))).toBe('0.500000')
  })

  it('equals exact rounding of the binary value for any double in (0, 1)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true, minExcluded: true, maxExcluded: true }),
        (v) => {
          expect(toMillionths(v)).toBe(reference(v))
        },
      ),
      { numRuns: 20_000 },
    )
    // Odd multiples of 1/128 and their neighbours, where ties and near-ties sit.
    for (let j = 1; j < 128; j += 2) {
      for (const v of [j / 128, j / 128 + Number.EPSILON / 8, j / 128 - Number.EPSILON / 8]) {
        expect(toMillionths(v), String(v)).toBe(reference(v))
      }
    }
  })

  it('clamps to [0, 1]', () => {
    expect(toMillionths(-0.1)).toBe(0)
    expect(toMillionths(1.0000004)).toBe(1_000_000)
    expect(toMillionths(Number.NaN)).toBe(0)
  })
})
