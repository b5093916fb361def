/**
 * Accepting a register suggestion: its values are applied through `correctPerson` (validated,
 * version bumped, audited with reason `suggestion:<REASON>`), then the person is re-verified at
 * once when a verifier is given, else left queued for the next run.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import { correctPerson, getPerson } from '../../registry/index.js';
import type { PersonDetail, PersonPatch } from '../../registry/index.js';
import type { Suggestion } from '../verifier.js';
import type { IdentityCorrection, Reverification, ReverifyOptions } from './cleaning-types.js';
import { parseSuggestions } from './parse-state.js';
import { reverifyPerson } from './reverify-person.js';

/** What {@link acceptSuggestion} did. */
export interface AcceptResult {
  readonly suggestion: Suggestion;
  readonly person: PersonDetail;
  readonly verification: Reverification;
}

/**
 * The registry patch of identity values (register field names → person fields).
 * @param values - `id_number`, `full_name`, `dob`, `sex`
 */
export function patchOfValues(values: Suggestion['values']): IdentityCorrection {
  return {
    ...(values.full_name === undefined ? {} : { fullName: values.full_name }),
    ...(values.dob === undefined ? {} : { dob: values.dob }),
    ...(values.sex === undefined ? {} : { sex: values.sex }),
    ...(values.id_number === undefined ? {} : { idNumber: values.id_number }),
  };
}

/**
 * Applies suggestion `index` of the person's current verification.
 * @param db - database
 * @param personId - the person
 * @param index - 0-based index into the current result's suggestions
 * @param actor - who accepts (audit)
 * @param options - the verifier for an immediate re-verification
 * @throws AppError PERSON_NOT_FOUND (404), SUGGESTION_NOT_FOUND (404), VERIFICATION_STALE (409)
 *   when the person changed since the result (its suggestions may no longer apply), and the
 *   errors of `correctPerson` (VALIDATION 422, PERSON_DOCUMENT_TAKEN 409, VERSION_CONFLICT 409)
 */
export async function acceptSuggestion(db: Kysely<Database>, personId: number, index: number, actor: string, options: ReverifyOptions = {}): Promise<AcceptResult> {
  const person = await getPerson(db, personId);
  const state = await db.selectFrom('verification_state').select(['person_version', 'status', 'suggestions_json']).where('person_id', '=', personId).executeTakeFirst();
  const suggestions = state ? parseSuggestions(state.suggestions_json) : [];
  const suggestion = Number.isInteger(index) && index >= 0 ? suggestions[index] : undefined;
  if (!state || suggestion === undefined) {
    throw new AppError('SUGGESTION_NOT_FOUND', `person ${personId} has no suggestion #${index} in its current verification (${suggestions.length} suggestion(s))`, 404, { personId, index, count: suggestions.length });
  }
  if (state.person_version !== person.version) {
    throw new AppError('VERIFICATION_STALE', `person ${personId} changed since it was verified (version ${state.person_version} → ${person.version}); re-verify before accepting a suggestion`, 409, { personId, verifiedVersion: state.person_version, version: person.version });
  }
  const patch: PersonPatch = { ...patchOfValues(suggestion.values), expectedVersion: person.version };
  const corrected = await correctPerson(db, personId, patch, actor, `suggestion:${suggestion.reason}`);
  const verification = await reverifyPerson(db, personId, options);
  return { suggestion, person: corrected.person, verification };
}
