import type { ConversionReport, LossinessEntry, ReportEntry } from '../model.ts'

/**
 * Collects report entries during one conversion. Repeated warnings of one kind (`clipped`
 * boxes, say) are folded into one entry with a count, so a large dataset gives a readable report.
 */
export class ReportBuilder {
  private readonly warnings: ReportEntry[] = []
  private readonly counted = new Map<string, ReportEntry>()
  private readonly lossiness = new Map<string, LossinessEntry>()

  /** Adds one warning as it is. */
  warn(entry: ReportEntry): void {
    this.warnings.push(entry)
  }

  /** Adds to a counted warning keyed by code, file and message. */
  count(code: ReportEntry['code'], message: string, file?: string, by = 1): void {
    const key = `${code}\u0000${file ?? ''}\u0000${message}`
    const existing = this.counted.get(key)
    if (existing) {
      existing.count = (existing.count ?? 0) + by
      return
    }
    const entry: ReportEntry = { code, message, count: by, ...(file ? { file } : {}) }
    this.counted.set(key, entry)
    this.warnings.push(entry)
  }

  /** Records that a format could not carry something of `kind`. */
  lossy(kind: LossinessEntry['kind'], reason: string, by = 1): void {
    const key = `${kind}\u0000${reason}`
    const existing = this.lossiness.get(key)
    if (existing) existing.count += by
    else this.lossiness.set(key, { kind, reason, count: by })
  }

  build(): ConversionReport {
    return { warnings: [...this.warnings], lossiness: [...this.lossiness.values()] }
  }
}
