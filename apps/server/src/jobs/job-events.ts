import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import type { JobEventMessage } from './job.types.ts';

/** Progress and status changes of jobs, delivered to whoever watches (SSE streams, waiting requests). */
export interface JobEventBus {
  publish(event: JobEventMessage): Promise<void>;
  subscribe(jobId: string, listener: (event: JobEventMessage) => void): () => void;
  close(): Promise<void>;
}

export class LocalJobEventBus implements JobEventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  async publish(event: JobEventMessage): Promise<void> {
    this.emitter.emit(event.id, event);
  }

  subscribe(jobId: string, listener: (event: JobEventMessage) => void): () => void {
    this.emitter.on(jobId, listener);
    return () => this.emitter.off(jobId, listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

/** Across processes: BullMQ workers publish, every server process relays to its local listeners. */
export class RedisJobEventBus implements JobEventBus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly local = new LocalJobEventBus();
  private readonly ready: Promise<unknown>;
  private readonly channel: string;

  constructor(redisUrl: string, prefix: string) {
    this.channel = `${prefix}:job-events`;
    this.pub = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.sub = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.sub.on('message', (_channel: string, payload: string) => {
      void this.local.publish(JSON.parse(payload) as JobEventMessage);
    });
    this.ready = this.sub.subscribe(this.channel);
  }

  async publish(event: JobEventMessage): Promise<void> {
    await this.ready;
    await this.pub.publish(this.channel, JSON.stringify(event));
  }

  subscribe(jobId: string, listener: (event: JobEventMessage) => void): () => void {
    return this.local.subscribe(jobId, listener);
  }

  async close(): Promise<void> {
    await this.local.close();
    this.sub.disconnect();
    this.pub.disconnect();
  }
}
