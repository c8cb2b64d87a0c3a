//! How dense the map is around a point, from the count of elements kept per geohash cell
//! (`element_cell`, by triggers): a `near` search reads the block of cells around its centre
//! to size its first circle for a page, rather than probing with a small one.

use super::{Near, Point, cover::cell_degrees};

/// The counted cells: geohashes of 6 characters, 0.6 km by 1.2 km at the equator (0.6 by 0.85
/// in France). The schema counts by `substr(geohash, 1, 6)`.
pub const PRECISION: usize = 6;

/// The four cells nearest a centre (its own and the three on the sides it is nearest), so that
/// the centre is at least half a cell from the block's edge, and the area they cover.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub cells: [String; 4],
    pub area_km2: f64,
    /// How far from the centre the block reaches on every side (half a cell at least): the
    /// density counted says something of a circle this wide, less of a wider one.
    pub reach_km: f64,
}

pub fn block(near: &Near) -> Block {
    let (dlon, dlat) = cell_degrees(PRECISION);
    let row = (near.center.lat + 90.0) / dlat;
    let column = (near.center.lon + 180.0) / dlon;
    let (r0, c0) = (row.floor(), column.floor());
    // The neighbour on the side of the cell the centre is in.
    let r1 = if row - r0 < 0.5 { r0 - 1.0 } else { r0 + 1.0 };
    let c1 = if column - c0 < 0.5 {
        c0 - 1.0
    } else {
        c0 + 1.0
    };
    let cell = |r: f64, c: f64| {
        Point {
            lat: (-90.0 + (r + 0.5) * dlat).clamp(-90.0, 90.0),
            lon: (-180.0 + (c + 0.5) * dlon).clamp(-180.0, 180.0),
        }
        .geohash(PRECISION)
    };
    let (ky, kx) = near.scale();
    Block {
        cells: [cell(r0, c0), cell(r0, c1), cell(r1, c0), cell(r1, c1)],
        area_km2: 4.0 * dlat * ky * dlon * kx,
        reach_km: (dlat * ky).min(dlon * kx) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn near(lat: f64, lon: f64) -> Near {
        Near {
            center: Point { lat, lon },
            radius_km: 5.0,
        }
    }

    #[test]
    fn the_block_surrounds_the_centre_by_half_a_cell_at_least() {
        for (lat, lon) in [
            (45.764, 4.8357),
            (45.7601, 4.8301),
            (-21.01, 55.27),
            (48.8566, 2.3522),
        ] {
            let n = near(lat, lon);
            let b = block(&n);
            assert!(
                b.cells.contains(&n.center.geohash(PRECISION)),
                "its own cell"
            );
            let boxes: Vec<_> = b
                .cells
                .iter()
                .map(|c| geohash::decode_bbox(c).unwrap())
                .collect();
            let west = boxes.iter().map(|r| r.min().x).fold(f64::MAX, f64::min);
            let east = boxes.iter().map(|r| r.max().x).fold(f64::MIN, f64::max);
            let south = boxes.iter().map(|r| r.min().y).fold(f64::MAX, f64::min);
            let north = boxes.iter().map(|r| r.max().y).fold(f64::MIN, f64::max);
            let (dlon, dlat) = cell_degrees(PRECISION);
            // Four distinct cells making a 2 × 2 square…
            assert!(
                (east - west - 2.0 * dlon).abs() < 1e-9
                    && (north - south - 2.0 * dlat).abs() < 1e-9
            );
            // …with the centre at least half a cell inside each side.
            for margin in [lon - west, east - lon] {
                assert!(margin >= dlon / 2.0 - 1e-9, "{lat},{lon}: {margin}");
            }
            for margin in [lat - south, north - lat] {
                assert!(margin >= dlat / 2.0 - 1e-9, "{lat},{lon}: {margin}");
            }
        }
    }

    #[test]
    fn the_area_is_four_cells_on_the_searchs_plane() {
        // Cells of 6 characters: 0.0055° of latitude by 0.011° of longitude.
        let b = block(&near(45.764, 4.8357));
        assert!(
            (b.area_km2 - 4.0 * 0.611 * 0.852).abs() < 0.02,
            "{}",
            b.area_km2
        );
    }
}
