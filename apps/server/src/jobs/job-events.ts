import { EventEmitter } from 'node:events';
import { JobEvent } from '@studio/contracts';
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import { tryParseJson } from '../util/try-parse-json.ts';
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

  constructor(
    redisUrl: string,
    prefix: string,
    private readonly log: FastifyBaseLogger,
  ) {
    this.channel = `${prefix}:job-events`;
    this.pub = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.sub = new Redis(redisUrl, { maxRetriesPerRequest: null });
    // Both reconnect on their own (and `sub` subscribes again); an outage is only worth a log line.
    this.pub.on('error', (err) => log.warn({ err }, 'job events: Redis publisher error'));
    this.sub.on('error', (err) => log.warn({ err }, 'job events: Redis subscriber error'));
    this.sub.on('message', (_channel: string, payload: string) => this.relay(payload));
    this.ready = this.sub.subscribe(this.channel).catch((err: unknown) => {
      log.error({ err }, 'job events: subscribing failed; Redis will be asked again on reconnect');
    });
  }

  /** Anyone who can reach Redis can publish on the channel: a payload is checked, never trusted. */
  private relay(payload: string): void {
    const event = JobEvent.safeParse(tryParseJson(payload));
    if (!event.success) {
      this.log.warn({ payload: payload.slice(0, 200) }, 'job events: ignored a malformed message');
      return;
    }
    this.local.publish(event.data).catch((err: unknown) => {
      this.log.error({ err, jobId: event.data.id }, 'job events: a listener failed');
    });
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
