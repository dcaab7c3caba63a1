import { getMetadataStorage, ValidationTypes, type ValidationArguments } from 'class-validator';
import { nestedTypeOf } from './rules.js';

/*
 * class-validator's executor spends most of a message's validation time on bookkeeping: per object and per call it
 * filters the metadata storage, scans every registered class for inheritance, groups by property, and allocates
 * a ValidationError per property. A plan does that bookkeeping once per DTO class and keeps, per property, the same
 * constraint instances class-validator would call, so the rules still come only from the DTO decorators.
 *
 * `passesAllRules` answers only "is this instance valid?", and answers false whenever it is not certain
 * (an option or decorator kind it does not model). The caller then asks class-validator itself, which gives
 * the verdict and the reasons; so a plan can make validation faster but never change its outcome.
 */

type DtoClass = new () => object;

interface PlannedCheck {
  validate: (value: unknown, args: ValidationArguments) => unknown;
  constraints: unknown[];
  validateIf?: (object: object, value: unknown) => boolean;
  each: boolean;
}

interface PropertyPlan {
  name: string;
  /** IsOptional and other conditions: when one is false, class-validator skips the property entirely. */
  conditions: ((object: object, value: unknown) => boolean)[];
  definedChecks: PlannedCheck[];
  checks: PlannedCheck[];
  /** Set when the property holds a nested DTO that is validated in turn. */
  nested: ValidationPlan | null;
}

export interface ValidationPlan {
  dto: DtoClass;
  prototype: object;
  /** Every property class-validator knows for the class: anything else is an unknown field. */
  properties: Map<string, PropertyPlan>;
  /** False when the class uses a decorator kind the plan cannot model: then only class-validator decides. */
  complete: boolean;
}

const plans = new Map<DtoClass, ValidationPlan>();

export function validationPlanOf(dto: DtoClass): ValidationPlan {
  const known = plans.get(dto);
  if (known !== undefined) return known;
  const plan: ValidationPlan = {
    dto,
    prototype: dto.prototype as object,
    properties: new Map(),
    complete: true,
  };
  plans.set(dto, plan);
  const storage = getMetadataStorage();
  // The same query class-validator's executor makes for validateSync(object, options) without groups.
  for (const metadata of storage.getTargetValidationMetadatas(dto, '', false, false)) {
    let property = plan.properties.get(metadata.propertyName);
    if (property === undefined) {
      property = { name: metadata.propertyName, conditions: [], definedChecks: [], checks: [], nested: null };
      plan.properties.set(metadata.propertyName, property);
    }
    switch (metadata.type) {
      case ValidationTypes.CONDITIONAL_VALIDATION:
        property.conditions.push(metadata.constraints[0] as (object: object, value: unknown) => boolean);
        break;
      case ValidationTypes.IS_DEFINED:
      case ValidationTypes.CUSTOM_VALIDATION: {
        const target =
          metadata.type === ValidationTypes.IS_DEFINED ? property.definedChecks : property.checks;
        for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
          // validateSync ignores asynchronous constraints.
          if (constraint.async) continue;
          const instance = constraint.instance;
          target.push({
            validate: (value, args) => instance.validate(value, args),
            constraints: metadata.constraints,
            validateIf: metadata.validateIf,
            each: metadata.each,
          });
        }
        break;
      }
      case ValidationTypes.NESTED_VALIDATION: {
        const nestedDto = nestedTypeOf(dto, metadata.propertyName);
        if (nestedDto === undefined) plan.complete = false;
        else property.nested = validationPlanOf(nestedDto);
        break;
      }
      default:
        plan.complete = false;
    }
  }
  if (plan.properties.size === 0) plan.complete = false;
  return plan;
}

function passes(
  check: PlannedCheck,
  plan: ValidationPlan,
  property: string,
  object: object,
  value: unknown,
): boolean {
  if (check.validateIf !== undefined && !check.validateIf(object, value)) return true;
  if (check.each) return false;
  const args: ValidationArguments = {
    targetName: plan.dto.name,
    property,
    object,
    value,
    constraints: check.constraints,
  };
  return check.validate(value, args) === true;
}

/** True only if class-validator, run with DISCLOSURE_VALIDATOR_OPTIONS, would report nothing for this instance. */
export function passesAllRules(plan: ValidationPlan, object: Record<string, unknown>): boolean {
  if (!plan.complete || Object.getPrototypeOf(object) !== plan.prototype) return false;
  for (const property of plan.properties.values()) {
    const value = object[property.name];
    let skipped = false;
    for (const condition of property.conditions) if (!condition(object, value)) skipped = true;
    if (skipped) continue;
    for (const check of property.definedChecks)
      if (!passes(check, plan, property.name, object, value)) return false;
    for (const check of property.checks) if (!passes(check, plan, property.name, object, value)) return false;
    if (property.nested !== null && value !== undefined) {
      if (typeof value !== 'object' || value === null) return false;
      if (!passesAllRules(property.nested, value as Record<string, unknown>)) return false;
    }
  }
  return true;
}
