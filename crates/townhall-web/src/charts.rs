//! Charts drawn on the server as SVG: each has a title, a one-sentence summary (the SVG's `<title>` and
//! `<desc>`, so screen readers announce them) and the data table beside it. Every label is escaped here,
//! because the SVG reaches the page as markup.

use std::fmt::Write;

/// A chart ready for a page: the SVG markup and the table of the same figures.
pub(crate) struct Chart {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub svg: String,
    /// Column headings of the table.
    pub label_heading: String,
    pub value_heading: String,
    pub rows: Vec<(String, String)>,
}

const WIDTH: f64 = 640.0;
const BAR_HEIGHT: f64 = 26.0;
const BAR_GAP: f64 = 8.0;
const LABEL_WIDTH: f64 = 220.0;
const COLUMN_CHART_HEIGHT: f64 = 220.0;
/// Longest label drawn (the table keeps the whole text).
const MAX_LABEL_CHARS: usize = 32;
/// USWDS primary blue on white: 7.0:1 contrast.
const BAR_FILL: &str = "#005ea2";
const INK: &str = "#1b1b1b";

pub(crate) fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn shorten(label: &str) -> String {
    if label.chars().count() <= MAX_LABEL_CHARS {
        label.to_string()
    } else {
        let head: String = label.chars().take(MAX_LABEL_CHARS - 1).collect();
        format!("{head}…")
    }
}

fn format_value(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value:.2}")
    }
}

fn open_svg(id: &str, title: &str, summary: &str, height: f64) -> String {
    format!(
        "<svg class=\"chart\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {WIDTH} {height}\" \
         preserveAspectRatio=\"xMinYMin meet\" focusable=\"false\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape_xml(title),
        escape_xml(summary)
    )
}

/// The chart with its table: the same figures as the SVG, as text.
fn finish(
    id: &str,
    title: &str,
    summary: &str,
    svg: String,
    headings: (&str, &str),
    items: &[(String, f64)],
) -> Chart {
    Chart {
        id: id.to_string(),
        title: title.to_string(),
        summary: summary.to_string(),
        svg,
        label_heading: headings.0.to_string(),
        value_heading: headings.1.to_string(),
        rows: items
            .iter()
            .map(|(l, v)| (l.clone(), format_value(*v)))
            .collect(),
    }
}

/// Horizontal bars, one per item, longest first as given.
pub(crate) fn bar_chart(
    id: &str,
    title: &str,
    summary: &str,
    headings: (&str, &str),
    items: &[(String, f64)],
) -> Chart {
    let height = (items.len().max(1) as f64) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP;
    let max = items.iter().map(|(_, v)| *v).fold(0.0f64, f64::max);
    let scale = if max > 0.0 {
        (WIDTH - LABEL_WIDTH - 70.0) / max
    } else {
        0.0
    };
    let mut svg = open_svg(id, title, summary, height);
    for (i, (label, value)) in items.iter().enumerate() {
        let y = BAR_GAP + i as f64 * (BAR_HEIGHT + BAR_GAP);
        let width = (value.max(0.0) * scale).max(if *value > 0.0 { 1.0 } else { 0.0 });
        let _ = write!(
            svg,
            "<text x=\"{x}\" y=\"{ty}\" text-anchor=\"end\" fill=\"{INK}\" font-size=\"14\">{label}</text>\
             <rect x=\"{LABEL_WIDTH}\" y=\"{y}\" width=\"{width:.1}\" height=\"{BAR_HEIGHT}\" fill=\"{BAR_FILL}\"></rect>\
             <text x=\"{vx:.1}\" y=\"{ty}\" fill=\"{INK}\" font-size=\"14\">{value}</text>",
            x = LABEL_WIDTH - 8.0,
            ty = y + BAR_HEIGHT * 0.7,
            label = escape_xml(&shorten(label)),
            vx = LABEL_WIDTH + width + 6.0,
            value = escape_xml(&format_value(*value)),
        );
    }
    svg.push_str("</svg>");
    finish(id, title, summary, svg, headings, items)
}

