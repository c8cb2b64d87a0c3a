// Discussion and notifications: comments with one level of replies, escaped text with clickable
// links, edits and deletions, reports into the moderation vote; the bell's list, the reply
// mailed at once, the daily digest sent once however often the run runs, one-click unsubscribe.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { signIn } from "../support/accounts.js";
import { startWorker, write } from "../support/worker.js";

describe("discussion and notifications", () => {
  let worker;
  let alice;
  let bob;
  let carol;
  let dan;
  let element;
  before(async () => {
    worker = await startWorker({ zones: ["974"] });
    [alice, bob, carol, dan] = await Promise.all(["alice@exemple.fr", "bob@exemple.fr", "carol@exemple.fr", "dan@exemple.fr"].map((m) => signIn(worker, m)));
    element = await (await worker.fetch("/api/elements", write("POST", { kind: "event", type: "market", name: "Marché du Lagon", start: "2030-06-01T08:00:00Z", address: { commune_code: "97415" } }, { cookie: alice.cookie }))).json();
    // Bob follows the event: he hears of its comments.
    assert.equal((await worker.fetch(`/api/elements/${element.id}/follow`, write("POST", undefined, { cookie: bob.cookie }))).status, 200);
  });
  after(() => worker?.stop());

  const comment = (who, body) => worker.fetch("/api/comments", write("POST", body, { cookie: who?.cookie }));
  const outbox = async (to) => (await (await worker.fetch("/api/dev/outbox")).json()).items.filter((m) => m.to === to && !m.token);
  const bell = async (who) => (await worker.fetch("/api/me/notifications", { headers: { cookie: who.cookie } })).json();
  const run = () => worker.fetch("/api/dev/scheduled", write("POST", {}));

  test("a comment's script is escaped, its link clickable; a reply answers one level deep", async () => {
    const target = `element:${element.id}`;
    const made = await comment(carol, { target, text: "Super <script>alert(1)</script> https://exemple.fr/programme" });
    assert.equal(made.status, 201);
    const first = await made.json();
    assert.equal(first.text, "Super <script>alert(1)</script> https://exemple.fr/programme");
    assert.ok(!first.html.includes("<script>") && first.html.includes("&lt;script&gt;"));
    assert.match(first.html, /<a href="https:\/\/exemple\.fr\/programme" rel="nofollow ugc noopener noreferrer">/);
    const reply = await comment(alice, { target, text: "Merci !", reply_to: first.id });
    assert.equal(reply.status, 201);
    const second = await reply.json();
    assert.equal(second.reply_to, first.id);
    const deeper = await comment(dan, { target, text: "Et moi ?", reply_to: second.id });
    assert.equal(deeper.status, 400);
    assert.equal((await deeper.json()).error.field, "reply_to");
    for (const [body, field] of [[{ target: "element:nope", text: "x" }, null], [{ target: "ici", text: "x" }, "target"], [{ target, text: "   " }, "text"], [{ target, text: "x".repeat(2001) }, "text"]]) {
      const refused = await comment(dan, body);
      assert.equal(refused.status, field ? 400 : 404, JSON.stringify(body));
      if (field) assert.equal((await refused.json()).error.field, field);
    }
    assert.equal((await comment(null, { target, text: "x" })).status, 401);
    const list = await (await worker.fetch(`/api/comments?target=${target}&limit=1`)).json();
    assert.deepEqual(list.items.map((c) => c.id), [first.id]);
    const next = await (await worker.fetch(`/api/comments?target=${target}&limit=1&cursor=${encodeURIComponent(list.next_cursor)}`)).json();
    assert.deepEqual(next.items.map((c) => c.id), [second.id]);
  });

  test("the reply is mailed to its author at once; a follower gets the comments in one daily digest, once", async () => {
    const carolsBell = await bell(carol);
    assert.equal(carolsBell.unread, 1);
    assert.equal(carolsBell.items[0].kind, "reply");
    assert.match(carolsBell.items[0].url, /^\/discussion\/\?sujet=element:/);
    const mails = await outbox("carol@exemple.fr");
    assert.equal(mails.length, 1, "the reply, at once");
    assert.match(mails[0].headers["List-Unsubscribe"], /^<http.+\/api\/notifications\/unsubscribe\?person=.+&kind=reply&token=[0-9a-f]{64}>$/);
    assert.equal(mails[0].headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click");

    assert.equal((await bell(bob)).unread, 2, "both comments on what he follows");
    assert.equal((await outbox("bob@exemple.fr")).length, 0, "quiet: nothing until the digest");
    assert.equal((await run()).status, 204);
    assert.equal((await run()).status, 204);
    const digests = await outbox("bob@exemple.fr");
    assert.equal(digests.length, 1, "one digest however often the run runs");
    assert.equal((digests[0].body.match(/Nouveau commentaire sur Marché du Lagon/g) ?? []).length, 2);
    assert.equal((await bell(alice)).items.filter((n) => n.kind === "comment").length, 1, "not told of her own comment");

    const read = await worker.fetch("/api/me/notifications/read", write("POST", { up_to: (await bell(bob)).items[0].id }, { cookie: bob.cookie }));
    assert.equal(read.status, 204);
    assert.equal((await bell(bob)).unread, 0);
  });

  test("one click unsubscribes without signing in; a forged link does nothing", async () => {
    const [mail] = await outbox("carol@exemple.fr");
    const url = new URL(mail.headers["List-Unsubscribe"].slice(1, -1));
    const forged = `${url.pathname}?person=${url.searchParams.get("person")}&kind=reply&token=${"0".repeat(64)}`;
    assert.equal((await worker.fetch(forged, { method: "POST", body: "List-Unsubscribe=One-Click", headers: { "content-type": "application/x-www-form-urlencoded" } })).status, 403);
    const page = await worker.fetch(url.pathname + url.search);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Me désabonner/);
    const done = await worker.fetch(url.pathname + url.search, { method: "POST", body: "List-Unsubscribe=One-Click", headers: { "content-type": "application/x-www-form-urlencoded" } });
    assert.equal(done.status, 204);
    const me = await (await worker.fetch("/api/me", { headers: { cookie: carol.cookie } })).json();
    assert.equal(me.notifications.reply, "never");
    assert.equal(me.notifications.comment, "daily");
    const changed = await worker.fetch("/api/me", write("PATCH", { notifications: { comment: "weekly" } }, { cookie: carol.cookie }));
    assert.equal((await changed.json()).notifications.comment, "weekly");
    const bad = await worker.fetch("/api/me", write("PATCH", { notifications: { comment: "hourly" } }, { cookie: carol.cookie }));
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error.field, "notifications");
  });

  test("an author edits within 15 minutes; only the author or the element's admins delete", async () => {
    const target = `element:${element.id}`;
    const mine = await (await comment(dan, { target, text: "Je viendrai" })).json();
    const edit = (who) => worker.fetch(`/api/comments/${mine.id}`, write("PATCH", { text: "Je viendrai avec des graines" }, { cookie: who.cookie }));
    assert.equal((await edit(carol)).status, 403);
    const edited = await edit(dan);
    assert.equal(edited.status, 200);
    assert.ok((await edited.json()).edited_at);
    const remove = (who) => worker.fetch(`/api/comments/${mine.id}`, write("DELETE", undefined, { cookie: who.cookie }));
    assert.equal((await remove(carol)).status, 403);
    assert.equal((await remove(alice)).status, 204, "the event's admin");
    assert.equal((await remove(dan)).status, 404);
  });

  test("a comment reported three times opens the moderation vote, which hides it", async () => {
    const target = `element:${element.id}`;
    const bad = await (await comment(dan, { target, text: "Message injurieux" })).json();
    const report = (who) => worker.fetch(`/api/comments/${bad.id}/reports`, write("POST", undefined, { cookie: who.cookie }));
    assert.equal((await (await report(alice)).json()).reports, 1);
    assert.equal((await (await report(alice)).json()).reports, 1, "once per person");
    await report(bob);
    const third = await (await report(carol)).json();
    assert.equal(third.reports, 3);
    assert.match(third.motion, /^pr_/);
    const ballot = (who) => worker.fetch(`/api/proposals/${third.motion}/ballots`, write("POST", { choice: "for" }, { cookie: who.cookie }));
    for (const who of [alice, bob, carol]) assert.equal((await ballot(who)).status, 200);
    const admin = await signIn(worker, "admin@communs.test");
    const next = (id) => worker.fetch(`/api/dev/proposals/${id}/next-phase`, write("POST", {}, { cookie: admin.cookie }));
    assert.equal((await next(third.motion)).status, 200);
    const list = await (await worker.fetch(`/api/comments?target=${target}`)).json();
    assert.ok(!list.items.some((c) => c.id === bad.id), "hidden once adopted");
    assert.equal((await worker.fetch(`/api/posts/nope/reports`, write("POST", undefined, { cookie: bob.cookie }))).status, 404);
  });

  test("the discussion page reads without JavaScript and its plain forms write, answer and report", async () => {
    const page = (query = "") => worker.fetch(`/discussion/?sujet=element:${element.id}${query}`, { headers: { cookie: dan.cookie } });
    const form = (fields, who = dan) => worker.fetch(`/discussion/?sujet=element:${element.id}`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://127.0.0.1:8787", cookie: who.cookie },
      body: new URLSearchParams(fields).toString(),
    });
    const posted = await form({ action: "commenter", text: "Par formulaire <b>gras</b> ? https://exemple.fr" });
    assert.equal(posted.status, 303);
    const location = posted.headers.get("location");
    assert.match(location, /fait=commente#c_/);
    const html = await (await page("&fait=commente")).text();
    assert.match(html, /Votre commentaire est publié/);
    assert.match(html, /Par formulaire &lt;b&gt;gras&lt;\/b&gt; \?/, "escaped");
    assert.match(html, /<a href="https:\/\/exemple\.fr" rel="nofollow ugc noopener noreferrer">/);
    const id = location.split("#")[1];
    assert.match(html, new RegExp(`name="reply_to" value="${id}"`), "it may be answered");
    const replied = await form({ action: "commenter", text: "Réponse par formulaire", reply_to: id }, bob);
    assert.equal(replied.status, 303);
    const blank = await form({ action: "commenter", text: "   " });
    assert.equal(blank.status, 400);
    assert.match(await blank.text(), /manquant ou invalide/);
    const foreign = await worker.fetch(`/discussion/?sujet=element:${element.id}`, {
      method: "POST", redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://ailleurs.example", cookie: dan.cookie },
      body: "action=commenter&text=x",
    });
    assert.equal(foreign.status, 403);
    const reported = await form({ action: "signaler", id }, bob);
    assert.equal(reported.status, 303);
    assert.match(reported.headers.get("location"), /fait=signale/);
    const signedOut = await (await worker.fetch(`/discussion/?sujet=element:${element.id}`)).text();
    assert.match(signedOut, /Connectez-vous/);
    assert.ok(!signedOut.includes('name="action" value="commenter"'), "no form for who is not signed in");
    assert.equal((await worker.fetch("/discussion/?sujet=element:nope")).status, 404);
  });

  test("a live post is commented and reported from the feed's page", async () => {
    const made = await (await worker.fetch("/api/posts", write("POST", { scope: "commune:97415", text: "Vide-grenier dimanche" }, { cookie: dan.cookie }))).json();
    const feed = await (await worker.fetch("/live/?scope=commune:97415")).text();
    assert.match(feed, new RegExp(`/discussion/\\?sujet=post:${made.id}`));
    const reported = await worker.fetch(`/discussion/?sujet=post:${made.id}`, {
      method: "POST", redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://127.0.0.1:8787", cookie: bob.cookie },
      body: "action=signaler_message",
    });
    assert.equal(reported.status, 303);
    const again = await (await worker.fetch(`/api/posts/${made.id}/reports`, write("POST", undefined, { cookie: bob.cookie }))).json();
    assert.equal(again.reports, 1, "the page's report counted, once");
    assert.equal((await comment(alice, { target: `post:${made.id}`, text: "J’y serai" })).status, 201);
  });

  test("a vote opening and closing is told to the community's members, a new event to those who live there", async () => {
    const org = await (await worker.fetch("/api/elements", write("POST", { kind: "organization", type: "NGO", name: "Jardin des Hauts", address: { commune_code: "97415" } }, { cookie: alice.cookie }))).json();
    assert.equal((await worker.fetch(`/api/elements/${org.id}/join`, write("POST", undefined, { cookie: dan.cookie }))).status, 200);
    const until = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, "Z");
    const opened = await worker.fetch("/api/proposals", write("POST", { community: org.id, title: "Ouvrir le dimanche", method: "motion", secret: true, vote_until: until }, { cookie: alice.cookie }));
    assert.equal(opened.status, 201, await opened.clone().text());
    const proposal = await opened.json();
    assert.equal((await run()).status, 204);
    assert.equal((await run()).status, 204);
    const told = (await bell(dan)).items.filter((n) => n.kind === "vote_opened");
    assert.equal(told.length, 1, "once, however often the run runs");
    assert.equal(told[0].url, `/propositions/${proposal.id}/`);
    assert.ok(!(await bell(bob)).items.some((n) => n.kind === "vote_opened"), "not a member: not told");
    // Dan votes in secret, then comments: nothing in the comment says how, or that he voted.
    assert.equal((await worker.fetch(`/api/proposals/${proposal.id}/ballot`, write("POST", { value: "against" }, { cookie: dan.cookie }))).status, 200);
    const said = await (await comment(dan, { target: `proposal:${proposal.id}`, text: "Bonne idée ou pas ?" })).json();
    assert.deepEqual(Object.keys(said).sort(), ["author", "created_at", "edited_at", "html", "id", "reply_to", "target", "text"]);
    const discussion = await (await worker.fetch(`/discussion/?sujet=proposal:${proposal.id}`)).text();
    assert.ok(!/contre|against|a voté/i.test(discussion.replace(/rien n’y dit qui a voté ni comment/, "")), "no trace of a ballot");
    const admin = await signIn(worker, "admin@communs.test");
    assert.equal((await worker.fetch(`/api/dev/proposals/${proposal.id}/next-phase`, write("POST", {}, { cookie: admin.cookie }))).status, 200);
    assert.equal((await bell(dan)).items.filter((n) => n.kind === "vote_closed").length, 1);

    assert.equal((await worker.fetch("/api/me", write("PATCH", { home_scope: "commune:97415" }, { cookie: bob.cookie }))).status, 200);
    const made = await (await worker.fetch("/api/elements", write("POST", { kind: "event", type: "market", name: "Brocante des Hauts", start: "2030-07-01T08:00:00Z", address: { commune_code: "97415" } }, { cookie: alice.cookie }))).json();
    const news = (await bell(bob)).items.filter((n) => n.kind === "event");
    assert.equal(news.length, 1);
    assert.equal(news[0].url, `/e/${made.slug}/`);
    assert.ok(!(await bell(dan)).items.some((n) => n.kind === "event"), "not his commune");
  });

  test("the export holds my comments and notifications; erasure removes them", async () => {
    const exported = await (await worker.fetch("/api/me/export", { headers: { cookie: bob.cookie } })).json();
    assert.ok(exported.records.notifications.length >= 2);
    assert.ok(Array.isArray(exported.records.comments) && Array.isArray(exported.records.pictures));
    const carolExport = await (await worker.fetch("/api/me/export", { headers: { cookie: carol.cookie } })).json();
    assert.ok(carolExport.records.comments.some((c) => c.text.startsWith("Super")));
    assert.equal((await worker.fetch("/api/me", write("DELETE", undefined, { cookie: carol.cookie }))).status, 204);
    const list = await (await worker.fetch(`/api/comments?target=element:${element.id}`)).json();
    assert.ok(!list.items.some((c) => c.text.startsWith("Super")), "her comment went with her account (and its replies)");
  });
});
