import { describe, expect, it } from 'vitest';
import { ApiError, accepted, apiErrorOf, ok, queryString, urlOf } from './client.ts';
import { assetUrls, jobs } from './endpoints.ts';
import { fieldErrors } from './fieldErrors.ts';
import { listQuery, PAGE_SIZE } from './library.ts';
import { multipart } from './multipart.ts';

describe('queryString', () => {
  it('leaves out empty values and repeats array keys', () => {
    expect(queryString({ a: 'x y', b: '', c: undefined, d: null, e: 0, f: false, g: ['1', '2'] })).toBe(
      'a=x+y&e=0&f=false&g=1&g=2',
    );
    expect(queryString(undefined)).toBe('');
  });
});

describe('urlOf', () => {
  it('fills path params (encoded) and the query for what the browser loads itself', () => {
    expect(urlOf('/api/content-assets/{id}/thumbnail', { id: 5 }, { size: 'large' })).toBe(
      '/api/content-assets/5/thumbnail?size=large',
    );
    expect(assetUrls.file(3)).toBe('/api/content-assets/3/file');
    expect(assetUrls.file(3, true)).toBe('/api/content-assets/3/file?download=true');
    expect(jobs.eventsUrl('a/b c')).toBe('/api/jobs/a%2Fb%20c/events');
  });
});

describe('listQuery', () => {
  it('maps the screen filters onto the list query, flags as text and only when on', () => {
    expect(listQuery({ search: 'cat', favorites_only: true, trashed: false }, { cursor: 'c1' })).toEqual({
      search: 'cat',
      favorites_only: 'true',
      trashed: undefined,
      limit: PAGE_SIZE,
      cursor: 'c1',
      offset: undefined,
    });
    expect(queryString(listQuery({ asset_type: 'image', trashed: true }, { offset: 96 }))).toBe(
      `asset_type=image&trashed=true&limit=${PAGE_SIZE}&offset=96`,
    );
  });
});

describe('apiErrorOf', () => {
  it('reads the one error shape', () => {
    const error = apiErrorOf(404, { error: { code: 'not_found', message: 'No asset 7.' }, requestId: 'r-1' });
    expect(error).toBeInstanceOf(ApiError);
    expect({ ...error, message: error.message }).toMatchObject({
      status: 404,
      code: 'not_found',
      message: 'No asset 7.',
      requestId: 'r-1',
    });
  });

  it('answers http_error for a body that is not the error shape', () => {
    for (const body of [undefined, 'Bad Gateway', { error: 'x' }, { error: { code: 1, message: 'm' } }]) {
      expect(apiErrorOf(502, body)).toMatchObject({ status: 502, code: 'http_error' });
    }
  });

  it('gives field messages of a validation failure by their last path part', () => {
    const error = apiErrorOf(400, {
      error: {
        code: 'validation_failed',
        message: 'bad',
        details: {
          issues: [
            { path: 'body/prompt', message: 'Too long.' },
            { path: ['options', 'feather'], message: 'Too big.' },
            { message: 'no path' },
          ],
        },
      },
      requestId: 'r',
    });
    expect(fieldErrors(error)).toEqual({ prompt: 'Too long.', feather: 'Too big.' });
  });
});

describe('ok', () => {
  it('returns the data of an answer and throws the parsed error of a failure', async () => {
    const response = (status: number) => new Response(null, { status });
    await expect(ok(Promise.resolve({ data: { id: 1 }, response: response(200) }))).resolves.toEqual({
      id: 1,
    });
    await expect(
      ok(
        Promise.resolve({
          error: { error: { code: 'gone', message: 'Gone.' }, requestId: 'q' },
          response: response(410),
        }),
      ),
    ).rejects.toMatchObject({ status: 410, code: 'gone', requestId: 'q' });
  });
});

describe('accepted', () => {
  it('takes the 202 job and refuses a finished result where a job was expected', async () => {
    const job = { success: true, job_id: 'j1', status: 'queued', status_url: '/s', events_url: '/e' };
    const response = new Response(null, { status: 202 });
    await expect(accepted(Promise.resolve({ data: job, response }))).resolves.toEqual(job);
    await expect(
      accepted(Promise.resolve({ data: { success: true, asset_id: 4 }, response: new Response(null) })),
    ).rejects.toMatchObject({ code: 'http_error' });
  });
});

describe('multipart', () => {
  it('sends files beside the typed fields: text as is, the rest as JSON, nothing for null', async () => {
    const file = new File([new Uint8Array([1, 2, 3])], 'photo.png', { type: 'image/png' });
    const mask = new Blob([new Uint8Array([9])], { type: 'image/png' });
    const form = multipart({ file, mask: { blob: mask, name: 'mask.png' }, style: null })({
      operation: 'erase',
      options: { grow_mask: 4 },
      async: true,
      prompt: null,
      seed: undefined,
    });
    expect([...form.keys()]).toEqual(['file', 'mask', 'operation', 'options', 'async']);
    expect(form.get('operation')).toBe('erase');
    expect(form.get('options')).toBe('{"grow_mask":4}');
    expect(form.get('async')).toBe('true');
    const sent = form.get('file');
    expect(
      sent instanceof File && sent.name === 'photo.png' && [...new Uint8Array(await sent.arrayBuffer())],
    ).toEqual([1, 2, 3]);
    const sentMask = form.get('mask');
    expect(sentMask instanceof File && sentMask.name).toBe('mask.png');
  });
});
