import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Table types shared by every repository. Portable across SQLite and PostgreSQL: times are ISO-8601
 * UTC strings made by the app, booleans are 0/1 integers, JSON is text (see docs/architecture.md).
 */
export interface UsersTable {
  id: Generated<number>;
  email: string;
  password_hash: string;
  role: 'admin' | 'user';
  created_at: string;
  updated_at: string;
  /** Set while an admin has disabled the account: no session or token works. */
  disabled_at: Generated<string | null>;
}

export interface SessionsTable {
  /** sha256 of the cookie value; the raw value is never stored. */
  id: string;
  user_id: number;
  created_at: string;
  expires_at: string;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  /** First characters of the token, shown in lists so a user can tell tokens apart. */
  token_prefix: string;
  created_at: string;
  last_used_at: string | null;
  /** Null: never expires. */
  expires_at: Generated<string | null>;
}

export interface AssetsTable {
  id: Generated<number>;
  user_id: number;
  asset_type: string;
  source_module: string;
  operation: string | null;
  provider: string | null;
  model: string | null;
  prompt: string | null;
  title: string | null;
  description: string | null;
  /** JSON object: the parameters the operation ran with. */
  params: string;
  width: number;
  height: number;
  format: string;
  mime_type: string;
  file_size: number;
  sha256: string;
  thumb_small_sha256: string | null;
  thumb_large_sha256: string | null;
  thumbhash: string | null;
  cost_credits: number;
  is_favorite: number;
  /** JSON array of strings. */
  tags: string;
  collection_id: number | null;
  download_count: number;
  share_count: number;
  access_count: number;
  last_accessed: string | null;
  deleted_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface AssetParentsTable {
  asset_id: number;
  parent_id: number;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled';

export interface JobsTable {
  id: string;
  user_id: number;
  type: string;
  status: JobStatus;
  progress: number;
  /** JSON: the handler's input. */
  input: string;
  /** JSON: the handler's result, once succeeded. */
  result: string | null;
  error_code: string | null;
  error_message: string | null;
  attempts: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
  /** When the handler began saving its results (see JobContext.commit); null before. */
  committed_at: Generated<string | null>;
}

export interface PersonasTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  brand: string | null;
  tone: string | null;
  /** JSON arrays of strings. */
  style_keywords: string;
  colors: string;
  avoid: string;
  is_default: number;
  created_at: string;
  updated_at: string;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  assets: AssetsTable;
  asset_parents: AssetParentsTable;
  jobs: JobsTable;
  personas: PersonasTable;
}

export type UserRow = Selectable<UsersTable>;
export type AssetRow = Selectable<AssetsTable>;
export type NewAsset = Insertable<AssetsTable>;
export type AssetUpdate = Updateable<AssetsTable>;
export type JobRow = Selectable<JobsTable>;
export type PersonaRow = Selectable<PersonasTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type SessionRow = Selectable<SessionsTable>;
