//! Geohash ranges covering a box or a circle: what a `bbox` or `near` search scans on the
//! geohash index. Cells are chosen as fine as a bounded number of them allows; then each is
//! split in its 32 children, those that touch the box or circle kept, so that the scan reads
//! little beyond it; adjacent cells (consecutive in geohash order) merge into one range.

use super::{Bbox, Near, Point, STORED_PRECISION};

/// At most this many cells on the box's grid: the finer the cells, the less is read outside the
/// box, but the longer the statement.
const MAX_CELLS: usize = 32;
/// At most this many ranges once the cells are split: each is one index range in the statement
/// (about 50 bytes). Past it, the grid's own cells.
const MAX_RANGES: usize = 64;
const BASE32: &[u8; 32] = b"0123456789bcdefghjkmnpqrstuvwxyz";

/// `lo <= geohash < hi`, in the index's string order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Range {
    pub lo: String,
    pub hi: String,
}

/// Degrees of longitude and latitude a cell of `precision` characters spans.
pub(super) fn cell_degrees(precision: usize) -> (f64, f64) {
    let bits = 5 * precision as i32;
    (
        360.0 / 2f64.powi((bits + 1) / 2),
        180.0 / 2f64.powi(bits / 2),
    )
}

/// The row and column indexes of the cells the box touches at `precision`.
fn grid(
    b: &Bbox,
    precision: usize,
) -> (std::ops::RangeInclusive<i64>, std::ops::RangeInclusive<i64>) {
    let (dlon, dlat) = cell_degrees(precision);
    let column = |lon: f64| ((lon + 180.0) / dlon).floor() as i64;
    let row = |lat: f64| ((lat + 90.0) / dlat).floor() as i64;
    (row(b.south)..=row(b.north), column(b.west)..=column(b.east))
}

fn count(b: &Bbox, precision: usize) -> usize {
    let (rows, columns) = grid(b, precision);
    rows.count() * columns.count()
}

/// A geohash as a number (5 bits a character), so that neighbours in index order are n, n + 1.
fn value(cell: &str) -> u64 {
    cell.bytes().fold(0, |v, c| {
        (v << 5) | BASE32.iter().position(|&b| b == c).unwrap_or(0) as u64
    })
}

fn text(mut v: u64, precision: usize) -> String {
    let mut out = vec![b'0'; precision];
    for slot in out.iter_mut().rev() {
        *slot = BASE32[(v & 31) as usize];
        v >>= 5;
    }
    String::from_utf8(out).unwrap_or_default()
}

/// The ranges covering `b`.
pub fn cover(b: &Bbox) -> Vec<Range> {
    cover_where(b, None, box_touches(b))
}

/// The ranges covering the circle of a `near` search, on its plane (as the statement filters).
/// Knowing how many elements a km² holds there (`per_km2`), two ranges merge when the cells
/// between them likely hold none: each range costs a row read (the entry past its end).
pub fn around(near: &Near, per_km2: Option<f64>) -> Vec<Range> {
    let gap = |precision: usize| {
        let (dlon, dlat) = cell_degrees(precision);
        let (ky, kx) = near.scale();
        let cell_km2 = dlat * ky * dlon * kx;
        per_km2.map_or(0, |d| (1.0 / (d * cell_km2).max(1e-9)).min(1e9) as u64)
    };
    cover_where(&near.bounds(), Some(&gap), circle_touches(near))
}

/// The map cells an element's search keys name (` g` and its geohash's first 7 characters):
/// with words, tags or a kind, a search in a box or around a point asks the full-text index
/// for the matches in these cells only (each as a prefix: a cell of 2 to 7 characters; one of
/// 7, 150 m wide, fits the first circle of a search in a town centre).
pub const KEY_PRECISION: usize = 7;
/// At most this many cells in the full-text query (each one prefix term).
const MAX_KEY_CELLS: usize = 64;

/// The key cells covering `b`; None when only cells of one character would do, which filter
/// nothing (and have no prefix index).
pub fn key_cells(b: &Bbox) -> Option<Vec<String>> {
    key_cells_where(b, box_touches(b))
}

/// The key cells covering the circle of a `near` search.
pub fn key_cells_around(near: &Near) -> Option<Vec<String>> {
    key_cells_where(&near.bounds(), circle_touches(near))
}

