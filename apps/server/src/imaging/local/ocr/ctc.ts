export interface DecodedLine {
  text: string;
  /** Mean probability of the symbols kept. */
  score: number;
}

/**
 * CTC greedy decoding of one line: the most likely class per time step, repeats collapsed, blanks
 * (class 0) dropped. `probs` holds `steps × classes` softmax outputs.
 */
export function ctcGreedy(
  probs: Float32Array,
  steps: number,
  classes: number,
  symbols: string[],
): DecodedLine {
  let text = '';
  let sum = 0;
  let kept = 0;
  let previous = 0;
  for (let t = 0; t < steps; t++) {
    const row = t * classes;
    let best = 0;
    let bestP = probs[row] ?? 0;
    for (let c = 1; c < classes; c++) {
      const p = probs[row + c] ?? 0;
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    if (best !== 0 && best !== previous) {
      text += symbols[best] ?? '';
      sum += bestP;
      kept++;
    }
    previous = best;
  }
  return { text: text.trim(), score: kept > 0 ? sum / kept : 0 };
}
