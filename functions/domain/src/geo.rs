//! Positions, distances and the geohash cells that make `near` searches use an index.

use crate::error::{ApiError, ErrorCode};
use geohash::Coord;

/// Precision of the geohash stored with every element: 9 characters, about 5 m.
pub const STORED_PRECISION: usize = 9;
/// The widest `near` search: beyond it, scopes (département, région) are the right tool.
pub const MAX_RADIUS_KM: f64 = 100.0;
const EARTH_RADIUS_KM: f64 = 6371.0088;
const KM_PER_DEGREE_LAT: f64 = 110.574;
const KM_PER_DEGREE_LON_AT_EQUATOR: f64 = 111.320;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub lat: f64,
    pub lon: f64,
}

impl Point {
    /// A WGS84 position, or a 400 naming `field`.
    pub fn new(lat: f64, lon: f64, field: &str) -> Result<Point, ApiError> {
        let valid = lat.is_finite() && lon.is_finite() && lat.abs() <= 90.0 && lon.abs() <= 180.0;
        if !valid {
            return Err(ApiError::on_field(ErrorCode::InvalidField, field));
        }
        Ok(Point { lat, lon })
    }

    pub fn geohash(&self, precision: usize) -> String {
        geohash::encode(
            Coord {
                x: self.lon,
                y: self.lat,
            },
            precision,
        )
        .unwrap_or_default()
    }

    /// Great-circle distance (haversine).
    pub fn distance_km(&self, other: &Point) -> f64 {
        let (la1, la2) = (self.lat.to_radians(), other.lat.to_radians());
        let dlat = la2 - la1;
        let dlon = (other.lon - self.lon).to_radians();
        let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * h.sqrt().asin()
    }
}

/// `near=lat,lon,km`: a centre and a radius.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Near {
    pub center: Point,
    pub radius_km: f64,
}

impl Near {
    pub fn parse(raw: &str) -> Result<Near, ApiError> {
        let invalid = || ApiError::on_field(ErrorCode::InvalidField, "near");
        let parts: Vec<f64> = raw
            .split(',')
            .map(|p| p.trim().parse::<f64>().map_err(|_| invalid()))
            .collect::<Result<_, _>>()?;
        let [lat, lon, km] = parts[..] else {
            return Err(invalid());
        };
        if !(km > 0.0 && km <= MAX_RADIUS_KM) {
            return Err(invalid());
        }
        Ok(Near {
            center: Point::new(lat, lon, "near")?,
            radius_km: km,
        })
    }

    /// The geohash cells to scan: the cell holding the centre and its eight neighbours, at the
    /// finest precision whose cells are at least the radius wide, so that together they cover
    /// the whole circle (the exact distance then sorts the candidates out).
    pub fn cells(&self) -> Vec<String> {
        let precision = (1..=STORED_PRECISION)
            .rev()
            .find(|&p| {
                let (width, height) = cell_size_km(p, self.center.lat);
                width.min(height) >= self.radius_km
            })
            .unwrap_or(1);
        let center = self.center.geohash(precision);
        let mut cells = vec![center.clone()];
        if let Ok(n) = geohash::neighbors(&center) {
            cells.extend([n.n, n.ne, n.e, n.se, n.s, n.sw, n.w, n.nw]);
        }
        cells.sort();
        cells.dedup();
        cells
    }

    /// A latitude/longitude box around the circle, a cheap first filter.
    pub fn bounds(&self) -> Bbox {
        let dlat = self.radius_km / KM_PER_DEGREE_LAT;
        let cos = self.center.lat.to_radians().cos().max(0.01);
        let dlon = self.radius_km / (KM_PER_DEGREE_LON_AT_EQUATOR * cos);
        Bbox {
            west: (self.center.lon - dlon).max(-180.0),
            south: (self.center.lat - dlat).max(-90.0),
            east: (self.center.lon + dlon).min(180.0),
            north: (self.center.lat + dlat).min(90.0),
        }
    }
}

/// Width and height in km of a geohash cell of `precision` characters at a latitude.
fn cell_size_km(precision: usize, lat: f64) -> (f64, f64) {
    let bits = 5 * precision as i32;
    let lon_bits = (bits + 1) / 2;
    let lat_bits = bits / 2;
    let width = 360.0 / 2f64.powi(lon_bits) * KM_PER_DEGREE_LON_AT_EQUATOR * lat.to_radians().cos();
    let height = 180.0 / 2f64.powi(lat_bits) * KM_PER_DEGREE_LAT;
    (width, height)
}

/// `bbox=west,south,east,north`, in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bbox {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

