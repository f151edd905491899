//! The `nats-topology` command-line tool.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    let options = nats_topology::cli::Options::detect();
    nats_topology::cli::run_with(std::env::args_os().skip(1), &mut std::io::stdout(), &mut std::io::stderr(), options)
}

#[cfg(target_arch = "wasm32")]
fn main() {}
