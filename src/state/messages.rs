//! The messages handle: the status line's notice and the dismissable banner.

use leptos::prelude::*;

/// How a [`Message`] is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageKind {
    Info,
    Warning,
    Error,
}

/// A message with details (the repairs of a loaded file, why a stored design was kept aside).
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub kind: MessageKind,
    pub title: String,
    pub details: Vec<String>,
}

#[derive(Clone, Copy)]
pub struct Messages {
    /// A short message for the status bar: why something was refused, what happened.
    pub notice: RwSignal<Option<String>>,
    /// A message the user dismisses: what opening a file or link found, what went wrong.
    pub message: RwSignal<Option<Message>>,
}

impl Messages {
    pub(super) fn new() -> Self {
        Messages { notice: RwSignal::new(None), message: RwSignal::new(None) }
    }

    /// Says something in the status line (a live region).
    pub fn say(&self, text: impl Into<String>) {
        self.notice.set(Some(text.into()));
    }
}
