//! Lays the progress report's blocks out on A4 pages and writes them with `pdf-canvas` (the PDF's
//! built-in Helvetica, so nothing is downloaded or embedded). Text in other scripts is transliterated.

use crate::progress_report::Block;
use pdf_canvas::graphicsstate::Color;
use pdf_canvas::{BuiltinFont, FontSource, Pdf};
use std::path::Path;

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 56.0;
const TEXT: f32 = 10.5;

/// One thing to draw.
#[derive(Debug, Clone, PartialEq)]
enum Op {
    Text {
        x: f32,
        y: f32,
        bold: bool,
        size: f32,
        text: String,
    },
    Bar {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

/// Characters Helvetica's WinAnsi encoding can show; common typography mapped to ASCII; any other
/// script transliterated (Ελλάδα → Ellada, 中文 → Zhong Wen), since the built-in fonts have no glyphs
/// for it and embedding a font for every script would multiply the binary's size.
fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '‘' | '’' => out.push('\''),
            '“' | '”' => out.push('"'),
            '–' | '—' | '→' => out.push('-'),
            '≥' => out.push('>'),
            '≤' => out.push('<'),
            '…' => out.push('.'),
            c if (' '..='~').contains(&c) || ('\u{a0}'..='\u{ff}').contains(&c) => out.push(c),
            c => match deunicode::deunicode_char(c) {
                Some(latin)
                    if !latin.is_empty() && latin.chars().all(|l| (' '..='~').contains(&l)) =>
                {
                    // Transliterated syllables come with a trailing space; words already have one.
                    if out.ends_with(' ') {
                        out.push_str(latin.trim_start());
                    } else {
                        out.push_str(latin);
                    }
                }
                _ => out.push('?'),
            },
        }
    }
    let trimmed = out.trim_end().len();
    if trimmed < out.len() && !text.ends_with(char::is_whitespace) {
        out.truncate(trimmed);
    }
    out
}

fn font(bold: bool) -> BuiltinFont {
    if bold {
        BuiltinFont::Helvetica_Bold
    } else {
        BuiltinFont::Helvetica
    }
}

