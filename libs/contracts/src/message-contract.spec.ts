import { z } from 'zod';
import { contractNamed, defineMessage, defineRpc } from './message-contract';

describe('contract definitions', () => {
  it('finds a defined message contract by its type', () => {
    const Defined = defineMessage('test.defined', z.object({ id: z.string() }));
    expect(contractNamed('test.defined')).toBe(Defined);
  });

  it('refuses a second contract for a message type, naming it', () => {
    defineMessage('test.twice', z.object({ id: z.string() }));
    expect(() => defineMessage('test.twice', z.object({ other: z.number() }))).toThrow(
      'A contract named "test.twice" is already defined',
    );
  });

  it('refuses an RPC contract on a routing key a message type already uses', () => {
    defineMessage('test.shared-name', z.object({}));
    expect(() => defineRpc('test.shared-name', z.object({}), z.object({}))).toThrow(
      'A contract named "test.shared-name" is already defined',
    );
  });
});
