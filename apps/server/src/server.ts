import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import { createApp } from './app.ts'
import { ensureAdmin } from './auth/bootstrap.ts'
import { authenticateRequest } from './auth/authenticate.ts'
import type { Config } from './config.ts'
import type { AppContext } from './context.ts'
import { openDatabase } from './db/client.ts'
import { startJobs, stopJobs } from './features/jobs/runner.ts'
import { logger as rootLogger, type Logger } from './lib/logger.ts'
import { createDiskBlobStore } from './storage/disk-blob-store.ts'
import { createSyncServer } from './sync/index.ts'

export type RunningServer = {
  port: number
  url: string
  context: AppContext
  /** Stops accepting, flushes every document to the database and closes it. */
  close(): Promise<void>
}

/** Opens the database, wires the parts together and listens. Used by `main.ts` and by tests. */
export async function startServer(
  config: Config,
  options: { logger?: Logger } = {},
): Promise<RunningServer> {
  const logger = options.logger ?? rootLogger
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  const blobs = createDiskBlobStore(path.join(config.dataDir, 'blobs'))
  const sync = createSyncServer({
    config,
    database,
    logger,
    authenticate: (headers, url) => authenticateRequest(database.db, headers, url),
  })
  const context: AppContext = { config, database, blobs, documents: sync.documents, logger }
  await ensureAdmin(context)
  await startJobs(context)

  const app = createApp(context)
  const server = await listen(app.fetch, config.port, config.host)
  server.on('upgrade', (req, socket, head) => sync.handleUpgrade(req, socket, head))
  const port = (server.address() as AddressInfo).port
  logger.info({ port, database: database.kind }, 'listening')

  let closing: Promise<void> | undefined
  return {
    port,
    url: `http://localhost:${port}`,
    context,
    close: () => {
      closing ??= (async () => {
        server.close()
        await stopJobs(context)
        await sync.close()
        await database.close()
        logger.info('closed')
      })()
      return closing
    },
  }
}

function listen(
  fetch: Parameters<typeof serve>[0]['fetch'],
  port: number,
  hostname: string,
): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname }, () => resolve(server))
    server.once('error', reject)
  })
}
