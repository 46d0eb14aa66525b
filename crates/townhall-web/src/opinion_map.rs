//! The opinion map: participants on the two principal components, coloured and shaped by opinion group
//! (shape too, so colour is never the only cue), each group's letter at its centre, and "you" for the
//! participant looking. Large conversations are drawn as a grid of dots sized by how many people each
//! cell holds, so the SVG stays small. The table beside it gives each group's size and centre.

use crate::charts::{escape_xml, Chart};
use std::collections::BTreeMap;
use std::fmt::Write;
use townhall_app::consultations::{group_label, MapPoint};

const SIZE: f64 = 480.0;
const MARGIN: f64 = 24.0;
/// Above this many participants, points are gathered into grid cells.
const MAX_POINTS: usize = 1_500;
const GRID: usize = 48;
/// Group colours with at least 3:1 contrast on white (WCAG 1.4.11), from the USWDS palette.
const COLOURS: [&str; 6] = [
    "#005ea2", "#b50909", "#00756a", "#8b5e00", "#6f3ca3", "#4a4a4a",
];
const UNGROUPED: &str = "#71767a";

fn colour(group: Option<usize>) -> &'static str {
    group.map_or(UNGROUPED, |g| COLOURS[g % COLOURS.len()])
}

/// A marker at (x, y) of radius r: circle, square, triangle, diamond… by group.
fn marker(out: &mut String, group: Option<usize>, x: f64, y: f64, r: f64) {
    let fill = colour(group);
    let _ = match group.map(|g| g % 4) {
        Some(1) => write!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\" fill-opacity=\"0.7\"/>",
            x - r,
            y - r,
            2.0 * r,
            2.0 * r
        ),
        Some(2) => write!(
            out,
            "<polygon points=\"{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}\" fill=\"{fill}\" fill-opacity=\"0.7\"/>",
            x,
            y - r * 1.2,
            x - r * 1.1,
            y + r * 0.8,
            x + r * 1.1,
            y + r * 0.8
        ),
        Some(3) => write!(
            out,
            "<polygon points=\"{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1}\" fill=\"{fill}\" fill-opacity=\"0.7\"/>",
            x,
            y - r * 1.3,
            x + r * 1.3,
            y,
            x,
            y + r * 1.3,
            x - r * 1.3,
            y
        ),
        _ => write!(
            out,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\" fill=\"{fill}\" fill-opacity=\"0.7\"/>"
        ),
    };
}

