/**
 * Policy conditions, compiled once per policy and evaluated once per request.
 *
 * Each condition is three-valued: met, not met, or unknown (it cannot be evaluated: a time
 * zone this runtime does not know, a request without a usable source IP, a stored value
 * that no longer parses). Conditions combine with AND: not met if any is not met, else
 * unknown if any is unknown, else met. The engine lets an allow apply only when its
 * conditions are met, and a deny unless its conditions are not met, so doubt never grants.
 */
import { inRange, parseCidr, parseIp, type CidrRange, type IpAddress } from './cidr';
import type { PolicyDocument } from './schema';
import { inTimeWindow, type TimeWindow } from './timeWindow';

export const ConditionState = { met: 'met', unmet: 'unmet', unknown: 'unknown' } as const;
export type ConditionState = (typeof ConditionState)[keyof typeof ConditionState];

export interface ConditionOutcome {
  state: ConditionState;
  /** Which condition decided the outcome and why; empty when there are no conditions. */
  note: string;
}

/** A request's facts, shared by every policy evaluated for the request. */
export class RequestFacts {
  private parsedIp: IpAddress | null | undefined;

  /**
   * @param sourceIp - the source IP as given (kept for messages)
   * @param timeMs - request time, epoch milliseconds
   */
  constructor(
    readonly sourceIp: string | undefined,
    readonly timeMs: number,
  ) {}

  /** The parsed source IP, parsed on first use; undefined when absent or unparsable. */
  get ip(): IpAddress | undefined {
    if (this.parsedIp === undefined) this.parsedIp = (this.sourceIp === undefined ? undefined : parseIp(this.sourceIp)) ?? null;
    return this.parsedIp ?? undefined;
  }
}

export type CompiledConditions = (facts: RequestFacts) => ConditionOutcome;

type Check = (facts: RequestFacts) => ConditionOutcome;

const MET: ConditionOutcome = { state: ConditionState.met, note: '' };

/** Compile a policy's conditions; never throws, whatever is stored. */
export function compileConditions(conditions: PolicyDocument['conditions']): CompiledConditions {
  if (!conditions) return () => MET;
  const checks: Check[] = [];
  if (conditions.sourceIp !== undefined) checks.push(sourceIpCheck(conditions.sourceIp));
  if (conditions.notBefore !== undefined) checks.push(instantCheck('notBefore', conditions.notBefore));
  if (conditions.notAfter !== undefined) checks.push(instantCheck('notAfter', conditions.notAfter));
  if (conditions.timeWindow !== undefined) checks.push(timeWindowCheck(conditions.timeWindow));
  if (checks.length === 0) return () => MET;
  return (facts) => {
    let unknown: ConditionOutcome | undefined;
    for (const check of checks) {
      const outcome = check(facts);
      if (outcome.state === ConditionState.unmet) return outcome;
      if (outcome.state === ConditionState.unknown) unknown ??= outcome;
    }
    return unknown ?? MET;
  };
}

function sourceIpCheck(cidrs: readonly string[]): Check {
  const ranges: CidrRange[] = [];
  let unparsable = 0;
  for (const cidr of cidrs) {
    const parsed = parseCidr(cidr);
    if ('range' in parsed) ranges.push(parsed.range);
    else unparsable++;
  }
  return (facts) => {
    if (facts.sourceIp === undefined) return unknown('sourceIp is required but the request has no source IP');
    if (facts.ip === undefined) return unknown(`sourceIp is required but ${JSON.stringify(facts.sourceIp)} is not an IP address`);
    const ip = facts.ip;
    if (ranges.some((range) => inRange(ip, range))) return { state: ConditionState.met, note: `source IP ${facts.sourceIp} is in range` };
    // A range we cannot read might have contained the address.
    if (unparsable > 0) return unknown(`sourceIp has ${unparsable} unreadable range(s)`);
    return { state: ConditionState.unmet, note: `source IP ${facts.sourceIp} is outside the allowed ranges` };
  };
}

function instantCheck(field: 'notBefore' | 'notAfter', iso: string): Check {
  const at = Date.parse(iso);
  return (facts) => {
    if (Number.isNaN(at)) return unknown(`${field} ${JSON.stringify(iso)} is not a date-time`);
    if (!Number.isFinite(facts.timeMs)) return unknown('the request time is not a number');
    const ok = field === 'notBefore' ? facts.timeMs >= at : facts.timeMs <= at;
    return ok
      ? { state: ConditionState.met, note: `${field} ${iso} holds` }
      : { state: ConditionState.unmet, note: field === 'notBefore' ? `not before ${iso}` : `expired at ${iso}` };
  };
}

function timeWindowCheck(window: TimeWindow): Check {
  const label = `${window.days?.join(',') ?? 'daily'} ${window.start}-${window.end} ${window.timeZone}`;
  return (facts) => {
    const inside = inTimeWindow(window, facts.timeMs);
    if (inside === undefined) return unknown(`time window ${label} cannot be evaluated (unknown time zone or malformed time)`);
    return inside
      ? { state: ConditionState.met, note: `inside time window ${label}` }
      : { state: ConditionState.unmet, note: `outside time window ${label}` };
  };
}

function unknown(note: string): ConditionOutcome {
  return { state: ConditionState.unknown, note };
}
