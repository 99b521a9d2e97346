import type { Region } from '@concord/shared'

/** Where copied regions wait; localStorage so they can be pasted onto another asset. */
const CLIPBOARD_KEY = 'concord.region-clipboard'

export type CopiedRegion = {
  kind: string
  labelId: string
  geometry: unknown
  attributes: Record<string, unknown>
}

export function writeClipboard(regions: Region[]): boolean {
  if (regions.length === 0) return false
  const copied: CopiedRegion[] = regions.map((r) => ({
    kind: r.kind,
    labelId: r.labelId,
    geometry: r.geometry,
    attributes: r.attributes,
  }))
  localStorage.setItem(CLIPBOARD_KEY, JSON.stringify(copied))
  return true
}

/** The copied regions, unchecked beyond their shape; the editor validates geometry on paste. */
export function readClipboard(): CopiedRegion[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(CLIPBOARD_KEY) ?? '[]')
    if (!Array.isArray(parsed)) return []
    return parsed
      .filter(
        (c): c is CopiedRegion =>
          typeof c === 'object' &&
          c !== null &&
          typeof c.kind === 'string' &&
          typeof c.labelId === 'string',
      )
      .map((c) => ({
        ...c,
        attributes: typeof c.attributes === 'object' && c.attributes !== null ? c.attributes : {},
      }))
  } catch {
    return []
  }
}
