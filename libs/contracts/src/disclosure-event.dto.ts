import 'reflect-metadata';
import { IsBoolean, IsDefined, IsInt, IsOptional, Min, type ValidatorOptions } from 'class-validator';
import {
  ARTICLE6_BASES,
  DATA_CATEGORIES,
  EXEMPTIONS,
  SPECIAL_CONDITIONS,
  SUBJECT_KINDS,
  TRANSFER_MECHANISMS,
  type Article6Basis,
  type DataCategory,
  type Exemption,
  type SpecialCondition,
  type SubjectKind,
  type TransferMechanism,
} from './codes.js';
import {
  IsCode,
  IsCodeList,
  IsCountryCode,
  IsDateTime,
  IsText,
  IsUuid,
  mustBe,
  NestedObject,
  REQUIRED,
} from './rules.js';

/*
 * Contract v1 (shared/spec/disclosure-event-v1.md, sections 2, 3 and 6) as class-validator classes: the one place
 * the rules live. Optional fields may be null, which means absent. What the register decides (controller,
 * service area, purpose, recipient, a missing specialCondition) is only typed here: it is flagged later, not rejected.
 * Validate with `DISCLOSURE_VALIDATOR_OPTIONS` so that unknown fields are refused at every depth.
 */

export const DISCLOSURE_VALIDATOR_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  // One reason per field is enough to fix it, and it keeps a wrong-typed object out of nested validation.
  stopAtFirstError: true,
  validationError: { target: false, value: false },
} as const satisfies ValidatorOptions;

export class SourceDto {
  @IsDefined({ message: REQUIRED })
  @IsText({ min: 1, max: 128 })
  system!: string;

  @IsDefined({ message: REQUIRED })
  @IsText()
  serviceArea!: string;
}

export class ActorDto {
  @IsOptional()
  @IsText()
  id?: string;

  @IsOptional()
  @IsText()
  role?: string;
}

export class SubjectDto {
  @IsDefined({ message: REQUIRED })
  @IsText({ min: 1, max: 256 })
  ref!: string;

  @IsOptional()
  @IsCode(SUBJECT_KINDS, 'subject kind')
  kind?: SubjectKind;
}

export class LawfulBasisDto {
  @IsDefined({ message: REQUIRED })
  @IsCode(ARTICLE6_BASES, 'UK GDPR Article 6 basis')
  article6!: Article6Basis;

  @IsOptional()
  @IsText()
  legislation?: string;

  @IsOptional()
  @IsCode(SPECIAL_CONDITIONS, 'special-category condition')
  specialCondition?: SpecialCondition;
}

export class RecipientDto {
  @IsOptional()
  @IsText()
  id?: string;

  @IsDefined({ message: REQUIRED })
  @IsText()
  name!: string;

  @IsOptional()
  @IsText()
  category?: string;

  @IsOptional()
  @IsCountryCode()
  country?: string;

  @IsOptional()
  @IsBoolean({ message: mustBe('true or false') })
  internal?: boolean;
}

export class SafeguardsDto {
  @IsOptional()
  @IsBoolean({ message: mustBe('true or false') })
  pseudonymised?: boolean;

  @IsOptional()
  @IsBoolean({ message: mustBe('true or false') })
  anonymised?: boolean;

  @IsOptional()
  @IsText()
  consentRef?: string;

  @IsOptional()
  @IsText()
  sharingAgreementRef?: string;

  @IsOptional()
  @IsCode(TRANSFER_MECHANISMS, 'transfer mechanism')
  transferMechanism?: TransferMechanism;

  @IsOptional()
  @IsCode(EXEMPTIONS, 'exemption')
  exemption?: Exemption;
}

export class DisclosureEventDto {
  @IsDefined({ message: REQUIRED })
  @IsUuid()
  eventId!: string;

  @IsDefined({ message: REQUIRED })
  @IsDateTime()
  occurredAt!: string;

  @IsOptional()
  @IsText()
  controller?: string;

  @IsDefined({ message: REQUIRED })
  @NestedObject(() => SourceDto)
  source!: SourceDto;

  @IsOptional()
  @NestedObject(() => ActorDto)
  actor?: ActorDto;

  @IsDefined({ message: REQUIRED })
  @NestedObject(() => SubjectDto)
  subject!: SubjectDto;

  @IsDefined({ message: REQUIRED })
  @IsCodeList(DATA_CATEGORIES, 'data category')
  dataCategories!: DataCategory[];

  @IsDefined({ message: REQUIRED })
  @IsText()
  purpose!: string;

  @IsDefined({ message: REQUIRED })
  @NestedObject(() => LawfulBasisDto)
  lawfulBasis!: LawfulBasisDto;

  @IsDefined({ message: REQUIRED })
  @NestedObject(() => RecipientDto)
  recipient!: RecipientDto;

  @IsOptional()
  @NestedObject(() => SafeguardsDto)
  safeguards?: SafeguardsDto;

  @IsOptional()
  @IsDateTime()
  collectedAt?: string;

  // Decorators register bottom-up and stopAtFirstError reports the first failure: the type check goes last here.
  @IsOptional()
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: mustBe('an integer') })
  recordCount?: number;
}
