import { camel, eventFile, pascal, sourceOf } from '../names';
import {
  addConstructorParameter,
  appendToLiteral,
  ensureImport,
  insertAtClassStart,
  insertIntoClass,
} from '../source-edits';
import type { Workspace } from '../workspace';
import { scaleOnQueue } from './autoscaling';
import { contractsByType, ensureContract } from './contracts';
import { examplePayload } from './example-payload';
import {
  controllerFile,
  handlerMethod,
  handlerSpec,
  type HandlerNames,
  injectedProperty,
  serviceFile,
} from './handler-templates';

interface Controller {
  file: string;
  name: string;
  queueKey: string;
  types: string[];
}

/**
 * `@MessageController(<topology>.queues.<key>)`, then any class decorators (`@UseGuards(…)`,
 * one level of parentheses inside theirs), then the class.
 */
const CONTROLLER =
  /@MessageController\(\w+\.queues\.(\w+)\)\s*(?:@[\w.]+(?:\((?:[^()]|\([^()]*\))*\))?\s*)*export class (\w+)/;

/** `@EventPattern(OrderPaid)`, `(OrderPaid.type)` or `('order.paid')`: the contract, or the type. */
const EVENT_PATTERN = /@EventPattern\(\s*(?:(\w+)(?:\.type)?|'([^']+)'|"([^"]+)")\s*[,)]/g;

/** The service's @MessageController classes: file, class, queue and the types they take. */
function controllersOf(workspace: Workspace, service: string): Controller[] {
  const names = new Map([...contractsByType(workspace)].map(([type, known]) => [known.name, type]));
  return workspace.find(`apps/${service}/src`, '.ts').flatMap((file) => {
    const text = workspace.read(file);
    const match = CONTROLLER.exec(text);
    if (!match) return [];
    const types = [...text.matchAll(EVENT_PATTERN)].map(
      ([, contract, single, double]) => single ?? double ?? names.get(contract) ?? contract,
    );
    return [{ file, name: match[2], queueKey: match[1], types }];
  });
}

/**
 * The controller for `type`: the service's controller of its `<source>-events` queue
 * (notification's `orderEvents` for order.paid), or none: a new queue and controller then.
 */
function controllerFor(
  workspace: Workspace,
  service: string,
  type: string,
): Controller | undefined {
  const controllers = controllersOf(workspace, service);
  const taken = controllers.find((c) => c.types.includes(type));
  if (taken) throw new Error(`${taken.name} (${taken.file}) handles ${type} already`);
  const source = sourceOf(type);
  return controllers.find((c) => c.queueKey === `${camel(source)}Events`);
}

/**
 * `generate handler <service> <event-type>`: the contract (existing or new), a handler method
 * on the controller of the queue that takes it (a new queue, controller and its definition entry
 * when needed), the service it calls, the spec beside it, and their places in the module.
 */
