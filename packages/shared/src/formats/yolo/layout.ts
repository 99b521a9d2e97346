import { parse as parseYaml } from 'yaml'
import { decodeText } from '../common/json.ts'
import { readNameList, textLines } from '../common/lines.ts'
import { FormatError, type FileSet } from '../model.ts'
import { baseName, dirName, extName, isImagePath, joinPath, normalizePath } from '../paths.ts'
import { readManifest, type YoloManifest } from './manifest.ts'
import { readKeypointNames } from './keypoint-names.ts'
import { readKeypointShape, type KeypointShape } from './pose.ts'

/** What the configuration files of a YOLO dataset say, whatever its layout. */
export type YoloConfig = {
  /** Class names by index, or undefined when the dataset has none. */
  names: string[] | undefined
  /** Folder the split paths are relative to. */
  root: string
  /** Split key (`train`, `val`, ...) and the images it lists, as dataset paths. */
  splits: { key: string; images: { file: string; dir?: string }[] }[]
  /** Files that are configuration, not labels (`train.txt`, `obj.names`, ...). */
  configFiles: Set<string>
  manifest: YoloManifest | undefined
  /** Ultralytics' `kpt_shape`: present on pose datasets, whose lines carry keypoints. */
  kptShape?: KeypointShape | undefined
  /** Keypoint names by class index, from `kpt_names`. */
  kptNames?: Map<number, string[]>
}

const NAMES_FILES = ['obj.names', 'classes.txt', 'classes.names', 'coco.names']

/** Sorts shallow paths first, so the dataset's own config wins over one in a subfolder. */
function byDepth(a: string, b: string): number {
  return a.split('/').length - b.split('/').length || a.localeCompare(b)
}

/**
 * Resolves a path written in a config file against the dataset. Configs carry paths from the
 * machine they were made on (`data/obj_train_data/1.jpg`, `../train/images`, `/home/u/ds/...`),
 * so leading segments are dropped one at a time until the rest names something in the set.
 */
function resolve(present: (path: string) => boolean, base: string, written: string): string {
  const parts = normalizePath(written).split('/')
  for (let skip = 0; skip < parts.length; skip++) {
    const rest = parts.slice(skip).join('/')
    for (const candidate of [joinPath(base, rest), rest]) {
      if (!candidate.startsWith('../') && present(candidate)) return candidate
    }
  }
  return joinPath(base, parts.filter((part) => part !== '..').join('/'))
}

function namesFromYaml(file: string, value: unknown): string[] {
  // A class written without a name (`~`) is blank, not the class "null".
  const nameOf = (name: unknown) => (name == null ? '' : String(name))
  if (Array.isArray(value)) return value.map(nameOf)
  if (value && typeof value === 'object') {
    const names: string[] = []
    for (const [key, name] of Object.entries(value)) {
      const index = Number(key)
      if (!Number.isInteger(index) || index < 0) {
        throw new FormatError(file, `names.${key}`, 'class keys must be non-negative integers')
      }
      names[index] = nameOf(name)
    }
    for (let i = 0; i < names.length; i++) {
      if (names[i] === undefined) throw new FormatError(file, `names.${i}`, 'missing class name')
    }
    return names
  }
  throw new FormatError(file, 'names', 'expected a list or a map of class names')
}

/** Reads `key = value` lines of a darknet `obj.data`. */
function parseDarknetData(text: string): Map<string, string> {
  const entries = new Map<string, string>()
  for (const [line] of textLines(text, { skipBlank: true })) {
    const match = /^\s*([\w-]+)\s*=\s*(.*?)\s*$/.exec(line)
    if (match) entries.set(match[1]!, match[2]!)
  }
  return entries
}

/**
 * Finds the configuration of a YOLO dataset: an Ultralytics `*.yaml` with `names`, else a
 * darknet `obj.data`, else a bare names file (`obj.names`, `classes.txt`).
 */
