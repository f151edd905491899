//! NATS Topology Designer: one model, two front ends.
//!
//! `model` is pure and shared. The browser designer (`state`, `components`) exists only on
//! wasm32; the command-line front end (`cli`) only on the host, so native tests never compile
//! Leptos.

pub mod model;

// The import and export protocol of the designer's worker; its handler is pure and tested on the host.
pub mod offload;

#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod fanout;
#[cfg(target_arch = "wasm32")]
pub mod state;
#[cfg(target_arch = "wasm32")]
pub mod storage;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
