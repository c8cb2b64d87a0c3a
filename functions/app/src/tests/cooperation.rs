//! The cooperative space through the application: who opens proposals, amendments and their
//! votes, one counted ballot per person, secret ballots and their receipts, resolutions and
//! their actions, moderation by reports, the closing by the scheduled run, and the pages with
//! their plain HTML forms. The clock is moved by serving the same database with a later one.

use super::{Answer, NOW, app_on, call, get, seeded, signed_in, write};
use crate::App;
use crate::ports::Clock;
use serde_json::{Value, json};
use std::sync::Arc;
use store::db::Statement;
use store::search::Arg::{Int, Text};

const HOUR: i64 = 3600;

/// A clock at a given time.
struct At(i64);

impl Clock for At {
    fn now(&self) -> i64 {
        self.0
    }
}

/// The same application and database, `seconds` later.
fn later(app: &App, seconds: i64) -> App {
    App {
        clock: Arc::new(At(NOW + seconds)),
        ..app.clone()
    }
}

/// Moves a proposal's times back, as the API tests do: `amend` ends the amendments and opens
/// the vote, `vote` ends the vote (sessions stay alive, unlike with a later clock).
async fn set_times(app: &App, id: &str, amend: Option<i64>, vote: Option<i64>) {
    let sql = "UPDATE proposal SET amend_until = coalesce(?1, amend_until), \
               vote_from = coalesce(?1, vote_from), vote_until = coalesce(?2, vote_until) \
               WHERE id = ?3";
    let at = |t: Option<i64>| t.map_or(store::search::Arg::Null, |t| Int(NOW + t));
    let args = vec![at(amend), at(vote), Text(id.into())];
    app.db
        .all(Statement::new(sql, args))
        .await
        .expect("times set");
}

/// Ana looks after the seeded organization `vrac`, Bruno belongs to it, Carla is only signed
/// in, and the instance's admin is admin@communs.test.
struct People {
    app: App,
    ana: String,
    bruno: String,
    carla: String,
    admin: String,
}

fn people() -> People {
    let mut db = seeded();
    let ana = signed_in(&mut db, "ana@example.org");
    let bruno = signed_in(&mut db, "bruno@example.org");
    let carla = signed_in(&mut db, "carla@example.org");
    let admin = signed_in(&mut db, "admin@communs.test");
    let links = [
        (
            store::elements::INSERT_CREATOR_ADMIN,
            vec![Text("vrac".into()), Text("p_ana".into()), Int(NOW)],
        ),
        (
            store::elements::JOIN,
            vec![
                Text("vrac".into()),
                Text("p_bruno".into()),
                Int(0),
                Int(NOW),
            ],
        ),
    ];
    store::native::batch(&mut db, &links).expect("links");
    let app = app_on(db, &[("ADMIN_EMAILS", "admin@communs.test")]);
    People {
        app,
        ana,
        bruno,
        carla,
        admin,
    }
}

fn at(seconds: i64) -> String {
    domain::time::rfc3339(NOW + seconds)
}

/// A proposal's body: a motion in `community` voted until two days from now, with `more`.
fn proposal(community: &str, title: &str, more: Value) -> String {
    let mut body = json!({
        "community": community, "title": title, "method": "motion", "vote_until": at(48 * HOUR),
    });
    for (key, value) in more.as_object().into_iter().flatten() {
        body[key] = value.clone();
    }
    body.to_string()
}

/// Opens a proposal as `cookie`, or fails the test.
async fn open(app: &App, cookie: &str, body: &str) -> Value {
    let answer = write(app, "POST", "/api/proposals", cookie, body).await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    answer.json()
}

fn id(value: &Value) -> String {
    value["id"].as_str().expect("an id").to_string()
}

async fn ballot(app: &App, cookie: &str, id: &str, body: Value) -> Answer {
    let path = format!("/api/proposals/{id}/ballot");
    write(app, "POST", &path, cookie, &body.to_string()).await
}

async fn read(app: &App, path: &str, cookie: &str) -> Value {
    call(app, "GET", path, &[("Cookie", cookie)], "")
        .await
        .json()
}

