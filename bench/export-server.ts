/**
 * Server-level interchange benchmark (issue #3): a real server on PGlite in a temporary folder,
 * 5,000 assets and 100,000 regions, then over HTTP
 *   - the streamed COCO export (`GET /export?format=coco`),
 *   - the YOLO export (a zip built in memory),
 *   - a COCO import of the same 100,000 regions into a second project of the same 5,000 images
 *     (the synchronous route: parse, match, then one Yjs transaction per asset).
 * Targets: export < 2 s, import < 5 s, peak memory < 1 GiB.
 *
 * Set-up bypasses Yjs: asset rows, the document rows the foreign keys need and the region
 * projection rows are inserted directly in SQL batches (the documents themselves stay empty,
 * which only matters to a client opening one; exports read the projection). Each phase then
 * runs in its own child process on the same data folder, so its peak RSS (`maxRSS`) is its
 * own; the client reading or sending the body is in the same process, counting bytes only.
 *
 *   node --import tsx bench/export-server.ts
 */
import { execFileSync } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import { loadConfig, startServer, type RunningServer } from '@concord/server'
import { assets, documents, labels, regions } from '@concord/server/db/schema'
import { logger } from '@concord/server/lib/logger'

const IMAGES = 5_000
/** BENCH_REGIONS_PER_IMAGE=60 measures 300,000 regions. */
const REGIONS_PER_IMAGE = Number(process.env.BENCH_REGIONS_PER_IMAGE ?? 20)
const LABELS = ['car', 'person', 'bicycle', 'dog', 'cat', 'truck', 'bus', 'sign']
/** Rows per INSERT: 15 region columns x 1,000 rows stays under PostgreSQL's 65,535 parameters. */
const ROWS_PER_INSERT = 1_000
const ADMIN = { email: 'bench@example.com', password: 'bench-password-1' }

logger.level = 'silent'

type Phase = 'coco-export' | 'yolo-export' | 'coco-import' | 'coco-replace'
type PhaseResult = {
  phase: Phase
  ms: number
  bytes: number
  rssBeforeMiB: number
  maxRssMiB: number
  heapPeakMiB: number
  detail: string
}

async function open(dataDir: string): Promise<{ server: RunningServer; cookie: string }> {
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    WEB_DIST: path.join(dataDir, 'no-web'),
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
  })
  const server = await startServer(config, { logger })
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  })
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  return { server, cookie }
}

