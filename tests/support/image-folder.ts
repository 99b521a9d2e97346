import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import type { FileSet } from '@concord/shared/formats/model'
import { isImagePath, normalizePath } from '@concord/shared/formats/paths'

/** The repository root, found from this file; shared inputs live beside it in `../shared`. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const casesDir = path.resolve(repoRoot, '../shared/cases')
export const dataDir = path.resolve(repoRoot, '../shared/data')

/** Every file under a folder as a FileSet keyed by `/`-separated relative paths. */
export function readFolder(dir: string): FileSet {
  const files: FileSet = new Map()
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const full = path.join(entry.parentPath, entry.name)
    files.set(
      path.relative(dir, full).split(path.sep).join('/'),
      new Uint8Array(readFileSync(full)),
    )
  }
  return files
}

/** A FileSet of one file, keyed by its base name. */
export function readOne(file: string): FileSet {
  return new Map([[path.basename(file), new Uint8Array(readFileSync(file))]])
}

export type Size = { width: number; height: number }

/** Stored and displayed size of an image; EXIF orientations 5 to 8 swap width and height. */
export async function imageSizes(bytes: Uint8Array): Promise<{ stored: Size; displayed: Size }> {
  const meta = await sharp(bytes).metadata()
  const stored = { width: meta.width!, height: meta.height! }
  const turned = (meta.orientation ?? 1) >= 5
  return { stored, displayed: turned ? { width: stored.height, height: stored.width } : stored }
}

/** A `sizeOf` for importers: displayed sizes of every image in the set, looked up by path. */
export async function sizeOfImages(files: FileSet): Promise<(p: string) => Size | undefined> {
  const sizes = new Map<string, Size>()
  for (const [file, bytes] of files) {
    if (isImagePath(file)) sizes.set(normalizePath(file), (await imageSizes(bytes)).displayed)
  }
  return (p) => sizes.get(normalizePath(p))
}

/** Text of a FileSet entry. */
export function text(files: FileSet, key: string): string {
  const bytes = files.get(key)
  if (!bytes) throw new Error(`no file ${key}; have ${[...files.keys()].join(', ')}`)
  return new TextDecoder().decode(bytes)
}
