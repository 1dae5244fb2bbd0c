import * as z from 'zod';
import { TEMPLATE_ID } from '../../templates/model';
import { expectedVersionOf } from './inputs';

/** Pieces the template rows share. */

export const templateParams = z
  .object({ templateId: z.string().regex(TEMPLATE_ID, 'not a template id').describe('Template id, e.g. webapp-otp') })
  .strict();
export const expectedTemplateVersion = expectedVersionOf('template');