async function api(server: RunningServer, cookie: string, p: string, body: unknown) {
  const res = await fetch(`${server.url}${p}`, {
    method: 'POST',
    headers: { cookie, origin: server.url, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`)
  return res.json()
}

/** Two projects with the same 5,000 assets; the first has 100,000 regions in its projection. */
async function setUp(dataDir: string): Promise<{ source: string; target: string }> {
  const { server, cookie } = await open(dataDir)
  const db = server.context.database.db
  const source = (await api(server, cookie, '/api/projects', { name: 'bench source' })).id
  const target = (await api(server, cookie, '/api/projects', { name: 'bench target' })).id
  const me = await (await fetch(`${server.url}/api/auth/me`, { headers: { cookie } })).json()
  const blobHash = await server.context.blobs.put(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]))

  let seed = 1
  const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
  for (const projectId of [source, target]) {
    const labelIds = LABELS.map((name, position) => ({
      id: `${projectId}-l${position}`,
      projectId,
      name,
      color: '#3366cc',
      position,
    }))
    await db.insert(labels).values(labelIds)
    const assetRows = Array.from({ length: IMAGES }, (_, i) => ({
      id: `${projectId.slice(0, 8)}a${i}`,
      projectId,
      fileName: `images/${String(i).padStart(5, '0')}.jpg`,
      blobHash,
      mediaType: 'image/jpeg',
      byteSize: 4,
      width: 1280,
      height: 720,
      thumbnailBlobHash: blobHash,
    }))
    for (let i = 0; i < assetRows.length; i += ROWS_PER_INSERT) {
      await db.insert(assets).values(assetRows.slice(i, i + ROWS_PER_INSERT))
    }
    if (projectId !== source) continue

    const docRows = assetRows.map((a) => ({
      name: `${a.id}:consensus`,
      assetId: a.id,
      layer: 'consensus',
    }))
    for (let i = 0; i < docRows.length; i += ROWS_PER_INSERT) {
      await db.insert(documents).values(docRows.slice(i, i + ROWS_PER_INSERT))
    }
    let batch: (typeof regions.$inferInsert)[] = []
    let n = 0
    for (const asset of assetRows) {
      for (let r = 0; r < REGIONS_PER_IMAGE; r++) {
        const x = rand() * 1180
        const y = rand() * 620
        const w = 10 + rand() * 90
        const h = 10 + rand() * 90
        const points: [number, number][] = []
        for (let k = 0; k < 8; k++) {
          const a = (k / 8) * 2 * Math.PI
          points.push([x + w / 2 + (Math.cos(a) * w) / 2, y + h / 2 + (Math.sin(a) * h) / 2])
        }
        const now = Date.now() + n
        batch.push({
          documentName: `${asset.id}:consensus`,
          regionId: `r${n++}`,
          projectId,
          assetId: asset.id,
          layer: 'consensus',
          kind: r % 2 === 0 ? 'bbox' : 'polygon',
          labelId: labelIds[r % LABELS.length]!.id,
          geometry: r % 2 === 0 ? { x, y, w, h } : { points },
          attributes: {},
          source: 'human',
          score: null,
          createdBy: me.user.id,
          updatedBy: me.user.id,
          createdAt: now,
          updatedAt: now,
        })
        if (batch.length === ROWS_PER_INSERT) {
          await db.insert(regions).values(batch)
          batch = []
        }
      }
    }
    if (batch.length) await db.insert(regions).values(batch)
  }
  await server.close()
  return { source, target }
}

async function runPhase(phase: Phase, dataDir: string, projectId: string): Promise<PhaseResult> {
  const { server, cookie } = await open(dataDir)
  // Warm the route (PGlite's first queries of a kind compile plans) on a tiny request.
  await fetch(`${server.url}/api/projects/${projectId}/jobs`, { headers: { cookie } })
  const rssBefore = process.memoryUsage().rss
  let heapPeak = 0
  // The longest the event loop went without running a timer: how long the server kept every
  // other request (and WebSocket) waiting.
  let lastTick = performance.now()
  let stall = 0
  const sampler = setInterval(() => {
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)
    const now = performance.now()
    stall = Math.max(stall, now - lastTick)
    lastTick = now
  }, 10)
  const cocoFile = path.join(dataDir, 'export.json')
  let bytes = 0
  let detail = ''
  /** An import's answer: the time reported; the projection catching up is in `detail`. */
  let answered: number | undefined
  const start = performance.now()
  if (phase === 'coco-import' || phase === 'coco-replace') {
    const body = await readFile(cocoFile)
    bytes = body.byteLength
    // Replace clears every document first: each is read, cleared and written whole again.
    const mode = phase === 'coco-replace' ? '&mode=replace' : ''
    const res = await fetch(`${server.url}/api/projects/${projectId}/import?format=coco${mode}`, {
      method: 'POST',
      headers: { cookie, origin: server.url, 'content-type': 'application/json' },
      body,
    })
    const result = await res.json()
    if (!res.ok) throw new Error(JSON.stringify(result))
    answered = performance.now() - start
    // The regions' SQL rows follow the answer in the background; the asset list waits for them.
    const assets = await fetch(`${server.url}/api/projects/${projectId}/assets`, {
      headers: { cookie },
    })
    const listed = (await assets.json()) as { assets: { regionCount: number }[] }
    const counted = listed.assets.reduce((sum, a) => sum + a.regionCount, 0)
    detail =
      `imported ${result.imported.regions} regions on ${result.imported.images} images; ` +
      `answered in ${answered.toFixed(0)} ms, ${counted} regions projected after ` +
      `${(performance.now() - start).toFixed(0)} ms; longest event-loop stall ${stall.toFixed(0)} ms`
  } else {
    const format = phase === 'coco-export' ? 'coco' : 'yolo'
    const res = await fetch(`${server.url}/api/projects/${projectId}/export?format=${format}`, {
      headers: { cookie },
    })
    if (!res.ok || !res.body) throw new Error(`${res.status} ${await res.text()}`)
    const counter = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream)
    counter.on('data', (chunk: Buffer) => (bytes += chunk.byteLength))
    // The COCO file is kept on disk for the import phase; YOLO's zip is only counted.
    if (format === 'coco') await pipeline(counter, createWriteStream(cocoFile))
    else for await (const _ of counter) void _
    detail = `${res.headers.get('content-type') ?? ''}; longest event-loop stall ${stall.toFixed(0)} ms`
  }
  const ms = answered ?? performance.now() - start
  clearInterval(sampler)
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)
  await server.close()
  return {
    phase,
    ms,
    bytes,
    rssBeforeMiB: rssBefore / 2 ** 20,
    // maxRSS is in KiB.
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    heapPeakMiB: heapPeak / 2 ** 20,
    detail,
  }
}

const [phaseArg, dirArg, projectArg] = process.argv.slice(2)
if (phaseArg && dirArg && projectArg) {
  console.log(JSON.stringify(await runPhase(phaseArg as Phase, dirArg, projectArg)))
} else {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'concord-bench-export-'))
  try {
    const started = performance.now()
    const { source, target } = await setUp(dataDir)
    console.log(
      `export-server: ${IMAGES} assets, ${IMAGES * REGIONS_PER_IMAGE} regions on PGlite ` +
        `(set-up ${((performance.now() - started) / 1000).toFixed(1)} s, SQL only); ` +
        `projects ${source} ${target}`,
    )
    const self = fileURLToPath(import.meta.url)
    const phases: [Phase, string][] = [
      ['coco-export', source],
      ['yolo-export', source],
      ['coco-import', target],
      ['coco-replace', target],
    ]
    // BENCH_PHASES=coco-export runs only the phases named (the import reads the COCO export).
    const only = process.env.BENCH_PHASES?.split(',')
    for (const [phase, projectId] of phases) {
      if (only && !only.includes(phase)) continue
      const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', self, phase, dataDir, projectId],
        {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        },
      )
      const r = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as PhaseResult
      console.log(
        `${r.phase.padEnd(12)} ${r.ms.toFixed(0).padStart(6)} ms  ` +
          `rss before ${r.rssBeforeMiB.toFixed(0)} MiB, peak ${r.maxRssMiB.toFixed(0)} MiB  ` +
          `heap peak ${r.heapPeakMiB.toFixed(0)} MiB  body ${(r.bytes / 2 ** 20).toFixed(1)} MiB  ${r.detail}`,
      )
    }
  } finally {
    // BENCH_KEEP=1 keeps the data folder, to rerun one phase: `export-server.ts <phase> <dir> <project>`.
    if (process.env.BENCH_KEEP) console.log(`kept ${dataDir}`)
    else await rm(dataDir, { recursive: true, force: true })
  }
}
