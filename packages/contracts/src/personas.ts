import { z } from 'zod';
import { Text } from './common.ts';

const hex = z
  .string()
  .trim()
  .max(7)
  .regex(/^#[0-9a-fA-F]{6}$/, 'Colours are #rrggbb hex codes.')
  .transform((v) => v.toLowerCase());
const words = (max: number) => z.array(Text().trim().min(1).max(80)).max(max);

const personaFields = {
  name: Text().trim().min(1).max(100),
  brand: Text().trim().max(100).nullish(),
  tone: Text().trim().max(200).nullish().describe('e.g. "warm, optimistic, premium"'),
  style_keywords: words(20).describe('Look and feel words added to the prompt.'),
  colors: z.array(hex).max(8).describe('Brand colours, #rrggbb.'),
  avoid: words(20).describe('Things never to show; added to the negative prompt.'),
  is_default: z.boolean().describe('Applied when `use_persona` is set without `persona_id`.'),
};

/** A brand persona: how generated images should look and feel for one brand. */
export const PersonaInput = z.object({
  ...personaFields,
  style_keywords: personaFields.style_keywords.default([]),
  colors: personaFields.colors.default([]),
  avoid: personaFields.avoid.default([]),
  is_default: personaFields.is_default.default(false),
});
export type PersonaInput = z.infer<typeof PersonaInput>;
/** A patch names only what changes; omitted fields keep their stored values. */
export const PersonaPatch = z.object(personaFields).partial();

export const Persona = z
  .object({
    id: z.number().int(),
    name: z.string(),
    brand: z.string().nullable(),
    tone: z.string().nullable(),
    style_keywords: z.array(z.string()),
    colors: z.array(z.string()),
    avoid: z.array(z.string()),
    is_default: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Persona' });
export type Persona = z.infer<typeof Persona>;
export const PersonaList = z.object({ personas: z.array(Persona) });
