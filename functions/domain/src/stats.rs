//! The public counters of the instance, in the spirit of Communecter's home page
//! ("14 338 citoyens, 8 670 associations, 5 075 entreprises…").

use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize)]
pub struct TallyRow {
    pub key: String,
    pub n: i64,
}

#[derive(Debug, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub citizens: i64,
    pub associations: i64,
    pub businesses: i64,
    pub groups: i64,
    pub public_services: i64,
    pub cooperatives: i64,
    pub projects: i64,
    pub events: i64,
    pub places: i64,
    pub classifieds: i64,
}

impl Stats {
    pub fn from_rows(rows: &[TallyRow]) -> Stats {
        let get = |key: &str| rows.iter().find(|r| r.key == key).map_or(0, |r| r.n.max(0));
        Stats {
            citizens: get("person"),
            associations: get("type:NGO"),
            businesses: get("type:LocalBusiness"),
            groups: get("type:Group"),
            public_services: get("type:GovernmentOrganization"),
            cooperatives: get("type:Cooperative"),
            projects: get("kind:project"),
            events: get("kind:event"),
            places: get("kind:poi"),
            classifieds: get("kind:classified"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_map_to_the_home_page_words() {
        let rows = vec![
            TallyRow {
                key: "person".into(),
                n: 14_338,
            },
            TallyRow {
                key: "type:NGO".into(),
                n: 8_670,
            },
            TallyRow {
                key: "type:GovernmentOrganization".into(),
                n: 877,
            },
            TallyRow {
                key: "kind:poi".into(),
                n: -1,
            },
        ];
        let stats = Stats::from_rows(&rows);
        assert_eq!(
            (stats.citizens, stats.associations, stats.public_services),
            (14_338, 8_670, 877)
        );
        assert_eq!((stats.businesses, stats.places), (0, 0));
    }
}
