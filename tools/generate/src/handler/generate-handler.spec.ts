import { repositoryRoot } from '@app/testing';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workspace } from '../workspace';
import { generateHandler } from './generate-handler';

const ROOT = repositoryRoot();
// What generateHandler reads before it writes: the service's app, its definition, the contracts.
const COPIED = [
  'apps/payment/src',
  'apps/notification/src',
  'libs/services/src',
  'libs/contracts/src',
];

/** Every file of the copy with its text, to show a refused command wrote nothing. */
function snapshot(root: string): Map<string, string> {
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' });
  return new Map(
    files
      .filter((file) => file.endsWith('.ts'))
      .map((file) => [file, readFileSync(join(root, file), 'utf8')]),
  );
}

describe('generate handler: types that are not events', () => {
  let copy: string;

  beforeEach(() => {
    copy = mkdtempSync(join(tmpdir(), 'generate-handler-'));
    for (const folder of COPIED)
      cpSync(join(ROOT, folder), join(copy, folder), { recursive: true });
  });

  afterEach(() => rmSync(copy, { recursive: true, force: true }));

  it('refuses an RPC routing key, naming the RPC and how it is answered, and writes nothing', () => {
    const before = snapshot(copy);
    expect(() => generateHandler(new Workspace(copy), 'payment', 'payment.get-by-order')).toThrow(
      /payment\.get-by-order is the routing key of an RPC \(GetPaymentByOrder in .*get-payment-by-order\.rpc\.ts\): it is answered by a @MessagePattern method/,
    );
    expect(snapshot(copy)).toEqual(before);
  });

  it('refuses a job, which never reaches the events exchange', () => {
    const before = snapshot(copy);
    expect(() => generateHandler(new Workspace(copy), 'payment', 'notification.deliver')).toThrow(
      /notification\.deliver is a job \(DeliverNotification in .*deliver-notification\.job\.ts\).*would receive nothing/,
    );
    expect(snapshot(copy)).toEqual(before);
  });

  it('refuses a new event whose contract name another contract exports', () => {
    expect(() => generateHandler(new Workspace(copy), 'payment', 'get.payment-by-order')).toThrow(
      /get\.payment-by-order would be named GetPaymentByOrder, which .*get-payment-by-order\.rpc\.ts exports already/,
    );
  });

  it('refuses a new event whose contract name a type of libs/contracts has', () => {
    const before = snapshot(copy);
    expect(() => generateHandler(new Workspace(copy), 'payment', 'order.item')).toThrow(
      /order\.item would be named OrderItem, which .*money\.schema\.ts exports already/,
    );
    expect(snapshot(copy)).toEqual(before);
  });

  it.each([
    ['order.thing', 'export const enum OrderThing { One }'],
    ['order.other', 'const other = 1;\nexport { other as OrderOther };'],
    ['order.listed', 'type Listed = string;\nexport type { Listed as OrderListed };'],
  ])('refuses %s, whose contract name `%s` exports', (type, text) => {
    writeFileSync(join(copy, 'libs/contracts/src/shared/extra.ts'), `${text}\n`);
    expect(() => generateHandler(new Workspace(copy), 'payment', type)).toThrow(/exports already/);
  });

  it('takes an existing event and a new one', () => {
    const workspace = new Workspace(copy);
    expect(generateHandler(workspace, 'payment', 'order.paid').contract).toBe('OrderPaid');
    expect(generateHandler(workspace, 'payment', 'order.shipped').contract).toBe('OrderShipped');
    expect(workspace.changes()).toContain('libs/contracts/src/events/order-shipped.event.ts');
  });

  describe("notification's order-events controller", () => {
    const controller =
      'apps/notification/src/notifications/record-notification/order-events.handler.ts';
    const definition = 'libs/services/src/notification.service-definition.ts';
    const rewrite = (edit: (text: string) => string) => {
      const file = join(copy, controller);
      writeFileSync(file, edit(readFileSync(file, 'utf8')));
    };

    it('is found under class decorators of its own, and takes the new type', () => {
      rewrite((text) =>
        text.replace(
          /(@MessageController\([^)]*\)\n)/,
          '$1@UseGuards(new AllowAll())\n@UseInterceptors(Audit)\n',
        ),
      );
      const workspace = new Workspace(copy);

      expect(() => generateHandler(workspace, 'notification', 'order.paid')).toThrow(
        'OrderEventsHandler (apps/notification/src/notifications/record-notification/order-events.handler.ts) handles order.paid already',
      );
      expect(generateHandler(workspace, 'notification', 'order.shipped').controller).toBe(
        'OrderEventsHandler',
      );
      expect(workspace.changes()).not.toContain(definition);
    });

    it.each([`'order.paid'`, `"order.paid"`, 'OrderPaid.type', 'OrderPaid'])(
      'knows the type of @EventPattern(%s) is handled already',
      (pattern) => {
        rewrite((text) => text.replace(/@EventPattern\(OrderPaid\)/, `@EventPattern(${pattern})`));

        expect(() => generateHandler(new Workspace(copy), 'notification', 'order.paid')).toThrow(
          /OrderEventsHandler .* handles order\.paid already/,
        );
      },
    );

    it('refuses a type for a queue the definition declares but no controller consumes, and puts back what it wrote', async () => {
      rewrite((text) => text.replace(/@MessageController\([^)]*\)\n/, ''));
      const before = snapshot(copy);
      const workspace = new Workspace(copy);

      await expect(
        workspace.allOrNothing(() =>
          Promise.resolve().then(() => generateHandler(workspace, 'notification', 'order.shipped')),
        ),
      ).rejects.toThrow(
        `${definition} declares the queue orderEvents already, but no class in apps/notification/src is a @MessageController(notificationTopology.queues.orderEvents)`,
      );
      expect(snapshot(copy)).toEqual(before);
    });
  });
});
