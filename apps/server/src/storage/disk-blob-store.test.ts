import { createHash } from 'node:crypto'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDiskBlobStore } from './disk-blob-store.ts'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'concord-blobs-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('disk blob store', () => {
  it('stores bytes under their SHA-256 in sharded folders and reads them back', async () => {
    const store = createDiskBlobStore(dir)
    const bytes = new TextEncoder().encode('hello blobs')
    const hash = await store.put(bytes)
    expect(hash).toBe(createHash('sha256').update(bytes).digest('hex'))
    expect(await store.has(hash)).toBe(true)
    expect(await store.get(hash)).toEqual(bytes)
    expect(await readdir(path.join(dir, hash.slice(0, 2), hash.slice(2, 4)))).toEqual([hash])
  })

  it('stores the same bytes once, leaving no temporary files', async () => {
    const store = createDiskBlobStore(dir)
    const bytes = new Uint8Array([1, 2, 3])
    const [a, b] = await Promise.all([store.put(bytes), store.put(bytes)])
    expect(a).toBe(b)
    const files = await readdir(path.join(dir, a.slice(0, 2), a.slice(2, 4)))
    expect(files).toEqual([a])
  })

  it('answers null for unknown or malformed hashes instead of touching other paths', async () => {
    const store = createDiskBlobStore(dir)
    expect(await store.get('0'.repeat(64))).toBeNull()
    expect(await store.get('../../etc/passwd')).toBeNull()
    expect(await store.has('../x')).toBe(false)
  })

  it('stores a stream of chunks under the hash of their whole, readable back as a stream', async () => {
    const store = createDiskBlobStore(dir)
    const parts = ['streamed ', 'export ', 'file'].map((p) => new TextEncoder().encode(p))
    async function* chunks() {
      yield* parts
    }
    const hash = await store.putStream(chunks())
    const whole = new Uint8Array(Buffer.concat(parts))
    expect(hash).toBe(createHash('sha256').update(whole).digest('hex'))
    expect(await store.get(hash)).toEqual(whole)
    const opened = await store.openStream(hash)
    expect(opened?.size).toBe(whole.byteLength)
    const read = new Uint8Array(await new Response(opened!.stream).arrayBuffer())
    expect(read).toEqual(whole)
    expect(await store.openStream('0'.repeat(64))).toBeNull()
  })

  it('keeps nothing of a stream that fails halfway', async () => {
    const store = createDiskBlobStore(dir)
    const before = await readdir(dir)
    async function* failing() {
      yield new TextEncoder().encode('half a file')
      throw new Error('the export failed')
    }
    await expect(store.putStream(failing())).rejects.toThrow('the export failed')
    expect(await readdir(dir)).toEqual(before)
  })
})
