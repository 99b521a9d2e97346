import { labelInputSchema, labelSchema } from '@concord/shared'
import { z } from 'zod'
import { loginBodySchema } from '../../auth/routes.ts'
import { exportQuerySchema, importQuerySchema } from '../interchange/routes.ts'
import { exportJobBodySchema, listJobsQuerySchema } from '../jobs/routes.ts'
import {
  addMemberBodySchema,
  createProjectBodySchema,
  labelPatchSchema,
} from '../projects/service.ts'
import { createTokenBodySchema } from '../tokens/routes.ts'
import { createUserBodySchema } from '../users/service.ts'
import {
  assetResponseSchema,
  errorResponseSchema,
  importResponseSchema,
  jobResponseSchema,
  memberResponseSchema,
  projectResponseSchema,
  uploadResponseSchema,
  userResponseSchema,
} from './schemas.ts'

type Operation = {
  method: 'get' | 'post' | 'patch' | 'delete'
  path: string
  summary: string
  /** Who may call it; shown in the description. */
  access: string
  body?: z.ZodType | 'multipart' | 'annotations'
  query?: z.ZodObject
  response?: z.ZodType | 'binary' | 'none'
  status?: number
  /** Other success answers, by status (an import's 202 with a job). */
  also?: Record<number, z.ZodType>
}

const ok = (shape: z.ZodRawShape) => z.object(shape)

const OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/api/health',
    summary: 'Liveness and version',
    access: 'anyone',
    response: ok({ ok: z.literal(true), version: z.string() }),
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This description',
    access: 'anyone',
    response: z.record(z.string(), z.unknown()),
  },
  {
    method: 'post',
    path: '/api/auth/login',
    summary: 'Sign in; sets the session cookie',
    access: 'anyone',
    body: loginBodySchema,
    response: ok({ user: userResponseSchema }),
  },
  {
    method: 'post',
    path: '/api/auth/logout',
    summary: 'Sign out',
    access: 'anyone',
    response: 'none',
    status: 204,
  },
  {
    method: 'get',
    path: '/api/auth/me',
    summary: 'The signed-in user',
    access: 'signed in',
    response: ok({ user: userResponseSchema }),
  },
  {
    method: 'get',
    path: '/api/users',
    summary: 'All accounts',
    access: 'admin',
    response: ok({ users: z.array(userResponseSchema) }),
  },
  {
    method: 'post',
    path: '/api/users',
    summary: 'Create an account',
    access: 'admin',
    body: createUserBodySchema,
    response: ok({ user: userResponseSchema }),
    status: 201,
  },
  {
    method: 'post',
    path: '/api/tokens',
    summary: 'Create an API token (shown once)',
    access: 'signed in',
    body: createTokenBodySchema,
    response: ok({ id: z.string(), token: z.string() }),
    status: 201,
  },
  {
    method: 'get',
    path: '/api/tokens',
    summary: 'Your API tokens',
    access: 'signed in',
    response: ok({
      tokens: z.array(
        ok({
          id: z.string(),
          name: z.string(),
          createdAt: z.string(),
          lastUsedAt: z.string().nullable(),
        }),
      ),
    }),
  },
  {
    method: 'delete',
    path: '/api/tokens/{id}',
    summary: 'Revoke an API token',
    access: 'signed in',
    response: 'none',
    status: 204,
  },
  {
    method: 'get',
    path: '/api/projects',
    summary: 'Your projects',
    access: 'signed in',
    response: ok({ projects: z.array(projectResponseSchema) }),
  },
  {
    method: 'post',
    path: '/api/projects',
    summary: 'Create a project (you become lead)',
    access: 'signed in',
    body: createProjectBodySchema,
    response: projectResponseSchema,
    status: 201,
  },
  {
    method: 'get',
    path: '/api/projects/{projectId}',
    summary: 'One project',
    access: 'member',
    response: projectResponseSchema,
  },
  {
    method: 'post',
    path: '/api/projects/{projectId}/labels',
    summary: 'Add a label',
    access: 'lead',
    body: labelInputSchema,
    response: labelSchema,
    status: 201,
  },
  {
    method: 'patch',
    path: '/api/projects/{projectId}/labels/{labelId}',
    summary: 'Rename, recolour or re-key a label',
    access: 'lead',
    body: labelPatchSchema,
    response: labelSchema,
  },
  {
    method: 'get',
    path: '/api/projects/{projectId}/members',
    summary: 'Members and roles',
    access: 'member',
    response: ok({ members: z.array(memberResponseSchema) }),
  },
  {
    method: 'post',
    path: '/api/projects/{projectId}/members',
    summary: 'Add a member or change a role',
    access: 'lead',
    body: addMemberBodySchema,
    response: ok({ member: memberResponseSchema }),
    status: 201,
  },
  {
    method: 'post',
    path: '/api/projects/{projectId}/assets',
    summary: 'Upload images (multipart `file` parts; names may carry relative paths)',
    access: 'lead',
    body: 'multipart',
    response: uploadResponseSchema,
    status: 201,
  },
  {
    method: 'get',
    path: '/api/projects/{projectId}/assets',
    summary: 'Assets by file name',
    access: 'member',
    response: ok({ assets: z.array(assetResponseSchema) }),
  },
  {
    method: 'get',
    path: '/api/assets/{assetId}',
    summary: 'One asset',
    access: 'member',
    response: assetResponseSchema,
  },
  {
    method: 'get',
    path: '/api/assets/{assetId}/image',
    summary: 'The image as displayed (EXIF orientation applied)',
    access: 'member',
    response: 'binary',
  },
  {
    method: 'get',
    path: '/api/assets/{assetId}/thumbnail',
    summary: 'A JPEG thumbnail, at most 256 px',
    access: 'member',
    response: 'binary',
  },
  {
    method: 'post',
    path: '/api/projects/{projectId}/import',
    summary:
      'Import annotations (a file, or a zip optionally with images). mode=append|replace; ' +
      'format=coco-results writes a model layer (run=<id>); async=true answers 202 { job }',
    access: 'lead',
    query: importQuerySchema,
    body: 'annotations',
    response: importResponseSchema,
    also: { 202: ok({ job: jobResponseSchema }) },
  },
  {
    method: 'get',
    path: '/api/projects/{projectId}/export',
    summary:
      'Export the consensus layer; lossiness in X-Concord-Report (COCO is streamed: partial: true)',
    access: 'reviewer',
    query: exportQuerySchema,
    response: 'binary',
  },
  {
    method: 'post',
    path: '/api/projects/{projectId}/exports',
    summary: 'Start an export job; poll GET /api/jobs/{jobId}, then download its result',
    access: 'reviewer',
    body: exportJobBodySchema,
    response: ok({ job: jobResponseSchema }),
    status: 202,
  },
  {
    method: 'get',
    path: '/api/projects/{projectId}/jobs',
    summary: 'Recent jobs, newest first (imports are listed to leads only)',
    access: 'reviewer',
    query: listJobsQuerySchema,
    response: ok({ jobs: z.array(jobResponseSchema) }),
  },
  {
    method: 'get',
    path: '/api/jobs/{jobId}',
    summary: 'One job with its state and progress',
    access: 'lead for imports, reviewer for exports',
    response: ok({ job: jobResponseSchema }),
  },
  {
    method: 'post',
    path: '/api/jobs/{jobId}/cancel',
    summary:
      'Cancel a queued or running job (answers once it stopped); 409 when finished or when an import is writing',
    access: 'lead for imports, reviewer for exports',
    response: ok({ job: jobResponseSchema }),
  },
  {
    method: 'get',
    path: '/api/jobs/{jobId}/result',
    summary: "The finished export's file, as an attachment; 409 until the job succeeded",
    access: 'reviewer',
    response: 'binary',
  },
  {
    method: 'post',
    path: '/api/sample-project',
    summary: 'Make a sample project of generated images',
    access: 'signed in',
    response: projectResponseSchema,
    status: 201,
  },
]

