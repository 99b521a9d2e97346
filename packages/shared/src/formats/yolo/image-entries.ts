import { decodeText } from '../common/json.ts'
import type { ReportBuilder } from '../common/report.ts'
import type { FileSet } from '../model.ts'
import { extName, isImagePath, itemKey, normalizePath } from '../paths.ts'
import type { YoloImportOptions } from './import.ts'
import { deriveSubsetAndPath, labelCandidates, type YoloConfig } from './layout.ts'
import { parseLabelFile } from './lines.ts'

/** An image of the dataset: its subset and item path, whether the input has it, its labels. */
export type ImageEntry = { subset: string; path: string; present: boolean; label?: string }

/**
 * The images of a YOLO dataset, present or listed, each with the subset and item path it has
 * (a Concord manifest's names first) and the label file found for it.
 */
export function collectImages(
  files: FileSet,
  config: YoloConfig,
  options: YoloImportOptions,
): Map<string, ImageEntry> {
  const images = new Map<string, ImageEntry>()
  const fromManifest = new Map((config.manifest?.items ?? []).map((item) => [item.image, item]))
  const add = (file: string, subset: string, path: string) => {
    if (images.has(file)) return
    const known = fromManifest.get(file)
    const entry = known ? { subset: known.subset, path: known.path } : { subset, path }
    images.set(file, { ...entry, present: files.has(file) })
  }
  for (const split of config.splits) {
    const subset = config.manifest?.subsets?.[split.key] ?? split.key
    for (const { file, dir } of split.images) {
      add(
        file,
        subset,
        dir ? file.slice(dir.length + 1) : deriveSubsetAndPath(file, config.root).path,
      )
    }
  }
  const unlisted = [...files.keys(), ...(options.images ?? []).map(normalizePath)]
  for (const file of unlisted) {
    if (!isImagePath(file) || images.has(file)) continue
    const derived = deriveSubsetAndPath(file, config.root)
    add(file, derived.subset, derived.path)
  }
  adoptLabelsWithoutImages(files, config, options, images, add)
  return images
}

/** Extensions tried, in order, when a label file's image has to be found by its stem. */
const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp', '.bmp', '.tif', '.tiff', '.gif']

/**
 * A labels-only upload (the images are already in the project) has label files and no images.
 * Each such label file still names its image by stem: `labels/train/a/b.txt` is the image
 * `images/train/a/b.*`. The extension is found from the export manifest, from the images the
 * caller listed, or by asking `sizeOf` about each common extension; only when none knows the
 * image is the file left unread (and reported).
 */
function adoptLabelsWithoutImages(
  files: FileSet,
  config: YoloConfig,
  options: YoloImportOptions,
  images: Map<string, ImageEntry>,
  add: (file: string, subset: string, path: string) => void,
): void {
  const claimed = new Set<string>()
  for (const file of images.keys()) for (const c of labelCandidates(file)) claimed.add(c)
  const known = [
    ...(config.manifest?.items ?? []).map((item) => item.image),
    ...(options.images ?? []).map(normalizePath),
  ]
  const knownByStem = new Map(known.map((file) => [stripExtension(file), file]))
  for (const label of files.keys()) {
    if (extName(label).toLowerCase() !== '.txt' || config.configFiles.has(label)) continue
    if (claimed.has(label)) continue
    const target = imageOfLabel(label)
    if (!target) continue
    const adopt = (file: string, subset: string, path: string) => {
      add(file, subset, path)
      const entry = images.get(file)
      if (entry) entry.label = label
    }
    const listed = knownByStem.get(target.stem)
    if (listed) {
      adopt(listed, target.subset, `${target.pathStem}${extName(listed)}`)
      continue
    }
    for (const ext of IMAGE_EXTENSIONS) {
      const path = `${target.pathStem}${ext}`
      const found =
        options.sizeOf?.(`${target.stem}${ext}`) ??
        options.sizeOf?.(itemKey(target.subset, path)) ??
        options.sizeOf?.(path)
      if (found) {
        adopt(`${target.stem}${ext}`, target.subset, path)
        break
      }
    }
  }
}

/**
 * The image a label file in a `labels/` folder belongs to, by stem, with the subset and item
 * path that image has: `labels/train/a/b.txt` is `a/b.*` in `train`; `labels/b.txt` is `b.*`.
 */
function imageOfLabel(
  label: string,
): { stem: string; subset: string; pathStem: string } | undefined {
  const segments = stripExtension(label).split('/')
  for (let i = segments.length - 2; i >= 0; i--) {
    if (!/^(labels|annotations|labeltxt)$/i.test(segments[i]!)) continue
    const after = segments.slice(i + 1)
    const stem = [...segments.slice(0, i), 'images', ...after].join('/')
    if (after.length > 1) return { stem, subset: after[0]!, pathStem: after.slice(1).join('/') }
    // Roboflow writes `valid/labels/b.txt`: a split name before the folder is the subset.
    const before = i > 0 ? segments[i - 1]! : ''
    const subset = /^(train|training|val|valid|validation|test|testing)$/i.test(before)
      ? before
      : ''
    return { stem, subset, pathStem: after.join('/') }
  }
  return undefined
}

function stripExtension(file: string): string {
  const ext = extName(file)
  return ext ? file.slice(0, -ext.length) : file
}

/** Folder names that hold label files: `labels`, DOTA's `labelTxt`, `Annotations`, `yolo_labels`. */
const LABELS_LIKE = /label|annotation/i

/**
 * A `.txt` that no image claims is reported when it sits in a labels-like folder or reads as
 * labels, so no label file is ever dropped in silence.
 */
export function reportOrphanLabels(
  files: FileSet,
  configFiles: Set<string>,
  used: Map<string, string[]>,
  report: ReportBuilder,
): void {
  for (const [file, bytes] of files) {
    if (extName(file).toLowerCase() !== '.txt' || configFiles.has(file) || used.has(file)) continue
    const inLabels = file.split('/').some((s) => LABELS_LIKE.test(s))
    let looksLikeLabels = false
    try {
      looksLikeLabels = parseLabelFile(file, decodeText(bytes, file)).length > 0
    } catch {
      looksLikeLabels = false
    }
    if (inLabels || looksLikeLabels) {
      report.warn({ code: 'unmatched-image', message: 'label file has no image; not read', file })
    }
  }
}
