//! The designer's Leptos components. They hold no business rules: everything they show is
//! read from the model through `state::Editor`, and every change is a model `Command`.

pub mod app;
pub mod canvas;
pub mod inspector;
pub mod keyboard;
pub mod palette;
pub mod status;
pub mod toolbar;
