//! A commune's contour: the shape that decides which commune a point lies in (no outside
//! geocoder), drawn on its page and served as GeoJSON. Stored as a GeoJSON MultiPolygon with
//! coordinates to 5 decimals (about a metre); the geometry itself is the `geo` crate's.

use super::{Bbox, Near, Point, cover};
use geo::{
    BoundingRect, Contains, Coord, Distance, Euclidean, InteriorPoint, Intersects, LineString,
    MapCoords, MultiPolygon, Polygon, Rect, SimplifyVwPreserve,
};
use serde::{Deserialize, Serialize};

/// Decimals kept in stored coordinates: 1e-5 degree is about 1.1 m, far below the tolerance
/// of the simplification.
const DECIMALS: f64 = 1e5;

/// A point outside every candidate contour but this close to one is taken to lie in it: a
/// simplified border leaves slivers between neighbours (a few tens of metres at most).
pub const BORDER_SLACK_KM: f64 = 0.3;

#[derive(Debug, Clone, PartialEq)]
pub struct Contour(MultiPolygon<f64>);

/// The GeoJSON geometry as stored: always a MultiPolygon.
#[derive(Serialize, Deserialize)]
struct Stored {
    #[serde(rename = "type")]
    kind: String,
    coordinates: Vec<Vec<Vec<[f64; 2]>>>,
}

impl Contour {
    pub fn new(shape: MultiPolygon<f64>) -> Contour {
        Contour(shape)
    }

    /// Reads a stored GeoJSON geometry (MultiPolygon, or a Polygon); None when it is not one.
    pub fn from_geojson(text: &str) -> Option<Contour> {
        let value: serde_json::Value = serde_json::from_str(text).ok()?;
        let polygons: Vec<Vec<Vec<[f64; 2]>>> = match value["type"].as_str()? {
            "MultiPolygon" => serde_json::from_value(value["coordinates"].clone()).ok()?,
            "Polygon" => vec![serde_json::from_value(value["coordinates"].clone()).ok()?],
            _ => return None,
        };
        let ring = |points: Vec<[f64; 2]>| {
            LineString::from(
                points
                    .into_iter()
                    .map(|[x, y]| Coord { x, y })
                    .collect::<Vec<_>>(),
            )
        };
        let shape = polygons
            .into_iter()
            .filter(|rings| !rings.is_empty())
            .map(|mut rings| {
                let exterior = ring(rings.remove(0));
                Polygon::new(exterior, rings.into_iter().map(ring).collect())
            })
            .collect::<Vec<_>>();
        (!shape.is_empty()).then_some(Contour(MultiPolygon(shape)))
    }

    /// One contour from the parts of a commune (its communes déléguées, where the data has no
    /// contour for the whole): their union, inner borders gone.
    pub fn union(parts: &[Contour]) -> Option<Contour> {
        let polygons: Vec<&Polygon<f64>> = parts.iter().flat_map(|c| c.0.iter()).collect();
        (!polygons.is_empty()).then(|| Contour(geo::unary_union(polygons)))
    }

    /// The stored form: a GeoJSON MultiPolygon, coordinates rounded to 5 decimals.
    pub fn to_geojson(&self) -> String {
        let round = |v: f64| (v * DECIMALS).round() / DECIMALS;
        let ring = |line: &LineString<f64>| {
            line.coords()
                .map(|c| [round(c.x), round(c.y)])
                .collect::<Vec<_>>()
        };
        let stored = Stored {
            kind: "MultiPolygon".into(),
            coordinates: self
                .0
                .iter()
                .map(|p| {
                    std::iter::once(p.exterior())
                        .chain(p.interiors())
                        .map(ring)
                        .collect()
                })
                .collect(),
        };
        serde_json::to_string(&stored).unwrap_or_default()
    }

    /// The same contour with the points that change it by less than `tolerance` degrees (of
    /// area, Visvalingam–Whyatt) removed, each ring kept valid.
    pub fn simplified(&self, tolerance: f64) -> Contour {
        Contour(self.0.simplify_vw_preserve(tolerance))
    }

    pub fn points(&self) -> usize {
        self.0
            .iter()
            .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
            .sum()
    }

    pub fn contains(&self, p: &Point) -> bool {
        self.0.contains(&Coord { x: p.lon, y: p.lat })
    }

    /// How far the point is from the border, in km (on the plane around the point).
    pub fn border_distance_km(&self, p: &Point) -> f64 {
        let local = self.around(p);
        let origin = geo::Point::new(0.0, 0.0);
        local
            .iter()
            .flat_map(|polygon| std::iter::once(polygon.exterior()).chain(polygon.interiors()))
            .map(|ring| Euclidean.distance(&origin, ring))
            .fold(f64::INFINITY, f64::min)
    }

