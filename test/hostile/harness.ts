import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { sql } from 'kysely';
import { expect } from 'vitest';
import { z } from 'zod';
import type { TestApp } from '../support/test-app.ts';

/** What a refused request must leave exactly as it was. */
export interface Footprint {
  rows: Record<string, number>;
  /** Every file under the data folder (blobs, thumbnails, temp files), the database aside. */
  files: string[];
  /** Every file in this process's temp folder outside the data folder. */
  temp: string[];
  /** Every object in the S3 bucket, when the app stores blobs there. */
  objects: string[];
}

/**
 * Gives this test process a temp folder of its own (TMPDIR, which os.tmpdir() reads on each call),
 * so temp files the server leaves behind can be counted without seeing other test files' ones.
 * Call before startTestApp.
 */
export function ownTempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-tmp-'));
  process.env.TMPDIR = dir;
  return dir;
}

const COUNTED_TABLES = ['assets', 'asset_parents', 'jobs', 'credit_ledger', 'credit_reservations'] as const;
const DATABASE_FILE = /^studio\.db(?:-wal|-shm|-journal)?$/;

function listFiles(root: string, dir = root): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(root, full);
    const rel = path.relative(root, full);
    return DATABASE_FILE.test(rel) ? [] : [rel];
  });
}

async function listObjects(env: Record<string, string>): Promise<string[]> {
  const bucket = env.S3_BUCKET;
  if (!bucket) return [];
  const client = new S3Client({
    endpoint: env.S3_ENDPOINT,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: env.S3_ACCESS_KEY_ID ?? '', secretAccessKey: env.S3_SECRET_ACCESS_KEY ?? '' },
  });
  try {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
      token = page.NextContinuationToken;
    } while (token);
    return keys.sort();
  } finally {
    client.destroy();
  }
}

export async function footprint(t: TestApp): Promise<Footprint> {
  const rows: Record<string, number> = {};
  for (const table of COUNTED_TABLES) {
    const { rows: result } = await sql<{
      n: number | string;
    }>`select count(*) as n from ${sql.table(table)}`.execute(t.ctx.db.kysely);
    rows[table] = Number(result[0]?.n ?? -1);
  }
  const temp = listFiles(os.tmpdir())
    .filter((f) => !path.join(os.tmpdir(), f).startsWith(t.dataDir + path.sep))
    .sort();
  return { rows, files: listFiles(t.dataDir).sort(), temp, objects: await listObjects(t.env) };
}

/** The server still answers, and from its database. */
export async function expectAlive(t: TestApp): Promise<void> {
  const res = await t.app.inject({ method: 'GET', url: '/api/image-studio/health' });
  expect(res.statusCode).toBe(200);
}

export interface ErrorAnswer {
  status: number;
  code: string;
  message: string;
}

export function errorOf(res: { statusCode: number; body: string }): ErrorAnswer {
  let code = '(no JSON error body)';
  let message = res.body.slice(0, 200);
  try {
    const parsed: unknown = JSON.parse(res.body);
    if (typeof parsed === 'object' && parsed !== null && 'error' in parsed) {
      const e = parsed.error;
      if (typeof e === 'object' && e !== null) {
        if ('code' in e && typeof e.code === 'string') code = e.code;
        if ('message' in e && typeof e.message === 'string') message = e.message;
      }
    }
  } catch {
    // Not JSON: the code above says so, which is the failure the assertion reports.
  }
  return { status: res.statusCode, code, message };
}

export interface FilePart {
  name: string;
  filename: string;
  bytes: Buffer;
  contentType?: string;
}

