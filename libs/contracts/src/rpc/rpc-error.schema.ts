import { z } from 'zod';

/**
 * What a responder answers instead of a reply when it cannot: a code and a message, never a
 * stack. INVALID_REQUEST: the request breaks its contract; REFUSED: the responder refused it
 * (a guard, an RpcException), the message saying why; INTERNAL: it failed (see its logs).
 */
export const rpcErrorReply = z.object({
  error: z.object({
    code: z.enum(['INVALID_REQUEST', 'REFUSED', 'INTERNAL']),
    message: z.string(),
  }),
});
export type RpcErrorReply = z.output<typeof rpcErrorReply>;
