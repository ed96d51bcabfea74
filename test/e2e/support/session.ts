import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { type RunningServer, startServer } from '../../support/server-process.ts';
import { DESKTOP, launch, watchErrors } from './browser.ts';
import { setupThroughUi } from './flows.ts';

export interface SessionOptions {
  /** Extra server environment, made once the test's fakes have started (their URLs). */
  env?: () => Promise<Record<string, string>>;
  /** Runs after everything else has stopped (the test's fakes). */
  cleanup?: () => Promise<void>;
  /** false: no admin is set up and the page is blank (a test of the first-run setup itself). */
  setup?: boolean;
}

/** Another browser context on the session's server (its own cookies: another person, another theme). */
export interface ExtraPage {
  page: Page;
  /** Console and page errors on this page. */
  errors: string[];
}

/**
 * One e2e session: the real server in its own process, Chromium, one page with every console and
 * page error collected, and the admin set up through the UI (the page ends on the dashboard).
 */
export class StudioSession {
  private started: {
    server: RunningServer;
    browser: Browser;
    context: BrowserContext;
    page: Page;
    errors: string[];
    extra: BrowserContext[];
  } | null = null;

  private get parts() {
    if (!this.started) {
      throw new Error('The session has not started (call studioSession() at the top of a describe).');
    }
    return this.started;
  }
  get page(): Page {
    return this.parts.page;
  }
  get server(): RunningServer {
    return this.parts.server;
  }

  async start(options: SessionOptions): Promise<void> {
    const server = await startServer(options.env ? await options.env() : {});
    const browser = await launch();
    const context = await this.context(browser, server.baseUrl);
    const page = await context.newPage();
    this.started = { server, browser, context, page, errors: watchErrors(page), extra: [] };
    if (options.setup !== false) {
      await setupThroughUi(page);
    }
  }

  private async context(
    browser: Browser,
    baseURL: string,
    colorScheme?: 'light' | 'dark',
  ): Promise<BrowserContext> {
    const context = await browser.newContext({
      viewport: DESKTOP,
      baseURL,
      acceptDownloads: true,
      ...(colorScheme ? { colorScheme } : {}),
    });
    context.setDefaultTimeout(15_000);
    return context;
  }

  /** A page in a new browser context (signed out), closed with the session. */
  async newPage(options: { colorScheme?: 'light' | 'dark' } = {}): Promise<ExtraPage> {
    const { browser, server, extra } = this.parts;
    const context = await this.context(browser, server.baseUrl, options.colorScheme);
    extra.push(context);
    const page = await context.newPage();
    return { page, errors: watchErrors(page) };
  }

  /** Fails the step on any console or page error since the last call, then starts afresh. */
  expectNoErrors(allowed?: RegExp): void {
    const all = this.parts.errors;
    const errors = all.filter((e) => !allowed?.test(e));
    all.length = 0;
    expect(errors.join('\n')).toBe('');
  }

  /** A same-origin JSON call from the page, as the app makes it (session cookie, Origin header). */
  async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    return this.page.evaluate(
      async ([m, p, b]) => {
        const response = await fetch(p, {
          method: m,
          headers: b === undefined ? {} : { 'content-type': 'application/json' },
          body: b === undefined ? undefined : JSON.stringify(b),
        });
        const text = await response.text();
        return { status: response.status, body: text ? JSON.parse(text) : null };
      },
      [method, path, body] as const,
    );
  }

  async stop(): Promise<void> {
    for (const context of this.started?.extra ?? []) {
      await context.close();
    }
    await this.started?.browser.close();
    await this.started?.server.stop();
  }
}

/** Registers the session's start and stop with the enclosing describe. */
export function studioSession(options: SessionOptions = {}): StudioSession {
  const session = new StudioSession();
  beforeAll(() => session.start(options), 180_000);
  afterAll(async () => {
    await session.stop();
    await options.cleanup?.();
  });
  return session;
}