export function readYoloConfig(files: FileSet): YoloConfig {
  const paths = [...files.keys()].sort(byDepth)
  const fileSet = new Set(paths)
  const dirs = new Set(paths.flatMap((p) => ancestors(p)))
  const present = (p: string) => fileSet.has(p) || dirs.has(p)
  const text = (p: string) => decodeText(files.get(p)!, p)
  const configFiles = new Set<string>()
  const splits: YoloConfig['splits'] = []
  let names: string[] | undefined
  let root = ''
  let manifest: YoloManifest | undefined

  const listSplit = (key: string, base: string, written: string) => {
    const target = resolve(present, base, written)
    const images: { file: string; dir?: string }[] = []
    if (fileSet.has(target) && extName(target).toLowerCase() === '.txt') {
      configFiles.add(target)
      for (const [line] of textLines(text(target), { skipBlank: true })) {
        images.push({ file: resolve(present, dirName(target), line.trim()) })
      }
    } else if (dirs.has(target)) {
      for (const p of paths) {
        if (p.startsWith(`${target}/`) && isImagePath(p)) images.push({ file: p, dir: target })
      }
    } else if (fileSet.has(target) && isImagePath(target)) {
      images.push({ file: target })
    }
    splits.push({ key, images })
  }

  const yamlFile = paths.find((p) => {
    if (!/\.ya?ml$/i.test(p)) return false
    try {
      const doc: unknown = parseYaml(text(p))
      return !!doc && typeof doc === 'object' && 'names' in doc
    } catch (error) {
      throw new FormatError(p, undefined, `not valid YAML (${String(error)})`)
    }
  })
  if (yamlFile) {
    configFiles.add(yamlFile)
    const doc = parseYaml(text(yamlFile)) as Record<string, unknown>
    names = namesFromYaml(yamlFile, doc.names)
    manifest = rebaseManifest(readManifest(yamlFile, doc.concord), dirName(yamlFile))
    const written = typeof doc.path === 'string' ? doc.path : ''
    // An absolute `path` points into the author's machine; the yaml's own folder is the root.
    const local = /^([a-zA-Z]:|\/|~)/.test(written) ? '' : written
    root = joinPath(dirName(yamlFile), local)
    if (root.startsWith('..') || (root !== '' && !dirs.has(root))) root = dirName(yamlFile)
    const kptShape = readKeypointShape(yamlFile, doc.kpt_shape)
    const kptNames = readKeypointNames(yamlFile, doc.kpt_names)
    const listed = new Map<string, string>()
    for (const [key, value] of splitEntries(doc)) {
      const list = Array.isArray(value) ? value : [value]
      if (!list.every((v) => typeof v === 'string')) continue
      for (const item of list) {
        // A val that names train's folder (Ultralytics wants a val, and a dataset without one
        // points it at train) would read every image twice: the folder is read once, as train.
        const target = resolve(present, root, item as string)
        if (listed.has(target)) continue
        listed.set(target, key)
        listSplit(key, root, item as string)
      }
    }
    return { names, root, splits, configFiles, manifest, kptShape, kptNames }
  }

  const dataFile = paths.find((p) => extName(p).toLowerCase() === '.data')
  if (dataFile) {
    configFiles.add(dataFile)
    root = dirName(dataFile)
    const entries = parseDarknetData(text(dataFile))
    const namesPath = entries.get('names')
    if (namesPath) {
      const file = resolve(present, root, namesPath)
      if (fileSet.has(file)) {
        configFiles.add(file)
        names = readNameList(file, text(file))
      }
    }
    for (const key of ['train', 'valid', 'val', 'test']) {
      const value = entries.get(key)
      if (value) listSplit(key, root, value)
    }
  }

  if (!names) {
    const namesFile =
      paths.find((p) => NAMES_FILES.includes(baseName(p).toLowerCase())) ??
      paths.find((p) => extName(p).toLowerCase() === '.names')
    if (namesFile) {
      configFiles.add(namesFile)
      names = readNameList(namesFile, text(namesFile))
      if (!dataFile) root = dirName(namesFile)
    }
  }
  return { names, root, splits, configFiles, manifest }
}

