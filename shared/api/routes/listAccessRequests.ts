import * as z from 'zod';
import { ListAccessRequestsQuery } from '../../approvals/schema';
import { route } from '../route';
import { input, none } from './inputs';

export const listAccessRequests = route({
  op: 'listAccessRequests',
  method: 'GET',
  path: '/v1/access-requests',
  summary: 'Access requests the caller made or may decide, newest first (mine=true, toApprove=true, status=); a page may hold fewer than limit items while nextCursor is present',
  input: input(none, ListAccessRequestsQuery, z.undefined()),
  authorize: { on: 'caller' },
  grants: { vault: 'read' },
});
