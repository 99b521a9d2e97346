import { loadConfig } from './config.ts'
import { logger } from './lib/logger.ts'
import { startServer } from './server.ts'

/** The server process: start, then flush and exit cleanly on SIGTERM or SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig()
  const server = await startServer(config)
  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down')
    try {
      await server.close()
      process.exit(0)
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed')
      process.exit(1)
    }
  }
  process.once('SIGTERM', () => void stop('SIGTERM'))
  process.once('SIGINT', () => void stop('SIGINT'))
}

main().catch((error: unknown) => {
  logger.error({ err: error }, 'failed to start')
  process.exit(1)
})
