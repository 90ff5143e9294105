/** The body of a reply to a `@MessagePattern` request. */
export type RpcReply =
  | { readonly response: unknown }
  | {
      readonly err: {
        readonly name: string;
        readonly message: string;
        readonly retriable: boolean;
      };
    };

export function isErrorReply(
  reply: RpcReply,
): reply is Extract<RpcReply, { err: unknown }> {
  return typeof reply === 'object' && reply !== null && 'err' in reply;
}