/// Columns over time (one per day), with the first and last dates under the axis.
pub(crate) fn column_chart(
    id: &str,
    title: &str,
    summary: &str,
    headings: (&str, &str),
    points: &[(String, f64)],
) -> Chart {
    let plot_top = 10.0;
    let plot_bottom = COLUMN_CHART_HEIGHT - 30.0;
    let left = 50.0;
    let n = points.len().max(1) as f64;
    let slot = (WIDTH - left - 10.0) / n;
    let max = points.iter().map(|(_, v)| *v).fold(0.0f64, f64::max);
    let scale = if max > 0.0 {
        (plot_bottom - plot_top) / max
    } else {
        0.0
    };
    let mut svg = open_svg(id, title, summary, COLUMN_CHART_HEIGHT);
    let _ = write!(
        svg,
        "<line x1=\"{left}\" y1=\"{plot_bottom}\" x2=\"{WIDTH}\" y2=\"{plot_bottom}\" stroke=\"{INK}\"></line>\
         <text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\" fill=\"{INK}\" font-size=\"13\">{maxv}</text>\
         <text x=\"{lx}\" y=\"{plot_bottom}\" text-anchor=\"end\" fill=\"{INK}\" font-size=\"13\">0</text>",
        lx = left - 6.0,
        ty = plot_top + 10.0,
        maxv = escape_xml(&format_value(max)),
    );
    for (i, (_, value)) in points.iter().enumerate() {
        let h = value.max(0.0) * scale;
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{BAR_FILL}\"></rect>",
            x = left + i as f64 * slot + slot * 0.1,
            y = plot_bottom - h,
            w = (slot * 0.8).max(0.5),
        );
    }
    if let (Some(first), Some(last)) = (points.first(), points.last()) {
        let _ = write!(
            svg,
            "<text x=\"{left}\" y=\"{y}\" fill=\"{INK}\" font-size=\"13\">{}</text>\
             <text x=\"{WIDTH}\" y=\"{y}\" text-anchor=\"end\" fill=\"{INK}\" font-size=\"13\">{}</text>",
            escape_xml(&first.0),
            escape_xml(&last.0),
            y = COLUMN_CHART_HEIGHT - 8.0,
        );
    }
    svg.push_str("</svg>");
    finish(id, title, summary, svg, headings, points)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_the_chart_is_announced() {
        let chart = bar_chart(
            "topics",
            "Topics <b>",
            "Two topics & more",
            ("Topic", "Posts"),
            &[
                ("<script>alert(1)</script>".into(), 3.0),
                ("health care".into(), 1.5),
            ],
        );
        assert!(!chart.svg.contains("<script>"));
        assert!(chart.svg.contains("&lt;script&gt;"));
        assert!(chart
            .svg
            .contains("<title id=\"topics-title\">Topics &lt;b&gt;</title>"));
        assert!(chart
            .svg
            .contains("aria-labelledby=\"topics-title topics-desc\""));
        assert!(chart.svg.contains("role=\"img\""));
        assert_eq!(
            chart.rows[1],
            ("health care".to_string(), "1.50".to_string())
        );
        assert_eq!(chart.svg.matches("<rect").count(), 2);
    }

    #[test]
    fn column_heights_follow_the_values() {
        let points: Vec<(String, f64)> = vec![
            ("2024-01-01".into(), 0.0),
            ("2024-01-02".into(), 10.0),
            ("2024-01-03".into(), 5.0),
        ];
        let chart = column_chart(
            "days",
            "Posts per day",
            "Peak on 2 Jan",
            ("Day", "Posts"),
            &points,
        );
        let heights: Vec<f64> = chart
            .svg
            .split("height=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next()?.parse().ok())
            .collect();
        // The first "height" belongs to nothing else: columns only carry it.
        assert_eq!(heights.len(), 3);
        assert_eq!(heights[0], 0.0);
        assert!((heights[1] - 2.0 * heights[2]).abs() < 0.2, "{heights:?}");
        assert!(chart.svg.contains(">2024-01-01<") && chart.svg.contains(">2024-01-03<"));
    }
}
