import { fromFile, Parser, type MessageInterface } from '@asyncapi/parser';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

import { ASYNCAPI_DOCUMENT_PATH } from '#libs/contracts';

/** A Kafka message as a consumer sees it, headers as text. */
export interface ConsumedMessage {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

interface MessageValidator {
  name: string;
  contentType: string | undefined;
  payload: ValidateFunction | null;
  headers: ValidateFunction | null;
  jsonHeaders: string[];
}

/**
 * The auditor's AsyncAPI document as the official parser reads it (references resolved, the document validated), with
 * each message's payload and headers schemas compiled by Ajv. `problems` says what a consumed message breaks.
 */
export class AsyncApiContract {
  private constructor(private readonly channels: ReadonlyMap<string, MessageValidator[]>) {}

  static async load(path: string = ASYNCAPI_DOCUMENT_PATH): Promise<AsyncApiContract> {
    const { document, diagnostics } = await fromFile(new Parser(), path).parse();
    if (document === undefined) {
      // Without a document the diagnostics hold at least one error; they are few, so all are shown.
      const found = diagnostics.map((diagnostic) => diagnostic.message).join('; ');
      throw new Error(`${path} is not a valid AsyncAPI document: ${found}`);
    }
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
    addFormats.default(ajv);
    const channels = new Map<string, MessageValidator[]>();
    for (const channel of document.channels()) {
      channels.set(
        channel.id(),
        channel
          .messages()
          .all()
          .map((message) => messageValidator(ajv, message)),
      );
    }
    return new AsyncApiContract(channels);
  }

  /** The channel ids of the document (`flagged`, `deadLetter`…), not their addresses, which deployments rename. */
  get channelIds(): string[] {
    return [...this.channels.keys()];
  }

  /** What the message breaks of the channel's message definitions; empty when one of them accepts it. */
  problems(channelId: string, message: ConsumedMessage): string[] {
    const candidates = this.channels.get(channelId);
    if (candidates === undefined) return [`the document has no channel ${channelId}`];
    const found: string[] = [];
    for (const candidate of candidates) {
      const problems = messageProblems(candidate, message);
      if (problems.length === 0) return [];
      found.push(...problems.map((problem) => `${candidate.name}: ${problem}`));
    }
    return found;
  }
}

function messageValidator(ajv: Ajv2020, message: MessageInterface): MessageValidator {
  const payload = message.hasPayload() ? schemaForAjv(message.payload()!.json()) : undefined;
  const headers = message.hasHeaders() ? schemaForAjv(message.headers()!.json()) : undefined;
  const headerProperties = (headers?.properties ?? {}) as Record<string, { contentMediaType?: string }>;
  return {
    name: message.name() ?? message.id(),
    contentType: message.contentType(),
    // A binary payload is bytes; there is no JSON to validate.
    payload: payload === undefined || payload.format === 'binary' ? null : ajv.compile(payload),
    headers: headers === undefined ? null : ajv.compile(headers),
    jsonHeaders: Object.entries(headerProperties)
      .filter(([, schema]) => schema.contentMediaType === 'application/json')
      .map(([name]) => name),
  };
}

function messageProblems(validator: MessageValidator, message: ConsumedMessage): string[] {
  const problems: string[] = [];
  if (validator.headers !== null && !validator.headers(message.headers)) {
    problems.push(...describe('headers', validator.headers));
  }
  for (const name of validator.jsonHeaders) {
    const text = message.headers[name];
    if (text === undefined) continue;
    try {
      JSON.parse(text);
    } catch {
      problems.push(`header ${name} is not JSON`);
    }
  }
  if (validator.payload !== null) {
    if (message.value === null) return [...problems, 'the message has no value'];
    let payload: unknown;
    try {
      payload = JSON.parse(message.value.toString('utf8'));
    } catch {
      return [...problems, `the payload is not JSON (content type ${validator.contentType ?? 'unset'})`];
    }
    if (!validator.payload(payload)) problems.push(...describe('payload', validator.payload));
  }
  return problems;
}

function describe(part: string, validate: ValidateFunction): string[] {
  return (validate.errors ?? []).map(
    (error) => `${part}${error.instancePath || ''} ${error.message ?? 'is invalid'}`,
  );
}

/** The parser's schema without its bookkeeping (x-parser-*) and without the nested `$schema` Ajv refuses. */
function schemaForAjv(schema: unknown): Record<string, unknown> & { format?: string; properties?: object } {
  const strip = (node: unknown, root: boolean): unknown => {
    if (Array.isArray(node)) return node.map((item) => strip(item, false));
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node)
        .filter(([key]) => !key.startsWith('x-parser-') && (root || (key !== '$schema' && key !== '$id')))
        .map(([key, value]) => [key, strip(value, false)]),
    );
  };
  return strip(schema, false) as Record<string, unknown>;
}