fn field(answer: &Answer) -> Value {
    answer.json()["error"]["field"].clone()
}

#[pollster::test]
async fn members_and_admins_open_proposals_in_their_element_and_admins_in_the_instance() {
    let p = people();
    let app = &p.app;
    let saturday = proposal("vrac", "Ouvrir le samedi", json!({}));
    assert_eq!(
        write(app, "POST", "/api/proposals", "", &saturday)
            .await
            .status,
        401
    );
    let outsider = write(app, "POST", "/api/proposals", &p.carla, &saturday).await;
    assert_eq!(outsider.status, 403);
    let opened = open(app, &p.bruno, &saturday).await;
    assert_eq!(
        (&opened["community"], &opened["phase"], &opened["url"]),
        (
            &json!("vrac"),
            &json!("voting"),
            &json!(format!("/propositions/{}/", id(&opened)))
        )
    );
    assert_eq!(opened["versions"].as_array().map(Vec::len), Some(1));

    let instance = proposal("instance", "Heure de la réunion", json!({}));
    let member = write(app, "POST", "/api/proposals", &p.bruno, &instance).await;
    assert_eq!(member.status, 403, "not a donor nor an admin");
    open(app, &p.admin, &instance).await;
    // A gift confirmed this year makes Carla a donor, who opens the instance's proposals too.
    let gift = "INSERT INTO donation (id, person_id, amount_cents, currency, recurring, status, \
         provider, created_at, confirmed_at) VALUES ('d1', 'p_carla', 1000, 'EUR', 'none', \
         'confirmed', 'manual', ?1, ?1)";
    let given = app.db.all(Statement::new(gift, vec![Int(NOW)])).await;
    assert!(given.is_ok());
    let by_donor = proposal("instance", "Fête de quartier", json!({}));
    open(app, &p.carla, &by_donor).await;

    let nowhere = proposal("nulle-part", "Ouvrir le samedi", json!({}));
    let unknown = write(app, "POST", "/api/proposals", &p.ana, &nowhere).await;
    assert_eq!((unknown.status, field(&unknown)), (400, json!("community")));
    let short = proposal("vrac", "Ok", json!({}));
    let titled = write(app, "POST", "/api/proposals", &p.ana, &short).await;
    assert_eq!((titled.status, field(&titled)), (400, json!("title")));
    let untimed = json!({"community": "vrac", "title": "Sans fin", "method": "motion"});
    let endless = write(app, "POST", "/api/proposals", &p.ana, &untimed.to_string()).await;
    assert_eq!(
        (endless.status, field(&endless)),
        (400, json!("vote_until"))
    );

    let listed = get(app, "/api/proposals?community=vrac&phase=voting")
        .await
        .json();
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));
    let closed = get(app, "/api/proposals?community=vrac&phase=closed")
        .await
        .json();
    assert_eq!(closed["items"], json!([]));
    assert_eq!(get(app, "/api/proposals?phase=ouverte").await.status, 400);
    assert_eq!(get(app, "/api/proposals/pr_inconnue").await.status, 404);
}

