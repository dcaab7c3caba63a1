import { Allow, IsDefined, IsInt, IsOptional, validateSync } from 'class-validator';
import { DisclosureEventDto } from './disclosure-event.dto.js';
import { NestedObject } from './rules.js';
import { passesAllRules, validationPlanOf } from './validation-plan.js';

class InnerDto {
  @IsDefined()
  @IsInt()
  count!: number;
}

class OuterDto {
  @IsOptional()
  @NestedObject(() => InnerDto)
  inner?: InnerDto;

  @IsOptional()
  @IsInt()
  total?: number;
}

class WithAllowDto {
  @Allow()
  anything?: unknown;
}

function outer(fields: Record<string, unknown>, inner?: Record<string, unknown>): Record<string, unknown> {
  const instance = Object.assign(new OuterDto(), fields) as Record<string, unknown>;
  if (inner !== undefined) instance.inner = Object.assign(new InnerDto(), inner);
  return instance;
}

describe('validation plans', () => {
  it('knows every property of a class and the class of each nested object', () => {
    const plan = validationPlanOf(DisclosureEventDto);

    expect([...plan.properties.keys()].sort()).toEqual(
      [
        'actor',
        'collectedAt',
        'controller',
        'dataCategories',
        'eventId',
        'lawfulBasis',
        'occurredAt',
        'purpose',
        'recipient',
        'recordCount',
        'safeguards',
        'source',
        'subject',
      ].sort(),
    );
    expect([...plan.properties.get('recipient')!.nested!.properties.keys()].sort()).toEqual([
      'category',
      'country',
      'id',
      'internal',
      'name',
    ]);
    expect(plan.properties.get('purpose')!.nested).toBeNull();
  });

  it.each([
    ['empty', outer({})],
    ['a valid nested object', outer({ total: 2 }, { count: 1 })],
    ['a nested object missing its required field', outer({}, {})],
    ['a nested object with a wrong type', outer({}, { count: 'one' })],
    ['a wrong type at the top', outer({ total: 1.5 })],
    ['a nested value that is not an object', outer({ inner: 'x' })],
    ['nulls for optional fields', outer({ inner: null, total: null })],
  ])('agrees with validateSync: %s', (_name, instance) => {
    expect(passesAllRules(validationPlanOf(OuterDto), instance)).toBe(validateSync(instance).length === 0);
  });

  it('declines to judge a class with a decorator kind it does not model', () => {
    const plan = validationPlanOf(WithAllowDto);
    const instance = Object.assign(new WithAllowDto(), { anything: 1 }) as unknown as Record<string, unknown>;

    expect(plan.complete).toBe(false);
    expect(passesAllRules(plan, instance)).toBe(false);
    expect(validateSync(instance)).toEqual([]);
  });

  it('declines an object that is not an instance of the planned class', () => {
    expect(passesAllRules(validationPlanOf(OuterDto), { total: 1 })).toBe(false);
  });
});
