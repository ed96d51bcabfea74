import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import {
  assertSha,
  BlobNotFoundError,
  type BlobStore,
  isSha,
  type StoredBlob,
  sha256Hex,
} from './blob-store.ts';

export interface S3Options {
  bucket: string;
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
  /** Key prefix inside the bucket, so one bucket can hold several installs or test runs. */
  prefix?: string;
}

/** Blobs as objects `<prefix>blobs/<sha256>`; a single PUT is atomic on S3-compatible stores. */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3';
  private readonly client: S3Client;

  constructor(private readonly options: S3Options) {
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle,
      credentials:
        options.accessKeyId && options.secretAccessKey
          ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }
          : undefined,
    });
  }

  private keyOf(sha: string): string {
    assertSha(sha);
    return `${this.options.prefix ?? ''}blobs/${sha}`;
  }

  async put(bytes: Buffer): Promise<string> {
    const sha = sha256Hex(bytes);
    if (await this.has(sha)) {
      return sha;
    }
    await this.client.send(
      new PutObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(sha), Body: bytes }),
    );
    return sha;
  }

  async get(sha: string): Promise<Buffer> {
    const stream = await this.stream(sha);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  }

  async stream(sha: string): Promise<Readable> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(sha) }),
      );
      return out.Body as Readable;
    } catch (e) {
      throw isMissing(e) ? new BlobNotFoundError(sha) : e;
    }
  }

  async has(sha: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(sha) }));
      return true;
    } catch (e) {
      if (isMissing(e)) {
        return false;
      }
      throw e;
    }
  }

  async delete(sha: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(sha) }));
  }

  async *list(): AsyncIterable<StoredBlob> {
    const prefix = `${this.options.prefix ?? ''}blobs/`;
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        const sha = object.Key?.slice(prefix.length) ?? '';
        if (isSha(sha) && object.LastModified) yield { sha256: sha, modifiedAt: object.LastModified };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** A single PUT either stores the whole object or nothing, so there is never a partial one. */
  async removePartial(): Promise<number> {
    return 0;
  }

  async ping(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.options.bucket }));
  }

  close(): void {
    this.client.destroy();
  }
}

function isMissing(e: unknown): boolean {
  return (
    e instanceof S3ServiceException &&
    (e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata.httpStatusCode === 404)
  );
}
