import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root, found from this file's location so tests never hard-code a path. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** How long a server process may take to log that it listens; PGlite's first open is slow. */
const START_TIMEOUT_MS = 60_000

export type ServerProcess = {
  /** `http://127.0.0.1:<port>` */
  url: string
  port: number
  /** Sends a signal to the process (SIGTERM to stop cleanly, SIGKILL to crash it). */
  kill(signal?: NodeJS.Signals): void
  /** Resolves once the process has exited, with its exit code or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Everything the process wrote so far, for failure messages. */
  output(): string
}

export type ServerProcessOptions = {
  dataDir: string
  adminEmail?: string
  adminPassword?: string
  databaseUrl?: string
  env?: Record<string, string>
}

/**
 * Starts `node --import tsx apps/server/src/main.ts` as a real child process on a free port and
 * waits for its `"msg":"listening"` log line, which carries the port it bound.
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    // Vitest sets NODE_ENV=test, which silences the logger; the listening line must come out.
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: options.dataDir,
    ADMIN_EMAIL: options.adminEmail ?? 'admin@example.com',
    ADMIN_PASSWORD: options.adminPassword ?? 'admin-password',
    ...options.env,
  }
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl
  else delete env.DATABASE_URL

  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }))
  })
  const port = await waitForListening(child, exited, (chunk) => (output += chunk))
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    kill: (signal = 'SIGTERM') => void child.kill(signal),
    exited,
    output: () => output,
  }
}

function waitForListening(
  child: ChildProcess,
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  record: (chunk: string) => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    let pending = ''
    let all = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`server did not start within ${START_TIMEOUT_MS} ms:\n${all}`))
    }, START_TIMEOUT_MS)
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8')
      record(text)
      all += text
      pending += text
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        const port = listeningPort(line)
        if (port !== null) {
          clearTimeout(timer)
          resolve(port)
        }
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk: Buffer) => {
      record(chunk.toString('utf8'))
      all += chunk.toString('utf8')
    })
    void exited.then(({ code, signal }) => {
      clearTimeout(timer)
      reject(new Error(`server exited before listening (code ${code}, signal ${signal}):\n${all}`))
    })
  })
}

function listeningPort(line: string): number | null {
  if (!line.includes('"msg":"listening"')) return null
  try {
    const parsed = JSON.parse(line) as { port?: unknown }
    return typeof parsed.port === 'number' ? parsed.port : null
  } catch {
    return null
  }
}
