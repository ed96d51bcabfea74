import { describe, expect, it } from 'vitest';
import { ProducedResults } from './produced-results.ts';

const bytes = (n: number, fill: number) => Buffer.alloc(n, fill);

describe('ProducedResults', () => {
  it('hands a result over once', () => {
    const held = new ProducedResults(100, 300);
    held.remember(1, bytes(40, 1));
    expect(held.take(1)?.equals(bytes(40, 1))).toBe(true);
    expect(held.take(1)).toBeUndefined();
  });

  it('keeps nothing larger than one answer may carry', () => {
    const held = new ProducedResults(100, 300);
    held.remember(1, bytes(101, 1));
    expect(held.take(1)).toBeUndefined();
  });

  it('drops the oldest results nobody took once past the bytes it may hold', () => {
    const held = new ProducedResults(100, 250);
    for (let id = 1; id <= 4; id++) held.remember(id, bytes(100, id));
    expect(held.take(1)).toBeUndefined();
    expect(held.take(2)).toBeUndefined();
    expect(held.take(3)?.[0]).toBe(3);
    expect(held.take(4)?.[0]).toBe(4);
  });
});