export function generateHandler(workspace: Workspace, service: string, type: string): HandlerNames {
  const definitionFile = `libs/services/src/${service}.service-definition.ts`;
  if (!workspace.exists(`apps/${service}`) || !workspace.exists(definitionFile)) {
    throw new Error(`No service ${service}: npm run generate -- service ${service} first`);
  }
  const contract = ensureContract(workspace, type);
  const existing = controllerFor(workspace, service, type);
  const source = sourceOf(type);
  const folder = existing
    ? existing.file.replace(/\/[^/]+$/, '')
    : `apps/${service}/src/${source}-events`;
  const controllerBase = existing
    ? existing.file.replace(/^.*\//, '').replace(/\.ts$/, '')
    : `${source}-events.handler`;
  const queueKey = existing?.queueKey ?? `${camel(source)}Events`;
  const depth = folder.split('/').length - `apps/${service}/src`.split('/').length;
  const h: HandlerNames = {
    service,
    type,
    contract: contract.name,
    file: eventFile(type),
    method: `on${contract.name}`,
    serviceClass: `${contract.name}Service`,
    property: camel(eventFile(type)),
    controller: existing?.name ?? `${pascal(source)}EventsHandler`,
    controllerFile: controllerBase,
    topology: `${camel(service)}Topology`,
    topologyFile: `${'../'.repeat(depth) || './'}${service}.topology`,
    queueKey,
    queueName: queueNameOf(workspace, definitionFile, queueKey) ?? `${service}.${source}-events`,
  };
  const controllerPath = `${folder}/${controllerBase}.ts`;
  if (!existing) addQueue(workspace, definitionFile, h, controllerPath);
  // Tests that construct the controller themselves would break on a new constructor parameter.
  const constructed = workspace
    .find(`apps/${service}/src`, '.ts')
    .some((file) => workspace.read(file).includes(`new ${h.controller}(`));
  workspace.edit(controllerPath, (text) => addMethod(text, h, controllerPath, constructed));
  workspace.create(`${folder}/${h.file}.service.ts`, serviceFile(h));
  const example = contract.created
    ? `{ id: '0f8fad5b-d9cb-469f-a165-70867728950e' }`
    : examplePayload(contract.name);
  workspace.create(`${folder}/${h.file}.handler.spec.ts`, handlerSpec(h, example));
  registerInModule(workspace, h, folder, controllerBase, !existing);
  return h;
}

function queueNameOf(workspace: Workspace, file: string, key: string): string | undefined {
  const text = workspace.read(file);
  const match = new RegExp(`\\b${key}: consumerQueue\\(\\{\\s*name: '([^']+)'`).exec(text);
  return match?.[1];
}

/**
 * A new queue: its entry in the definition, its controller, and KEDA scaling on its depth. One
 * the definition declares already, with no controller found for it, stops the run.
 */
function addQueue(workspace: Workspace, file: string, h: HandlerNames, controller: string): void {
  if (queueNameOf(workspace, file, h.queueKey) !== undefined) {
    throw new Error(
      `${file} declares the queue ${h.queueKey} already, but no class in apps/${h.service}/src ` +
        `is a @MessageController(${h.topology}.queues.${h.queueKey}): add the handler to it by hand`,
    );
  }
  const firstQueue = /\bqueues: \{\s*\}/.test(workspace.read(file));
  workspace.edit(file, (text) => {
    let out = ensureImport(text, '@app/messaging', 'consumerQueue', file);
    out = ensureImport(out, '@app/contracts', 'EVENTS_EXCHANGE', file);
    const queue = `${h.queueKey}: consumerQueue({ name: '${h.queueName}', exchange: EVENTS_EXCHANGE, prefetch: 10 })`;
    return appendToLiteral(out, 'queues:', queue, file);
  });
  workspace.create(controller, controllerFile(h));
  scaleOnQueue(workspace, h.service, h.queueName, firstQueue);
}

function addMethod(text: string, h: HandlerNames, file: string, asProperty: boolean): string {
  let out = ensureImport(text, '@app/contracts', h.contract, file);
  out = ensureImport(out, '@app/messaging', 'type MessageContext', file);
  for (const name of ['Ctx', 'EventPattern', 'Payload'])
    out = ensureImport(out, '@nestjs/microservices', name, file);
  out = ensureImport(out, `./${h.file}.service`, h.serviceClass, file);
  if (asProperty) {
    out = ensureImport(out, '@nestjs/common', 'Inject', file);
    out = insertAtClassStart(out, h.controller, injectedProperty(h), file);
  } else {
    const parameter = `private readonly ${h.property}: ${h.serviceClass}`;
    out = addConstructorParameter(out, h.controller, parameter, file);
  }
  return insertIntoClass(out, h.controller, handlerMethod(h), file);
}

function registerInModule(
  workspace: Workspace,
  h: HandlerNames,
  folder: string,
  controllerBase: string,
  newController: boolean,
): void {
  const module = `apps/${h.service}/src/${h.service}.module.ts`;
  const relative = folder.replace(`apps/${h.service}/src`, '.');
  workspace.edit(module, (text) => {
    let out = ensureImport(text, `${relative}/${h.file}.service`, h.serviceClass, module);
    out = appendToLiteral(out, 'const services', h.serviceClass, module);
    if (!newController) return out;
    out = ensureImport(out, `${relative}/${controllerBase}`, h.controller, module);
    return appendToLiteral(out, 'const handlers', h.controller, module);
  });
}
