import type { ReplyOf, RequestOf, RpcContract } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import type { Observable } from 'rxjs';
import { contractOfPattern } from '../transport/handler-pattern';
import { RpcClient } from './rpc-client';

/**
 * The RPC client as Nest's ClientProxy: `client.send(GetPaymentByOrder, { orderId })` is an
 * Observable of the reply, typed by the contract, on the service's one AMQP connection. A call
 * fails with RpcDeadlineExceededError at RPC_TIMEOUT_MS; at once with UnroutableMessageError
 * when no responder queue is bound, when the channel is lost, with PublishRefusedError when the
 * request queue is full, with BrokerUnreachableError or BrokerBlockedError when the broker
 * cannot take the request, with MessageTooLargeError when the request is above
 * MAX_MESSAGE_BYTES; and with RpcReplyError when the responder answers an error.
 *
 * Events are not sent from here: they leave through the outbox (OutboxWriter.add) in the
 * transaction of the write that caused them, so `emit` is refused.
 */
@Injectable()
export class AmqpClient extends ClientProxy {
  constructor(private readonly rpc: RpcClient) {
    super();
  }

  override send<TContract extends RpcContract>(
    pattern: TContract | TContract['routingKey'],
    data: RequestOf<TContract>,
  ): Observable<ReplyOf<TContract>> {
    return super.send<ReplyOf<TContract>>(pattern, data);
  }

  /** The connection is the service's, opened by the messaging module. */
  connect(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {}

  unwrap<T>(): T {
    return this.rpc as T;
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    const found = contractOfPattern(packet.pattern);
    if (found.kind !== 'rpc') {
      callback({
        err: new Error(`${found.contract.type} is not an RPC contract`),
        isDisposed: true,
      });
      return () => undefined;
    }
    this.rpc.call(found.contract, packet.data as never).then(
      (response) => callback({ response, isDisposed: true }),
      (err: unknown) => callback({ err, isDisposed: true }),
    );
    // A call in flight cannot be withdrawn: its reply, or its deadline, ends it.
    return () => undefined;
  }

  /**
   * Refused at the call: ClientProxy's emit is hot, so a refusal inside the Observable would go
   * unheard whenever the caller does not subscribe, as `this.client.emit(…)` alone does not.
   */
  override emit<TResult = never>(_pattern: unknown, _data: unknown): Observable<TResult> {
    throw eventsLeaveThroughTheOutbox();
  }

  protected dispatchEvent(): Promise<never> {
    return Promise.reject(eventsLeaveThroughTheOutbox());
  }
}

function eventsLeaveThroughTheOutbox(): Error {
  return new Error(
    'Events leave through the outbox (OutboxWriter.add), in the transaction of the write that caused them',
  );
}