/// Break `text` into lines no wider than `width` points.
fn wrap(text: &str, bold: bool, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if font(bold).get_width(size, &candidate) <= width || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

struct Layout {
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Layout {
    fn new() -> Layout {
        Layout {
            pages: vec![Vec::new()],
            y: PAGE_H - MARGIN,
        }
    }

    /// Room for `height` points, on a new page if needed.
    fn room(&mut self, height: f32) {
        if self.y - height < MARGIN {
            self.pages.push(Vec::new());
            self.y = PAGE_H - MARGIN;
        }
    }

    fn op(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    fn paragraph(&mut self, text: &str, bold: bool, size: f32, indent: f32, after: f32) {
        let lead = size * 1.35;
        for line in wrap(text, bold, size, PAGE_W - 2.0 * MARGIN - indent) {
            self.room(lead);
            self.y -= lead;
            self.op(Op::Text {
                x: MARGIN + indent,
                y: self.y,
                bold,
                size,
                text: line,
            });
        }
        self.y -= after;
    }

    fn table(&mut self, headings: &[String], rows: &[Vec<String>]) {
        let n = headings.len().max(1);
        let total = PAGE_W - 2.0 * MARGIN;
        let first = if n > 1 { total * 0.5 } else { total };
        let rest = if n > 1 {
            (total - first) / (n - 1) as f32
        } else {
            0.0
        };
        let widths: Vec<f32> = (0..n).map(|i| if i == 0 { first } else { rest }).collect();
        let size = TEXT - 1.0;
        let lead = size * 1.3;
        let draw_row = |layout: &mut Layout, cells: &[String], bold: bool| {
            let wrapped: Vec<Vec<String>> = cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| wrap(c, bold, size, w - 6.0))
                .collect();
            let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1);
            layout.room(lines as f32 * lead + 4.0);
            let top = layout.y;
            let mut x = MARGIN;
            for (cell, w) in wrapped.iter().zip(&widths) {
                for (i, line) in cell.iter().enumerate() {
                    layout.op(Op::Text {
                        x,
                        y: top - (i as f32 + 1.0) * lead,
                        bold,
                        size,
                        text: line.clone(),
                    });
                }
                x += w;
            }
            layout.y = top - lines as f32 * lead - 4.0;
        };
        draw_row(self, headings, true);
        for row in rows {
            draw_row(self, row, false);
        }
        self.y -= 6.0;
    }

    fn bars(&mut self, items: &[(String, f64)]) {
        let label_w = 170.0;
        let max_w = PAGE_W - 2.0 * MARGIN - label_w - 40.0;
        for (label, value) in items {
            self.room(18.0);
            self.y -= 18.0;
            self.op(Op::Text {
                x: MARGIN,
                y: self.y + 3.0,
                bold: false,
                size: TEXT - 0.5,
                text: label.clone(),
            });
            let w = (value.clamp(0.0, 100.0) / 100.0) as f32 * max_w;
            self.op(Op::Bar {
                x: MARGIN + label_w,
                y: self.y,
                w: w.max(0.5),
                h: 12.0,
            });
            self.op(Op::Text {
                x: MARGIN + label_w + w + 6.0,
                y: self.y + 3.0,
                bold: false,
                size: TEXT - 0.5,
                text: format!("{value:.0} of 100"),
            });
        }
        self.y -= 8.0;
    }
}

fn lay_out(blocks: &[Block]) -> Vec<Vec<Op>> {
    let mut layout = Layout::new();
    for block in blocks {
        match block {
            Block::Title(t) => layout.paragraph(&printable(t), true, 18.0, 0.0, 8.0),
            Block::Heading(t) => {
                layout.room(40.0);
                layout.paragraph(&printable(t), true, 14.0, 0.0, 4.0)
            }
            Block::Subheading(t) => {
                layout.room(30.0);
                layout.paragraph(&printable(t), true, 11.5, 0.0, 2.0)
            }
            Block::Text(t) => layout.paragraph(&printable(t), false, TEXT, 0.0, 4.0),
            Block::Bullet(t) => {
                layout.paragraph(&format!("- {}", printable(t)), false, TEXT, 10.0, 2.0)
            }
            Block::Table { headings, rows } => {
                let headings: Vec<String> = headings.iter().map(|h| printable(h)).collect();
                let rows: Vec<Vec<String>> = rows
                    .iter()
                    .map(|r| r.iter().map(|c| printable(c)).collect())
                    .collect();
                layout.table(&headings, &rows)
            }
            Block::Bars(items) => {
                let items: Vec<(String, f64)> =
                    items.iter().map(|(l, v)| (printable(l), *v)).collect();
                layout.bars(&items)
            }
        }
    }
    layout.pages
}

/// Write `blocks` as a PDF at `path`.
pub fn write(blocks: &[Block], path: &Path) -> std::io::Result<()> {
    let file = std::fs::File::create(path)?;
    let mut pdf = Pdf::new(file)?;
    pdf.set_title("Social media strategies: progress report");
    pdf.set_producer("Townhall");
    let pages = lay_out(blocks);
    let count = pages.len();
    for (n, page) in pages.into_iter().enumerate() {
        pdf.render_page(PAGE_W, PAGE_H, |canvas| {
            for op in &page {
                match op {
                    Op::Text {
                        x,
                        y,
                        bold,
                        size,
                        text,
                    } => canvas.left_text(*x, *y, font(*bold), *size, text)?,
                    Op::Bar { x, y, w, h } => {
                        canvas.set_fill_color(Color::rgb(0, 94, 162))?;
                        canvas.rectangle(*x, *y, *w, *h)?;
                        canvas.fill()?;
                        canvas.set_fill_color(Color::gray(0))?;
                    }
                }
            }
            canvas.right_text(
                PAGE_W - MARGIN,
                MARGIN / 2.0,
                BuiltinFont::Helvetica,
                8.0,
                &format!("Page {} of {count}", n + 1),
            )
        })?;
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_reports_wrap_and_flow_over_pages() {
        let mut blocks = vec![Block::Title("Report".into())];
        for i in 0..120 {
            blocks.push(Block::Text(format!(
                "Paragraph {i} with enough words to wrap onto a second line of the page when it is laid out at this size, so the layout must break it ≥ once."
            )));
        }
        let pages = lay_out(&blocks);
        assert!(pages.len() >= 4, "{} pages", pages.len());
        for page in &pages {
            for op in page {
                if let Op::Text {
                    x,
                    y,
                    size,
                    text,
                    bold,
                } = op
                {
                    assert!(*y >= MARGIN - 1.0 && *y <= PAGE_H - MARGIN, "{y}");
                    let w = font(*bold).get_width(*size, text);
                    assert!(x + w <= PAGE_W - MARGIN + 0.5, "{text} is {w} wide");
                    assert!(!text.contains('≥'));
                }
            }
        }
        assert_eq!(printable("“≥ 80%” – done…"), "\"> 80%\" - done.");
        assert_eq!(printable("Zoë 中文"), "Zoë Zhong Wen");
        assert_eq!(printable("Ελλάδα, Россия"), "Ellada, Rossiia");
        assert_eq!(printable("¿Dónde? 10 €"), "¿Dónde? 10 EUR");
        // Nothing outside what Helvetica's encoding shows, whatever the input.
        for text in [
            "日本語のテキスト",
            "مرحبا بالعالم",
            "👍 🎉 ok",
            "Tiếng Việt",
        ] {
            let p = printable(text);
            assert!(
                p.chars()
                    .all(|c| (' '..='~').contains(&c) || ('\u{a0}'..='\u{ff}').contains(&c)),
                "{p}"
            );
        }
    }
}
