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

export function useProject(projectId: string) {
  return useQuery({
    queryKey: projectKeys.one(projectId),
    queryFn: () => api<Project>(`/api/projects/${projectId}`),
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

export function useUpload(projectId: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: async (items: UploadItem[]) => {
      const form = new FormData()
      // The part's file name carries the relative path; the server keeps it as the asset name.
      for (const item of items) form.append('file', item.file, item.path)
      return api<{ assets: Asset[]; errors: UploadRefusal[] }>(
        `/api/projects/${projectId}/assets`,
        {
          method: 'POST',
          body: form,
        },
      )
    },
    onSettled: () => client.invalidateQueries({ queryKey: projectKeys.assets(projectId) }),
  })
}
