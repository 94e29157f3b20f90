import { z } from 'zod';

/** What a responder answers instead of a reply when it cannot: a code and a message, never a stack. */
export const rpcErrorReply = z.object({
  error: z.object({
    code: z.enum(['INVALID_REQUEST', 'INTERNAL']),
    message: z.string(),
  }),
});
export type RpcErrorReply = z.output<typeof rpcErrorReply>;
