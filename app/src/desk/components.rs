//! The dashboard's charts, drawn as SVG by hand: a handful of bars and lines need no plotting
//! crate (and the same code draws on the server and, after hydration, in the browser). Each
//! chart is an image with a name (`role="img"`, `aria-labelledby`), and its numbers are in a
//! table beside it for screen readers and for copying.

use crate::desk::dto::{BarDto, DayDto, ForumDto};
use leptos::prelude::*;

const WIDTH: f64 = 600.0;
const LABEL_W: f64 = 250.0;
const ROW_H: f64 = 28.0;

/// A label short enough for the space left of the bars (the whole of it is in the table).
fn short(label: &str) -> String {
    if label.chars().count() <= 28 {
        return label.to_owned();
    }
    let cut: String = label.chars().take(27).collect();
    format!("{}…", cut.trim_end())
}

/// A coordinate as an attribute value.
fn n(v: f64) -> String {
    format!("{v:.1}")
}

/// The fill of series `i` (state colours, dark enough on white; labelled in words too).
fn colour(i: usize) -> &'static str {
    [
        "#8a5a00", "#1d6b3a", "#a3242f", "#555f6b", "#1f4e8c", "#5b3f8c",
    ][i % 6]
}

/// Horizontal bars, one per label, with the value written at its end.
#[component]
pub(crate) fn BarChart(id: &'static str, title: &'static str, bars: Vec<BarDto>) -> impl IntoView {
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1) as f64;
    let height = ROW_H * bars.len() as f64 + 8.0;
    let scale = (WIDTH - LABEL_W - 50.0) / max;
    let heading = format!("{id}-heading");
    view! {
        <section class="chart" aria-labelledby=heading.clone()>
            <h2 id=heading.clone()>{title}</h2>
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-labelledby=heading.clone() class="chart-svg">
                {bars.iter().enumerate().map(|(i, b)| {
                    let y = i as f64 * ROW_H + 4.0;
                    let w = (b.value as f64 * scale).max(if b.value > 0 { 2.0 } else { 0.0 });
                    view! {
                        <text x={n(LABEL_W - 8.0)} y={n(y + 18.0)} text-anchor="end" class="chart-label">{short(&b.label)}</text>
                        <rect x={n(LABEL_W)} y={n(y + 4.0)} width={n(w)} height={n(ROW_H - 10.0)} fill="#1f4e8c" />
                        <text x={n(LABEL_W + w + 6.0)} y={n(y + 18.0)} class="chart-value">{b.value}</text>
                    }
                }).collect_view()}
            </svg>
            <table class="chart-table">
                <caption class="visually-hidden">{title}</caption>
                <tbody>
                    {bars.into_iter().map(|b| view! { <tr><th scope="row">{b.label}</th><td>{b.value}</td></tr> }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// Lines over days, one per series (cumulative counts).
#[component]
pub(crate) fn LineChart(
    id: &'static str,
    title: &'static str,
    series: Vec<String>,
    days: Vec<DayDto>,
) -> impl IntoView {
    let heading = format!("{id}-heading");
    let (h, left, bottom, top) = (240.0, 44.0, 28.0, 10.0);
    let max = days
        .iter()
        .flat_map(|d| d.counts.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let span = days.len().max(2) as f64 - 1.0;
    let x = move |i: usize| left + (WIDTH - left - 16.0) * (i as f64 / span);
    let y = move |v: u64| top + (h - top - bottom) * (1.0 - v as f64 / max);
    let lines = (0..series.len())
        .map(|s| {
            let points = days
                .iter()
                .enumerate()
                .map(|(i, d)| {
                    format!(
                        "{:.1},{:.1}",
                        x(i),
                        y(d.counts.get(s).copied().unwrap_or(0))
                    )
                })
                .collect::<Vec<_>>()
                .join(" ");
            let dots = days
                .iter()
                .enumerate()
                .map(|(i, d)| {
                    let v = d.counts.get(s).copied().unwrap_or(0);
                    view! { <circle cx={n(x(i))} cy={n(y(v))} r="3.5" fill=colour(s) /> }
                })
                .collect_view();
            view! { <polyline points=points fill="none" stroke=colour(s) stroke-width="2.5" />{dots} }
        })
        .collect_view();
    let last = days.len().saturating_sub(1);
    view! {
        <section class="chart" aria-labelledby=heading.clone()>
            <h2 id=heading.clone()>{title}</h2>
            <ul class="chart-legend">
                {series.iter().enumerate().map(|(i, s)| view! {
                    <li><span class="swatch" style=format!("background:{}", colour(i))></span>{s.clone()}</li>
                }).collect_view()}
            </ul>
            <svg viewBox=format!("0 0 {WIDTH} {h}") role="img" aria-labelledby=heading.clone() class="chart-svg">
                <line x1={n(left)} y1={n(y(0))} x2={n(WIDTH - 16.0)} y2={n(y(0))} stroke="#6b7280" />
                <text x={n(left - 6.0)} y={n(y(0) + 4.0)} text-anchor="end" class="chart-value">"0"</text>
                <text x={n(left - 6.0)} y={n(top + 8.0)} text-anchor="end" class="chart-value">{max as u64}</text>
                {days.first().map(|d| view! { <text x={n(x(0))} y={n(h - 8.0)} class="chart-value">{d.day.clone()}</text> })}
                {(last > 0).then(|| days.get(last).map(|d| view! { <text x={n(x(last))} y={n(h - 8.0)} text-anchor="end" class="chart-value">{d.day.clone()}</text> }))}
                {lines}
            </svg>
            <table class="chart-table">
                <caption class="visually-hidden">{title}</caption>
                <thead><tr><th scope="col">"Day"</th>{series.iter().map(|s| view! { <th scope="col">{s.clone()}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {days.into_iter().map(|d| view! {
                        <tr><th scope="row">{d.day}</th>{d.counts.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// Each forum's seats: taken of the capacity, the waiting list and who came.
#[component]
pub(crate) fn ForaChart(fora: Vec<ForumDto>) -> impl IntoView {
    let max = fora
        .iter()
        .map(|f| f.capacity.max(f.taken + f.waiting))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let scale = (WIDTH - LABEL_W - 60.0) / max;
    let row = 40.0;
    let height = row * fora.len() as f64 + 8.0;
    view! {
        <section class="chart" aria-labelledby="fora-heading">
            <h2 id="fora-heading">"Fora: seats, waiting lists and check-ins"</h2>
            <ul class="chart-legend">
                <li><span class="swatch" style="background:#1f4e8c"></span>"Seats taken"</li>
                <li><span class="swatch" style="background:#8a5a00"></span>"Waiting"</li>
                <li><span class="swatch" style="background:#1d6b3a"></span>"Checked in"</li>
                <li><span class="swatch outline"></span>"Capacity"</li>
            </ul>
            {if fora.is_empty() {
                view! { <p>"No session has a number of seats."</p> }.into_any()
            } else {
                view! {
                    <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-labelledby="fora-heading" class="chart-svg">
                        {fora.iter().enumerate().map(|(i, f)| {
                            let y = i as f64 * row + 4.0;
                            let taken = f.taken as f64 * scale;
                            let waiting = f.waiting as f64 * scale;
                            let came = f.checked_in as f64 * scale;
                            let cap = f.capacity as f64 * scale;
                            let title = short(&f.title);
                            view! {
                                <text x={n(LABEL_W - 8.0)} y={n(y + 20.0)} text-anchor="end" class="chart-label">{title}</text>
                                <rect x={n(LABEL_W)} y={n(y + 4.0)} width={n(taken)} height="14" fill="#1f4e8c" />
                                <rect x={n(LABEL_W + taken)} y={n(y + 4.0)} width={n(waiting)} height="14" fill="#8a5a00" />
                                <rect x={n(LABEL_W)} y={n(y + 20.0)} width={n(came)} height="8" fill="#1d6b3a" />
                                <rect x={n(LABEL_W)} y={n(y + 2.0)} width={n(cap)} height="28" fill="none" stroke="#374151" stroke-dasharray="3 2" />
                                <text x={n(LABEL_W + cap.max(taken + waiting) + 6.0)} y={n(y + 20.0)} class="chart-value">{format!("{}/{}", f.taken, f.capacity)}</text>
                            }
                        }).collect_view()}
                    </svg>
                }.into_any()
            }}
            <table class="chart-table">
                <caption class="visually-hidden">"Fora: seats, waiting lists and check-ins"</caption>
                <thead><tr><th scope="col">"Forum"</th><th scope="col">"Capacity"</th><th scope="col">"Seats taken"</th><th scope="col">"Waiting"</th><th scope="col">"Checked in"</th></tr></thead>
                <tbody>
                    {fora.into_iter().map(|f| view! {
                        <tr><th scope="row">{f.title}</th><td>{f.capacity}</td><td>{f.taken}</td><td>{f.waiting}</td><td>{f.checked_in}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// "Scan with the camera": where the browser has a `BarcodeDetector` (Chrome on Android and
/// ChromeOS, Safari…), the back camera looks for the QR code on a badge; the code found goes
/// into the field `input_id` and its form is sent, as if typed. Elsewhere nothing is shown and
/// the code is typed or pasted (a code reader that types works everywhere).
#[component]
pub(crate) fn CameraScan(input_id: &'static str) -> impl IntoView {
    let supported = RwSignal::new(false);
    let scanning = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let video = NodeRef::<leptos::html::Video>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| supported.set(camera::available()));
    let toggle = move |_| {
        if scanning.get_untracked() {
            scanning.set(false);
            return;
        }
        scanning.set(true);
        message.set(None);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match camera::scan(video, scanning).await {
                Ok(Some(code)) => camera::send(input_id, &code),
                Ok(None) => {}
                Err(m) => message.set(Some(m)),
            }
            scanning.set(false);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (video, input_id);
    };
    view! {
        <Show when=move || supported.get()>
            <div class="desk-camera">
                <button type="button" class="button" on:click=toggle aria-pressed=move || scanning.get().to_string()>
                    {move || if scanning.get() { "Stop the camera" } else { "Scan with the camera" }}
                </button>
                <video node_ref=video class="desk-video" playsinline=true muted=true aria-label="Camera" hidden=move || !scanning.get()></video>
                {move || message.get().map(|m| view! { <p class="form-alert" role="alert">{m}</p> })}
            </div>
        </Show>
    }
}

#[cfg(feature = "hydrate")]
mod camera {
    use leptos::prelude::*;
    use leptos::wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    fn window_get(name: &str) -> Option<JsValue> {
        let w = leptos::web_sys::window()?;
        js_sys::Reflect::get(&w, &JsValue::from_str(name))
            .ok()
            .filter(|v| !v.is_undefined())
    }

    /// Whether the browser can look for QR codes in the camera's picture.
    pub(super) fn available() -> bool {
        window_get("BarcodeDetector").is_some()
            && leptos::web_sys::window()
                .and_then(|w| w.navigator().media_devices().ok())
                .is_some()
    }

    fn stop(stream: &leptos::web_sys::MediaStream) {
        for t in stream.get_tracks().iter() {
            if let Ok(t) = t.dyn_into::<leptos::web_sys::MediaStreamTrack>() {
                t.stop();
            }
        }
    }

    /// Opens the back camera and looks for a QR code until one is found (its text) or
    /// `scanning` is turned off (`None`); a refused or missing camera is an error in words.
    pub(super) async fn scan(
        video: NodeRef<leptos::html::Video>,
        scanning: RwSignal<bool>,
    ) -> Result<Option<String>, String> {
        let no_camera = |_| "The camera could not be opened: type the code instead.".to_owned();
        let devices = leptos::web_sys::window()
            .and_then(|w| w.navigator().media_devices().ok())
            .ok_or_else(|| no_camera(JsValue::NULL))?;
        let constraints = leptos::web_sys::MediaStreamConstraints::new();
        let facing = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&facing, &"facingMode".into(), &"environment".into());
        constraints.set_video(&facing);
        let stream: leptos::web_sys::MediaStream = JsFuture::from(
            devices
                .get_user_media_with_constraints(&constraints)
                .map_err(no_camera)?,
        )
        .await
        .map_err(no_camera)?
        .unchecked_into();
        let Some(v) = video.get_untracked() else {
            stop(&stream);
            return Ok(None);
        };
        v.set_src_object(Some(&stream));
        if let Ok(p) = v.play() {
            let _ = JsFuture::from(p).await;
        }
        let found = detect_loop(&v, scanning).await;
        stop(&stream);
        v.set_src_object(None);
        found
    }

    async fn detect_loop(
        v: &leptos::web_sys::HtmlVideoElement,
        scanning: RwSignal<bool>,
    ) -> Result<Option<String>, String> {
        let failed = |_| "This browser cannot read QR codes: type the code instead.".to_owned();
        let ctor: js_sys::Function = window_get("BarcodeDetector")
            .ok_or_else(|| failed(JsValue::NULL))?
            .unchecked_into();
        let options = js_sys::Object::new();
        let formats = js_sys::Array::of1(&"qr_code".into());
        let _ = js_sys::Reflect::set(&options, &"formats".into(), &formats);
        let detector =
            js_sys::Reflect::construct(&ctor, &js_sys::Array::of1(&options)).map_err(failed)?;
        let detect: js_sys::Function = js_sys::Reflect::get(&detector, &"detect".into())
            .map_err(failed)?
            .unchecked_into();
        while scanning.get_untracked() {
            if let Ok(p) = detect.call1(&detector, v) {
                if let Ok(found) = JsFuture::from(js_sys::Promise::from(p)).await {
                    let first = js_sys::Array::from(&found).get(0);
                    if let Some(text) = js_sys::Reflect::get(&first, &"rawValue".into())
                        .ok()
                        .and_then(|t| t.as_string())
                    {
                        return Ok(Some(text));
                    }
                }
            }
            pause(250).await;
        }
        Ok(None)
    }

    async fn pause(ms: i32) {
        let p = js_sys::Promise::new(&mut |resolve, _| {
            if let Some(w) = leptos::web_sys::window() {
                let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
            }
        });
        let _ = JsFuture::from(p).await;
    }

    /// Puts `code` in the field and sends its form (the page's own submit handler runs).
    pub(super) fn send(input_id: &str, code: &str) {
        let input = leptos::web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(input_id))
            .and_then(|e| e.dyn_into::<leptos::web_sys::HtmlInputElement>().ok());
        if let Some(input) = input {
            input.set_value(code);
            if let Some(form) = input.form() {
                let _ = form.request_submit();
            }
        }
    }
}
