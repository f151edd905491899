//! The designer's import and export module (`offload`), run by the page in a Web Worker and
//! built by Trunk (`data-type="worker"` in index.html). On the host its main is empty.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    nats_topology::offload::worker::serve();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the import and export worker runs in the browser: build it with `trunk build` (see README.md)");
    std::process::exit(2);
}
