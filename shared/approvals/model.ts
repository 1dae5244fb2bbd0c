import type { Action } from '../policy';

/** Every state a request can be in; `expired` is never stored, it follows from the clock. */
export const REQUEST_STATUSES = ['pending', 'approved', 'denied', 'withdrawn', 'expired'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const APPROVAL_LIMITS = {
  /** A request nobody decided on expires after this long. */
  pendingHours: 24,
  justificationLength: 1000,
  commentLength: 1000,
  /** Decided requests stay listable this long after they end, then TTL removes them (the audit log keeps them). */
  keepDays: 30,
  /** Requests read per listing, newest first. */
  listReadBudget: 1000,
  listMaxLimit: 100,
  /** Secrets whose grants `/v1/me/secrets` looks up per request. */
  grantLookups: 100,
} as const;

export interface Approval {
  by: string;
  at: string;
  comment?: string;
}

/** An access request as stored (one item, see `ITEM.accessRequest`). */
export interface AccessRequestRecord {
  id: string;
  /** Who asks: `user:bob`. */
  requester: string;
  /** A user requester's account (sub): only that account withdraws the request or holds its grant. */
  requesterSub?: string;
  secretId: string;
  path: string;
  actions: Action[];
  justification: string;
  /** How long the grant will hold once approved. */
  minutes: number;
  /** Stored status; see `statusAt` for the one callers see. */
  status: Exclude<RequestStatus, 'expired'>;
  /** Principals the approval policies name (snapshot taken when the request was made). */
  approvers: string[];
  /** The accounts (subs) the approval policies bound each approving user to, by username (same snapshot). */
  approverSubs?: Record<string, string[]>;
  minApprovals: number;
  /** The approval policies the request was checked against. */
  policyIds: string[];
  approvals: Approval[];
  /** Principal ids of `approvals`, for the conditional write that refuses a second vote. */
  approvedBy: string[];
  createdAt: string;
  /** Epoch ms after which a pending request can no longer be decided. */
  pendingUntil: number;
  decidedAt?: string;
  decidedBy?: string;
  comment?: string;
  /** Epoch ms the grant ends (approved requests). */
  grantUntil?: number;
  withdrawnAt?: string;
}

/** The status a request has at `nowMs`: pending and approved requests expire by themselves. */
export function statusAt(request: AccessRequestRecord, nowMs: number): RequestStatus {
  if (request.status === 'pending' && nowMs >= request.pendingUntil) return 'expired';
  if (request.status === 'approved' && request.grantUntil !== undefined && nowMs >= request.grantUntil) return 'expired';
  return request.status;
}

/** A page of `GET /v1/access-requests`: may hold fewer than `limit` requests while `nextCursor` is present. */
export interface AccessRequestPage {
  items: AccessRequestView[];
  /** Pass back as `cursor` for the next page; absent on the last one. */
  nextCursor?: string;
}

/** What callers see of a request: the status at the time asked, times as ISO strings, no bookkeeping. */
export interface AccessRequestView
  extends Pick<
    AccessRequestRecord,
    'id' | 'requester' | 'secretId' | 'path' | 'actions' | 'justification' | 'minutes' | 'approvers' | 'minApprovals' | 'approvals' | 'createdAt' | 'decidedAt' | 'decidedBy' | 'comment'
  > {
  status: RequestStatus;
  /** Until when a pending request can be decided. */
  pendingUntil: string;
  /** Until when the grant holds (approved requests). */
  grantUntil?: string;
}

export function requestView(request: AccessRequestRecord, nowMs: number): AccessRequestView {
  return {
    id: request.id,
    requester: request.requester,
    secretId: request.secretId,
    path: request.path,
    actions: request.actions,
    justification: request.justification,
    minutes: request.minutes,
    status: statusAt(request, nowMs),
    approvers: request.approvers,
    minApprovals: request.minApprovals,
    approvals: request.approvals,
    createdAt: request.createdAt,
    pendingUntil: new Date(request.pendingUntil).toISOString(),
    ...(request.decidedAt !== undefined ? { decidedAt: request.decidedAt } : {}),
    ...(request.decidedBy !== undefined ? { decidedBy: request.decidedBy } : {}),
    ...(request.comment !== undefined ? { comment: request.comment } : {}),
    ...(request.grantUntil !== undefined ? { grantUntil: new Date(request.grantUntil).toISOString() } : {}),
  };
}

/** A grant in force: what an approved request lets its requester do, until when. */
export interface Grant {
  requestId: string;
  principal: string;
  /** A user's account (sub) the grant was made to: a re-created user of the same name does not hold it. */
  sub?: string;
  secretId: string;
  path: string;
  action: Action;
  /** Epoch ms. */
  expiresAt: number;
}

/** A grant as `/v1/me/secrets` shows it. */
export interface GrantView {
  action: Action;
  requestId: string;
  until: string;
}

/** What a response handed out under a grant says about it: which request, and until when it holds. */
export function grantNote(grant: { requestId: string; expiresAt: number } | undefined): { grant?: { requestId: string; until: string } } {
  return grant ? { grant: { requestId: grant.requestId, until: new Date(grant.expiresAt).toISOString() } } : {};
}
