import type { Migration } from 'kysely';
import type { DialectName } from '../dialect.ts';
import { foundation } from './001-foundation.ts';
import { library } from './003-library.ts';
import { billing } from './004-billing.ts';
import { personas } from './005-personas.ts';
import { providerKeys } from './006-provider-keys.ts';
import { jobCommit } from './007-job-commit.ts';
import { accounts } from './008-accounts.ts';
import { setupGuard } from './009-setup-guard.ts';
import { shareLinks } from './010-share-links.ts';
import { understanding } from './011-understanding.ts';
import { objectsAndText } from './012-objects-and-text.ts';
import { librarySpeed } from './013-library-speed.ts';
import { liveSearch } from './014-live-search.ts';
import { libraryPlans } from './015-library-plans.ts';
import { rankedTerms } from './016-ranked-terms.ts';
import { colourCells } from './017-colour-cells.ts';

/**
 * Every migration, in order. Names sort lexically; a new concept adds `NNN-<concept>.ts` and one line
 * here. A migration gets the dialect because the two databases differ in a few column types.
 */
export function migrations(dialect: DialectName): Record<string, Migration> {
  return {
    '001-foundation': foundation(dialect),
    '003-library': library(dialect),
    '004-billing': billing(dialect),
    '005-personas': personas(dialect),
    '006-provider-keys': providerKeys(dialect),
    '007-job-commit': jobCommit(dialect),
    '008-accounts': accounts(dialect),
    '009-setup-guard': setupGuard(dialect),
    '010-share-links': shareLinks(dialect),
    '011-understanding': understanding(dialect),
    '012-objects-and-text': objectsAndText(dialect),
    '013-library-speed': librarySpeed(dialect),
    '014-live-search': liveSearch(dialect),
    '015-library-plans': libraryPlans(dialect),
    '016-ranked-terms': rankedTerms(dialect),
    '017-colour-cells': colourCells(dialect),
  };
}
