import { simulate } from '../../shared/access';
import { operation } from '../../shared/api/operation';

export const handler = operation('simulatePolicy', async ({ input, deps, scope }) => {
  scope.authorize('policy:manage', '*');
  const simulation = simulate(scope.rules, input.body, deps.clock.now());
  Object.assign(scope.audit.details, { simulatedAllowed: simulation.allowed, simulatedAction: input.body.action });
  return simulation;
});