    /// The contour on the plane around `p` (km, `p` at the origin), where distances are
    /// measured as `Near` measures them.
    fn around(&self, p: &Point) -> MultiPolygon<f64> {
        let (ky, kx) = Near {
            center: *p,
            radius_km: 1.0,
        }
        .scale();
        self.0.map_coords(|c| Coord {
            x: (c.x - p.lon) * kx,
            y: (c.y - p.lat) * ky,
        })
    }

    /// A point surely inside (where a commune has no town hall to stand for it).
    pub fn inside_point(&self) -> Option<Point> {
        let p = self.0.interior_point()?;
        Some(Point {
            lat: p.y(),
            lon: p.x(),
        })
    }

    pub fn bounds(&self) -> Option<Bbox> {
        let rect = self.0.bounding_rect()?;
        Some(Bbox {
            west: rect.min().x,
            south: rect.min().y,
            east: rect.max().x,
            north: rect.max().y,
        })
    }

    /// The geohash cells that hold some of the contour (`cover::zone_cells`): the rows that find
    /// it as a candidate for a point (`lookup_cells`).
    pub fn cells(&self) -> Vec<String> {
        let Some(bounds) = self.bounds() else {
            return Vec::new();
        };
        cover::zone_cells(&bounds, |cell: &Bbox| {
            let rect = Rect::new(
                Coord {
                    x: cell.west,
                    y: cell.south,
                },
                Coord {
                    x: cell.east,
                    y: cell.north,
                },
            );
            self.0.intersects(&rect)
        })
    }
}

/// The cells a point may be found through: its geohash's prefixes, one of each length a
/// contour's cells may have.
pub fn lookup_cells(p: &Point) -> Vec<String> {
    let hash = p.geohash(cover::ZONE_PRECISION);
    (1..=hash.len()).map(|n| hash[..n].to_string()).collect()
}

