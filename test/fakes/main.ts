import { GeminiFake } from './gemini.ts';
import { HuggingfaceFake } from './huggingface.ts';
import { StabilityFake } from './stability.ts';
import { WavespeedFake } from './wavespeed.ts';

/**
 * `npm run fakes`: starts the four provider fakes on fixed ports for offline development only.
 * Point the server at them with the printed *_BASE_URL lines; any key not starting with `bad` works.
 */
const port = Number(process.env.FAKES_PORT ?? 4010);
const fakes = [
  ['STABILITY_BASE_URL', new StabilityFake({ asyncPolls: 2 })],
  ['WAVESPEED_BASE_URL', new WavespeedFake({ pollsBeforeDone: 2 })],
  ['HF_BASE_URL', new HuggingfaceFake({ coldStarts: 1, estimatedTime: 1 })],
  ['GEMINI_BASE_URL', new GeminiFake()],
] as const;

for (const [i, [name, fake]] of fakes.entries()) {
  const url = await fake.start(port + i);
  console.log(`${name}=${url}`);
}
console.log('# Provider fakes for development only. Any API key works except ones starting with "bad".');

const stop = async () => {
  await Promise.all(fakes.map(([, f]) => f.stop()));
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
