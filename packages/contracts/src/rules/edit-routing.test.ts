import { describe, expect, it } from 'vitest';
import { EDIT_OPERATIONS } from '../edit.ts';
import { editRoute, hasLocalEdit, localNotices, servesLocally } from './edit-routing.ts';

describe('editRoute', () => {
  it('runs cut-outs and erase locally unless a cloud provider is named', () => {
    for (const op of ['remove_background', 'erase', 'replace_background'] as const) {
      expect(editRoute(op, { hasMask: false })).toBe('local');
      expect(editRoute(op, { hasMask: false, provider: 'auto' })).toBe('local');
      expect(editRoute(op, { hasMask: false, provider: 'stability' })).toBe('cloud');
    }
  });

  it('fills inpaint and outpaint locally only without a prompt (blank counts as none)', () => {
    for (const op of ['inpaint', 'outpaint'] as const) {
      expect(editRoute(op, { hasMask: true, prompt: '' })).toBe('local');
      expect(editRoute(op, { hasMask: true, prompt: '   ' })).toBe('local');
      expect(editRoute(op, { hasMask: true, prompt: 'a cat' })).toBe('cloud');
      expect(editRoute(op, { hasMask: true, provider: 'gemini' })).toBe('cloud');
      expect(editRoute(op, { hasMask: true, prompt: 'a cat', provider: 'local' })).toBe('local');
    }
  });

  it('recolors locally only from a painted mask without an object to find', () => {
    expect(editRoute('search_recolor', { hasMask: true, prompt: 'red' })).toBe('local');
    expect(editRoute('search_recolor', { hasMask: false, prompt: 'red' })).toBe('cloud');
    expect(editRoute('search_recolor', { hasMask: true, selectPrompt: 'the car' })).toBe('cloud');
    expect(editRoute('search_recolor', { hasMask: true, provider: 'stability' })).toBe('cloud');
  });

  it('sends every operation without a local implementation to the cloud', () => {
    const cloudOnly = EDIT_OPERATIONS.filter((op) => !hasLocalEdit(op));
    expect(cloudOnly).toEqual(['search_replace', 'general_edit', 'relight']);
    for (const op of cloudOnly) {
      expect(editRoute(op, { hasMask: true })).toBe('cloud');
      expect(editRoute(op, { hasMask: true, provider: 'local' })).toBe('cloud');
    }
  });

  it('without a cloud provider, runs locally what the local implementation can serve', () => {
    const none = { cloudAvailable: false } as const;
    expect(editRoute('inpaint', { ...none, hasMask: true, prompt: 'a cat' })).toBe('local');
    expect(editRoute('outpaint', { ...none, hasMask: false, prompt: 'a beach' })).toBe('local');
    expect(
      editRoute('search_recolor', { ...none, hasMask: true, prompt: 'red', selectPrompt: 'the car' }),
    ).toBe('local');
    // Nothing local finds an object by name without a mask, or does the cloud-only operations.
    expect(editRoute('search_recolor', { ...none, hasMask: false, prompt: 'red', selectPrompt: 'car' })).toBe(
      'cloud',
    );
    for (const op of ['search_replace', 'general_edit', 'relight'] as const) {
      expect(editRoute(op, { ...none, hasMask: false, prompt: 'x' })).toBe('cloud');
    }
    // A cloud provider named explicitly stays the cloud's to run (or refuse).
    expect(editRoute('inpaint', { ...none, hasMask: true, prompt: 'a cat', provider: 'stability' })).toBe(
      'cloud',
    );
    // With a cloud provider available nothing changes.
    expect(editRoute('inpaint', { hasMask: true, prompt: 'a cat', cloudAvailable: true })).toBe('cloud');
  });

  it('says what a local run leaves out, and only then', () => {
    expect(servesLocally('search_recolor', { hasMask: false, selectPrompt: 'car' })).toBe(false);
    expect(servesLocally('inpaint', { hasMask: true, prompt: 'a cat' })).toBe(true);
    expect(localNotices('inpaint', { prompt: 'a cat' }).map((n) => n.code)).toEqual(['prompt_ignored_local']);
    expect(localNotices('outpaint', { prompt: 'sky' }).map((n) => n.code)).toEqual(['prompt_ignored_local']);
    expect(
      localNotices('search_recolor', { prompt: 'red', selectPrompt: 'the car' }).map((n) => n.code),
    ).toEqual(['select_prompt_ignored_local']);
    expect(localNotices('inpaint', { prompt: '  ' })).toEqual([]);
    expect(localNotices('search_recolor', { prompt: 'red' })).toEqual([]);
    expect(localNotices('erase', { prompt: 'x' })).toEqual([]);
  });
});
