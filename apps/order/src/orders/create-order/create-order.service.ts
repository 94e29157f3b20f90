import { OrderCreated, orderTotal, PaymentDeadline } from '@app/contracts';
import { OutboxWriter, outboxMessage } from '@app/outbox';
import { Transactional } from '@nestjs-cls/transactional';
import { HttpStatus, Injectable, Logger, UnprocessableEntityException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHash, randomUUID } from 'node:crypto';
import type { OrderRow } from '../../db/order.tables';
import type { OrderConfig } from '../../order.config';
import { orderTopology } from '../../order.topology';
import { OrderRepository } from '../order.repository';
import { toOrderView, type OrderView } from '../order.view';
import type { CreateOrderRequest } from './create-order.request';
import { IdempotencyRepository } from './idempotency.repository';

export interface CreateOrderResult {
  status: number;
  body: OrderView;
}

/**
 * Places an order: the order row, its `order.created` event and its payment deadline (a message
 * to itself, scheduled ORDER_PAYMENT_TIMEOUT_MS ahead) commit in one transaction.
 */
@Injectable()
export class CreateOrderService {
  private readonly logger = new Logger(CreateOrderService.name);
  private readonly paymentTimeoutMs: number;

  constructor(
    private readonly orders: OrderRepository,
    private readonly idempotency: IdempotencyRepository,
    private readonly outbox: OutboxWriter,
    config: ConfigService<OrderConfig, true>,
  ) {
    this.paymentTimeoutMs = config.get('ORDER_PAYMENT_TIMEOUT_MS', { infer: true });
  }

  /** With an Idempotency-Key, a repeat of the same request gets the first answer again. */
  @Transactional()
  async create(request: CreateOrderRequest, idempotencyKey?: string): Promise<CreateOrderResult> {
    if (idempotencyKey === undefined) return this.accepted(await this.place(request));
    const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
    const previous = await this.idempotency.claim(idempotencyKey, requestHash);
    if (previous) {
      if (previous.requestHash !== requestHash) {
        throw new UnprocessableEntityException(
          'This Idempotency-Key was already used with a different request body',
        );
      }
      return { status: previous.status, body: previous.body as OrderView };
    }
    const result = this.accepted(await this.place(request));
    await this.idempotency.record(idempotencyKey, result.body.id, result);
    return result;
  }

  private async place(request: CreateOrderRequest): Promise<OrderRow> {
    const total = orderTotal(request.items);
    const id = randomUUID();
    // The deadline is named before it is written, so the order can name it: a payment result
    // settling the order cancels it. Both messages go in one statement.
    const paymentDeadlineId = randomUUID();
    const order = await this.orders.insert({
      id,
      customerId: request.customerId,
      status: 'PENDING',
      currency: request.currency,
      total,
      items: request.items,
      paymentDeadlineId,
    });
    await this.outbox.addAll([
      outboxMessage(
        PaymentDeadline,
        { orderId: id },
        {
          route: { exchange: '', routingKey: orderTopology.queues.paymentDeadlines.name },
          delayMs: this.paymentTimeoutMs,
          messageId: paymentDeadlineId,
        },
      ),
      outboxMessage(OrderCreated, {
        orderId: order.id,
        customerId: order.customerId,
        currency: order.currency,
        total,
        items: order.items,
        createdAt: order.createdAt.toISOString(),
      }),
    ]);
    this.logger.log(`Order ${order.id} placed: ${total} ${order.currency} minor units`);
    return order;
  }

  private accepted(order: OrderRow): CreateOrderResult {
    return { status: HttpStatus.ACCEPTED, body: toOrderView(order) };
  }
}