fn key_cells_where(b: &Bbox, touches: impl Fn(&Bbox) -> bool) -> Option<Vec<String>> {
    let precision = precision_for(b, KEY_PRECISION);
    if precision < 2 {
        return None;
    }
    let mut cells = (
        touching(grid_cells(b, precision), precision, &touches),
        precision,
    );
    if precision < KEY_PRECISION {
        let finer = touching(children(&cells.0), precision + 1, &touches);
        if finer.len() <= MAX_KEY_CELLS {
            cells = (finer, precision + 1);
        }
    }
    let (values, precision) = cells;
    Some(values.into_iter().map(|v| text(v, precision)).collect())
}

/// The precision of the finest cells a zone's contour is filed under (1.2 by 0.6 km): an
/// arrondissement takes a few of them, a large commune a few coarser ones.
pub const ZONE_PRECISION: usize = 6;

/// The cells, as fine as at most MAX_CELLS of them cover the zone's box, that `touches` keeps
/// (those holding part of the zone): a point finds the zone through the cell of its own
/// geohash of that length (`contour::lookup_cells`).
pub fn zone_cells(b: &Bbox, touches: impl Fn(&Bbox) -> bool) -> Vec<String> {
    let precision = precision_for(b, ZONE_PRECISION);
    touching(grid_cells(b, precision), precision, &touches)
        .into_iter()
        .map(|v| text(v, precision))
        .collect()
}

fn box_touches(b: &Bbox) -> impl Fn(&Bbox) -> bool + '_ {
    |cell| {
        cell.west <= b.east && cell.east >= b.west && cell.south <= b.north && cell.north >= b.south
    }
}

fn circle_touches(near: &Near) -> impl Fn(&Bbox) -> bool + '_ {
    |cell| {
        // The cell's point nearest the centre.
        let nearest = Point {
            lat: near.center.lat.clamp(cell.south, cell.north),
            lon: near.center.lon.clamp(cell.west, cell.east),
        };
        near.distance_km(&nearest) <= near.radius_km
    }
}

/// The finest precision, up to `finest`, at which at most MAX_CELLS cells cover the box.
fn precision_for(b: &Bbox, finest: usize) -> usize {
    (1..=finest)
        .rev()
        .find(|&p| count(b, p) <= MAX_CELLS)
        .unwrap_or(1)
}

/// The cells of the box's grid at `precision`, sorted, once each.
fn grid_cells(b: &Bbox, precision: usize) -> Vec<u64> {
    let (dlon, dlat) = cell_degrees(precision);
    let (rows, columns) = grid(b, precision);
    let mut values: Vec<u64> = rows
        .flat_map(|r| columns.clone().map(move |c| (r, c)))
        .map(|(r, c)| {
            // The centre of the cell names it.
            let centre = Point {
                lat: (-90.0 + (r as f64 + 0.5) * dlat).clamp(-90.0, 90.0),
                lon: (-180.0 + (c as f64 + 0.5) * dlon).clamp(-180.0, 180.0),
            };
            value(&centre.geohash(precision))
        })
        .collect();
    values.sort_unstable();
    values.dedup();
    values
}

/// The cells that touch the box or circle.
fn touching(cells: Vec<u64>, precision: usize, touches: &impl Fn(&Bbox) -> bool) -> Vec<u64> {
    cells
        .into_iter()
        .filter(|&v| bounds(v, precision).is_some_and(|cell| touches(&cell)))
        .collect()
}

/// Each cell's 32 children: they follow their parent in geohash order, so the list stays sorted.
fn children(cells: &[u64]) -> Vec<u64> {
    cells
        .iter()
        .flat_map(|v| (0..32).map(move |k| v * 32 + k))
        .collect()
}

/// `gap(precision)`: how many empty-looking cells between two ranges may be read to save one.
fn cover_where(
    b: &Bbox,
    gap: Option<&dyn Fn(usize) -> u64>,
    touches: impl Fn(&Bbox) -> bool,
) -> Vec<Range> {
    let gap = |precision| gap.map_or(0, |g| g(precision));
    let precision = precision_for(b, STORED_PRECISION);
    let values = grid_cells(b, precision);
    if precision < STORED_PRECISION {
        let finer = touching(children(&values), precision + 1, &touches);
        let fine = ranges(finer, precision + 1, gap(precision + 1));
        if fine.len() <= MAX_RANGES {
            return fine;
        }
    }
    ranges(values, precision, gap(precision))
}

/// A cell's box.
fn bounds(cell: u64, precision: usize) -> Option<Bbox> {
    let rect = geohash::decode_bbox(&text(cell, precision)).ok()?;
    Some(Bbox {
        west: rect.min().x,
        south: rect.min().y,
        east: rect.max().x,
        north: rect.max().y,
    })
}

