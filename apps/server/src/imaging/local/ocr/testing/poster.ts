import sharp from 'sharp';

export interface PosterLine {
  text: string;
  /** Font size in pixels. */
  size: number;
}

/** The words of the test poster, large to small: what OCR must read back. */
export const POSTER_LINES: readonly PosterLine[] = [
  { text: 'SUMMER SALE', size: 120 },
  { text: 'Everything half price', size: 64 },
  { text: 'Harbour Street market', size: 40 },
];

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A poster as a marketer would make one: a photograph, a translucent band, and lines of text in
 * several sizes (DejaVu Sans, from Debian's fonts-dejavu-core) drawn by sharp's SVG renderer.
 */
export async function renderPoster(
  background: Buffer,
  width = 1600,
  lines: readonly PosterLine[] = POSTER_LINES,
): Promise<Buffer> {
  const photo = await sharp(background).rotate().resize(width).toBuffer({ resolveWithObject: true });
  const height = photo.info.height;
  const bandHeight = lines.reduce((h, l) => h + l.size * 1.4, 0) + 60;
  const bandTop = Math.round((height - bandHeight) / 2);
  let y = bandTop + 30;
  const texts = lines.map((l) => {
    y += l.size * 1.15;
    const line = `<text x="${width / 2}" y="${Math.round(y)}" font-family="DejaVu Sans" font-weight="bold" font-size="${l.size}" text-anchor="middle" fill="#ffffff">${escapeXml(l.text)}</text>`;
    y += l.size * 0.25;
    return line;
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect x="0" y="${bandTop}" width="${width}" height="${Math.round(bandHeight)}" fill="#1a1a40" fill-opacity="0.78"/>
    ${texts.join('\n')}
  </svg>`;
  return sharp(photo.data)
    .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
    .jpeg({ quality: 88 })
    .toBuffer();
}
