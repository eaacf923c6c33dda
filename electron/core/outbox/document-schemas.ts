import type { z } from 'zod';
import type { DocumentKind } from '../../../shared/vocabulary';
import { lotSettingsDocument, slotMapDocument } from '../slots/document-schemas';
import { tariffDocument } from '../tariffs/model';

/**
 * What each kind of central document must look like: central checks a document with this
 * before publishing it (central/sync/documents.ts), the lot checks it again before applying
 * it, so both sides hold one definition.
 */
export const DOCUMENT_SCHEMAS = {
  tariff: tariffDocument,
  slot_map: slotMapDocument,
  lot_settings: lotSettingsDocument,
} as const satisfies Record<DocumentKind, z.ZodType>;

export type DocumentBody<K extends DocumentKind> = z.output<(typeof DOCUMENT_SCHEMAS)[K]>;

export const isDocumentKind = (kind: string): kind is DocumentKind => Object.hasOwn(DOCUMENT_SCHEMAS, kind);

/** A document's problems as one sentence list, with the path of each. */
export const describeIssues = (error: z.ZodError): string => error.issues.map((issue) => `${issue.path.join('.') || 'document'}: ${issue.message}`).join('; ');
