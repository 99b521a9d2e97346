import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback } from 'react'
import { api } from '../../app/api.ts'
import { projectKeys } from './queries.ts'

/**
 * Something an import skipped or changed, or an export could not write as it was (a box clipped
 * to the image): the import's `warnings` and the export report's alike.
 */
export type JobWarning = {
  code: string
  message: string
  file?: string
  /** Where in the file: a JSON path or a line. */
  path?: string
  /** How many times it happened, when the server counted them in one warning. */
  count?: number
}

/** An import or export running (or run) on the server; see docs/API.md, "Jobs". */
export type Job = {
  id: string
  kind: 'import' | 'export'
  format: string
  state: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'
  progress: { phase: string | null; done: number; total: number }
  result: { fileName: string; mediaType: string; url: string } | null
  summary: {
    imported?: { images: number; regions: number; labels: number; assets?: number }
    warnings?: JobWarning[]
    report?: {
      warnings?: JobWarning[]
      lossiness?: { kind: string; count: number; reason: string }[]
    }
  } | null
  error: { code: string; message: string } | null
  createdAt: string
}

export const jobKeys = { list: (projectId: string) => ['projects', projectId, 'jobs'] as const }

/** How often the list is polled while a job is queued or running. */
const POLL_MS = 1_000

export function isActive(job: Job): boolean {
  return job.state === 'queued' || job.state === 'running'
}

/** Every warning of a finished job: an import's own, then those of an export's report. */
export function warningsOf(job: Job): JobWarning[] {
  return [...(job.summary?.warnings ?? []), ...(job.summary?.report?.warnings ?? [])]
}

/** One warning as a line: where, what, and how many times when the server counted them. */
export function warningText(warning: JobWarning): string {
  const where = warning.file ? `${warning.file}${warning.path ? ` at ${warning.path}` : ''}: ` : ''
  const times = warning.count === undefined ? '' : ` (${warning.count})`
  return `${where}${warning.message}${times}`
}

/**
 * Whether a cancel's error has outlived its job: the job was in `stateAtError` when the cancel
 * failed and has since come to an end, so its row now says what happened instead.
 */
export function cancelErrorIsStale(stateAtError: Job['state'] | undefined, job: Job | undefined) {
  return job !== undefined && !isActive(job) && job.state !== stateAtError
}

/**
 * Imports among `jobs` that succeeded and are not in `seen` yet; adds them to `seen`. On the
 * list's first look (`initial`, before a fetch of this page's own) they are old news, not news.
 */
export function takeNewImportSuccesses(jobs: readonly Job[], seen: Set<string>, initial: boolean) {
  const fresh = jobs.filter(
    (j) => j.kind === 'import' && j.state === 'succeeded' && !seen.has(j.id),
  )
  for (const job of fresh) seen.add(job.id)
  return initial ? [] : fresh
}

/** The project's recent jobs, polled while any of them is still going. */
export function useJobs(projectId: string) {
  return useQuery({
    queryKey: jobKeys.list(projectId),
    queryFn: async () =>
      (await api<{ jobs: Job[] }>(`/api/projects/${projectId}/jobs?limit=20`)).jobs,
    refetchInterval: (query) => (query.state.data?.some(isActive) ? POLL_MS : false),
  })
}

export function useStartImport(projectId: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: { file: File; format: string; options: Record<string, string> }) => {
      const query = new URLSearchParams({
        ...input.options,
        format: input.format,
        fileName: input.file.name,
        async: 'true',
      })
      // The file goes as it is; the server tells a zip from its bytes and reads the rest by format.
      return api<{ job: Job }>(`/api/projects/${projectId}/import?${query}`, {
        method: 'POST',
        body: input.file,
        headers: { 'content-type': input.file.type || 'application/octet-stream' },
      })
    },
    onSuccess: () => client.invalidateQueries({ queryKey: jobKeys.list(projectId) }),
  })
}

export function useStartExport(projectId: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: { format: string; images: boolean; options: Record<string, string> }) =>
      api<{ job: Job }>(`/api/projects/${projectId}/exports`, { method: 'POST', json: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: jobKeys.list(projectId) }),
  })
}

export function useCancelJob(projectId: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (jobId: string) =>
      api<{ job: Job }>(`/api/jobs/${jobId}/cancel`, { method: 'POST' }),
    onSettled: () => client.invalidateQueries({ queryKey: jobKeys.list(projectId) }),
  })
}

/** Once an import finishes, the asset grid and labels change; refresh them. */
export function useRefreshOnImport(projectId: string) {
  const client = useQueryClient()
  return useCallback(() => {
    // `exact`: the project's key begins the keys of its assets and jobs, which would otherwise
    // be fetched twice, the first fetch cancelled by the second.
    void client.invalidateQueries({ queryKey: projectKeys.one(projectId), exact: true })
    void client.invalidateQueries({ queryKey: projectKeys.assets(projectId) })
  }, [client, projectId])
}