impl Bbox {
    pub fn parse(raw: &str) -> Result<Bbox, ApiError> {
        let invalid = || ApiError::on_field(ErrorCode::InvalidField, "bbox");
        let parts: Vec<f64> = raw
            .split(',')
            .map(|p| p.trim().parse::<f64>().map_err(|_| invalid()))
            .collect::<Result<_, _>>()?;
        let [west, south, east, north] = parts[..] else {
            return Err(invalid());
        };
        Point::new(south, west, "bbox")?;
        Point::new(north, east, "bbox")?;
        if west >= east || south >= north {
            return Err(invalid());
        }
        Ok(Bbox {
            west,
            south,
            east,
            north,
        })
    }

    pub fn contains(&self, p: &Point) -> bool {
        p.lat >= self.south && p.lat <= self.north && p.lon >= self.west && p.lon <= self.east
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAINT_PAUL: Point = Point {
        lat: -21.00961,
        lon: 55.27134,
    };
    const SAINT_PIERRE: Point = Point {
        lat: -21.3393,
        lon: 55.47811,
    };

    #[test]
    fn distances_are_great_circle_kilometres() {
        let d = SAINT_PAUL.distance_km(&SAINT_PIERRE);
        assert!((d - 42.4).abs() < 0.5, "{d}");
        assert_eq!(SAINT_PAUL.distance_km(&SAINT_PAUL), 0.0);
    }

    #[test]
    fn positions_and_parameters_are_checked_by_field() {
        assert!(Point::new(91.0, 0.0, "lat").is_err());
        assert!(Point::new(0.0, f64::NAN, "lon").is_err());
        for bad in ["", "1,2", "1,2,0", "1,2,-3", "1,2,101", "a,b,c", "95,2,3"] {
            assert_eq!(
                Near::parse(bad).unwrap_err().field.as_deref(),
                Some("near"),
                "{bad}"
            );
        }
        for bad in ["", "1,2,3", "10,0,5,1", "0,10,1,5", "x,0,1,1", "-200,0,1,1"] {
            assert_eq!(
                Bbox::parse(bad).unwrap_err().field.as_deref(),
                Some("bbox"),
                "{bad}"
            );
        }
        let near = Near::parse("-21.0, 55.27, 5").unwrap();
        assert_eq!(near.radius_km, 5.0);
    }

    #[test]
    fn cells_cover_a_point_just_across_a_cell_edge() {
        // A centre 50 m west of its cell's east edge, and a point 50 m east of it.
        let precision = Near {
            center: SAINT_PAUL,
            radius_km: 1.0,
        }
        .cells()[0]
            .len();
        let edge = geohash::decode_bbox(&SAINT_PAUL.geohash(precision))
            .unwrap()
            .max()
            .x;
        let center = Point {
            lat: SAINT_PAUL.lat,
            lon: edge - 0.0005,
        };
        let across = Point {
            lat: SAINT_PAUL.lat,
            lon: edge + 0.0005,
        };
        assert_ne!(
            across.geohash(precision),
            center.geohash(precision),
            "two cells"
        );
        assert!(center.distance_km(&across) < 0.2);

        let cells = Near {
            center,
            radius_km: 1.0,
        }
        .cells();
        assert_eq!(cells.len(), 9);
        let stored = across.geohash(STORED_PRECISION);
        assert!(
            cells.iter().any(|c| stored.starts_with(c.as_str())),
            "the neighbour cell is scanned"
        );
    }

    #[test]
    fn cells_are_at_least_as_wide_as_the_radius() {
        for km in [0.5, 5.0, 30.0, 100.0] {
            let near = Near {
                center: SAINT_PAUL,
                radius_km: km,
            };
            let (w, h) = cell_size_km(near.cells()[0].len(), SAINT_PAUL.lat);
            assert!(w.min(h) >= km, "{km} km: cells {w}×{h}");
        }
    }

    #[test]
    fn the_bounds_hold_the_circle() {
        let near = Near {
            center: SAINT_PAUL,
            radius_km: 10.0,
        };
        let b = near.bounds();
        for bearing in 0..36 {
            let angle = (bearing as f64 * 10.0).to_radians();
            let p = Point {
                lat: SAINT_PAUL.lat + 9.9 / KM_PER_DEGREE_LAT * angle.cos(),
                lon: SAINT_PAUL.lon
                    + 9.9 / (KM_PER_DEGREE_LON_AT_EQUATOR * SAINT_PAUL.lat.to_radians().cos())
                        * angle.sin(),
            };
            assert!(b.contains(&p));
        }
        assert!(!b.contains(&SAINT_PIERRE));
    }
}
