//! A source's activity per day as an SVG bar chart (in the spirit of PieSync's activity
//! monitor): each day's bar stacks nodes created, updated and deleted by imports, values synced
//! and written back, and failures. Each segment has a `<title>`, and the totals are listed
//! under the chart in words.

use crate::api::report::{self, Day};
use crate::components::loader::Loader;
use crate::session::Session;
use leptos::prelude::*;

/// A series: label, colour (CSS), value of a day.
type Series = (&'static str, &'static str, fn(&Day) -> i64);

const SERIES: &[Series] = &[
    ("Nodes created", "#2f9e44", |d| d.nodes_created),
    ("Nodes updated", "#1c7ed6", |d| d.nodes_updated),
    ("Nodes deleted", "#868e96", |d| d.nodes_deleted),
    ("Values synced", "#7048e8", |d| d.fields_synced),
    ("Written back", "#0c8599", |d| d.written_back),
    ("Failures", "#e03131", |d| d.failures),
];

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 160.0;

#[component]
pub fn ActivityChart(source_id: String) -> impl IntoView {
    let session = expect_context::<Session>();
    let days = RwSignal::new(30_i64);
    let source = StoredValue::new(source_id);
    let data = Loader::new(move || report::activity(session, Some(source.get_value()), days.get()));
    let body = move || {
        data.get().map(|r| match r {
            Ok(list) => chart(list).into_any(),
            Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
        })
    };
    view! {
        <section class="card section" aria-labelledby="activity-title" data-testid="activity">
            <div class="log-head">
                <h2 id="activity-title">"Activity per day"</h2>
                <label for="activity-days" class="inline-label">"Period"</label>
                <select id="activity-days" data-testid="activity-days" on:change=move |ev| {
                    days.set(event_target_value(&ev).parse().unwrap_or(30));
                }>
                    <option value="7">"7 days"</option>
                    <option value="30" selected=true>"30 days"</option>
                    <option value="90">"90 days"</option>
                </select>
            </div>
            {body}
        </section>
    }
}

/// The chart of `list` (oldest day first) with its legend and totals.
fn chart(list: Vec<Day>) -> impl IntoView {
    let n = list.len().max(1) as f64;
    let step = WIDTH / n;
    let bar = (step * 0.7).max(1.0);
    let top = list
        .iter()
        .map(|d| SERIES.iter().map(|(_, _, f)| f(d)).sum::<i64>())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let mut rects = Vec::new();
    for (i, day) in list.iter().enumerate() {
        let x = i as f64 * step + (step - bar) / 2.0;
        let mut y = HEIGHT;
        for (label, colour, f) in SERIES {
            let value = f(day);
            if value == 0 {
                continue;
            }
            let h = value as f64 / top * (HEIGHT - 4.0);
            y -= h;
            let title = format!("{}: {value} {}", day.date, label.to_lowercase());
            rects.push(view! {
                <rect x=format!("{x:.1}") y=format!("{y:.1}") width=format!("{bar:.1}") height=format!("{h:.1}") fill=*colour data-testid="activity-bar">
                    <title>{title}</title>
                </rect>
            });
        }
    }
    let first = list.first().map(|d| d.date.clone()).unwrap_or_default();
    let last = list.last().map(|d| d.date.clone()).unwrap_or_default();
    let totals = SERIES
        .iter()
        .map(|(label, colour, f)| {
            let total: i64 = list.iter().map(f).sum();
            let swatch = format!("background: {colour}");
            view! {
                <li data-testid="activity-total">
                    <span class="swatch" style=swatch></span>
                    {format!("{label}: {total}")}
                </li>
            }
        })
        .collect_view();
    let summary = format!("Activity from {first} to {last}");
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {}", HEIGHT + 2.0) role="img" aria-label=summary preserveAspectRatio="none">
            <line x1="0" y1=HEIGHT.to_string() x2=WIDTH.to_string() y2=HEIGHT.to_string() class="axis"></line>
            {rects}
        </svg>
        <div class="chart-axis small muted"><span>{first}</span><span>{last}</span></div>
        <ul class="legend">{totals}</ul>
    }
}
