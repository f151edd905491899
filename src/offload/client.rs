//! The page's side: starts the worker on first use and turns each request into a future.
//!
//! The worker is `io-worker_loader.js` next to the page (Trunk's loader shim, which loads
//! `io-worker.js` and `io-worker_bg.wasm`); a relative URL, so the site works under any base path.
//! Messages posted before the worker's wasm has started would be lost, so requests wait in a
//! queue until the worker says it is ready. Replies carry the request's number; a worker that fails to start answers every pending
//! request with `Response::Failed`, and the next request starts a new worker.

use super::{Request, Response};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

const WORKER_URL: &str = "io-worker_loader.js";

#[wasm_bindgen]
extern "C" {
    type Worker;
    #[wasm_bindgen(constructor, catch)]
    fn new(url: &str) -> Result<Worker, JsValue>;
    #[wasm_bindgen(method, js_name = postMessage)]
    fn post_message(this: &Worker, message: &JsValue);
    #[wasm_bindgen(method, setter = onmessage)]
    fn set_onmessage(this: &Worker, handler: &js_sys::Function);
    #[wasm_bindgen(method, setter = onerror)]
    fn set_onerror(this: &Worker, handler: &js_sys::Function);
    #[wasm_bindgen(method)]
    fn terminate(this: &Worker);
}

#[derive(Default)]
struct Client {
    worker: Option<Worker>,
    /// Whether the worker has said it serves requests; until then they wait in `queue`.
    ready: bool,
    queue: Vec<JsValue>,
    next: u32,
    /// The resolve functions of the requests not answered yet, by number.
    pending: HashMap<u32, js_sys::Function>,
}

thread_local! {
    static CLIENT: RefCell<Client> = RefCell::default();
}

/// Answers every pending request with `why` and drops the worker.
fn fail_all(why: &str) {
    let (worker, pending) = CLIENT.with_borrow_mut(|c| {
        c.ready = false;
        c.queue.clear();
        (c.worker.take(), std::mem::take(&mut c.pending))
    });
    if let Some(worker) = worker {
        worker.terminate();
    }
    let failed = serde_json::to_string(&Response::Failed(why.to_owned())).unwrap_or_default();
    for resolve in pending.into_values() {
        let _ = resolve.call1(&JsValue::NULL, &JsValue::from_str(&failed));
    }
}

fn start() -> Result<Worker, String> {
    let worker = Worker::new(WORKER_URL).map_err(|e| format!("the import and export module did not start: {e:?}"))?;
    let on_message = Closure::<dyn Fn(JsValue)>::new(|event: JsValue| {
        // The worker posts "ready" once, then [number, response JSON] per request.
        let data = js_sys::Reflect::get(&event, &"data".into()).unwrap_or(JsValue::UNDEFINED);
        if data.as_string().as_deref() == Some(super::worker::READY) {
            CLIENT.with_borrow_mut(|c| {
                c.ready = true;
                if let Some(worker) = &c.worker {
                    for message in c.queue.drain(..) {
                        worker.post_message(&message);
                    }
                }
            });
            return;
        }
        let data: js_sys::Array = data.unchecked_into();
        let id = data.get(0).as_f64().unwrap_or(-1.0) as u32;
        if let Some(resolve) = CLIENT.with_borrow_mut(|c| c.pending.remove(&id)) {
            let _ = resolve.call1(&JsValue::NULL, &data.get(1));
        }
    });
    let on_error = Closure::<dyn Fn(JsValue)>::new(|event: JsValue| {
        let message = js_sys::Reflect::get(&event, &"message".into()).ok().and_then(|m| m.as_string());
        fail_all(&format!(
            "the import and export module failed{}",
            message.map(|m| format!(": {m}")).unwrap_or_default()
        ));
    });
    worker.set_onmessage(on_message.as_ref().unchecked_ref());
    worker.set_onerror(on_error.as_ref().unchecked_ref());
    // The worker lives as long as the page: so do its handlers.
    on_message.forget();
    on_error.forget();
    Ok(worker)
}

/// Sends `request` to the worker (started on first use) and waits for its response.
pub async fn call(request: &Request) -> Response {
    let text = match serde_json::to_string(request) {
        Ok(text) => text,
        Err(e) => return Response::Failed(e.to_string()),
    };
    let sent = CLIENT.with_borrow_mut(|c| -> Result<js_sys::Promise, String> {
        if c.worker.is_none() {
            c.worker = Some(start()?);
        }
        let id = c.next;
        c.next = c.next.wrapping_add(1);
        let mut resolve_slot = None;
        let promise = js_sys::Promise::new(&mut |resolve, _reject| resolve_slot = Some(resolve));
        if let Some(resolve) = resolve_slot {
            c.pending.insert(id, resolve);
        }
        let message = js_sys::Array::of2(&JsValue::from(id), &JsValue::from_str(&text));
        match &c.worker {
            Some(worker) if c.ready => worker.post_message(&message),
            _ => c.queue.push(message.into()),
        }
        Ok(promise)
    });
    let promise = match sent {
        Ok(promise) => promise,
        Err(why) => return Response::Failed(why),
    };
    match wasm_bindgen_futures::JsFuture::from(promise).await {
        Ok(reply) => reply
            .as_string()
            .and_then(|reply| serde_json::from_str(&reply).ok())
            .unwrap_or_else(|| Response::Failed("the import and export module answered nonsense".into())),
        Err(e) => Response::Failed(format!("{e:?}")),
    }
}
