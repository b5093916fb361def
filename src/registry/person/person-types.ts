/** People in the registry and their identity documents. */
import type { FieldIssue } from '../validate/index.js';
import type { Dose } from '../dose/dose-types.js';

export type DocumentKind = 'CCCD' | 'CMND' | 'PASSPORT';

/** An identity document; a person may hold several over time (CMND, then CCCD; a passport). */
export interface PersonDocument {
  readonly id: number;
  readonly kind: DocumentKind;
  readonly number: string;
  /** ISO 3166 alpha-3 of the issuing state. */
  readonly country: string;
  /** False for a document replaced by a newer one. */
  readonly current: boolean;
  readonly createdAt: string;
}

/** A person as stored. */
export interface Person {
  readonly id: number;
  /** As entered, before any repair. */
  readonly fullNameRaw: string;
  /** Repaired, NFC, canonical tones, Title Case. */
  readonly fullName: string;
  /** Diacritics-free lower case, for search. */
  readonly nameFold: string;
  /** `yyyy-mm-dd`, `yyyy-mm` or `yyyy`. */
  readonly dob: string;
  readonly sex: 'M' | 'F';
  readonly nationality: string;
  readonly phone: string | null;
  readonly provinceCode: string | null;
  readonly districtCode: string | null;
  readonly wardCode: string | null;
  readonly version: number;
  readonly createdBy: string;
  readonly importId: number | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A person with their documents (current first). */
export interface PersonWithDocuments extends Person {
  readonly documents: readonly PersonDocument[];
}

/** A person with documents and active doses (date order). */
export interface PersonDetail extends PersonWithDocuments {
  readonly doses: readonly Dose[];
}

/** What {@link createPerson} takes; values as entered. */
export interface NewPerson {
  readonly fullName: string;
  /** Full or partial date in any form the validators read. */
  readonly dob: string;
  /** `M`/`F`, `Nam`/`Nữ`… */
  readonly sex: string;
  /** CCCD, CMND or passport number; omitted for people without one (a warning). */
  readonly idNumber?: string | null | undefined;
  /** Issuing state of a passport (ISO alpha-3); default the nationality. */
  readonly idCountry?: string | null | undefined;
  /** ISO alpha-3, default `VNM`. */
  readonly nationality?: string | null | undefined;
  readonly phone?: string | null | undefined;
  /** 2-digit code or province name. */
  readonly provinceCode?: string | null | undefined;
  readonly districtCode?: string | null | undefined;
  readonly wardCode?: string | null | undefined;
}

/** Correctable fields; a new `idNumber` becomes the current document (the old one is kept). */
export type PersonPatch = Partial<NewPerson> & {
  /** When given, the correction applies only if the person is still at this version (else 409). */
  readonly expectedVersion?: number | undefined;
};

/** A created or corrected person, with the warnings validation raised (e.g. no ID number). */
export interface PersonResult {
  readonly person: PersonDetail;
  readonly warnings: readonly FieldIssue[];
}

/** How to find people: by exact ID number, or by name and date of birth. */
export type PersonSearch = { readonly idNumber: string } | { readonly name: string; readonly dob: string };

/** One audit row of a person or one of their doses. */
export interface HistoryEntry {
  readonly id: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly entity: string;
  readonly entityId: string;
  readonly before: unknown;
  readonly after: unknown;
  /** The reason given for a correction or void. */
  readonly reason: string | null;
}
