//! The designer's Leptos components. They hold no business rules: everything they show is
//! read from the model through `state::Editor`, and every change is a model `Command`.

pub mod app;
pub mod canvas;
pub mod export_dialog;
pub mod file_menu;
pub mod inspector;
pub mod keyboard;
pub mod message;
pub mod minimap;
pub mod modal;
pub mod new_dialog;
pub mod palette;
pub mod place_stream_dialog;
pub mod problems;
pub mod rules_dialog;
pub mod search;
pub mod share_dialog;
pub mod status;
pub mod toolbar;
pub mod view_controls;