/// Sorted cells of one precision as ranges, neighbours (and runs at most `gap` cells apart)
/// merged.
fn ranges(cells: Vec<u64>, precision: usize, gap: u64) -> Vec<Range> {
    let last = (1u64 << (5 * precision)) - 1;
    let mut runs: Vec<(u64, u64)> = Vec::new();
    for v in cells {
        match runs.last_mut() {
            Some((_, end)) if v <= end.saturating_add(1).saturating_add(gap) => *end = v,
            _ => runs.push((v, v)),
        }
    }
    runs.into_iter()
        .map(|(start, end)| Range {
            lo: text(start, precision),
            // Past the last cell, "~" sorts after every geohash.
            hi: if end == last {
                "~".into()
            } else {
                text(end + 1, precision)
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn box_around(p: Point, km: f64) -> Bbox {
        super::super::Near {
            center: p,
            radius_km: km,
        }
        .bounds()
    }

    fn covered(ranges: &[Range], p: &Point) -> bool {
        let stored = p.geohash(STORED_PRECISION);
        ranges
            .iter()
            .any(|r| stored.as_str() >= r.lo.as_str() && stored.as_str() < r.hi.as_str())
    }

    #[test]
    fn every_point_of_the_box_is_in_a_range() {
        let lyon = Point {
            lat: 45.764,
            lon: 4.8357,
        };
        for km in [0.2, 1.0, 5.0, 40.0, 100.0] {
            let b = box_around(lyon, km);
            let ranges = cover(&b);
            for i in 0..=20 {
                for j in 0..=20 {
                    let p = Point {
                        lat: b.south + (b.north - b.south) * i as f64 / 20.0,
                        lon: b.west + (b.east - b.west) * j as f64 / 20.0,
                    };
                    assert!(covered(&ranges, &p), "{km} km: {p:?} missed");
                }
            }
        }
    }

    #[test]
    fn little_is_scanned_beyond_the_box() {
        let lyon = Point {
            lat: 45.764,
            lon: 4.8357,
        };
        let b = box_around(lyon, 5.0);
        let ranges = cover(&b);
        // Sample a wider square: the share of it inside the ranges, against the box's own share.
        let (mut inside, mut in_box, n) = (0, 0, 80);
        for i in 0..n {
            for j in 0..n {
                let p = Point {
                    lat: lyon.lat + (i as f64 / n as f64 - 0.5) * 0.5,
                    lon: lyon.lon + (j as f64 / n as f64 - 0.5) * 0.7,
                };
                inside += covered(&ranges, &p) as usize;
                in_box += b.contains(&p) as usize;
            }
        }
        assert!(inside >= in_box);
        assert!(
            (inside as f64) < 2.0 * in_box as f64,
            "ranges cover {inside} samples for {in_box} in the box"
        );
        assert!(ranges.len() <= MAX_RANGES);
    }

    #[test]
    fn neighbouring_cells_merge_into_one_range() {
        assert_eq!(text(value("u05kq"), 5), "u05kq");
        assert_eq!(text(value("u05kq") + 1, 5), "u05kr");
        assert_eq!(text(value("zz"), 2), "zz");
        // A box inside one cell: one range, from that cell to the next.
        let cell = geohash::decode_bbox("u05kq").unwrap();
        let (min, max) = (cell.min(), cell.max());
        let inside = Bbox {
            west: min.x + 0.001,
            south: min.y + 0.001,
            east: max.x - 0.001,
            north: max.y - 0.001,
        };
        let whole = cover(&inside);
        assert_eq!(whole.len(), 1, "{whole:?}");
        assert!(whole[0].lo.starts_with("u05kq") && whole[0].hi.starts_with("u05kr"));
    }

    /// A circle of `km` around Lyon's centre.
    fn around_lyon(km: f64) -> Near {
        Near {
            center: Point {
                lat: 45.764,
                lon: 4.8357,
            },
            radius_km: km,
        }
    }

    #[test]
    fn a_circle_is_covered_whole_and_little_beyond() {
        use std::f64::consts::PI;
        for km in [0.08, 0.3, 1.2, 5.0, 20.0, 100.0] {
            let near = around_lyon(km);
            let ranges = around(&near, None);
            assert!(
                ranges.len() <= MAX_RANGES,
                "{km} km: {} ranges",
                ranges.len()
            );
            // Samples over the circle's box: every one in the circle is covered, and what the
            // ranges cover is not much more than the circle (its box is 4/π of it).
            let b = near.bounds();
            let (mut covered_samples, mut in_circle, n) = (0, 0, 100);
            for i in 0..=n {
                for j in 0..=n {
                    let p = Point {
                        lat: b.south + (b.north - b.south) * i as f64 / n as f64,
                        lon: b.west + (b.east - b.west) * j as f64 / n as f64,
                    };
                    let inside = near.distance_km(&p) <= km;
                    assert!(!inside || covered(&ranges, &p), "{km} km: {p:?} missed");
                    in_circle += inside as usize;
                    covered_samples += covered(&ranges, &p) as usize;
                }
            }
            let ratio = covered_samples as f64 / in_circle as f64;
            assert!(
                ratio < 4.0 / PI,
                "{km} km: {ratio:.2} of the circle, more than its box"
            );
        }
    }

    #[test]
    fn key_cells_hold_every_point_of_the_circle_and_little_beyond() {
        for km in [0.01, 0.2, 1.2, 5.0, 20.0, 100.0] {
            let near = around_lyon(km);
            let cells = key_cells_around(&near).unwrap();
            assert!(
                !cells.is_empty() && cells.len() <= MAX_KEY_CELLS,
                "{km} km: {cells:?}"
            );
            assert!(cells.iter().all(|c| (2..=KEY_PRECISION).contains(&c.len())));
            let keyed = |p: &Point| {
                let hash = p.geohash(KEY_PRECISION);
                cells.iter().any(|c| hash.starts_with(c.as_str()))
            };
            let b = near.bounds();
            let (mut in_cells, mut in_circle, n) = (0, 0, 60);
            // Samples over three times the circle's box: the cells hold every one inside the
            // circle, and not many times as many outside it.
            for i in 0..=n {
                for j in 0..=n {
                    let p = Point {
                        lat: b.south + 3.0 * (b.north - b.south) * (i as f64 / n as f64 - 0.34),
                        lon: b.west + 3.0 * (b.east - b.west) * (j as f64 / n as f64 - 0.34),
                    };
                    let inside = near.distance_km(&p) <= km;
                    assert!(!inside || keyed(&p), "{km} km: {p:?} missed by {cells:?}");
                    in_circle += inside as usize;
                    in_cells += keyed(&p) as usize;
                }
            }
            // Cells of 7 characters (150 m) are the finest: a smaller circle gets them.
            let ratio = in_cells as f64 / in_circle as f64;
            // At 100 km, cells of 4 characters would take 66 terms: the 4 of 3 hold more.
            let most = if km > 50.0 { 5.0 } else { 3.0 };
            match km < 0.1 {
                true => assert!(cells.iter().all(|c| c.len() == KEY_PRECISION)),
                false => assert!(
                    ratio < most,
                    "{km} km: the cells hold {ratio:.2} times the circle"
                ),
            }
        }
    }

    #[test]
    fn a_box_of_a_continent_has_no_key_cells_and_a_town_has_fine_ones() {
        let europe = Bbox {
            west: -25.0,
            south: 34.0,
            east: 45.0,
            north: 72.0,
        };
        assert_eq!(key_cells(&europe), None);
        let lyon = Bbox {
            west: 4.77,
            south: 45.71,
            east: 4.90,
            north: 45.81,
        };
        let cells = key_cells(&lyon).unwrap();
        assert!(cells.len() <= MAX_KEY_CELLS && cells.iter().all(|c| c.len() >= 4));
        // Its corners and centre are in them.
        for (lat, lon) in [(45.71, 4.77), (45.81, 4.90), (45.764, 4.8357)] {
            let hash = Point { lat, lon }.geohash(KEY_PRECISION);
            assert!(cells.iter().any(|c| hash.starts_with(c.as_str())), "{hash}");
        }
    }

    #[test]
    fn knowing_the_density_merges_ranges_whose_gap_likely_holds_nothing() {
        let near = around_lyon(0.16);
        let exact = around(&near, None);
        // 300 elements a km² (a city centre): a cell of 8 characters holds 0.15, so gaps of up
        // to 6 such cells are cheaper read than skipped.
        let city = around(&near, Some(300.0));
        // A village: everything in one or two ranges. A very dense place: as exact as without.
        let village = around(&near, Some(1.0));
        let dense = around(&near, Some(1e7));
        assert!(
            city.len() < exact.len() / 2,
            "{} against {}",
            city.len(),
            exact.len()
        );
        assert!(village.len() <= 2, "{village:?}");
        assert_eq!(dense, exact);
        // Merging only widens ranges: whatever the exact cover holds, the merged one does.
        for merged in [&city, &village] {
            for r in &exact {
                assert!(
                    merged.iter().any(|m| m.lo <= r.lo && r.hi <= m.hi),
                    "{r:?} lost"
                );
            }
        }
    }
}