#[pollster::test]
async fn one_person_one_vote_a_second_ballot_replaces_when_allowed_and_never_adds() {
    let p = people();
    let app = &p.app;
    let more = json!({"can_change_vote": true, "eligibility": "members"});
    let changeable = id(&open(app, &p.ana, &proposal("vrac", "Repeindre", more)).await);
    assert_eq!(
        ballot(app, "", &changeable, json!({"value": "for"}))
            .await
            .status,
        401
    );
    let outsider = ballot(app, &p.carla, &changeable, json!({"value": "for"})).await;
    assert_eq!(outsider.status, 403, "a non-member is refused");
    let bad = ballot(app, &p.bruno, &changeable, json!({"value": "peut-être"})).await;
    assert_eq!((bad.status, field(&bad)), (400, json!("value")));
    let first = ballot(app, &p.bruno, &changeable, json!({"value": "for"})).await;
    assert_eq!(first.json()["replaced"], Value::Null, "{}", first.body);
    let second = ballot(app, &p.bruno, &changeable, json!({"value": "against"})).await;
    assert_eq!(
        (second.status, &second.json()["replaced"]),
        (200, &json!(true))
    );
    let path = format!("/api/proposals/{changeable}");
    let live = read(app, &path, &p.bruno).await;
    assert_eq!(live["results"]["ballots"], 1, "{live}");
    assert_eq!(live["results"]["tallies"]["against"], 1);
    assert_eq!(live["you_took_part"], true);

    let fixed = id(&open(app, &p.ana, &proposal("vrac", "Fermer le lundi", json!({}))).await);
    assert_eq!(
        ballot(app, &p.bruno, &fixed, json!({"value": "for"}))
            .await
            .status,
        200
    );
    let again = ballot(app, &p.bruno, &fixed, json!({"value": "against"})).await;
    assert_eq!((again.status, field(&again)), (409, json!("ballot")));
    let results = read(app, &format!("/api/proposals/{fixed}"), "").await["results"].clone();
    assert_eq!(
        (&results["ballots"], &results["tallies"]["for"]),
        (&json!(1), &json!(1))
    );
}

#[pollster::test]
async fn a_secret_ballot_gives_a_receipt_that_checks_and_replaces_it_and_results_wait() {
    let p = people();
    let app = &p.app;
    let more = json!({"method": "choice", "options": ["La Poste", "La gare"], "secret": true,
                      "can_change_vote": true, "eligibility": "verified"});
    let id = id(&open(app, &p.admin, &proposal("instance", "Quel local ?", more)).await);
    let cast = ballot(app, &p.bruno, &id, json!({"option": "La Poste"})).await;
    let receipt = cast.json()["receipt"].as_str().unwrap().to_string();
    assert!(receipt.len() >= 40, "{receipt}");
    assert_eq!(
        ballot(app, &p.carla, &id, json!({"option": "La gare"}))
            .await
            .status,
        200
    );
    let twice = ballot(app, &p.bruno, &id, json!({"option": "La gare"})).await;
    assert_eq!(twice.status, 409, "a second ballot needs the receipt");
    let during = read(app, &format!("/api/proposals/{id}"), &p.bruno).await;
    assert_eq!(
        (&during["results"], &during["you_took_part"]),
        (&Value::Null, &json!(true))
    );

    let check = |r: &str| format!("/api/proposals/{id}/receipt/{r}");
    assert_eq!(
        get(app, &check(&receipt)).await.json(),
        json!({"counted": true})
    );
    assert_eq!(
        get(app, &check("not-a-receipt")).await.json()["counted"],
        false
    );
    let body = json!({"receipt": receipt}).to_string();
    let posted = write(
        app,
        "POST",
        &format!("/api/proposals/{id}/receipt"),
        "",
        &body,
    )
    .await;
    assert_eq!(posted.json(), json!({"counted": true}));

    let replaced = ballot(
        app,
        &p.bruno,
        &id,
        json!({"option": "La gare", "receipt": receipt}),
    )
    .await;
    assert_eq!(
        (replaced.status, &replaced.json()["receipt"]),
        (200, &json!(receipt))
    );
    let forged = ballot(
        app,
        &p.bruno,
        &id,
        json!({"option": "La Poste", "receipt": "forged"}),
    )
    .await;
    assert_eq!((forged.status, field(&forged)), (404, json!("receipt")));

    let closed = read(&later(app, 49 * HOUR), &format!("/api/proposals/{id}"), "").await;
    assert_eq!(
        closed["results"]["tallies"]["counts"],
        json!([0, 2]),
        "{closed}"
    );
    assert_eq!(closed["results"]["winners"], json!(["La gare"]));
}

