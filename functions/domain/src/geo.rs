//! Positions, distances and the geohash cells that make `near` searches use an index.

use crate::error::{ApiError, ErrorCode};
use geohash::Coord;

pub mod contour;
pub mod cover;
pub mod density;

/// Precision of the geohash stored with every element: 9 characters, about 5 m.
pub const STORED_PRECISION: usize = 9;
/// The widest `near` search: beyond it, scopes (département, région) are the right tool.
pub const MAX_RADIUS_KM: f64 = 100.0;
const EARTH_RADIUS_KM: f64 = 6371.0088;

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

    /// Kilometres per degree of latitude and of longitude around the centre. Within a `near`
    /// search distances are measured on this local plane (equirectangular), in SQL to filter
    /// and order and here to show them: within 0.05 % of the great circle at 5 km, about 1 %
    /// at the 100 km limit.
    pub fn scale(&self) -> (f64, f64) {
        let km_per_degree = EARTH_RADIUS_KM.to_radians();
        let cos = self.center.lat.to_radians().cos().max(0.01);
        (km_per_degree, km_per_degree * cos)
    }

    /// The distance from the centre, on the search's plane.
    pub fn distance_km(&self, p: &Point) -> f64 {
        let (ky, kx) = self.scale();
        let (dy, dx) = (
            (p.lat - self.center.lat) * ky,
            (p.lon - self.center.lon) * kx,
        );
        (dy * dy + dx * dx).sqrt()
    }

    /// The latitude/longitude box around the circle.
    pub fn bounds(&self) -> Bbox {
        let (ky, kx) = self.scale();
        let (dlat, dlon) = (self.radius_km / ky, self.radius_km / kx);
        Bbox {
            west: (self.center.lon - dlon).max(-180.0),
            south: (self.center.lat - dlat).max(-90.0),
            east: (self.center.lon + dlon).min(180.0),
            north: (self.center.lat + dlat).min(90.0),
        }
    }
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
    fn distances_on_the_plane_stay_close_to_the_great_circle() {
        let near = Near {
            center: SAINT_PAUL,
            radius_km: 100.0,
        };
        assert!(
            (near.distance_km(&SAINT_PIERRE) - SAINT_PAUL.distance_km(&SAINT_PIERRE)).abs() < 0.1
        );
        for bearing in 0..12 {
            let angle = (bearing as f64 * 30.0).to_radians();
            let p = Point {
                lat: SAINT_PAUL.lat + 0.04 * angle.cos(),
                lon: SAINT_PAUL.lon + 0.04 * angle.sin(),
            };
            let (plane, sphere) = (near.distance_km(&p), SAINT_PAUL.distance_km(&p));
            assert!(
                (plane - sphere).abs() / sphere < 0.001,
                "{plane} vs {sphere}"
            );
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
            let (ky, kx) = near.scale();
            let p = Point {
                lat: SAINT_PAUL.lat + 9.999 / ky * angle.cos(),
                lon: SAINT_PAUL.lon + 9.999 / kx * angle.sin(),
            };
            assert!(near.distance_km(&p) <= 10.0);
            assert!(b.contains(&p));
        }
        assert!(!b.contains(&SAINT_PIERRE));
    }
}
