import type { Config } from './config.ts'
import type { Database } from './db/client.ts'
import type { Logger } from './lib/logger.ts'
import type { BlobStore } from './storage/blob-store.ts'
import type { DocumentStore } from './sync/document-store.ts'

/** What every part of the server is handed: built once in `startServer`, never global. */
export type AppContext = {
  config: Config
  database: Database
  blobs: BlobStore
  documents: DocumentStore
  logger: Logger
}