#[pollster::test]
async fn amendments_are_voted_once_each_and_an_adopted_one_becomes_the_text() {
    let p = people();
    let app = &p.app;
    let more = json!({"body": "Le local ouvre le samedi.", "amend_until": at(24 * HOUR),
                      "vote_from": at(24 * HOUR)});
    let id = id(&open(app, &p.ana, &proposal("vrac", "Ouvrir le samedi", more)).await);
    let early = ballot(app, &p.bruno, &id, json!({"value": "for"})).await;
    assert_eq!(
        (early.status, field(&early)),
        (409, json!("phase")),
        "no ballot before the text is final"
    );

    let amend = |cookie: &str, text: &str| {
        let path = format!("/api/proposals/{id}/amendments");
        let body = json!({"text": text, "reason": "Plus précis"}).to_string();
        let cookie = cookie.to_string();
        async move { write(app, "POST", &path, &cookie, &body).await }
    };
    let same = amend(&p.bruno, "Le local ouvre le samedi.").await;
    assert_eq!(
        (same.status, field(&same)),
        (400, json!("body")),
        "an unchanged text"
    );
    assert_eq!(
        amend(&p.carla, "Autre").await.status,
        403,
        "a non-member cannot amend"
    );
    let amended = amend(&p.bruno, "Le local ouvre le samedi matin.").await;
    assert_eq!(amended.status, 201, "{}", amended.body);
    let amendment = amended.json()["id"].as_str().unwrap().to_string();

    let vote = |cookie: &str, value: &str| {
        let path = format!("/api/amendments/{amendment}/vote");
        let body = json!({"value": value}).to_string();
        let cookie = cookie.to_string();
        async move { write(app, "POST", &path, &cookie, &body).await }
    };
    assert_eq!(
        vote(&p.carla, "for").await.status,
        403,
        "nor vote on amendments"
    );
    assert_eq!(vote(&p.ana, "for").await.status, 200);
    let first_api = format!("/api/proposals/{id}/amendments/{amendment}/votes");
    let bruno = write(app, "POST", &first_api, &p.bruno, r#"{"choice": "for"}"#).await;
    assert_eq!(bruno.json(), json!({"counted": true}));
    let twice = vote(&p.bruno, "against").await;
    assert_eq!(
        (twice.status, field(&twice)),
        (409, json!("value")),
        "once per person"
    );
    let unknown = write(
        app,
        "POST",
        "/api/amendments/am_x/vote",
        &p.bruno,
        r#"{"value": "for"}"#,
    );
    assert_eq!(unknown.await.status, 404);

    let voting = read(&later(app, 25 * HOUR), &format!("/api/proposals/{id}"), "").await;
    assert_eq!(voting["phase"], "voting");
    assert_eq!(voting["body"], "Le local ouvre le samedi matin.");
    assert_eq!(voting["amendments"][0]["status"], "adopted");
    assert_eq!(voting["amendments"][0]["for"], 2);
    let versions: Vec<&Value> = voting["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| &v["body"])
        .collect();
    assert_eq!(
        versions,
        [
            &json!("Le local ouvre le samedi."),
            &json!("Le local ouvre le samedi matin.")
        ]
    );
}

#[pollster::test]
async fn an_adopted_resolution_carries_actions_its_admins_steer_and_anyone_joins() {
    let p = people();
    let app = &p.app;
    let id = id(&open(
        app,
        &p.bruno,
        &proposal("vrac", "Repeindre le local", json!({})),
    )
    .await);
    assert_eq!(
        ballot(app, &p.bruno, &id, json!({"value": "for"}))
            .await
            .status,
        200
    );
    let add = |app: &App, cookie: &str| {
        let (app, path, cookie) = (
            app.clone(),
            format!("/api/proposals/{id}/actions"),
            cookie.to_string(),
        );
        async move {
            write(
                &app,
                "POST",
                &path,
                &cookie,
                r#"{"title": "Acheter la peinture"}"#,
            )
            .await
        }
    };
    let early = add(app, &p.bruno).await;
    assert_eq!(
        (early.status, field(&early)),
        (409, json!("resolution")),
        "not adopted yet"
    );

    set_times(app, &id, None, Some(-1)).await;
    let after = app.clone();
    assert_eq!(
        read(&after, &format!("/api/proposals/{id}"), "").await["results"]["outcome"],
        "adopted"
    );
    assert_eq!(
        add(&after, &p.carla).await.status,
        403,
        "neither an admin nor its author"
    );
    let short = write(
        &after,
        "POST",
        &format!("/api/proposals/{id}/actions"),
        &p.ana,
        r#"{"title": "Go"}"#,
    )
    .await;
    assert_eq!((short.status, field(&short)), (400, json!("title")));
    let action = add(&after, &p.ana).await.json();
    assert_eq!(action["status"], "todo");
    let path = format!("/api/actions/{}", action["id"].as_str().unwrap());
    let refused = write(&after, "PATCH", &path, &p.carla, r#"{"status": "done"}"#).await;
    assert_eq!(refused.status, 403);
    let unknown = write(&after, "PATCH", &path, &p.ana, r#"{"status": "fini"}"#).await;
    assert_eq!((unknown.status, field(&unknown)), (400, json!("status")));
    let joined = write(&after, "PATCH", &path, &p.carla, r#"{"contribute": true}"#).await;
    assert_eq!(joined.json()[0]["contributors"], 1, "{}", joined.body);
    let moved = write(
        &after,
        "PATCH",
        &path,
        &p.bruno,
        r#"{"status": "in_progress"}"#,
    )
    .await;
    assert_eq!(
        moved.json()[0]["status"],
        "in_progress",
        "its author moves it"
    );
    let shown = read(&after, &format!("/api/proposals/{id}"), "").await;
    assert_eq!(shown["actions"][0]["title"], "Acheter la peinture");
    assert_eq!(
        write(&after, "PATCH", "/api/actions/ac_x", &p.ana, "{}")
            .await
            .status,
        404
    );
}

#[pollster::test]
async fn three_reports_open_a_secret_75_percent_motion_that_hides_the_post_once_adopted() {
    let p = people();
    let app = &p.app;
    let text = json!({"scope": "commune:97415", "text": "Message injurieux"}).to_string();
    let posted = write(app, "POST", "/api/posts", &p.carla, &text)
        .await
        .json();
    let path = format!("/api/posts/{}/reports", posted["id"].as_str().unwrap());
    let report = |cookie: &str| {
        let (path, cookie) = (path.clone(), cookie.to_string());
        async move { write(app, "POST", &path, &cookie, "").await }
    };
    assert_eq!(report("").await.status, 401);
    assert_eq!(
        report(&p.ana).await.json(),
        json!({"reports": 1, "motion": null})
    );
    assert_eq!(
        report(&p.ana).await.json()["reports"],
        1,
        "one report per person"
    );
    assert_eq!(report(&p.bruno).await.json()["motion"], Value::Null);
    let third = report(&p.admin).await.json();
    assert_eq!(third["reports"], 3);
    let motion_id = third["motion"].as_str().expect("a motion").to_string();
    let motion = read(app, &format!("/api/proposals/{motion_id}"), "").await;
    assert_eq!(
        (
            &motion["method"],
            &motion["majority_percent"],
            &motion["secret"],
            &motion["phase"]
        ),
        (&json!("motion"), &json!(75), &json!(true), &json!("voting"))
    );
    assert_eq!(motion["vote_until"], at(48 * HOUR), "about two days");
    assert_eq!(
        report(&p.carla).await.json()["motion"],
        json!(motion_id),
        "opened once"
    );

    for who in [&p.ana, &p.bruno, &p.admin] {
        assert_eq!(
            ballot(app, who, &motion_id, json!({"value": "for"}))
                .await
                .status,
            200
        );
    }
    assert_eq!(
        ballot(app, &p.carla, &motion_id, json!({"value": "blank"}))
            .await
            .status,
        200
    );
    let feed = "/api/live?scope=commune:97415";
    let listed = |feed: Value| {
        feed["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == posted["id"])
    };
    assert!(listed(get(app, feed).await.json()));
    let after = later(app, 49 * HOUR);
    let closed = read(&after, &format!("/api/proposals/{motion_id}"), "").await;
    assert_eq!(
        closed["results"]["outcome"], "adopted",
        "3 for, 1 blank: 75 % exceeded"
    );
    assert!(
        !listed(get(&after, feed).await.json()),
        "the post is hidden"
    );
    assert_eq!(
        report(&p.ana).await.status,
        404,
        "a hidden post takes no report"
    );
}

/// The proposal's row as stored: whether it closed, and its resolution.
async fn stored(app: &App, id: &str) -> (Value, Value) {
    let sql = "SELECT closed_at, resolution FROM proposal WHERE id = ?1";
    let found = app.db.all(Statement::new(sql, vec![Text(id.into())])).await;
    let row = found
        .expect("a read")
        .values()
        .into_iter()
        .next()
        .expect("a row");
    (row["closed_at"].clone(), row["resolution"].clone())
}

#[pollster::test]
async fn the_scheduled_run_closes_a_finished_vote_with_its_resolution_once() {
    let p = people();
    let app = &p.app;
    let id = id(&open(
        app,
        &p.ana,
        &proposal("vrac", "Ouvrir le dimanche", json!({})),
    )
    .await);
    assert_eq!(
        ballot(app, &p.bruno, &id, json!({"value": "for"}))
            .await
            .status,
        200
    );
    crate::handlers::proposals::scheduled(app).await.unwrap();
    assert_eq!(stored(app, &id).await.0, Value::Null, "still voting");

    let after = later(app, 49 * HOUR);
    crate::handlers::proposals::scheduled(&after).await.unwrap();
    let (closed_at, resolution) = stored(app, &id).await;
    assert_eq!(closed_at, json!(NOW + 49 * HOUR));
    let resolution: Value = serde_json::from_str(resolution.as_str().unwrap()).unwrap();
    assert_eq!(resolution["outcome"], "adopted", "{resolution}");
    crate::handlers::proposals::scheduled(&later(app, 50 * HOUR))
        .await
        .unwrap();
    assert_eq!(stored(app, &id).await.0, closed_at, "closed once");
}

/// A feature of the instance, funded and waiting for a budget vote.
async fn funded(app: &App, id: &str, title: &str, goal: i64) {
    let args = vec![
        Text(id.into()),
        Text(title.into()),
        Text(String::new()),
        Int(goal),
        Text("EUR".into()),
        Int(NOW + 30 * 24 * HOUR),
        Text("p_admin".into()),
        Int(NOW),
    ];
    let statements = vec![
        Statement::new(store::features::INSERT_FEATURE, args),
        Statement::new(
            "UPDATE feature SET status = 'funded' WHERE id = ?1",
            vec![Text(id.into())],
        ),
    ];
    app.db.batch(statements).await.expect("a funded feature");
}

#[pollster::test]
async fn the_instance_s_budget_vote_starts_its_winning_funded_features_and_allocates_them() {
    let p = people();
    let app = &p.app;
    funded(app, "f_map", "Carte hors ligne", 200_000).await;
    funded(app, "f_ical", "Export iCal", 150_000).await;
    let more = json!({"method": "budget", "budget_cents": 300_000, "eligibility": "verified",
                      "secret": true, "feature_ids": ["f_map", "f_ical"]});
    let opened = open(
        app,
        &p.admin,
        &proposal("instance", "Que développer ?", more.clone()),
    )
    .await;
    assert_eq!(opened["costs_cents"], json!([200_000, 150_000]));
    let mut unknown = more;
    unknown["feature_ids"] = json!(["f_map", "f_none"]);
    let refused = write(
        app,
        "POST",
        "/api/proposals",
        &p.admin,
        &proposal("instance", "Autre", unknown),
    )
    .await;
    assert_eq!(
        (refused.status, field(&refused)),
        (400, json!("feature_ids"))
    );
    let id = id(&opened);
    let over = ballot(
        app,
        &p.bruno,
        &id,
        json!({"feature_ids": ["f_map", "f_ical"]}),
    )
    .await;
    assert_eq!(over.status, 400, "over the budget");
    for who in [&p.bruno, &p.carla] {
        assert_eq!(
            ballot(app, who, &id, json!({"feature_ids": ["f_map"]}))
                .await
                .status,
            200
        );
    }
    assert_eq!(
        ballot(app, &p.ana, &id, json!({"feature_ids": ["f_ical"]}))
            .await
            .status,
        200
    );

    let after = later(app, 49 * HOUR);
    let closed = read(&after, &format!("/api/proposals/{id}"), "").await;
    assert_eq!(closed["results"]["winners"], json!(["f_map"]), "{closed}");
    let sql = "SELECT id, status FROM feature ORDER BY id";
    let features = app
        .db
        .all(Statement::new(sql, vec![]))
        .await
        .unwrap()
        .values();
    assert_eq!(
        features,
        [
            json!({"id": "f_ical", "status": "funded"}),
            json!({"id": "f_map", "status": "in_progress"})
        ]
    );
    let sql = "SELECT amount_cents, ref, hash IS NOT NULL AS sealed FROM ledger_entry WHERE kind = 'allocation'";
    let ledger = app
        .db
        .all(Statement::new(sql, vec![]))
        .await
        .unwrap()
        .values();
    assert_eq!(
        ledger,
        [json!({"amount_cents": 200_000, "ref": "feature:f_map", "sealed": 1})]
    );
}

/// A page's form posted as a browser does, from the site's own page.
async fn form(app: &App, path: &str, cookie: &str, fields: &[(&str, &str)]) -> Answer {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let headers = [
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Origin", "http://communs.test"),
        ("Host", "communs.test"),
        ("Cookie", cookie),
    ];
    call(app, "POST", path, &headers, &body).await
}

#[pollster::test]
async fn the_community_and_proposal_pages_render_for_their_reader() {
    let p = people();
    let app = &p.app;
    let more = json!({"body": "Ouvrir à 9 h.", "amend_until": at(HOUR)});
    let id = id(&open(app, &p.ana, &proposal("vrac", "Horaires d’été", more)).await);
    let community = call(
        app,
        "GET",
        "/cooperation/vrac/",
        &[("Cookie", &p.bruno)],
        "",
    )
    .await;
    assert_eq!(community.status, 200);
    assert_eq!(community.header("cache-control"), Some("private, no-store"));
    assert!(
        community.body.contains("Horaires d’été") && community.body.contains("Épicerie du Vrac")
    );
    assert_eq!(get(app, "/cooperation/instance/").await.status, 200);
    let missing = get(app, "/cooperation/nulle-part/").await;
    assert_eq!(missing.status, 404);
    assert!(
        missing
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );

    let path = format!("/propositions/{id}/");
    let page = call(app, "GET", &path, &[("Cookie", &p.bruno)], "").await;
    assert_eq!(
        (page.status, page.header("cache-control")),
        (200, Some("private, no-store"))
    );
    assert!(page.body.contains(&format!(
        r#"<form method="post" action="/propositions/{id}/""#
    )));
    assert!(
        page.body
            .contains("Vous pouvez amender et voter sur les amendements")
    );
    let anonymous = get(app, &path).await.body;
    assert!(
        !anonymous.contains(r#"name="action" value="amender""#),
        "no form to the anonymous"
    );
    assert!(anonymous.contains("Connectez-vous</a> pour amender"));
    let outsider = call(app, "GET", &path, &[("Cookie", &p.carla)], "")
        .await
        .body;
    assert!(outsider.contains("Vous ne pouvez pas voter : ce vote est réservé aux membres"));
    assert_eq!(get(app, "/propositions/pr_inconnue/").await.status, 404);
}

#[pollster::test]
async fn the_plain_html_forms_open_amend_vote_and_check_a_receipt() {
    let p = people();
    let app = &p.app;
    // La Réunion's time (UTC+4): 20:00 there two days on is 16:00 UTC.
    let fields = [
        ("title", "Horaires d’hiver"),
        ("body", "Ouvrir à 10 h."),
        ("method", "motion"),
        ("majority_percent", "50"),
        ("quorum", "0"),
        ("eligibility", "members"),
        ("amend_until", "2026-12-05T20:00"),
        ("vote_until", "2026-12-07T20:00"),
    ];
    let refused = form(app, "/cooperation/vrac/", &p.carla, &fields).await;
    assert_eq!(refused.status, 403);
    assert!(
        refused
            .body
            .contains("Vous ne pouvez pas ouvrir de proposition ici")
    );
    let mut unreadable = fields;
    unreadable[7] = ("vote_until", "demain");
    let bad = form(app, "/cooperation/vrac/", &p.bruno, &unreadable).await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.body.contains("Horaires d’hiver"),
        "the form comes back as typed"
    );
    let opened = form(app, "/cooperation/vrac/", &p.bruno, &fields).await;
    assert_eq!(opened.status, 303, "{}", opened.body);
    let path = opened.header("location").unwrap().to_string();
    let id = path
        .trim_start_matches("/propositions/")
        .trim_end_matches('/');
    let shown = get(app, &format!("/api/proposals/{id}")).await.json();
    assert_eq!(shown["vote_until"], "2026-12-07T16:00:00Z");

    let amended = form(
        app,
        &path,
        &p.bruno,
        &[("action", "amender"), ("body", "Ouvrir à 8 h.")],
    )
    .await;
    assert_eq!(amended.status, 200);
    assert!(
        amended
            .body
            .contains("Votre amendement est proposé au vote")
    );
    let outsider = form(
        app,
        &path,
        &p.carla,
        &[("action", "amender"), ("body", "Autre")],
    )
    .await;
    assert_eq!(outsider.status, 403);
    assert!(
        outsider
            .body
            .contains("Vous n’avez pas le droit de faire cela")
    );
    let amendment =
        get(app, &format!("/api/proposals/{id}")).await.json()["amendments"][0]["id"].clone();
    let opinion = [
        ("action", "amendement"),
        ("amendment", amendment.as_str().unwrap()),
        ("choice", "for"),
    ];
    let counted = form(app, &path, &p.ana, &opinion).await;
    assert!(
        counted
            .body
            .contains("Votre avis sur l’amendement est compté")
    );

    set_times(app, id, Some(-1), None).await;
    let after = app.clone();
    let voted = form(
        &after,
        &path,
        &p.bruno,
        &[("action", "voter"), ("choice", "for")],
    )
    .await;
    assert!(
        voted.body.contains("Votre bulletin est compté"),
        "{}",
        voted.body
    );
    let again = form(
        &after,
        &path,
        &p.bruno,
        &[("action", "voter"), ("choice", "against")],
    )
    .await;
    assert_eq!(again.status, 409, "once, changes not allowed");
    let receipt = ballot(&after, &p.ana, id, json!({"value": "blank"}))
        .await
        .json()["receipt"]
        .clone();
    let checked = form(
        &after,
        &path,
        "",
        &[("action", "recu"), ("receipt", receipt.as_str().unwrap())],
    )
    .await;
    assert!(
        checked
            .body
            .contains("Ce reçu correspond à un bulletin compté")
    );
    let big = "a".repeat(70 * 1024);
    let held = form(
        &after,
        &path,
        &p.bruno,
        &[("action", "amender"), ("body", &big)],
    )
    .await;
    assert_eq!(
        held.status, 413,
        "a page's form is held to 64 KB like any body"
    );
    let unknown = form(&after, &path, &p.bruno, &[("action", "danser")]).await;
    assert_eq!(unknown.status, 400);
}

#[cfg(feature = "dev")]
#[pollster::test]
async fn development_moves_a_proposal_to_its_next_phase() {
    let p = people();
    let app = &p.app;
    let more = json!({"amend_until": at(HOUR)});
    let opened = open(app, &p.ana, &proposal("vrac", "Plus vite", more)).await;
    assert_eq!(opened["phase"], "amendable");
    let row = crate::handlers::proposals::named(app, &id(&opened))
        .await
        .unwrap();
    let schedule = row.schedule().advanced(NOW);
    crate::repo::cooperation::set_schedule(app, &row.id, schedule)
        .await
        .unwrap();
    let moved = get(app, &format!("/api/proposals/{}", row.id)).await.json();
    assert_eq!(moved["phase"], "voting");
}
