import type { DebugProtocol } from '@vscode/debugprotocol';

// What the Debug Adapter Protocol says a message must hold, for the parts our sessions read. A peer
// that sends less is named in one line instead of a TypeError deep inside a step.

type Check = (value: unknown) => boolean;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const listOf =
  (item: Check): Check =>
  (v) =>
    Array.isArray(v) && v.every(item);
const withFields =
  (fields: Record<string, Check>): Check =>
  (v) =>
    isObject(v) && Object.entries(fields).every(([name, check]) => check(v[name]));
const optional =
  (check: Check): Check =>
  (v) =>
    v === undefined || check(v);

/** Body fields a successful answer must have, by command, each with the words that name what is missing. */
const ANSWERS: Record<string, [field: string, check: Check, what: string][]> = {
  evaluate: [['result', isString, 'body.result text']],
  setBreakpoints: [['breakpoints', listOf(withFields({ verified: (v) => typeof v === 'boolean' })), 'body.breakpoints list']],
  setFunctionBreakpoints: [['breakpoints', listOf(withFields({ verified: (v) => typeof v === 'boolean' })), 'body.breakpoints list']],
  stackTrace: [['stackFrames', listOf(isObject), 'body.stackFrames list']],
  threads: [['threads', listOf(isObject), 'body.threads list']],
  scopes: [['scopes', listOf(isObject), 'body.scopes list']],
  variables: [['variables', listOf(isObject), 'body.variables list']],
};

/** Body fields an event must have, by event. */
const EVENTS: Record<string, [field: string, check: Check, what: string][]> = {
  output: [['output', isString, 'body.output text']],
  stopped: [
    ['reason', isString, 'body.reason'],
    ['threadId', optional(isNumber), 'a numeric body.threadId'],
    ['hitBreakpointIds', optional(listOf(isNumber)), 'a numeric body.hitBreakpointIds list'],
  ],
};

/** Why `value` is not a DAP message (request, response or event), or undefined when it is one. */
export function messageProblem(value: unknown): string | undefined {
  if (!isObject(value) || !isString(value.type)) return 'a message that is not a DAP message (no "type")';
  if (value.type === 'response') {
    if (!isNumber(value.request_seq) || typeof value.success !== 'boolean') return 'a response without request_seq or success';
    if (!value.success && value.message !== undefined && !isString(value.message)) return 'an error response whose message is not text';
  } else if (value.type === 'event') {
    if (!isString(value.event)) return 'an event without its name';
    const event = value.event;
    const fields = Object.hasOwn(EVENTS, event) ? EVENTS[event]! : [];
    for (const [field, check, what] of fields)
      if (!isObject(value.body) || !check(value.body[field])) return `a "${event}" event without ${what}`;
  } else if (value.type === 'request') {
    if (!isString(value.command)) return 'a request without its command';
  }
  return undefined;
}

/** What a successful answer to `command` lacks, or undefined when it has what DAP requires. */
export function answerProblem(command: string, response: DebugProtocol.Response): string | undefined {
  const fields = Object.hasOwn(ANSWERS, command) ? ANSWERS[command]! : [];
  const body: unknown = response.body;
  for (const [field, check, what] of fields) if (!isObject(body) || !check(body[field])) return what;
  return undefined;
}