/**
 * The manifest names images relative to its data.yaml; a zip that wraps the export in a folder
 * (`my-export/data.yaml`) puts them under that folder in the file set.
 */
function rebaseManifest(manifest: YoloManifest | undefined, dir: string): YoloManifest | undefined {
  if (!manifest?.items || dir === '') return manifest
  const items = manifest.items.map((item) => ({ ...item, image: joinPath(dir, item.image) }))
  return { ...manifest, items }
}

/** Keys of data.yaml that are not splits: Ultralytics' own and Concord's manifest. */
const NOT_SPLITS = new Set([
  'path',
  'names',
  'nc',
  'concord',
  'download',
  'kpt_shape',
  'flip_idx',
  'kpt_names',
])

/** The split entries of data.yaml, `train` first so that a folder named twice reads as train. */
function splitEntries(doc: Record<string, unknown>): [string, unknown][] {
  const entries = Object.entries(doc).filter(([key]) => !NOT_SPLITS.has(key))
  return entries.sort(([a], [b]) => Number(b === 'train') - Number(a === 'train'))
}

function ancestors(path: string): string[] {
  const out: string[] = []
  for (let dir = dirName(path); dir !== ''; dir = dirName(dir)) out.push(dir)
  return out
}

const IMAGE_DIRS = new Set(['images', 'jpegimages', 'img', 'imgs'])
/** Folder names that mean a split when they stand before `images/` (Roboflow's layout). */
const SPLIT_NAMES = new Set(['train', 'training', 'val', 'valid', 'validation', 'test', 'testing'])
/** `labelTxt` is DOTA's folder (Roboflow's `yolo_obb` export), read by `dota.ts`. */
const LABEL_DIRS = ['labels', 'Labels', 'annotations', 'Annotations', 'labelTxt']

/**
 * The label files an image may have, most specific first: the Ultralytics rule (the last
 * `images` folder becomes `labels`), then a label beside the image (darknet).
 */
export function labelCandidates(image: string): string[] {
  const segments = image.split('/')
  const stemFile = (segs: string[]) => {
    const name = segs[segs.length - 1]!
    const ext = extName(name)
    return [...segs.slice(0, -1), `${ext ? name.slice(0, -ext.length) : name}.txt`].join('/')
  }
  const candidates: string[] = []
  for (let i = segments.length - 2; i >= 0; i--) {
    if (!IMAGE_DIRS.has(segments[i]!.toLowerCase())) continue
    for (const dir of LABEL_DIRS) {
      candidates.push(stemFile([...segments.slice(0, i), dir, ...segments.slice(i + 1)]))
    }
    break
  }
  candidates.push(stemFile(segments))
  return candidates
}

/**
 * The subset and item path an image has when no split lists it: `images/train/a.jpg` is `a.jpg`
 * in `train`, Roboflow's `valid/images/a.jpg` is `a.jpg` in `valid`, `images/a.jpg` is `a.jpg`.
 */
export function deriveSubsetAndPath(file: string, root: string): { subset: string; path: string } {
  const relative = root && file.startsWith(`${root}/`) ? file.slice(root.length + 1) : file
  const segments = relative.split('/')
  for (let i = segments.length - 2; i >= 0; i--) {
    if (!IMAGE_DIRS.has(segments[i]!.toLowerCase())) continue
    const after = segments.slice(i + 1)
    if (after.length > 1) return { subset: after[0]!, path: after.slice(1).join('/') }
    const before = i > 0 ? segments[i - 1]! : ''
    if (SPLIT_NAMES.has(before.toLowerCase())) return { subset: before, path: after.join('/') }
    return { subset: '', path: after.join('/') }
  }
  return { subset: '', path: relative }
}
