import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { Label } from '@concord/shared'
import {
  api,
  type Asset,
  type LabelDraft,
  type Member,
  type Project,
  type Role,
  type UploadRefusal,
} from '../../app/api.ts'
import { sendInBatches, type UploadProgress } from './upload-batches.ts'

export const projectKeys = {
  all: ['projects'] as const,
  one: (id: string) => ['projects', id] as const,
  assets: (id: string) => ['projects', id, 'assets'] as const,
  members: (id: string) => ['projects', id, 'members'] as const,
}

export function useProjects() {
  return useQuery({
    queryKey: projectKeys.all,
    queryFn: async () => (await api<{ projects: Project[] }>('/api/projects')).projects,
  })
}

/**
 * One project; waits without a request while `projectId` is not known yet. `refetchInterval`
 * keeps it fresh on pages that stay open a long time (label renames and recolours).
 */
export function useProject(
  projectId: string | undefined,
  options: { refetchInterval?: number } = {},
) {
  return useQuery({
    queryKey: projectKeys.one(projectId ?? ''),
    queryFn: () => api<Project>(`/api/projects/${projectId}`),
    enabled: !!projectId,
    refetchInterval: options.refetchInterval,
    refetchOnWindowFocus: true,
  })
}

export function useCreateProject() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: { name: string; labels: LabelDraft[] }) =>
      api<Project>('/api/projects', { method: 'POST', json: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: projectKeys.all }),
  })
}

export function useSampleProject() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: () => api<Project>('/api/sample-project', { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: projectKeys.all }),
  })
}

export function useAssets(projectId: string) {
  return useQuery({
    queryKey: projectKeys.assets(projectId),
    queryFn: async () =>
      (await api<{ assets: Asset[] }>(`/api/projects/${projectId}/assets`)).assets,
  })
}

export function useAsset(assetId: string) {
  return useQuery({
    queryKey: ['assets', assetId],
    queryFn: () => api<Asset>(`/api/assets/${assetId}`),
  })
}

export function useAddLabel(projectId: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (label: LabelDraft) =>
      api<Label>(`/api/projects/${projectId}/labels`, { method: 'POST', json: label }),
    onSuccess: () => client.invalidateQueries({ queryKey: projectKeys.one(projectId) }),
  })
}

export function useUpdateLabel(projectId: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: ({ id, ...patch }: Partial<LabelDraft> & { id: string }) =>
      api<Label>(`/api/projects/${projectId}/labels/${id}`, { method: 'PATCH', json: patch }),
    onSuccess: () => client.invalidateQueries({ queryKey: projectKeys.one(projectId) }),
  })
}

export function useMembers(projectId: string) {
  return useQuery({
    queryKey: projectKeys.members(projectId),
    queryFn: async () =>
      (await api<{ members: Member[] }>(`/api/projects/${projectId}/members`)).members,
  })
}

export function useAddMember(projectId: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: { email: string; role: Role }) =>
      api<unknown>(`/api/projects/${projectId}/members`, { method: 'POST', json: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: projectKeys.members(projectId) }),
  })
}

/** A file to upload with the relative path it had in the chosen folder or drop. */
export type UploadItem = { file: File; path: string }

/**
 * Uploads files in batches, one request after another (see `upload-batches.ts`), adding up what
 * each answered; `onProgress` hears how many files have been sent.
 */
export function useUpload(projectId: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: ({
      items,
      onProgress,
    }: {
      items: UploadItem[]
      onProgress?: (progress: UploadProgress) => void
    }) =>
      sendInBatches(
        items,
        async (batch) => {
          const form = new FormData()
          // The part's file name carries the relative path; the server keeps it as the asset name.
          for (const item of batch) form.append('file', item.file, item.path)
          const res = await api<{ assets: Asset[]; errors: UploadRefusal[] }>(
            `/api/projects/${projectId}/assets`,
            { method: 'POST', body: form },
          )
          // New tiles show up while later batches are still on their way.
          void client.invalidateQueries({ queryKey: projectKeys.assets(projectId) })
          return { stored: res.assets.length, refusals: res.errors }
        },
        onProgress,
      ),
    onSettled: () => client.invalidateQueries({ queryKey: projectKeys.assets(projectId) }),
  })
}
