import type { Persona, PersonaInput } from '@studio/contracts';
import type { PersonaRow } from '../db/schema.ts';
import { badRequest, notFound } from '../errors.ts';
import type { PersonaRepository, PersonaValues } from './persona.repository.ts';

export class PersonaService {
  constructor(
    private readonly repo: PersonaRepository,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private now(): string {
    return this.clock().toISOString();
  }

  async list(userId: number): Promise<Persona[]> {
    return (await this.repo.list(userId)).map(toPersona);
  }

  async get(userId: number, id: number): Promise<Persona> {
    const row = await this.repo.findOwned(userId, id);
    if (!row) {
      throw notFound('Persona');
    }
    return toPersona(row);
  }

  async create(userId: number, input: PersonaInput): Promise<Persona> {
    return toPersona(await this.repo.create(userId, fullValues(input), this.now()));
  }

  async update(userId: number, id: number, patch: Partial<PersonaInput>): Promise<Persona> {
    const row = await this.repo.update(userId, id, patchValues(patch), this.now());
    if (!row) {
      throw notFound('Persona');
    }
    return toPersona(row);
  }

  async delete(userId: number, id: number): Promise<void> {
    if (!(await this.repo.delete(userId, id))) {
      throw notFound('Persona');
    }
  }

  /**
   * The persona a create request asked for: `persona_id` (must be the caller's), or with only
   * `use_persona` the caller's default one; 400 when `use_persona` finds none.
   */
  async resolve(
    userId: number,
    usePersona: boolean,
    personaId?: number | null,
  ): Promise<Persona | undefined> {
    if (personaId !== undefined && personaId !== null) {
      return this.get(userId, personaId);
    }
    if (!usePersona) {
      return undefined;
    }
    const row = await this.repo.findDefault(userId);
    if (!row) {
      throw badRequest(
        'use_persona is set but you have no default persona; pass persona_id or mark one as default.',
      );
    }
    return toPersona(row);
  }
}

function fullValues(input: PersonaInput): PersonaValues {
  return {
    name: input.name,
    brand: input.brand ?? null,
    tone: input.tone ?? null,
    style_keywords: JSON.stringify(input.style_keywords),
    colors: JSON.stringify(input.colors),
    avoid: JSON.stringify(input.avoid),
    is_default: input.is_default ? 1 : 0,
  };
}

/** Only the fields the patch names; an omitted field keeps its stored value. */
function patchValues(patch: Partial<PersonaInput>): Partial<PersonaValues> {
  const entries: Array<[keyof PersonaValues, unknown]> = [
    ['name', patch.name],
    ['brand', patch.brand === undefined ? undefined : (patch.brand ?? null)],
    ['tone', patch.tone === undefined ? undefined : (patch.tone ?? null)],
    ['style_keywords', patch.style_keywords && JSON.stringify(patch.style_keywords)],
    ['colors', patch.colors && JSON.stringify(patch.colors)],
    ['avoid', patch.avoid && JSON.stringify(patch.avoid)],
    ['is_default', patch.is_default === undefined ? undefined : patch.is_default ? 1 : 0],
  ];
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as Partial<PersonaValues>;
}

const list = (text: string): string[] => {
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? parsed.map(String) : [];
};

function toPersona(row: PersonaRow): Persona {
  return {
    id: row.id,
    name: row.name,
    brand: row.brand,
    tone: row.tone,
    style_keywords: list(row.style_keywords),
    colors: list(row.colors),
    avoid: list(row.avoid),
    is_default: row.is_default === 1,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
