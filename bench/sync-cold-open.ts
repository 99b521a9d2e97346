import { performance } from 'node:perf_hooks'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { addRegion, MESSAGE_SYNC, readRegions } from '@concord/shared'
import { connect, percentiles, startConcord, whenSynced } from './sync-support.ts'

/**
 * Cold open of a document with 10,000 regions: the server process has nothing loaded, a client
 * connects and asks for everything. Server time is from the upgrade request to the last byte of
 * the sync answer (read from the database, build the document, encode it), as a raw socket that
 * does no Yjs work of its own sees it; bytes are what the server sent.
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

async function rawColdOpen(): Promise<{ ms: number; bytes: number }> {
  await concord.restart()
  const start = performance.now()
  const ws = new WebSocket(`${concord.serverUrl}/${concord.room}?token=${concord.token}`)
  let bytes = 0
  return new Promise((resolve, reject) => {
    ws.on('open', () => {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MESSAGE_SYNC)
      syncProtocol.writeSyncStep1(encoder, new Y.Doc())
      ws.send(encoding.toUint8Array(encoder))
    })
    ws.on('message', (data: Buffer) => {
      bytes += data.byteLength
      const decoder = decoding.createDecoder(new Uint8Array(data))
      if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return
      if (decoding.readVarUint(decoder) !== syncProtocol.messageYjsSyncStep2) return
      const ms = performance.now() - start
      ws.close()
      resolve({ ms, bytes })
    })
    ws.on('error', reject)
  })
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
await concord.close()
process.exit(0)
