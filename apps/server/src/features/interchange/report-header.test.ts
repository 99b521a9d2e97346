import { describe, expect, it } from 'vitest'
import { reportHeader } from './routes.ts'

describe('X-Concord-Report', () => {
  it('keeps a short report whole, with non-ASCII escaped', () => {
    const report = { warnings: [{ code: 'other', message: 'café' }], lossiness: [] }
    const header = reportHeader(report)
    expect(header).toMatch(/^[\x20-\x7e]*$/)
    expect(JSON.parse(header)).toEqual(report)
  })

  it('cuts a long report to valid JSON under the limit, keeping lossiness and marking it truncated', () => {
    const warnings = Array.from({ length: 500 }, (_, i) => ({
      code: 'clamped',
      message: `région ${i} clamped`,
    }))
    const lossiness = [{ kind: 'polygon', count: 3, reason: 'no polygons in this format' }]
    const header = reportHeader({ warnings, lossiness })
    expect(header.length).toBeLessThanOrEqual(4000)
    const parsed = JSON.parse(header)
    expect(parsed.truncated).toBe(true)
    expect(parsed.lossiness).toEqual(lossiness)
    expect(parsed.warnings.length).toBeGreaterThan(10)
    expect(parsed.warnings).toEqual(warnings.slice(0, parsed.warnings.length))
  })
})
