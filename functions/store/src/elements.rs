//! Elements, their tags and their links.

use crate::search::Arg;

/// An element query: each element with its commune's name (kept on the row) and its link
/// counts, then the tail.
macro_rules! element_query {
    ($tail:literal) => {
        concat!(
            "SELECT e.id, e.slug, e.kind, e.type, e.name, e.short_description, e.description, e.tags, \
             e.street, e.postal_code, e.commune_code, e.commune_name, e.departement, e.region, \
             e.lat, e.lon, e.start_at, e.end_at, e.all_day, e.stage, e.section, e.price_cents, \
             e.currency, e.contact, e.category, e.url, e.email, e.phone, e.opening_hours, \
             e.accessibility, e.source_name, e.source_url, e.licence, e.open_edition, \
             e.requires_approval, e.created_at, e.updated_at, \
             (SELECT count(*) FROM link l WHERE l.element_id = e.id AND l.kind = 'follow') AS followers, \
             (SELECT count(*) FROM link l WHERE l.element_id = e.id AND l.kind = 'member' AND l.pending = 0) AS members, \
             (SELECT json_group_array(json_object('id', p.id, 'element_id', p.element_id, \
               'role', p.role, 'format', p.format, 'width', p.width, 'height', p.height, \
               'small_width', p.small_width, 'small_height', p.small_height, 'alt', p.alt, \
               'bytes', p.bytes, 'author_id', p.author_id, 'created_at', p.created_at)) \
               FROM picture p WHERE p.element_id = e.id) AS pictures \
             FROM element e ",
            $tail
        )
    };
}

/// ?1 id or slug
pub const BY_ID_OR_SLUG: &str = element_query!("WHERE e.id = ?1 OR e.slug = ?1");

/// Every element, for the static build.
pub const ALL: &str = element_query!("ORDER BY e.id");

/// The most recently changed elements, for the pages the static build writes. ?1 limit
pub const RECENT: &str = element_query!("ORDER BY e.updated_at DESC, e.id LIMIT ?1");

/// The slugs already taken by `base` and `base-N`. ?1 base
pub const SLUGS_LIKE: &str =
    "SELECT slug FROM element WHERE slug = ?1 OR (slug > ?1 || '-' AND slug < ?1 || '.')";

/// ?1 id, ?2 slug, ?3 kind, ?4 type, ?5 name, ?6 short_description, ?7 description, ?8 tags (JSON),
/// ?9 street, ?10 postal_code, ?11 commune_code, ?12 departement, ?13 region, ?14 lat, ?15 lon,
/// ?16 geohash, ?17 start_at, ?18 end_at, ?19 all_day, ?20 stage, ?21 section, ?22 price_cents,
/// ?23 currency, ?24 contact, ?25 category, ?26 url, ?27 email, ?28 phone, ?29 open_edition,
/// ?30 requires_approval, ?31 creator_id, ?32 now, ?33 opening_hours (JSON), ?34 accessibility
pub const INSERT: &str = "INSERT INTO element (id, slug, kind, type, name, short_description, description, \
     tags, street, postal_code, commune_code, departement, region, lat, lon, geohash, start_at, end_at, \
     all_day, stage, section, price_cents, currency, contact, category, url, email, phone, open_edition, \
     requires_approval, creator_id, created_at, updated_at, opening_hours, accessibility) VALUES (?1, ?2, \
     ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, \
     ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?32, ?33, ?34)";

/// The same parameters as `INSERT` but ?2 (slug), ?3 (kind) and ?31 (creator) are unused:
/// neither changes after creation.
pub const UPDATE: &str = "UPDATE element SET type = ?4, name = ?5, short_description = ?6, \
     description = ?7, tags = ?8, street = ?9, postal_code = ?10, commune_code = ?11, departement = ?12, \
     region = ?13, lat = ?14, lon = ?15, geohash = ?16, start_at = ?17, end_at = ?18, all_day = ?19, \
     stage = ?20, section = ?21, price_cents = ?22, currency = ?23, contact = ?24, category = ?25, \
     url = ?26, email = ?27, phone = ?28, open_edition = ?29, requires_approval = ?30, updated_at = ?32, \
     opening_hours = ?33, accessibility = ?34 WHERE id = ?1";

/// Everything written about one element by `INSERT` or `UPDATE` (and its tags), with the
/// arguments in the order the statements take them.
pub struct Write<'a> {
    pub id: &'a str,
    pub slug: &'a str,
    pub data: &'a domain::element::input::ElementData,
    pub departement: Option<&'a str>,
    pub region: Option<&'a str>,
    pub geohash: Option<String>,
    pub creator: Option<&'a str>,
    pub now: i64,
}