/// Which of the candidates holds the point: the one it lies in (the deepest, should simplified
/// neighbours overlap), else the nearest within `BORDER_SLACK_KM` (a sliver between simplified
/// borders), else none. Distances to borders, the costly part, are measured only when
/// containment does not decide alone.
pub fn locate<'a, K: 'a>(
    p: &Point,
    candidates: impl IntoIterator<Item = &'a (K, Contour)>,
) -> Option<&'a K> {
    let candidates: Vec<&(K, Contour)> = candidates.into_iter().collect();
    let holding: Vec<&(K, Contour)> = candidates
        .iter()
        .copied()
        .filter(|(_, contour)| contour.contains(p))
        .collect();
    let by_distance = |found: &[&'a (K, Contour)], deepest: bool| {
        found
            .iter()
            .map(|(key, contour)| (key, contour.border_distance_km(p)))
            .filter(|(_, d)| deepest || *d <= BORDER_SLACK_KM)
            .max_by(|a, b| match deepest {
                true => a.1.total_cmp(&b.1),
                false => b.1.total_cmp(&a.1),
            })
            .map(|(key, _)| key)
    };
    match holding.as_slice() {
        [(key, _)] => Some(key),
        [] => by_distance(&candidates, false),
        several => by_distance(several, true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two squares side by side (west 0..1, east 1..2 in longitude, latitude 45..46), the
    /// western one with a hole: an enclave (0.4..0.6) that is a third commune.
    fn neighbours() -> Vec<(&'static str, Contour)> {
        let square = |w: f64, e: f64, s: f64, n: f64| vec![[w, s], [e, s], [e, n], [w, n], [w, s]];
        let west = format!(
            r#"{{"type":"Polygon","coordinates":[{:?},{:?}]}}"#,
            square(0.0, 1.0, 45.0, 46.0),
            square(0.4, 0.6, 45.4, 45.6)
        );
        let east = format!(
            r#"{{"type":"MultiPolygon","coordinates":[[{:?}]]}}"#,
            square(1.0, 2.0, 45.0, 46.0)
        );
        let enclave = format!(
            r#"{{"type":"Polygon","coordinates":[{:?}]}}"#,
            square(0.4, 0.6, 45.4, 45.6)
        );
        vec![
            ("west", Contour::from_geojson(&west).unwrap()),
            ("east", Contour::from_geojson(&east).unwrap()),
            ("enclave", Contour::from_geojson(&enclave).unwrap()),
        ]
    }

    fn at(lat: f64, lon: f64) -> Point {
        Point { lat, lon }
    }

    #[test]
    fn a_point_lies_in_the_contour_that_holds_it_even_in_an_enclave() {
        let zones = neighbours();
        assert_eq!(locate(&at(45.5, 0.2), &zones), Some(&"west"));
        assert_eq!(locate(&at(45.5, 1.5), &zones), Some(&"east"));
        assert_eq!(locate(&at(45.5, 0.5), &zones), Some(&"enclave"));
        // Just either side of the shared border.
        assert_eq!(locate(&at(45.5, 0.9999), &zones), Some(&"west"));
        assert_eq!(locate(&at(45.5, 1.0001), &zones), Some(&"east"));
    }

    #[test]
    fn a_sliver_outside_every_contour_goes_to_the_nearest_within_the_slack() {
        let zones = neighbours();
        // 100 m north of the western square (0.0009° of latitude).
        assert_eq!(locate(&at(46.0009, 0.2), &zones), Some(&"west"));
        // 2 km north: outside every zone.
        assert_eq!(locate(&at(46.02, 0.2), &zones), None);
        assert_eq!(locate::<&str>(&at(45.5, 0.2), &[]), None);
    }

    #[test]
    fn border_distances_are_kilometres() {
        let zones = neighbours();
        let east = &zones[1].1;
        // 0.1° of longitude at 45.5° N is about 7.8 km.
        let d = east.border_distance_km(&at(45.5, 1.1));
        assert!((d - 7.79).abs() < 0.05, "{d}");
        // The nearest border of the west square from its middle is the enclave's.
        let d = zones[0].1.border_distance_km(&at(45.5, 0.3));
        assert!(
            (d - 0.1 * 111.2 * 45.5f64.to_radians().cos()).abs() < 0.1,
            "{d}"
        );
    }

    #[test]
    fn the_stored_form_reads_back_the_same_rounded() {
        let zones = neighbours();
        for (_, contour) in &zones {
            let text = contour.to_geojson();
            assert!(text.starts_with(r#"{"type":"MultiPolygon","coordinates":[[[["#));
            assert_eq!(Contour::from_geojson(&text).as_ref(), Some(contour));
        }
        let odd = Contour::from_geojson(
            r#"{"type":"Polygon","coordinates":[[[0.123456789,1],[1,1],[1,2],[0.123456789,1]]]}"#,
        )
        .unwrap();
        assert!(odd.to_geojson().contains("[0.12346,1.0]"));
        for bad in ["", "{}", r#"{"type":"Point","coordinates":[1,2]}"#, "[1]"] {
            assert_eq!(Contour::from_geojson(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_point_inside_is_inside_and_cells_find_it() {
        for (_, contour) in neighbours() {
            let inside = contour.inside_point().unwrap();
            assert!(contour.contains(&inside));
            let cells = contour.cells();
            assert!(!cells.is_empty() && cells.len() <= 32, "{cells:?}");
            let lookup = lookup_cells(&inside);
            assert!(cells.iter().any(|c| lookup.contains(c)), "{cells:?}");
        }
    }

    #[test]
    fn parts_side_by_side_make_one_contour() {
        let zones = neighbours();
        let both =
            Contour::union(&[zones[0].1.clone(), zones[1].1.clone(), zones[2].1.clone()]).unwrap();
        assert_eq!(both.0.0.len(), 1, "one polygon: {both:?}");
        assert!(both.contains(&at(45.5, 0.5)) && both.contains(&at(45.5, 1.5)));
        // The shared border is gone: its middle is deep inside.
        assert!(both.border_distance_km(&at(45.5, 1.0)) > 30.0);
        assert_eq!(Contour::union(&[]), None);
    }

    #[test]
    fn simplifying_drops_points_that_change_little_and_keeps_the_shape() {
        // A square whose sides carry many nearly aligned points.
        let mut ring: Vec<[f64; 2]> = (0..100)
            .map(|i| [i as f64 / 100.0, 45.0 + if i % 2 == 0 { 0.0 } else { 1e-6 }])
            .collect();
        ring.extend([[1.0, 45.0], [1.0, 46.0], [0.0, 46.0], [0.0, 45.0]]);
        let contour =
            Contour::from_geojson(&format!(r#"{{"type":"Polygon","coordinates":[{ring:?}]}}"#))
                .unwrap();
        let simple = contour.simplified(1e-6);
        assert!(simple.points() < 10, "{}", simple.points());
        assert!(simple.contains(&at(45.5, 0.5)));
        assert!(!simple.contains(&at(46.1, 0.5)));
    }
}
