// The worker's entry module (wrangler.toml's `main`): worker-build's bundle
// (`build/index.js`) as it is, with one change. The account object's class
// becomes a subclass of the runtime's `DurableObject`, which is what makes
// the runtime expose its RPC methods (`command`, worker/src/account/dispatch.rs):
// the worker calls the object over RPC instead of sending it HTTP requests,
// each of which cost more than twice an RPC call in workerd (measured with a
// plain JavaScript worker: an empty object call at 0.37 of a trivial route
// over `fetch`, 0.88 to 0.96 over RPC). worker-build does the same for the
// classes of its emscripten builds.
import { DurableObject } from 'cloudflare:workers';
import worker, { AccountObject } from './build/index.js';

Object.setPrototypeOf(AccountObject.prototype, DurableObject.prototype);
Object.setPrototypeOf(AccountObject, DurableObject);

export { AccountObject };
export default worker;