impl Write<'_> {
    /// The 34 arguments of `INSERT` and `UPDATE`.
    pub fn args(&self) -> Vec<Arg> {
        let d = self.data;
        let text = |v: &str| Arg::Text(v.to_string());
        let opt_text = |v: Option<&str>| v.map_or(Arg::Null, |v| Arg::Text(v.to_string()));
        let opt_int = |v: Option<i64>| v.map_or(Arg::Null, Arg::Int);
        let real = |v: Option<f64>| v.map_or(Arg::Null, Arg::Real);
        let tags = serde_json::to_string(&d.tags).unwrap_or_else(|_| "[]".into());
        let hours = (!d.opening_hours.is_empty())
            .then(|| serde_json::to_string(&d.opening_hours).unwrap_or_default());
        vec![
            text(self.id),
            text(self.slug),
            text(d.kind().as_str()),
            opt_text(d.type_.as_deref()),
            text(&d.name),
            opt_text(d.short_description.as_deref()),
            opt_text(d.description.as_deref()),
            text(&tags),
            opt_text(d.street.as_deref()),
            opt_text(d.postal_code.as_deref()),
            text(&d.commune_code),
            opt_text(self.departement),
            opt_text(self.region),
            real(d.lat),
            real(d.lon),
            opt_text(self.geohash.as_deref()),
            opt_int(d.start),
            opt_int(d.end),
            Arg::Int(d.all_day as i64),
            opt_text(d.stage.as_deref()),
            opt_text(d.section.as_deref()),
            opt_int(d.price_cents),
            opt_text(d.currency.as_deref()),
            opt_text(d.contact.as_deref()),
            opt_text(d.category.as_deref()),
            opt_text(d.url.as_deref()),
            opt_text(d.email.as_deref()),
            opt_text(d.phone.as_deref()),
            Arg::Int(d.open_edition as i64),
            Arg::Int(d.requires_approval as i64),
            opt_text(self.creator),
            Arg::Int(self.now),
            opt_text(hours.as_deref()),
            opt_text(d.accessibility.as_deref()),
        ]
    }

    /// Its tags replaced: `DELETE_TAGS` then `INSERT_TAGS`, with their arguments.
    pub fn tags(&self) -> [(&'static str, Vec<Arg>); 2] {
        let keys = serde_json::to_string(&self.data.tag_keys()).unwrap_or_else(|_| "[]".into());
        [
            (DELETE_TAGS, vec![Arg::Text(self.id.into())]),
            (
                INSERT_TAGS,
                vec![Arg::Text(self.id.into()), Arg::Text(keys)],
            ),
        ]
    }
}

/// Tags and links go with it (foreign keys), the FTS row with it (trigger). ?1 id
pub const DELETE: &str = "DELETE FROM element WHERE id = ?1";

/// Replacing an element's tags: first this, then `INSERT_TAGS`. ?1 id
/// Every element of a benchmark volume (`make volume`, `make bench`): ids `vol_…`.
pub const DELETE_VOLUME: &str = r"DELETE FROM element WHERE id LIKE 'vol\_%' ESCAPE '\'";

pub const DELETE_TAGS: &str = "DELETE FROM element_tag WHERE element_id = ?1";

/// ?1 id, ?2 folded tags as a JSON array
pub const INSERT_TAGS: &str =
    "INSERT OR IGNORE INTO element_tag (tag, element_id) SELECT value, ?1 FROM json_each(?2)";

/// The commune an element is placed in, with its département, région and position; its postal
/// code must be one of the commune's (Lyon's are its arrondissements').
/// ?1 commune code, ?2 postal code or NULL
pub const COMMUNE_FOR_ELEMENT: &str = "SELECT z.departement, z.region, z.lat, z.lon, \
     (?2 IS NULL OR EXISTS (SELECT 1 FROM zone_postal p WHERE p.postal_code = ?2 AND p.commune_code = ?1) \
      OR EXISTS (SELECT 1 FROM zone a JOIN zone_postal p ON p.commune_code = a.code \
                 WHERE a.parent = ?1 AND p.postal_code = ?2)) \
     AS postal_ok FROM zone z WHERE z.id = 'commune:' || ?1";

/// A person's relation to an element. ?1 element id, ?2 person id
pub const RELATION: &str = "SELECT coalesce(max(kind = 'member' AND pending = 0), 0) AS member, \
     coalesce(max(kind = 'member' AND is_admin = 1 AND pending = 0), 0) AS admin, \
     coalesce(max(kind = 'follow'), 0) AS follows, coalesce(max(kind = 'member' AND pending = 1), 0) AS pending \
     FROM link WHERE element_id = ?1 AND person_id = ?2";

