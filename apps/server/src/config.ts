import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'

const here = path.dirname(fileURLToPath(import.meta.url))
const repoRoot = path.resolve(here, '../../..')

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().url().optional(),
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().min(8).optional(),
  WEB_DIST: z.string().default(path.join(repoRoot, 'apps/web/dist')),
  /** Largest accepted upload, in bytes; 50 MiB covers large photos and TIFFs. */
  MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(50 * 1024 * 1024),
  /** Largest accepted import body (JSON, XML or zip), in bytes. */
  MAX_IMPORT_BYTES: z.coerce.number().int().positive().default(512 * 1024 * 1024),
})

export type Config = {
  port: number
  host: string
  dataDir: string
  databaseUrl: string | undefined
  adminEmail: string | undefined
  adminPassword: string | undefined
  webDist: string
  maxUploadBytes: number
  maxImportBytes: number
}

/** Reads the configuration from environment variables; throws naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')),
  )
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`Configuration: ${issue?.path.join('.')}: ${issue?.message}`)
  }
  const e = parsed.data
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    adminEmail: e.ADMIN_EMAIL,
    adminPassword: e.ADMIN_PASSWORD,
    webDist: path.resolve(e.WEB_DIST),
    maxUploadBytes: e.MAX_UPLOAD_BYTES,
    maxImportBytes: e.MAX_IMPORT_BYTES,
  }
}
