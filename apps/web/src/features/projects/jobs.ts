import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '../../app/api.ts'
import { projectKeys } from './queries.ts'

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
    warnings?: { code: string; message: string; file?: string; count?: number }[]
    report?: { warnings?: unknown[]; lossiness?: { kind: string; count: number; reason: string }[] }
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
  return () => {
    void client.invalidateQueries({ queryKey: projectKeys.one(projectId) })
    void client.invalidateQueries({ queryKey: projectKeys.assets(projectId) })
  }
}
