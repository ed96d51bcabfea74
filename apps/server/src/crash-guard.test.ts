import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const CHILD = path.resolve(import.meta.dirname, '../../../test/support/crash-guard-child.ts');

describe('crash guard', () => {
  it('logs an unhandled rejection with its job id and keeps running; exits 1 after an uncaught throw', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const lines = out.split('\n');
    const rejection = lines.findIndex((l) => l.includes('unhandled promise rejection'));
    const alive = lines.indexOf('still running');
    const fatal = lines.findIndex((l) => l.includes('uncaught exception'));
    expect(rejection, out).toBeGreaterThanOrEqual(0);
    expect(lines[rejection]).toContain('"jobId":"job-7"');
    expect(lines[rejection]).toContain('a stray rejection');
    expect(alive).toBeGreaterThan(rejection);
    expect(fatal).toBeGreaterThan(alive);
    expect(lines[fatal]).toContain('"requestId":"req-9"');
    expect(lines[fatal]).toContain('a throw nobody catches');
    expect(out).not.toContain('should have exited');
    expect(code).toBe(1);
  });
});
