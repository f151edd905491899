//! Labelled form fields that commit on change (Enter or leaving the field) as one command, and
//! show the problems of their field below them.

use crate::model::validate::Target;
use crate::state::{use_ui, Focus};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The problems of one field, and the field's name in the wire spelling (`num_replicas`), which
/// the input carries as `data-field`; with the element it belongs to, the input answers the
/// problems panel's requests to focus that field.
#[derive(Clone, Copy, Default)]
pub struct Problems {
    pub target: Option<Target>,
    pub field: &'static str,
    pub list: Signal<Vec<String>>,
}

/// Lets the input `node` take a focus request for its field (see `Ui::take_focus`).
pub fn answer_focus<E>(problems: Problems, node: NodeRef<E>)
where
    E: leptos::html::ElementType,
    E::Output: JsCast + Clone + 'static,
{
    let Some(target) = problems.target else { return };
    let field = problems.field;
    use_ui().take_focus(node, move |request, el| match request {
        Focus::Field { target: t, field: Some(f) } if *t == target && *f == field => Some(el.clone()),
        _ => None,
    });
}

impl Problems {
    fn any(&self) -> bool {
        self.list.with(|p| !p.is_empty())
    }

    fn data_field(&self) -> Option<&'static str> {
        (!self.field.is_empty()).then_some(self.field)
    }
}

/// The problems listed under a field.
#[component]
pub fn FieldProblems(#[prop(into)] problems: Signal<Vec<String>>) -> impl IntoView {
    view! {
        <Show when=move || problems.with(|p| !p.is_empty())>
            <ul class="field-problems">
                <For each=move || problems.get() key=|p| p.clone() let:p>
                    <li>{p}</li>
                </For>
            </ul>
        </Show>
    }
}

/// A text input; `on_commit` gets the new text when the user presses Enter or leaves the field.
#[component]
pub fn TextField(
    label: &'static str,
    #[prop(into)] value: Signal<String>,
    on_commit: Callback<String>,
    #[prop(optional)] problems: Problems,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] hint: &'static str,
) -> impl IntoView {
    let node = NodeRef::<leptos::html::Input>::new();
    answer_focus(problems, node);
    view! {
        // The problems sit outside the <label>, so that the input's accessible name is its label only.
        <div class="field" class:invalid=move || problems.any()>
            <label class="field-control">
                <span class="field-label">{label}</span>
                <input
                    node_ref=node
                    type="text"
                    data-field=problems.data_field()
                    prop:value=move || value.get()
                    placeholder=placeholder
                    title=hint
                    on:change=move |e| on_commit.run(event_target_value(&e))
                />
            </label>
            <FieldProblems problems=problems.list />
        </div>
    }
}

/// A whole-number input; text that is not a number restores the shown value.
#[component]
pub fn NumberField(
    label: &'static str,
    #[prop(into)] value: Signal<i64>,
    on_commit: Callback<i64>,
    #[prop(optional)] problems: Problems,
    #[prop(optional)] min: Option<i64>,
    #[prop(optional)] hint: &'static str,
) -> impl IntoView {
    // Bumped to show the model's value again after text that is not a number.
    let shown = RwSignal::new(0u32);
    let text = move || {
        shown.track();
        value.get().to_string()
    };
    let commit = move |e: leptos::ev::Event| match event_target_value(&e).trim().parse::<i64>() {
        Ok(n) => on_commit.run(n),
        Err(_) => shown.update(|n| *n += 1),
    };
    let node = NodeRef::<leptos::html::Input>::new();
    answer_focus(problems, node);
    view! {
        // The problems sit outside the <label>, so that the input's accessible name is its label only.
        <div class="field" class:invalid=move || problems.any()>
            <label class="field-control">
                <span class="field-label">{label}</span>
                <input
                    node_ref=node
                    type="number"
                    data-field=problems.data_field()
                    min=min.map(|m| m.to_string())
                    title=hint
                    prop:value=text
                    on:change=commit
                />
            </label>
            <FieldProblems problems=problems.list />
        </div>
    }
}

/// A duration in seconds (decimals allowed), stored in nanoseconds.
#[component]
pub fn SecondsField(
    label: &'static str,
    #[prop(into)] nanos: Signal<i64>,
    on_commit: Callback<i64>,
    #[prop(optional)] problems: Problems,
    #[prop(optional)] hint: &'static str,
) -> impl IntoView {
    let shown = RwSignal::new(0u32);
    let text = move || {
        shown.track();
        format!("{}", nanos.get() as f64 / 1e9)
    };
    let commit = move |e: leptos::ev::Event| match parse_seconds(&event_target_value(&e)) {
        Some(s) => on_commit.run((s * 1e9).round() as i64),
        None => shown.update(|n| *n += 1),
    };
    let node = NodeRef::<leptos::html::Input>::new();
    answer_focus(problems, node);
    view! {
        // The problems sit outside the <label>, so that the input's accessible name is its label only.
        <div class="field" class:invalid=move || problems.any()>
            <label class="field-control">
                <span class="field-label">{label}</span>
                <input
                    node_ref=node
                    type="text"
                    inputmode="decimal"
                    data-field=problems.data_field()
                    title=hint
                    prop:value=text
                    on:change=commit
                />
            </label>
            <FieldProblems problems=problems.list />
        </div>
    }
}

/// Seconds as typed ("1.5", "2s", "1e3"): a finite decimal number, read by the browser's
/// `Number()` after the text is checked to hold only what Rust's float syntax allows besides
/// `inf`/`nan` (digits, `.`, `e`, signs), so "", "0x10" and "Infinity" are refused as before.
/// Rust's own `f64` parser would bring its 21 KB table of powers of five into the first load
/// (issue 18); this is the designer's only float parse.
fn parse_seconds(text: &str) -> Option<f64> {
    let text = text.trim().trim_end_matches('s');
    let decimal = |b: u8| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-');
    if text.is_empty() || !text.bytes().all(decimal) {
        return None;
    }
    let value = text.parse::<js_sys::Number>().map_or(f64::NAN, |number| number.value_of());
    value.is_finite().then_some(value)
}

/// A choice among fixed options: `(value, label)`.
#[component]
pub fn SelectField(
    label: &'static str,
    options: Vec<(String, String)>,
    #[prop(into)] value: Signal<String>,
    on_commit: Callback<String>,
    #[prop(optional)] problems: Problems,
) -> impl IntoView {
    let node = NodeRef::<leptos::html::Select>::new();
    answer_focus(problems, node);
    view! {
        // The problems sit outside the <label>, so that the input's accessible name is its label only.
        <div class="field" class:invalid=move || problems.any()>
            <label class="field-control">
                <span class="field-label">{label}</span>
                <select node_ref=node data-field=problems.data_field() on:change=move |e| on_commit.run(event_target_value(&e)) prop:value=move || value.get()>
                    {options
                        .into_iter()
                        .map(|(v, l)| {
                            let selected_value = v.clone();
                            view! { <option value=v selected=move || value.get() == selected_value>{l}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
            <FieldProblems problems=problems.list />
        </div>
    }
}

/// A checkbox.
#[component]
pub fn CheckField(label: &'static str, #[prop(into)] value: Signal<bool>, on_commit: Callback<bool>) -> impl IntoView {
    view! {
        <label class="field check">
            <input type="checkbox" prop:checked=move || value.get() on:change=move |e| on_commit.run(event_target_checked(&e)) />
            <span class="field-label">{label}</span>
        </label>
    }
}
