import { baseName, extName, normalizePath, stripExt } from '@concord/shared/formats/paths'

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
 *
 * A name without an extension that none of these finds (CVAT for video's `frame_000010`, a
 * Label Studio task's extensionless path) is looked for again by the same steps among the
 * assets' paths without their extensions, so `frame_000010.png` fits when it alone does.
 */
export function createAssetMatcher<A extends { fileName: string; id?: string }>(
  assets: A[],
  options: { byBaseName?: boolean } = {},
): AssetMatcher<A> {
  const byPath = new Map<string, A>()
  const bySuffix = new Map<string, A[]>()
  const byStem = new Map<string, A[]>()
  const byStemSuffix = new Map<string, A[]>()
  for (const asset of assets) {
    const key = normalizePath(asset.fileName)
    byPath.set(key, asset)
    addSuffixes(bySuffix, key, asset)
    const stem = stripExt(key)
    addTo(byStem, stem, asset)
    addSuffixes(byStemSuffix, stem, asset)
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
  const bySteps = (
    exact: (key: string) => A | undefined,
    suffixes: Map<string, A[]>,
    path: string,
    subset: string | undefined,
  ): A | undefined => {
    const key = normalizePath(path)
    const inFolder = subset ? exact(normalizePath(`${subset}/${path}`)) : undefined
    const found = inFolder ?? exact(key)
    if (found) return found
    const suffix = key.includes('/') ? pick(suffixes.get(key), subset) : undefined
    if (suffix || options.byBaseName === false) return suffix
    return pick(suffixes.get(baseName(key)), subset)
  }
  return (path, subset) => {
    const found = bySteps((key) => byPath.get(key), bySuffix, path, subset)
    if (found || extName(normalizePath(path)) !== '') return found
    return bySteps((stem) => pick(byStem.get(stem), subset), byStemSuffix, path, subset)
  }
}

/** Files `asset` under every ending of its path: `a/b/c.jpg`, `b/c.jpg`, `c.jpg`. */
function addSuffixes<A>(index: Map<string, A[]>, path: string, asset: A): void {
  const segments = path.split('/')
  for (let i = 0; i < segments.length; i++) addTo(index, segments.slice(i).join('/'), asset)
}

function addTo<A>(index: Map<string, A[]>, key: string, asset: A): void {
  const list = index.get(key)
  if (list) list.push(asset)
  else index.set(key, [asset])
}

/** One asset may stand under two names (its own and a zip's); it is still one candidate. */
function distinct<A extends { fileName: string; id?: string }>(assets: A[]): A[] {
  return [...new Map(assets.map((a) => [a.id ?? a.fileName, a])).values()]
}
