//! The `nats-topology` command-line tool.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    // Lossy rather than `env::args`, which panics on an argument that is not UTF-8.
    let args: Vec<String> = std::env::args_os().skip(1).map(|a| a.to_string_lossy().into_owned()).collect();
    let options = nats_topology::cli::Options::detect();
    nats_topology::cli::run_with(&args, &mut std::io::stdout(), &mut std::io::stderr(), options)
}

#[cfg(target_arch = "wasm32")]
fn main() {}
