//! The comparison chart: stance and sentiment macro-F1 per classifier with their 95% intervals,
//! as SVG and PNG.

use anyhow::{Context, Result};

use super::compare::Entry;

/// A bar chart: stance and sentiment macro-F1 for each classifier with 95% error bars, each
/// labelled with its speed.
///
/// One piece on purpose: it draws the SVG top to bottom (axes, bars, error bars, labels) with
/// one set of coordinates; split, every part would need the whole layout passed in.
pub fn chart_svg(entries: &[Entry]) -> Result<String> {
    use plotters::prelude::*;
    let plot_error = |e: &dyn std::fmt::Display| anyhow::anyhow!("drawing the chart: {e}");
    let names: Vec<String> = entries
        .iter()
        .map(|e| match e.speed {
            Some(speed) => format!("{} ({:.0} quotes/s)", e.label(" "), speed.median),
            None => e.label(" "),
        })
        .collect();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (800, 500)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| plot_error(&e))?;
        let n = entries.len().max(1) as f64;
        let mut chart = ChartBuilder::on(&root)
            .caption("Classifiers: macro-F1 and speed", ("sans-serif", 22))
            .margin(20)
            .x_label_area_size(45)
            .y_label_area_size(55)
            .build_cartesian_2d(-0.5f64..n - 0.5, 0.0f64..1.0f64)
            .map_err(|e| plot_error(&e))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(entries.len().max(1))
            .x_label_formatter(&|x| {
                let k = x.round();
                if (x - k).abs() < 0.01 && k >= 0.0 {
                    names.get(k as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_desc("macro-F1")
            .draw()
            .map_err(|e| plot_error(&e))?;
        for (offset, task, color) in [(-0.36, "stance", BLUE), (0.02, "sentiment", RED)] {
            let bars: Vec<(f64, f64)> = entries
                .iter()
                .enumerate()
                .map(|(k, e)| {
                    (
                        k as f64 + offset,
                        if task == "stance" {
                            e.stance.macro_f1
                        } else {
                            e.sentiment.macro_f1
                        },
                    )
                })
                .collect();
            let intervals: Vec<(f64, f64, f64)> = entries
                .iter()
                .enumerate()
                .filter_map(|(k, e)| {
                    let interval = if task == "stance" {
                        e.intervals.stance_macro_f1
                    } else {
                        e.intervals.sentiment_macro_f1
                    }?;
                    Some((k as f64 + offset + 0.17, interval.low, interval.high))
                })
                .collect();
            chart
                .draw_series(bars.iter().map(|&(x, y)| {
                    Rectangle::new([(x, 0.0), (x + 0.34, y)], color.mix(0.75).filled())
                }))
                .map_err(|e| plot_error(&e))?
                .label(task)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled())
                });
            chart
                .draw_series(intervals.iter().map(|&(x, low, high)| {
                    PathElement::new(vec![(x, low), (x, high)], BLACK.stroke_width(2))
                }))
                .map_err(|e| plot_error(&e))?;
            chart
                .draw_series(bars.iter().map(|&(x, y)| {
                    Text::new(
                        format!("{y:.2}"),
                        (x + 0.08, (y + 0.05).min(0.97)),
                        ("sans-serif", 14),
                    )
                }))
                .map_err(|e| plot_error(&e))?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .border_style(BLACK)
            .background_style(WHITE)
            .draw()
            .map_err(|e| plot_error(&e))?;
        root.present().map_err(|e| plot_error(&e))?;
    }
    Ok(svg)
}

/// Renders an SVG to PNG with resvg, using the system's fonts for the labels.
pub fn svg_to_png(svg: &str) -> Result<Vec<u8>> {
    let mut options = resvg::usvg::Options::default();
    let fonts = options.fontdb_mut();
    fonts.load_system_fonts();
    // "sans-serif" must name an installed family: prefer a sans face, else any face at all.
    let family = fonts
        .faces()
        .flat_map(|f| f.families.iter().map(|(name, _)| name.clone()))
        .min_by_key(|name| (!name.contains("Sans"), name.len()));
    if let Some(family) = family {
        fonts.set_sans_serif_family(family);
    }
    let tree = resvg::usvg::Tree::from_str(svg, &options).context("parsing the chart SVG")?;
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
        .context("allocating the chart image")?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().context("encoding the chart PNG")
}