/// The creator becomes the element's first admin. ?1 element id, ?2 person id, ?3 now
pub const INSERT_CREATOR_ADMIN: &str = "INSERT INTO link (element_id, person_id, kind, is_admin, pending, roles, created_at) \
     VALUES (?1, ?2, 'member', 1, 0, '[]', ?3)";

/// The elements a person follows, belongs to, administers or asked to join, by name, each
/// with the relation (booleans as 0/1). ?1 person id
pub const LINKS_OF_PERSON: &str = "SELECT e.id, e.slug, e.kind, e.type, e.name, \
     e.commune_code, z.name AS commune_name, \
     max(l.kind = 'follow') AS follows, max(l.kind = 'member' AND l.pending = 0) AS member, \
     max(l.kind = 'member' AND l.is_admin = 1 AND l.pending = 0) AS admin, \
     max(l.kind = 'member' AND l.pending = 1) AS pending \
     FROM link l JOIN element e ON e.id = l.element_id \
     LEFT JOIN zone z ON z.id = 'commune:' || e.commune_code \
     WHERE l.person_id = ?1 GROUP BY e.id ORDER BY e.name, e.id LIMIT 500";

/// ?1 element id, ?2 person id, ?3 now
pub const FOLLOW: &str = "INSERT OR IGNORE INTO link (element_id, person_id, kind, created_at) \
     VALUES (?1, ?2, 'follow', ?3)";

/// ?1 element id, ?2 person id
pub const UNFOLLOW: &str =
    "DELETE FROM link WHERE element_id = ?1 AND person_id = ?2 AND kind = 'follow'";

/// Joins, or asks to (pending). Asking twice changes nothing. ?1 element id, ?2 person id, ?3 pending, ?4 now
pub const JOIN: &str = "INSERT OR IGNORE INTO link (element_id, person_id, kind, pending, created_at) \
     VALUES (?1, ?2, 'member', ?3, ?4)";

/// Leaves, unless the person is the element's last active admin (`domain::element::links`):
/// checked as it writes, so two last admins leaving at once cannot both go. The person's id back
/// when they left. ?1 element id, ?2 person id
pub const LEAVE: &str = "DELETE FROM link WHERE element_id = ?1 AND person_id = ?2 AND kind = 'member' \
     AND (is_admin = 0 OR pending = 1 OR EXISTS (SELECT 1 FROM link o WHERE o.element_id = ?1 \
     AND o.kind = 'member' AND o.is_admin = 1 AND o.pending = 0 AND o.person_id <> ?2)) \
     RETURNING person_id";

/// Members, admins first. Names only: addresses stay private. ?1 element id
pub const MEMBERS: &str = "SELECT l.person_id, p.display_name, l.is_admin, l.pending, l.roles, l.created_at \
     FROM link l JOIN person p ON p.id = l.person_id \
     WHERE l.element_id = ?1 AND l.kind = 'member' ORDER BY l.is_admin DESC, l.pending, l.created_at";

/// Changes one member; NULL leaves a value. A change that takes an active admin's role away
/// (`is_admin` 0, `pending` 1) applies only if another active admin remains, checked as it
/// writes. The person's id back when it applied.
/// ?1 element id, ?2 person id, ?3 is_admin, ?4 pending, ?5 roles (JSON)
pub const UPDATE_MEMBER: &str = "UPDATE link SET is_admin = coalesce(?3, is_admin), \
     pending = coalesce(?4, pending), roles = coalesce(?5, roles) \
     WHERE element_id = ?1 AND person_id = ?2 AND kind = 'member' \
     AND ((coalesce(?3, 1) = 1 AND coalesce(?4, 0) = 0) OR is_admin = 0 OR pending = 1 \
     OR EXISTS (SELECT 1 FROM link o WHERE o.element_id = ?1 AND o.kind = 'member' \
     AND o.is_admin = 1 AND o.pending = 0 AND o.person_id <> ?2)) RETURNING person_id";

/// The head of a multi-row insert of demonstration or imported elements (rows appended by the
/// seed); existing ids are left alone, so loading twice adds nothing.
pub const SEED_HEAD: &str = "INSERT INTO element (id, slug, kind, type, name, short_description, tags, \
     postal_code, commune_code, departement, region, lat, lon, geohash, start_at, end_at, stage, \
     section, price_cents, currency, contact, category, created_at, updated_at) VALUES ";
pub const SEED_TAIL: &str = " ON CONFLICT DO NOTHING;";
/// The head of a multi-row insert of folded tags; rows appended by the seed.
pub const SEED_TAGS_HEAD: &str = "INSERT OR IGNORE INTO element_tag (tag, element_id) VALUES ";

