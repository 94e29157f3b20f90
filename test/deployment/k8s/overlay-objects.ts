import { type K8sObject, objectsOf, type Overlay, renderOverlay } from './manifests';

/**
 * An overlay rendered once, its objects, and the look-ups the k8s-*.e2e-spec.ts files share:
 * `find` every object of a kind (and name), `one` the object that must be there, `settings` the
 * shared settings' ConfigMap.
 */
export function overlayObjects(overlay: Overlay) {
  const yaml = renderOverlay(overlay);
  const objects = objectsOf(yaml);
  const find = (kind: string, name?: string): K8sObject[] =>
    objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  const one = (kind: string, name: string): K8sObject => {
    const [found] = find(kind, name);
    if (!found) throw new Error(`${overlay}: no ${kind} ${name}`);
    return found;
  };
  const settings = () => one('ConfigMap', 'service-settings').data ?? {};
  return { yaml, objects, find, one, settings };
}
