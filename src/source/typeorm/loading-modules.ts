/**
 * The model modules being loaded right now, outermost first: the import chain that led to the module being evaluated.
 */
const loading: string[] = [];

/** The import chain an error was first thrown through, kept from the innermost module it left. */
const chainOfError = new WeakMap<object, readonly string[]>();

/**
 * Evaluates one compiled model module the way tsc's CommonJS output would behave.
 *
 * SWC exports each binding through a getter (`get: () => User`), so a module that reads `user_1.User` while
 * `user.ts` is still loading (an import cycle, where decorator metadata reads `design:type` at class definition)
 * hits the class's temporal dead zone and throws `Cannot access 'User' before initialization`. tsc assigns
 * `exports.User = void 0` up front and the read gives `undefined`, which TypeORM never needs for a relation typed
 * `() => User`. So a module's `require` hands back, for a module that has not finished loading, a view of its
 * exports where a read in the dead zone gives `undefined`; every other error, and every read after the module has
 * loaded, is the module's own.
 */
export function runInChain(module: NodeModule, evaluate: () => void): void {
  const originalRequire = module.require;
  module.require = function requireWithCycles(this: NodeModule, id: string) {
    const exported = originalRequire.call(this, id) as unknown;
    return loadingExports.has(exported as object) ? deadZoneSafe(exported as object) : exported;
  } as NodeJS.Require;
  const exports = module.exports as object;
  loading.push(module.filename);
  loadingExports.add(exports);
  try {
    evaluate();
  } catch (error) {
    if (typeof error === 'object' && error !== null && !chainOfError.has(error)) chainOfError.set(error, [...loading]);
    throw error;
  } finally {
    loading.pop();
    loadingExports.delete(exports);
  }
}

/** The import chain (absolute paths, outermost first) an error thrown while loading a model went through. */
export function importChainOf(error: unknown): readonly string[] {
  return typeof error === 'object' && error !== null ? chainOfError.get(error) ?? [] : [];
}

/** The `exports` objects of the modules being evaluated: what `require` returns for a module in an import cycle. */
const loadingExports = new Set<object>();

const views = new WeakMap<object, object>();

function deadZoneSafe(exported: object): object {
  let view = views.get(exported);
  if (view === undefined) {
    view = new Proxy(exported, {
      get(target, property, receiver) {
        try {
          return Reflect.get(target, property, receiver) as unknown;
        } catch (error) {
          if (error instanceof ReferenceError) return undefined;
          throw error;
        }
      },
    });
    views.set(exported, view);
  }
  return view;
}
