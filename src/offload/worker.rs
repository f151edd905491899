//! The worker's side: answers each `[number, request JSON]` message with `[number, response
//! JSON]` (`super::handle_json`), after saying once that it is ready.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The first message: the handler is installed (messages sent before would have been lost).
pub const READY: &str = "ready";

/// Installs the message handler on the worker's global scope.
pub fn serve() {
    let scope = js_sys::global();
    let post: js_sys::Function = js_sys::Reflect::get(&scope, &"postMessage".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .expect("a worker scope has postMessage");
    let on_message = Closure::<dyn Fn(JsValue)>::new({
        let (post, scope) = (post.clone(), scope.clone());
        move |event: JsValue| {
            let data: js_sys::Array =
                js_sys::Reflect::get(&event, &"data".into()).unwrap_or(JsValue::UNDEFINED).unchecked_into();
            let request = data.get(1).as_string().unwrap_or_default();
            let response = super::handle_json(&request);
            let reply = js_sys::Array::of2(&data.get(0), &JsValue::from_str(&response));
            let _ = post.call1(&scope, &reply);
        }
    });
    let _ = js_sys::Reflect::set(&scope, &"onmessage".into(), on_message.as_ref());
    on_message.forget();
    let _ = post.call1(&scope, &JsValue::from_str(READY));
}
