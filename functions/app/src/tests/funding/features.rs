//! Features and pledges with the development stand-in: who proposes and steers, pledges all or
//! nothing, withdrawn, released and moved; the scheduled run; the funding pages.

use super::*;

/// A feature proposed by the admin: its JSON.
async fn propose(app: &App, people: &People, goal: i64) -> Value {
    let asked = json!({"title": "Export iCal des agendas", "description": "Pour s’abonner.",
                       "goal_cents": goal, "deadline": DEADLINE});
    let created = send(app, "POST", "/api/features", &people.admin, asked).await;
    assert_eq!(created.status, 201, "{}", created.body);
    created.json()
}

async fn pledge(app: &App, cookie: &str, feature: &Value, cents: i64, key: Option<&str>) -> Answer {
    let path = format!("/api/features/{}/pledges", feature["id"].as_str().unwrap());
    let mut headers = vec![
        ("Content-Type", "application/json"),
        ("Origin", ORIGIN),
        ("Host", HOST),
        ("Cookie", cookie),
    ];
    headers.extend(key.map(|k| ("Idempotency-Key", k)));
    let body = json!({"amount_cents": cents}).to_string();
    call(app, "POST", &path, &headers, &body).await
}

/// Saves a card for `person` (the local part of their address), as the provider's setup would: pledges placed
/// afterwards are committed at once.
async fn save_card(app: &App, person: &str) {
    let args = vec![
        Arg::Text(format!("p_{person}")),
        Arg::Text("development".into()),
        Arg::Text(format!("cus_dev_{person}")),
        Arg::Text("pm_dev".into()),
        Arg::Int(NOW),
    ];
    rows(app, store::features::SAVE_METHOD, args).await;
}

async fn feature(app: &App, id: &Value) -> Value {
    let path = format!("/api/features/{}", id.as_str().unwrap());
    read(app, &path, NO_ONE).await.json()
}

async fn status_of_pledge(app: &App, id: &str) -> String {
    let found = rows(
        app,
        "SELECT status FROM pledge WHERE id = ?1",
        vec![Arg::Text(id.into())],
    )
    .await;
    found[0]["status"].as_str().unwrap().to_string()
}

#[pollster::test]
async fn donors_and_admins_propose_features_others_may_not() {
    let (app, people) = instance(&DEVELOPMENT);
    let asked = json!({"title": "Carte", "goal_cents": 260000, "deadline": DEADLINE});
    assert_eq!(
        send(&app, "POST", "/api/features", NO_ONE, asked.clone())
            .await
            .status,
        401
    );
    assert_eq!(
        send(&app, "POST", "/api/features", &people.ana, asked.clone())
            .await
            .status,
        403
    );
    let small = json!({"title": "Carte", "goal_cents": 50, "deadline": DEADLINE});
    let small = send(&app, "POST", "/api/features", &people.admin, small).await;
    assert_eq!(
        (small.status, small.json()["error"]["field"].clone()),
        (400, json!("goal_cents"))
    );

    let proposed = propose(&app, &people, 260000).await;
    assert_eq!(proposed["status"], "funding");
    assert_eq!(proposed["history"][0]["status"], "funding");
    // A confirmed gift makes a donor, who may propose too.
    let id = donate(&app, &people.ana, json!({"amount_cents": 1000})).await;
    assert_eq!(webhook(&app, &paid_checkout(&id, 1000)).await.status, 200);
    let by_donor = send(&app, "POST", "/api/features", &people.ana, asked).await;
    assert_eq!(by_donor.status, 201, "{}", by_donor.body);

    let listed = read(&app, "/api/features?status=funding", NO_ONE)
        .await
        .json();
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(2));
    let none = read(&app, "/api/features?status=delivered", NO_ONE)
        .await
        .json();
    assert_eq!(none["items"], json!([]));
    assert_eq!(
        read(&app, "/api/features?status=nope", NO_ONE).await.status,
        400
    );
    assert_eq!(
        feature(&app, &proposed["id"]).await["title"],
        "Export iCal des agendas"
    );
    assert_eq!(read(&app, "/api/features/f_none", NO_ONE).await.status, 404);
}

