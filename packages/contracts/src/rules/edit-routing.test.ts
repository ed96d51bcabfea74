import { describe, expect, it } from 'vitest';
import { EDIT_OPERATIONS } from '../edit.ts';
import { editRoute, hasLocalEdit } from './edit-routing.ts';

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
});
