import { simulate } from '../../shared/access';
import { operation } from '../../shared/api/operation';
import { simulatePolicy } from '../../shared/api/routes/simulatePolicy';
import { users } from '../../shared/api/services/users';

export const handler = operation(simulatePolicy, async ({ input, deps, caller, audit }) => {
  const simulation = await simulate(caller.rules, input.body, deps.clock.now(), users(deps));
  Object.assign(audit.details, { simulatedAllowed: simulation.allowed, simulatedAction: input.body.action });
  return simulation;
});
