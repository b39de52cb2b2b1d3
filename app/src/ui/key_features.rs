//! The twelve Key Features as a form part: the programme's session form, the organiser's form
//! on a session page and the committee's paragraph tagging all use it.

use leptos::prelude::*;

/// The twelve Key Features as checkboxes (`key_features[i]` = code), ticked as `checked` says.
#[component]
pub(crate) fn KeyFeatureBoxes(
    legend: &'static str,
    checked: impl Fn(&'static str) -> bool + Copy + Send + Sync + 'static,
) -> impl IntoView {
    use domain::key_features::KEY_FEATURES;
    view! {
        <fieldset class="kf-boxes">
            <legend>{legend}</legend>
            {KEY_FEATURES.iter().enumerate().map(|(i, k)| view! {
                <label class="check">
                    <input type="checkbox" name=format!("key_features[{i}]") value=k.code checked=move || checked(k.code) prop:checked=move || checked(k.code) />
                    {format!(" {} {}", k.code, k.title)}
                </label>
            }).collect_view()}
        </fieldset>
    }
}
