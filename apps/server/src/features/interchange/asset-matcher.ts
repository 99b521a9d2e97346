import { baseName, normalizePath } from '@concord/shared/formats/paths'

/** How an annotation file's image is looked for among a project's assets. */
export type AssetMatcher<A> = (path: string, subset?: string) => A | undefined

/**
 * Finds the project's asset for an image named in an annotation file, most certain first:
 * `<subset>/<path>`; the same relative path; the one asset whose path ends with the whole
 * named path; the one asset with that base name. Where several assets fit a step, those with
 * the subset among their folders are preferred, and when that still leaves several, the
 * image is not matched: a guess would put regions on the wrong image. `byBaseName: false`
 * stops before the last step, for deciding whether an image carried in a zip is new. Both sides
 * are URL-decoded and NFC-normalised; folder names compare without case.
 */
export function createAssetMatcher<A extends { fileName: string; id?: string }>(
  assets: A[],
  options: { byBaseName?: boolean } = {},
): AssetMatcher<A> {
  const byPath = new Map<string, A>()
  const bySuffix = new Map<string, A[]>()
  for (const asset of assets) {
    const key = normalizePath(asset.fileName)
    byPath.set(key, asset)
    const segments = key.split('/')
    for (let i = 0; i < segments.length; i++) {
      const suffix = segments.slice(i).join('/')
      bySuffix.set(suffix, [...(bySuffix.get(suffix) ?? []), asset])
    }
  }
  const inSubset = (asset: A, subset: string) =>
    normalizePath(asset.fileName)
      .toLowerCase()
      .split('/')
      .slice(0, -1)
      .includes(subset.toLowerCase())
  const pick = (found: A[] | undefined, subset: string | undefined): A | undefined => {
    if (!found || found.length === 0) return undefined
    const candidates = distinct(found)
    if (candidates.length === 1) return candidates[0]
    if (!subset) return undefined
    const preferred = distinct(found.filter((a) => inSubset(a, subset)))
    return preferred.length === 1 ? preferred[0] : undefined
  }
  return (path, subset) => {
    const key = normalizePath(path)
    const inFolder = subset ? byPath.get(normalizePath(`${subset}/${path}`)) : undefined
    const exact = inFolder ?? byPath.get(key)
    if (exact) return exact
    const suffix = key.includes('/') ? pick(bySuffix.get(key), subset) : undefined
    if (suffix || options.byBaseName === false) return suffix
    return pick(bySuffix.get(baseName(key)), subset)
  }
}

/** One asset may stand under two names (its own and a zip's); it is still one candidate. */
function distinct<A extends { fileName: string; id?: string }>(assets: A[]): A[] {
  return [...new Map(assets.map((a) => [a.id ?? a.fileName, a])).values()]
}
