//! The `nats-topology` command-line tool.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    nats_topology::cli::run(&args, &mut std::io::stdout(), &mut std::io::stderr())
}

#[cfg(target_arch = "wasm32")]
fn main() {}
