import * as z from 'zod';
import { TEMPLATE_ID } from '../../templates/model';

/** Pieces the template rows share. */

export const templateParams = z
  .object({ templateId: z.string().regex(TEMPLATE_ID, 'not a template id').describe('Template id, e.g. webapp-otp') })
  .strict();
export const expectedTemplateVersion = z
  .object({
    version: z.coerce.number().int().min(1).optional().describe('Apply only if the template is still at this version (else 409)'),
  })
  .strict();
