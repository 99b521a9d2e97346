import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import type { BlobStore } from './blob-store.ts'

const HASH_PATTERN = /^[0-9a-f]{64}$/

/**
 * A blob store on the local disk. Each blob lives at `<dir>/<h[0..2]>/<h[2..4]>/<hash>`: two
 * levels of 256 folders keep directories small even with millions of images. Only hashes ever
 * become paths, never a caller's file name.
 */
export function createDiskBlobStore(dir: string): BlobStore {
  const root = path.resolve(dir)

  const pathOf = (hash: string): string => {
    if (!HASH_PATTERN.test(hash)) throw new Error(`not a blob hash: ${hash.slice(0, 80)}`)
    return path.join(root, hash.slice(0, 2), hash.slice(2, 4), hash)
  }

  const has = async (hash: string): Promise<boolean> => {
    if (!HASH_PATTERN.test(hash)) return false
    try {
      await stat(pathOf(hash))
      return true
    } catch (error) {
      if (isNotFound(error)) return false
      throw error
    }
  }

  return {
    has,

    async put(bytes) {
      const hash = createHash('sha256').update(bytes).digest('hex')
      if (await has(hash)) return hash
      const target = pathOf(hash)
      await mkdir(path.dirname(target), { recursive: true })
      // Written beside the target then renamed: a crash leaves a stray temp file, never a
      // truncated blob under a valid hash.
      const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`
      try {
        await writeFile(temp, bytes, { flush: true })
        await rename(temp, target)
      } catch (error) {
        await unlink(temp).catch(() => undefined)
        throw error
      }
      return hash
    },

    async putStream(chunks) {
      // Written to a temporary name while hashed, then renamed under the hash once complete.
      await mkdir(root, { recursive: true })
      const temp = path.join(root, `stream.${randomBytes(6).toString('hex')}.tmp`)
      const hasher = createHash('sha256')
      const out = await open(temp, 'w')
      try {
        for await (const chunk of chunks) {
          hasher.update(chunk)
          await out.write(chunk)
        }
        await out.sync()
      } catch (error) {
        await out.close()
        await unlink(temp).catch(() => undefined)
        throw error
      }
      await out.close()
      const hash = hasher.digest('hex')
      try {
        if (await has(hash)) {
          await unlink(temp)
          return hash
        }
        const target = pathOf(hash)
        await mkdir(path.dirname(target), { recursive: true })
        await rename(temp, target)
      } catch (error) {
        await unlink(temp).catch(() => undefined)
        throw error
      }
      return hash
    },

    async openStream(hash) {
      if (!HASH_PATTERN.test(hash)) return null
      const file = pathOf(hash)
      try {
        const { size } = await stat(file)
        const stream = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>
        return { stream, size }
      } catch (error) {
        if (isNotFound(error)) return null
        throw error
      }
    },

    async get(hash) {
      if (!HASH_PATTERN.test(hash)) return null
      try {
        return new Uint8Array(await readFile(pathOf(hash)))
      } catch (error) {
        if (isNotFound(error)) return null
        throw error
      }
    },
  }
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
}