/** A multipart/form-data body built by hand, so tests can also cut it short or leave parts out. */
export function multipart(fields: Record<string, string>, files: FilePart[]) {
  const boundary = '----hostile7MA4YWxkTrZu0gW';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\n` +
          `content-type: ${f.contentType ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      f.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** One operation of the OpenAPI document Fastify builds from the registered routes. */
export interface RouteOp {
  method: string;
  /** OpenAPI form: `/api/content-assets/{id}`. */
  path: string;
  pathParams: SchemaParam[];
  queryParams: SchemaParam[];
  body?: JsonSchema;
  text: string;
}

export interface SchemaParam {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  maxLength?: number;
  maxItems?: number;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  nullable?: boolean;
}

const JsonSchemaZ: z.ZodType<JsonSchema> = z.lazy(() =>
  z.looseObject({
    type: z.union([z.string(), z.array(z.string())]).optional(),
    properties: z.record(z.string(), JsonSchemaZ).optional(),
    items: JsonSchemaZ.optional(),
    anyOf: z.array(JsonSchemaZ).optional(),
    oneOf: z.array(JsonSchemaZ).optional(),
    allOf: z.array(JsonSchemaZ).optional(),
    $ref: z.string().optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
    exclusiveMinimum: z.union([z.number(), z.boolean()]).optional(),
    exclusiveMaximum: z.union([z.number(), z.boolean()]).optional(),
    maxLength: z.number().optional(),
    maxItems: z.number().optional(),
    enum: z.array(z.unknown()).optional(),
    const: z.unknown().optional(),
    format: z.string().optional(),
    pattern: z.string().optional(),
    nullable: z.boolean().optional(),
  }),
);

/** The part of the OpenAPI document this suite reads; operations keep their other keys (summary…). */
const OpenApiDoc = z.object({
  paths: z.record(
    z.string(),
    z.record(
      z.string(),
      z.looseObject({
        parameters: z
          .array(
            z.object({
              in: z.string(),
              name: z.string(),
              required: z.boolean().optional(),
              schema: JsonSchemaZ.optional(),
            }),
          )
          .optional(),
        requestBody: z
          .object({ content: z.record(z.string(), z.object({ schema: JsonSchemaZ.optional() })) })
          .optional(),
      }),
    ),
  ),
  components: z.object({ schemas: z.record(z.string(), JsonSchemaZ).optional() }).optional(),
});
type OpenApiDoc = z.infer<typeof OpenApiDoc>;

/** Resolves `$ref`s against the document's components, so callers see plain schemas. */
function resolver(doc: OpenApiDoc) {
  const resolve = (s: JsonSchema | undefined, depth = 0): JsonSchema | undefined => {
    if (!s || depth > 20) return s;
    if (s.$ref)
      return resolve(doc.components?.schemas?.[s.$ref.replace('#/components/schemas/', '')], depth + 1);
    const out: JsonSchema = { ...s };
    if (s.properties) {
      out.properties = Object.fromEntries(
        Object.entries(s.properties).map(([k, v]) => [k, resolve(v, depth + 1) ?? {}]),
      );
    }
    if (s.items) out.items = resolve(s.items, depth + 1);
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
      const list = s[key];
      if (list) out[key] = list.map((v) => resolve(v, depth + 1) ?? {});
    }
    return out;
  };
  return resolve;
}

/**
 * Every API route from Fastify's own registry (through the OpenAPI document it generates), so a
 * route added tomorrow is fuzzed without touching this suite.
 */
export function routesOf(t: TestApp): RouteOp[] {
  const doc = OpenApiDoc.parse(t.app.swagger());
  const resolve = resolver(doc);
  const ops: RouteOp[] = [];
  for (const [p, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = (where: string) =>
        (op.parameters ?? [])
          .filter((x) => x.in === where)
          .map((x) => ({ name: x.name, required: x.required === true, schema: resolve(x.schema) ?? {} }));
      const body = resolve(op.requestBody?.content['application/json']?.schema);
      ops.push({
        method: method.toUpperCase(),
        path: p,
        pathParams: params('path'),
        queryParams: params('query'),
        ...(body ? { body } : {}),
        text: JSON.stringify(op),
      });
    }
  }
  return ops;
}

export const typesOf = (s: JsonSchema): string[] => {
  const own = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  const nested = [...(s.anyOf ?? []), ...(s.oneOf ?? [])].flatMap(typesOf);
  return [...own, ...nested];
};

export const isNumeric = (s: JsonSchema) => typesOf(s).some((t) => t === 'integer' || t === 'number');
