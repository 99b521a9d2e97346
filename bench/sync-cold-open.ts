import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { addRegion, MESSAGE_SYNC, readRegions } from '@concord/shared'
import { connect, percentiles, startConcord, whenSynced } from './sync-support.ts'

/**
 * Cold open of a document with 10,000 regions: the server process has nothing loaded, a client
 * connects and asks for everything. Server time is from the upgrade request to the whole
 * document's arrival (sync step 2), as a raw socket that does no Yjs work of its own sees it;
 * bytes are that answer's.
 */
const REGIONS = 10_000
const RUNS = 5

const concord = await startConcord()
await concord.sync.documents.transact(concord.room, (doc) => {
  for (let i = 0; i < REGIONS; i++) {
    const x = (i % 100) * 6
    const y = Math.floor(i / 100) * 4
    addRegion(doc, { kind: 'bbox', labelId: `l${i % 7}`, geometry: { x, y, w: 5, h: 3 } }, 'seed')
  }
})

/**
 * The raw client runs in a worker thread with its own event loop: in one thread it could not read
 * the answer while the server goes on to build the document, and the figure would include work
 * that a real client, in another process, does not wait for.
 */
const clientCode = `
const { parentPort, workerData } = require('node:worker_threads')
const WebSocket = require(workerData.wsPath)
parentPort.on('message', ({ url, step1 }) => {
  const start = performance.now()
  const ws = new WebSocket(url)
  ws.on('open', () => ws.send(Buffer.from(step1)))
  // The previous run's socket is reset when the benchmark restarts the server; that is expected.
  ws.on('error', () => {})
  ws.on('message', (data) => {
    // y-websocket sync message (0), step 2 (1): both varuints below 128, so one byte each.
    if (data[0] !== 0 || data[1] !== 1) return
    const ms = performance.now() - start
    ws.close()
    parentPort.postMessage({ ms, bytes: data.byteLength })
  })
})`
const worker = new Worker(clientCode, {
  eval: true,
  workerData: { wsPath: createRequire(import.meta.url).resolve('ws') },
})

async function rawColdOpen(): Promise<{ ms: number; bytes: number }> {
  await concord.restart()
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  syncProtocol.writeSyncStep1(encoder, new Y.Doc())
  const url = `${concord.serverUrl}/${concord.room}?token=${concord.token}`
  const answer = new Promise<{ ms: number; bytes: number }>((resolve) =>
    worker.once('message', resolve),
  )
  worker.postMessage({ url, step1: encoding.toUint8Array(encoder) })
  return answer
}

const server: number[] = []
let sent = 0
for (let i = 0; i < RUNS; i++) {
  const run = await rawColdOpen()
  server.push(run.ms)
  sent = run.bytes
}
const p = percentiles(server)
console.log(
  `cold open, ${REGIONS} regions: server time p50 ${p.p50} ms, worst ${Math.max(...server).toFixed(1)} ms; ${(sent / 1024).toFixed(0)} KiB sent`,
)

await concord.restart()
const start = performance.now()
const client = connect(concord.serverUrl, concord.room, { token: concord.token })
await whenSynced(client)
const total = performance.now() - start
console.log(
  `cold open through WebsocketProvider until synced (client decode included): ${total.toFixed(1)} ms, ${readRegions(client.doc).length} regions`,
)
client.provider.destroy()
await worker.terminate()
await concord.close()
process.exit(0)
