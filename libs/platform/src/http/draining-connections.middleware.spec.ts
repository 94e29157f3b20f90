import type { Request, Response } from 'express';
import { ServiceLifecycle } from '../bootstrap/service-lifecycle';
import { closeConnectionsWhileDraining } from './draining-connections.middleware';

describe('closeConnectionsWhileDraining', () => {
  const respond = (lifecycle: ServiceLifecycle) => {
    const res = { set: jest.fn() };
    const next = jest.fn();
    closeConnectionsWhileDraining(lifecycle)({} as Request, res as unknown as Response, next);
    expect(next).toHaveBeenCalledTimes(1);
    return res.set;
  };

  it('leaves connections to keep-alive while the service serves', () => {
    expect(respond(new ServiceLifecycle())).not.toHaveBeenCalled();
  });

  it('closes each connection after its response once the service drains', () => {
    const lifecycle = new ServiceLifecycle();
    lifecycle.beginShutdown();
    expect(respond(lifecycle)).toHaveBeenCalledWith('Connection', 'close');
  });
});
