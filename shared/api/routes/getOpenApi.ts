import { route } from '../route';
import { noInput } from './inputs';

export const getOpenApi = route({
  op: 'getOpenApi',
  method: 'GET',
  path: '/v1/openapi.json',
  summary: "This API's OpenAPI 3.1 description, generated from the route table; needs no token",
  input: noInput,
  authorize: { on: 'none' },
  grants: {},
});
