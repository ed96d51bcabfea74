import path from 'node:path';
import ts from 'typescript';
import { KNOWN_EXCEPTIONS, LAYERS, type Layer, PIXEL_LIBRARIES, PIXEL_ROOT } from './import-rules.ts';

const CONTRACTS_ENTRY = 'packages/contracts/src/index.ts';

/** Where an import points: a project file, or a package name. */
function resolve(from: string, specifier: string): { file: string } | { pkg: string } {
  if (specifier === '@studio/contracts') return { file: CONTRACTS_ENTRY };
  if (!specifier.startsWith('.')) {
    const parts = specifier.split('/');
    return { pkg: specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier) };
  }
  return { file: path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier)) };
}

export function layerOf(file: string): Layer | undefined {
  return LAYERS.find((l) => l.match.some((pattern) => pattern.test(file)));
}

export interface Violation {
  rule: 'cycle' | 'upward' | 'pixels' | 'unlayered';
  from: string;
  to: string;
  why: string;
}

function checkFile(file: string, imports: string[], graph: Map<string, string[]>): Violation[] {
  const found: Violation[] = [];
  const from = layerOf(file);
  if (!from) found.push({ rule: 'unlayered', from: file, to: '', why: 'no layer in import-rules.ts' });
  const edges: string[] = [];
  for (const specifier of imports) {
    const target = resolve(file, specifier);
    if ('pkg' in target) {
      if (PIXEL_LIBRARIES.includes(target.pkg) && !file.startsWith(PIXEL_ROOT)) {
        found.push({
          rule: 'pixels',
          from: file,
          to: target.pkg,
          why: `pixel work belongs in ${PIXEL_ROOT}`,
        });
      }
      continue;
    }
    edges.push(target.file);
    const to = layerOf(target.file);
    if (from && to && to.rank > from.rank) {
      found.push({
        rule: 'upward',
        from: file,
        to: target.file,
        why: `${from.name} (${from.rank}) may not import ${to.name} (${to.rank})`,
      });
    }
  }
  graph.set(file, edges);
  return found;
}

/** Every cycle once (Tarjan's strongly connected components; a component of two or more is a cycle). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, indices.get(w) ?? 0));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w !== undefined) {
          onStack.delete(w);
          component.push(w);
        }
      } while (w !== undefined && w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return found;
}

/**
 * Every violation in a set of source files (path from the repository root → its text): upward
 * imports, pixel libraries outside imaging/, files in no layer, and import cycles.
 */
export function findViolations(sources: ReadonlyMap<string, string>): {
  files: number;
  violations: Violation[];
} {
  const graph = new Map<string, string[]>();
  const violations: Violation[] = [];
  for (const [file, text] of sources) {
    const info = ts.preProcessFile(text, true, true);
    violations.push(
      ...checkFile(
        file,
        info.importedFiles.map((i) => i.fileName),
        graph,
      ),
    );
  }
  for (const component of cycles(graph)) {
    violations.push({
      rule: 'cycle',
      from: component[0] ?? '',
      to: component.join(' → '),
      why: 'import cycle',
    });
  }
  return { files: graph.size, violations };
}

const key = (v: { rule: string; from: string; to: string }) => `${v.rule} ${v.from} ${v.to}`;

/** Violations not listed as known exceptions, and known exceptions that no longer happen. */
export function judge(violations: readonly Violation[], known = KNOWN_EXCEPTIONS) {
  const listed = new Set(known.map(key));
  return {
    failing: violations.filter((v) => !listed.has(key(v))),
    stale: known.filter((e) => !violations.some((v) => key(v) === key(e))),
  };
}