#[pollster::test]
async fn only_admins_steer_and_a_declined_feature_releases_its_pledges() {
    let (app, people) = instance(&DEVELOPMENT);
    let proposed = propose(&app, &people, 260000).await;
    save_card(&app, "ana").await;
    let placed = pledge(&app, &people.ana, &proposed, 5000, None)
        .await
        .json();
    assert_eq!(placed["status"], "committed");
    let path = format!("/api/features/{}", proposed["id"].as_str().unwrap());
    let decline = json!({"status": "declined"});
    assert_eq!(
        send(&app, "PATCH", &path, NO_ONE, decline.clone())
            .await
            .status,
        401
    );
    assert_eq!(
        send(&app, "PATCH", &path, &people.ana, decline.clone())
            .await
            .status,
        403
    );
    let early = send(
        &app,
        "PATCH",
        &path,
        &people.admin,
        json!({"status": "delivered"}),
    )
    .await;
    assert_eq!(early.status, 409);
    let odd = send(
        &app,
        "PATCH",
        &path,
        &people.admin,
        json!({"status": "funded"}),
    )
    .await;
    assert_eq!(odd.status, 400);
    let unknown = send(
        &app,
        "PATCH",
        "/api/features/f_none",
        &people.admin,
        decline.clone(),
    )
    .await;
    assert_eq!(unknown.status, 404);

    let declined = send(&app, "PATCH", &path, &people.admin, decline).await;
    assert_eq!(declined.status, 200, "{}", declined.body);
    let statuses: Vec<_> = declined.json()["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["status"].clone())
        .collect();
    assert_eq!(statuses, [json!("funding"), json!("declined")]);
    let id = placed["id"].as_str().unwrap();
    assert_eq!(status_of_pledge(&app, id).await, "released");
    let entries = ledger(&app).await;
    let released: Vec<_> = entries
        .iter()
        .map(|e| (e["kind"].clone(), e["ref"].clone()))
        .collect();
    assert_eq!(
        released,
        [(json!("release"), json!(format!("pledge:{id}")))]
    );
    let again = send(
        &app,
        "PATCH",
        &path,
        &people.admin,
        json!({"status": "in_progress"}),
    )
    .await;
    assert_eq!(again.status, 409);
}

#[pollster::test]
async fn a_pledge_waits_for_a_card_and_one_key_makes_one_pledge() {
    let (app, people) = instance(&DEVELOPMENT);
    let proposed = propose(&app, &people, 260000).await;
    assert_eq!(
        pledge(&app, NO_ONE, &proposed, 1500, None).await.status,
        401
    );
    let too_much = pledge(&app, &people.bob, &proposed, 300000, None).await;
    assert_eq!(
        (too_much.status, too_much.json()["error"]["field"].clone()),
        (400, json!("amount_cents"))
    );
    let nowhere = pledge(&app, &people.bob, &json!({"id": "f_none"}), 1500, None).await;
    assert_eq!(nowhere.status, 404);

    let first = pledge(&app, &people.bob, &proposed, 1500, Some("bob-key-1")).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let pending = first.json();
    let id = pending["id"].as_str().unwrap();
    assert_eq!(pending["status"], "pending");
    assert_eq!(
        pending["setup_url"],
        format!("/don/paiement-test/?engagement={id}")
    );
    assert_eq!(
        pending["feature"]["pledged_cents"], 0,
        "a pending pledge does not count"
    );
    let again = pledge(&app, &people.bob, &proposed, 1500, Some("bob-key-1"))
        .await
        .json();
    assert_eq!(again["id"], pending["id"]);
    let other = pledge(&app, &people.bob, &proposed, 9999, Some("bob-key-1")).await;
    assert_eq!(
        (other.status, other.json()["error"]["field"].clone()),
        (409, json!("Idempotency-Key"))
    );
    // A key that is not visible ASCII is refused, never read as no key at all.
    let odd = pledge(&app, &people.bob, &proposed, 1500, Some("clé-é")).await;
    assert_eq!(
        (odd.status, odd.json()["error"]["field"].clone()),
        (400, json!("Idempotency-Key"))
    );
    let mine = read(&app, "/api/pledges", &people.bob).await.json();
    assert_eq!(mine["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        read(&app, "/api/pledges", &people.ana).await.json()["items"],
        json!([])
    );
    assert_eq!(read(&app, "/api/pledges", NO_ONE).await.status, 401);
    let customers = rows(&app, "SELECT customer_ref FROM payment_method", vec![]).await;
    assert_eq!(
        customers,
        [json!({"customer_ref": "cus_dev_p_bob"})],
        "a customer made once"
    );
}

#[pollster::test]
async fn a_pledge_withdrawn_releases_its_promise_and_only_its_backer_withdraws_it() {
    let (app, people) = instance(&DEVELOPMENT);
    let proposed = propose(&app, &people, 260000).await;
    save_card(&app, "bob").await;
    let placed = pledge(&app, &people.bob, &proposed, 700, None).await.json();
    assert_eq!(placed["status"], "committed", "with a saved card, at once");
    assert_eq!(feature(&app, &proposed["id"]).await["pledged_cents"], 700);
    let id = placed["id"].as_str().unwrap();
    let path = format!("/api/pledges/{id}");
    assert_eq!(
        send(&app, "DELETE", &path, NO_ONE, json!(null))
            .await
            .status,
        401
    );
    assert_eq!(
        send(&app, "DELETE", &path, &people.ana, json!(null))
            .await
            .status,
        404
    );
    assert_eq!(
        send(&app, "DELETE", &path, &people.bob, json!(null))
            .await
            .status,
        204
    );
    assert_eq!(status_of_pledge(&app, id).await, "withdrawn");
    assert_eq!(feature(&app, &proposed["id"]).await["pledged_cents"], 0);
    let entries = ledger(&app).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (
            entries[0]["kind"].clone(),
            entries[0]["amount_cents"].clone()
        ),
        (json!("release"), json!(700))
    );
    assert_eq!(
        send(&app, "DELETE", &path, &people.bob, json!(null))
            .await
            .status,
        409
    );
    assert_eq!(verified(&app).await["ok"], true);
}

#[pollster::test]
async fn pledges_reaching_the_goal_fund_the_feature_and_are_charged_once() {
    let (app, people) = instance(&DEVELOPMENT);
    let proposed = propose(&app, &people, 10000).await;
    save_card(&app, "ana").await;
    save_card(&app, "bob").await;
    let first = pledge(&app, &people.ana, &proposed, 4000, None)
        .await
        .json();
    assert_eq!(first["status"], "committed");
    let second = pledge(&app, &people.bob, &proposed, 6000, None)
        .await
        .json();
    assert_eq!(
        second["status"], "charged",
        "the goal reached, charged at once"
    );
    assert_eq!(second["feature"]["status"], "funded");
    assert_eq!(
        status_of_pledge(&app, first["id"].as_str().unwrap()).await,
        "charged"
    );
    let charges: Vec<_> = ledger(&app)
        .await
        .iter()
        .map(|e| e["kind"].clone())
        .collect();
    assert_eq!(charges, [json!("charge"), json!("charge")]);
    let funded = feature(&app, &proposed["id"]).await;
    let statuses: Vec<_> = funded["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["status"].clone())
        .collect();
    assert_eq!(statuses, [json!("funding"), json!("funded")]);

    crate::settle::scheduled(&app)
        .await
        .expect("the scheduled run");
    assert_eq!(ledger(&app).await.len(), 2, "nothing charged twice");
    let late = pledge(&app, &people.admin, &proposed, 500, None).await;
    assert_eq!(late.status, 409, "no pledge once funded");
    let path = format!("/api/pledges/{}", first["id"].as_str().unwrap());
    assert_eq!(
        send(&app, "DELETE", &path, &people.ana, json!(null))
            .await
            .status,
        409
    );
}

#[pollster::test]
async fn the_scheduled_run_expires_a_feature_releases_its_pledges_and_a_pledge_moves_on() {
    let (app, people) = instance(&DEVELOPMENT);
    let expiring = propose(&app, &people, 260000).await;
    save_card(&app, "bob").await;
    let placed = pledge(&app, &people.bob, &expiring, 5000, None)
        .await
        .json();
    let id = placed["id"].as_str().unwrap().to_string();
    let moving = format!("/api/pledges/{id}/move");
    let target = propose(&app, &people, 260000).await;
    let to_target = json!({"feature_id": target["id"]});
    let early = send(&app, "POST", &moving, &people.bob, to_target.clone()).await;
    assert_eq!(early.status, 409, "only a released pledge moves");
    let args = vec![
        Arg::Int(NOW - 60),
        expiring["id"]
            .as_str()
            .map(|s| Arg::Text(s.into()))
            .unwrap(),
    ];
    rows(&app, "UPDATE feature SET deadline = ?1 WHERE id = ?2", args).await;

    crate::settle::scheduled(&app)
        .await
        .expect("the scheduled run");
    assert_eq!(
        feature(&app, &expiring["id"]).await["history"][1]["status"],
        "expired"
    );
    assert_eq!(status_of_pledge(&app, &id).await, "released");
    let entries: Vec<_> = ledger(&app)
        .await
        .iter()
        .map(|e| (e["kind"].clone(), e["amount_cents"].clone()))
        .collect();
    assert_eq!(entries, [(json!("release"), json!(5000))]);

    assert_eq!(
        send(&app, "POST", &moving, &people.ana, to_target.clone())
            .await
            .status,
        404
    );
    let nowhere = send(
        &app,
        "POST",
        &moving,
        &people.bob,
        json!({"feature_id": "f_none"}),
    )
    .await;
    assert_eq!(
        (nowhere.status, nowhere.json()["error"]["field"].clone()),
        (400, json!("feature_id"))
    );
    let moved = send(&app, "POST", &moving, &people.bob, to_target.clone()).await;
    assert_eq!(moved.status, 201, "{}", moved.body);
    let moved = moved.json();
    assert_eq!(moved["status"], "committed");
    let twice = send(&app, "POST", &moving, &people.bob, to_target)
        .await
        .json();
    assert_eq!(twice["id"], moved["id"], "moving twice makes one pledge");
    assert_eq!(feature(&app, &target["id"]).await["pledged_cents"], 5000);
}

#[pollster::test]
async fn the_treasurer_refunds_a_charged_pledge_once() {
    let (app, people) = instance(&DEVELOPMENT);
    let proposed = propose(&app, &people, 10000).await;
    save_card(&app, "ana").await;
    let charged = pledge(&app, &people.ana, &proposed, 10000, None)
        .await
        .json();
    assert_eq!(charged["status"], "charged");
    let path = format!("/api/pledges/{}/refund", charged["id"].as_str().unwrap());
    assert_eq!(
        send(&app, "POST", &path, NO_ONE, json!(null)).await.status,
        401
    );
    assert_eq!(
        send(&app, "POST", &path, &people.ana, json!(null))
            .await
            .status,
        403
    );
    let unknown = send(
        &app,
        "POST",
        "/api/pledges/p_none/refund",
        &people.admin,
        json!(null),
    )
    .await;
    assert_eq!(unknown.status, 404);
    let total = summary(&app).await["total_cents"].as_i64().unwrap();
    let refunded = send(&app, "POST", &path, &people.admin, json!(null)).await;
    assert_eq!(refunded.status, 200, "{}", refunded.body);
    assert_eq!(refunded.json()["status"], "refunded");
    assert_eq!(summary(&app).await["total_cents"], total - 10000);
    assert_eq!(
        send(&app, "POST", &path, &people.admin, json!(null))
            .await
            .status,
        409
    );
    let kinds: Vec<_> = ledger(&app)
        .await
        .iter()
        .map(|e| e["kind"].clone())
        .collect();
    assert_eq!(kinds, [json!("charge"), json!("refund")]);
}

#[pollster::test]
async fn the_funding_pages_show_the_features_and_one_feature() {
    let (app, people) = instance(&DEVELOPMENT);
    let proposed = propose(&app, &people, 260000).await;
    let list = read(&app, "/financer/", NO_ONE).await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("Export iCal des agendas"));
    let filtered = read(&app, "/financer/?etat=delivered", NO_ONE).await;
    assert!(
        !filtered.body.contains("Export iCal des agendas"),
        "the filter applies"
    );
    let path = format!("/financer/{}/", proposed["id"].as_str().unwrap());
    let one = read(&app, &path, NO_ONE).await;
    assert_eq!(one.status, 200);
    assert!(one.body.contains("Pour s’abonner."));
    assert_eq!(one.header("cache-control"), Some("public, max-age=60"));
    let missing = read(&app, "/financer/f_none/", NO_ONE).await;
    assert_eq!(missing.status, 404);
    assert!(
        missing
            .header("content-type")
            .unwrap_or_default()
            .starts_with("text/html")
    );
}

/// Development builds: the test page where a backer saves a card.
#[cfg(feature = "dev")]
#[pollster::test]
async fn a_card_saved_on_the_test_page_commits_the_pledge_which_funds_and_is_charged() {
    let (app, people) = instance(&DEVELOPMENT);
    let proposed = propose(&app, &people, 10000).await;
    let placed = pledge(&app, &people.admin, &proposed, 10000, None)
        .await
        .json();
    let id = placed["id"].as_str().unwrap();
    let shown = read(&app, &format!("/api/dev/setup/{id}"), &people.admin).await;
    assert_eq!(shown.json()["amount_cents"], 10000);
    assert_eq!(
        read(&app, &format!("/api/dev/setup/{id}"), &people.ana)
            .await
            .status,
        404
    );
    let save = format!("/api/dev/setup/{id}/save");
    assert_eq!(
        send(&app, "POST", &save, NO_ONE, json!(null)).await.status,
        401
    );
    let saved = send(&app, "POST", &save, &people.admin, json!(null)).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(saved.json()["status"], "charged");
    assert_eq!(feature(&app, &proposed["id"]).await["status"], "funded");
    let entries: Vec<_> = ledger(&app)
        .await
        .iter()
        .map(|e| (e["kind"].clone(), e["ref"].clone()))
        .collect();
    assert_eq!(entries, [(json!("charge"), json!(format!("pledge:{id}")))]);
    assert_eq!(
        send(&app, "POST", &save, &people.admin, json!(null))
            .await
            .status,
        409
    );
}
