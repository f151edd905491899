//! The browser designer's entry point: install the panic hook and mount the app.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(nats_topology::components::app::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the designer runs in the browser: build it with `trunk build` (see README.md)");
    std::process::exit(2);
}