/// Where an element's commune puts it, and whether its postal code is the commune's.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct Placement {
    pub departement: Option<String>,
    pub region: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    #[serde(deserialize_with = "domain::row::flag")]
    pub postal_ok: bool,
}

/// A slug in use.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Slug {
    pub slug: String,
}

/// A person's relation to an element.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
pub struct RelationRow {
    #[serde(deserialize_with = "domain::row::flag")]
    pub member: bool,
    #[serde(deserialize_with = "domain::row::flag")]
    pub admin: bool,
    #[serde(deserialize_with = "domain::row::flag")]
    pub follows: bool,
    #[serde(deserialize_with = "domain::row::flag")]
    pub pending: bool,
}

impl RelationRow {
    /// The relation the permission rules judge (`access::decide`).
    pub fn links(&self) -> domain::access::Relation {
        domain::access::Relation {
            element_admin: self.admin,
            member: self.member,
            author: false,
        }
    }

    pub fn membership(&self) -> domain::element::Membership {
        domain::element::Membership {
            member: self.member,
            admin: self.admin,
        }
    }
}

/// A member, as the element's admins see them (names only).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct MemberRow {
    pub person_id: String,
    pub display_name: Option<String>,
    #[serde(deserialize_with = "domain::row::flag")]
    pub is_admin: bool,
    #[serde(deserialize_with = "domain::row::flag")]
    pub pending: bool,
    pub roles: String,
    pub created_at: i64,
}

/// A person's row a statement gave back when it applied.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct PersonId {
    pub person_id: String,
}

/// What a person does about an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkChange {
    Follow,
    Unfollow,
    /// Joins, or asks to when the element's admins approve members.
    Join {
        requires_approval: bool,
    },
    /// Leaves, unless they are its last active admin.
    Leave,
}

/// An element's reads and its people, bound and decoded (its writes are `Write`).
pub mod element {
    use super::*;
    use crate::db::{Query, Statement, int, opt_text, text};
    use domain::element::view::ElementRow;
    use domain::space::LinkRow;

    pub fn by_id_or_slug(key: &str) -> Query<ElementRow> {
        Query::new(BY_ID_OR_SLUG, vec![text(key)])
    }

    /// The commune's zones and position, and whether `postal_code` is one of its own.
    pub fn placement(commune: &str, postal_code: Option<&str>) -> Query<Placement> {
        Query::new(
            COMMUNE_FOR_ELEMENT,
            vec![text(commune), opt_text(postal_code)],
        )
    }

    pub fn slugs_like(base: &str) -> Query<Slug> {
        Query::new(SLUGS_LIKE, vec![text(base)])
    }

    pub fn delete(id: &str) -> Statement {
        Statement::new(DELETE, vec![text(id)])
    }

    /// The creator becomes the element's first admin.
    pub fn creator_admin(id: &str, creator: &str, now: i64) -> Statement {
        Statement::new(
            INSERT_CREATOR_ADMIN,
            vec![text(id), text(creator), int(now)],
        )
    }

    /// A person follows, unfollows, joins or leaves; a leave gives the person back when it
    /// applied (the others give nothing).
    pub fn link(id: &str, person: &str, change: LinkChange, now: i64) -> Query<PersonId> {
        let (element, person) = (text(id), text(person));
        match change {
            LinkChange::Follow => Query::new(FOLLOW, vec![element, person, int(now)]),
            LinkChange::Unfollow => Query::new(UNFOLLOW, vec![element, person]),
            LinkChange::Join { requires_approval } => {
                let pending = int(i64::from(requires_approval));
                Query::new(JOIN, vec![element, person, pending, int(now)])
            }
            LinkChange::Leave => Query::new(LEAVE, vec![element, person]),
        }
    }

    pub fn relation(id: &str, person: &str) -> Query<RelationRow> {
        Query::new(RELATION, vec![text(id), text(person)])
    }

    /// The elements a person is linked to, by name.
    pub fn links_of(person: &str) -> Query<LinkRow> {
        Query::new(LINKS_OF_PERSON, vec![text(person)])
    }

    pub fn members(id: &str) -> Query<MemberRow> {
        Query::new(MEMBERS, vec![text(id)])
    }

    /// Changes a member (None leaves a value); the person back when it applied.
    pub fn update_member(
        id: &str,
        person: &str,
        is_admin: Option<bool>,
        pending: Option<bool>,
        roles: Option<&str>,
    ) -> Query<PersonId> {
        let flag = |b: Option<bool>| b.map_or(crate::search::Arg::Null, |b| int(i64::from(b)));
        let args = vec![
            text(id),
            text(person),
            flag(is_admin),
            flag(pending),
            opt_text(roles),
        ];
        Query::new(UPDATE_MEMBER, args)
    }
}