const ERROR_STATUSES: Record<string, string> = {
  '400': 'Bad input; details.path names the field',
  '401': 'Not signed in',
  '403': 'Wrong role, or a cross-site write',
  '404': 'Not found (also a project you are not a member of)',
  '409': 'Conflict (a job that cannot be cancelled or has no file yet)',
}

/** Builds the OpenAPI 3.1 description of every route from the zod schemas the routes use. */
export function buildOpenApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const op of OPERATIONS) {
    const parameters = [
      ...[...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      })),
      ...(op.query ? queryParameters(op.query) : []),
    ]
    const errors = Object.fromEntries(
      Object.entries(ERROR_STATUSES).map(([status, description]) => [
        status,
        { description, content: json(errorResponseSchema) },
      ]),
    )
    paths[op.path] ??= {}
    paths[op.path]![op.method] = {
      summary: op.summary,
      description: `Access: ${op.access}.`,
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(op.body ? { requestBody: requestBody(op.body) } : {}),
      ...(op.access === 'anyone' ? { security: [] } : {}),
      responses: {
        [String(op.status ?? 200)]: response(op.response),
        ...Object.fromEntries(
          Object.entries(op.also ?? {}).map(([status, shape]) => [status, response(shape)]),
        ),
        ...errors,
      },
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Concord API',
      version,
      description:
        'REST interface of Concord. Live documents travel over WebSocket at /sync/<document> (y-websocket protocol).',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'concord_session' },
        token: { type: 'http', scheme: 'bearer', description: 'An API token (cct_...)' },
      },
    },
    security: [{ session: [] }, { token: [] }],
    paths,
  }
}

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): unknown {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any' })
}

function json(schema: z.ZodType, io: 'input' | 'output' = 'output') {
  return { 'application/json': { schema: schemaOf(schema, io) } }
}

function requestBody(body: NonNullable<Operation['body']>) {
  if (body === 'multipart') {
    return {
      required: true,
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            properties: { file: { type: 'array', items: { type: 'string', format: 'binary' } } },
          },
        },
      },
    }
  }
  if (body === 'annotations') {
    return {
      required: true,
      content: {
        'application/json': { schema: {} },
        'application/xml': { schema: {} },
        'application/zip': { schema: { type: 'string', format: 'binary' } },
      },
    }
  }
  return { required: true, content: json(body, 'input') }
}

function response(shape: Operation['response']) {
  if (shape === 'none' || shape === undefined) return { description: 'No content' }
  if (shape === 'binary')
    return {
      description: 'A file',
      content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
    }
  return { description: 'Success', content: json(shape) }
}

function queryParameters(query: z.ZodObject) {
  return Object.entries(query.shape).map(([name, schema]) => ({
    name,
    in: 'query',
    required: !(schema as z.ZodType).safeParse(undefined).success,
    schema: schemaOf(schema as z.ZodType, 'input'),
  }))
}