/// The map for `points` (every participant who voted), with `groups` as (id, size, centre), and
/// `you` marking one participant.
pub(crate) fn opinion_map(
    id: &str,
    points: &[MapPoint],
    groups: &[(usize, usize, (f64, f64))],
    you: Option<(f64, f64)>,
) -> Chart {
    let title = "Opinion map";
    let summary = if groups.is_empty() {
        format!(
            "{} participants so far; groups appear once enough people have voted on enough statements.",
            points.len()
        )
    } else {
        let parts: Vec<String> = groups
            .iter()
            .map(|(g, n, _)| format!("group {} has {n}", group_label(*g)))
            .collect();
        format!(
            "Each mark is a participant placed by how they voted; people who vote alike are close. {} participants in {} opinion groups: {}.",
            points.len(),
            groups.len(),
            parts.join(", ")
        )
    };
    // Same scale on both axes, so distances mean the same in every direction.
    let extent = points
        .iter()
        .map(|p| (p.x.abs(), p.y.abs()))
        .chain(you.map(|(x, y)| (x.abs(), y.abs())))
        .fold(1e-9f64, |m, (x, y)| m.max(x).max(y));
    let scale = (SIZE / 2.0 - MARGIN) / extent;
    let to_svg = |x: f64, y: f64| (SIZE / 2.0 + x * scale, SIZE / 2.0 - y * scale);
    let mut svg = format!(
        "<svg class=\"chart opinion-map\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {SIZE} {SIZE}\" \
         preserveAspectRatio=\"xMidYMid meet\" focusable=\"false\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>\
         <rect x=\"0.5\" y=\"0.5\" width=\"{w}\" height=\"{w}\" fill=\"#ffffff\" stroke=\"#a9aeb1\"/>\
         <line x1=\"{c}\" y1=\"{MARGIN}\" x2=\"{c}\" y2=\"{e}\" stroke=\"#dfe1e2\"/>\
         <line x1=\"{MARGIN}\" y1=\"{c}\" x2=\"{e}\" y2=\"{c}\" stroke=\"#dfe1e2\"/>",
        escape_xml(title),
        escape_xml(&summary),
        w = SIZE - 1.0,
        c = SIZE / 2.0,
        e = SIZE - MARGIN,
    );
    if points.len() <= MAX_POINTS {
        for p in points {
            let (x, y) = to_svg(p.x, p.y);
            marker(&mut svg, p.group, x, y, 3.5);
        }
    } else {
        // Cell → (group → count); each cell drawn once in its most common group, sized by its count.
        let mut cells: BTreeMap<(usize, usize), BTreeMap<Option<usize>, usize>> = BTreeMap::new();
        let cell = |v: f64| {
            (((v / (2.0 * extent)) + 0.5) * GRID as f64)
                .floor()
                .clamp(0.0, GRID as f64 - 1.0) as usize
        };
        for p in points {
            *cells
                .entry((cell(p.x), cell(p.y)))
                .or_default()
                .entry(p.group)
                .or_default() += 1;
        }
        let largest = cells
            .values()
            .map(|c| c.values().sum::<usize>())
            .max()
            .unwrap_or(1) as f64;
        let step = 2.0 * extent / GRID as f64;
        for ((cx, cy), by_group) in &cells {
            let total: usize = by_group.values().sum();
            let group = by_group
                .iter()
                .max_by_key(|(g, n)| (**n, std::cmp::Reverse(**g)))
                .and_then(|(g, _)| *g);
            let x = -extent + (*cx as f64 + 0.5) * step;
            let y = -extent + (*cy as f64 + 0.5) * step;
            let (sx, sy) = to_svg(x, y);
            let r = 1.5 + 4.0 * (total as f64 / largest).sqrt();
            marker(&mut svg, group, sx, sy, r);
        }
    }
    for (g, _, (x, y)) in groups {
        let (sx, sy) = to_svg(*x, *y);
        let _ = write!(
            svg,
            "<circle cx=\"{sx:.1}\" cy=\"{sy:.1}\" r=\"14\" fill=\"#ffffff\" stroke=\"{c}\" stroke-width=\"3\"/>\
             <text x=\"{sx:.1}\" y=\"{ty:.1}\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\" fill=\"#1b1b1b\">{l}</text>",
            c = colour(Some(*g)),
            ty = sy + 5.5,
            l = group_label(*g)
        );
    }
    if let Some((x, y)) = you {
        let (sx, sy) = to_svg(x, y);
        let _ = write!(
            svg,
            "<circle cx=\"{sx:.1}\" cy=\"{sy:.1}\" r=\"8\" fill=\"none\" stroke=\"#1b1b1b\" stroke-width=\"3\"/>\
             <text x=\"{tx:.1}\" y=\"{ty:.1}\" font-size=\"15\" font-weight=\"bold\" fill=\"#1b1b1b\">you</text>",
            tx = sx + 11.0,
            ty = sy - 9.0
        );
    }
    svg.push_str("</svg>");
    let mut rows: Vec<(String, String)> = groups
        .iter()
        .map(|(g, n, (x, y))| {
            (
                format!("Group {}", group_label(*g)),
                format!("{n} participants; centre ({x:.2}, {y:.2})"),
            )
        })
        .collect();
    let grouped: usize = groups.iter().map(|(_, n, _)| n).sum();
    rows.push((
        "Not in a group yet (fewer than 7 votes)".into(),
        format!("{} participants", points.len().saturating_sub(grouped)),
    ));
    if let Some((x, y)) = you {
        rows.push(("You".into(), format!("({x:.2}, {y:.2})")));
    }
    Chart {
        id: id.to_string(),
        title: title.to_string(),
        summary,
        svg,
        label_heading: "Who".into(),
        value_heading: "Where".into(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(id: i64, x: f64, y: f64, group: Option<usize>) -> MapPoint {
        MapPoint {
            participant_id: id,
            x,
            y,
            group,
        }
    }

    #[test]
    fn small_maps_draw_every_participant_and_large_ones_a_grid() {
        let small: Vec<MapPoint> = (0..10)
            .map(|i| point(i, i as f64, -(i as f64), Some((i % 2) as usize)))
            .collect();
        let chart = opinion_map(
            "m",
            &small,
            &[(0, 5, (1.0, 1.0)), (1, 5, (-1.0, 0.0))],
            Some((0.5, 0.5)),
        );
        let marks = chart.svg.matches("<circle").count() + chart.svg.matches("<rect").count();
        // 10 participants + 2 group labels + "you" + the frame.
        assert_eq!(marks, 10 + 2 + 1 + 1);
        assert!(chart.svg.contains(">you</text>"));
        assert!(chart.summary.contains("group A has 5"));
        assert_eq!(chart.rows.len(), 4);
        let large: Vec<MapPoint> = (0..50_000)
            .map(|i| {
                point(
                    i,
                    (i % 997) as f64,
                    (i % 991) as f64,
                    Some((i % 3) as usize),
                )
            })
            .collect();
        let chart = opinion_map("m", &large, &[], None);
        assert!(chart.svg.len() < 300_000, "{} bytes", chart.svg.len());
        assert!(chart.svg.starts_with("<svg") && chart.svg.ends_with("</svg>"));
    }
}
