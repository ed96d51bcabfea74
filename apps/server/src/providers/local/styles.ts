/** Layout styles of the local renderer, keyed by style preset. Data only; see layout.ts for their use. */
export interface LayoutStyle {
  /** Background colours when the user gives no brand colours. */
  palette: readonly [string, string, string];
  font: string;
  weight: 400 | 700 | 800 | 900;
  /** Gradient angle in degrees. */
  angle: number;
  /** Decorative shapes over the background. */
  shapes: 'circles' | 'bands' | 'none';
  uppercase: boolean;
}

export const DEFAULT_STYLE: LayoutStyle = {
  palette: ['#1e3a8a', '#7c3aed', '#f59e0b'],
  font: 'Inter',
  weight: 800,
  angle: 135,
  shapes: 'circles',
  uppercase: false,
};

export const LAYOUT_STYLES: Readonly<Record<string, LayoutStyle>> = {
  photographic: {
    palette: ['#111827', '#374151', '#d97706'],
    font: 'Noto Serif',
    weight: 700,
    angle: 160,
    shapes: 'none',
    uppercase: false,
  },
  cinematic: {
    palette: ['#0f172a', '#7f1d1d', '#fbbf24'],
    font: 'Noto Serif',
    weight: 700,
    angle: 180,
    shapes: 'bands',
    uppercase: true,
  },
  'digital-art': {
    palette: ['#db2777', '#0891b2', '#facc15'],
    font: 'Open Sans',
    weight: 800,
    angle: 120,
    shapes: 'circles',
    uppercase: false,
  },
  'neon-punk': {
    palette: ['#4c1d95', '#be185d', '#22d3ee'],
    font: 'Open Sans',
    weight: 800,
    angle: 45,
    shapes: 'bands',
    uppercase: true,
  },
  'line-art': {
    palette: ['#f8fafc', '#e2e8f0', '#0f172a'],
    font: 'Lato',
    weight: 900,
    angle: 90,
    shapes: 'none',
    uppercase: false,
  },
  minimal: {
    palette: ['#fafaf9', '#e7e5e4', '#1c1917'],
    font: 'Lato',
    weight: 900,
    angle: 90,
    shapes: 'none',
    uppercase: false,
  },
  'comic-book': {
    palette: ['#facc15', '#ef4444', '#1d4ed8'],
    font: 'Roboto',
    weight: 700,
    angle: 30,
    shapes: 'circles',
    uppercase: true,
  },
  anime: {
    palette: ['#fb7185', '#a78bfa', '#fef08a'],
    font: 'Roboto',
    weight: 700,
    angle: 150,
    shapes: 'circles',
    uppercase: false,
  },
  '3d-model': {
    palette: ['#0e7490', '#1e293b', '#f97316'],
    font: 'Inter',
    weight: 800,
    angle: 200,
    shapes: 'circles',
    uppercase: false,
  },
  'fantasy-art': {
    palette: ['#14532d', '#4338ca', '#fde047'],
    font: 'Noto Serif',
    weight: 700,
    angle: 140,
    shapes: 'circles',
    uppercase: false,
  },
};
