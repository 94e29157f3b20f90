import { Injectable } from '@nestjs/common';
import { CLS_ID, ClsService } from 'nestjs-cls';
import { CAUSATION_ID_KEY, tagActiveSpan } from './correlation-headers';

export interface CorrelationIds {
  correlationId: string;
  causationId: string;
}

/** Reads and sets the ids carried by the current request or message, held in CLS. */
@Injectable()
export class CorrelationContext {
  constructor(private readonly cls: ClsService) {}

  /** The ids of the current context; throws outside one, since a message without them is untraceable. */
  current(): CorrelationIds {
    const correlationId = this.cls.isActive() ? this.cls.getId() : undefined;
    if (!correlationId) {
      throw new Error('No correlation context: run this inside a request, a message or run()');
    }
    const causationId = this.cls.get<string | undefined>(CAUSATION_ID_KEY) ?? correlationId;
    return { correlationId, causationId };
  }

  /** Runs `work` in a fresh context carrying `ids`, e.g. for a consumed message or a background job. */
  run<T>(ids: CorrelationIds, work: () => Promise<T>): Promise<T> {
    return this.cls.run({ ifNested: 'override' }, () => {
      this.cls.set(CLS_ID, ids.correlationId);
      this.cls.set(CAUSATION_ID_KEY, ids.causationId);
      tagActiveSpan(ids.correlationId);
      return work();
    });
  }
}
