//! The designer's Leptos components. They hold no business rules: everything they show is
//! read from the model through `state::Editor`.

pub mod app;
pub mod canvas;
pub mod toolbar;
