import { describe, expect, it } from 'vitest';
import { autoText, tagsFrom } from './auto-tags.ts';

const box = { left: 0, top: 0, width: 10, height: 10 };
const object = (label: string, score: number) => ({ label, score, box });

describe('automatic tags from detections', () => {
  it('keeps one tag per label at its best score, each class at its own threshold', () => {
    const tags = tagsFrom({
      faces: [],
      bodies: [],
      objects: [
        object('sports ball', 0.67),
        object('person', 0.5),
        object('person', 0.42),
        object('remote', 0.43),
        object('dog', 0.3),
      ],
    });
    expect(tags).toEqual([
      { label: 'sports ball', score: 0.67, source: 'centernet' },
      { label: 'person', score: 0.5, source: 'centernet' },
    ]);
  });

  it('tags an animal that is the best detection of its picture from 0.25, not one beside better ones', () => {
    const lone = tagsFrom({ faces: [], bodies: [], objects: [object('dog', 0.25), object('person', 0.22)] });
    expect(lone.map((t) => t.label)).toEqual(['dog']);
    const beside = tagsFrom({ faces: [], bodies: [], objects: [object('car', 0.46), object('dog', 0.3)] });
    expect(beside).toEqual([]);
  });

  it('a body or a sure face is a person', () => {
    const body = { score: 0.81, box, keypoints: [] };
    expect(tagsFrom({ faces: [], bodies: [body], objects: [object('person', 0.5)] })).toEqual([
      { label: 'person', score: 0.81, source: 'movenet' },
    ]);
    const face = (score: number) => ({ ...box, score });
    expect(tagsFrom({ faces: [face(0.9)], bodies: [], objects: [] })).toEqual([
      { label: 'person', score: 0.9, source: 'blazeface' },
    ]);
    expect(tagsFrom({ faces: [face(0.55)], bodies: [], objects: [] })).toEqual([]);
  });

  it('the search text holds the labels, then the recognised text', () => {
    expect(autoText(['dog', 'person'], 'SUMMER SALE')).toBe('dog person\nSUMMER SALE');
    expect(autoText([], 'SUMMER SALE')).toBe('SUMMER SALE');
    expect(autoText(['dog'], null)).toBe('dog');
    expect(autoText([], null)).toBeNull();
  });
});
