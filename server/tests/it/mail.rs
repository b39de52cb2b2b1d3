//! Sending the outbox by SMTP, against a small SMTP server run by the test (it accepts every
//! message, except those to `refused@…`, which it answers with 550).

use chrono::Utc;
use db::entity::outbox;
use db::testing::TestDb;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, QueryOrder, Set};
use server::mail::Mailer;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// What the SMTP server received: one entry per accepted message (recipients, then the data).
type Inbox = Arc<Mutex<Vec<(Vec<String>, String)>>>;

async fn smtp_server() -> (String, Inbox) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let inbox: Inbox = Arc::default();
    let kept = inbox.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let inbox = kept.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 test ESMTP\r\n").await;
                let mut rcpt = Vec::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") {
                        b"250-test\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("RCPT TO:") {
                        if line.contains("refused@") {
                            b"550 5.1.1 no such mailbox\r\n"
                        } else {
                            rcpt.push(line[8..].trim().to_string());
                            b"250 OK\r\n"
                        }
                    } else if upper.starts_with("DATA") {
                        let _ = write.write_all(b"354 go ahead\r\n").await;
                        let mut data = String::new();
                        while let Ok(Some(l)) = lines.next_line().await {
                            if l == "." {
                                break;
                            }
                            data.push_str(&l);
                            data.push('\n');
                        }
                        inbox
                            .lock()
                            .unwrap()
                            .push((std::mem::take(&mut rcpt), data));
                        b"250 queued\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        break;
                    } else if upper.starts_with("RSET") {
                        rcpt.clear();
                        b"250 OK\r\n"
                    } else {
                        b"250 OK\r\n"
                    };
                    if write.write_all(reply).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    (url, inbox)
}

async fn rows(db: &DatabaseConnection) -> Vec<outbox::Model> {
    outbox::Entity::find()
        .order_by_asc(outbox::Column::Id)
        .all(db)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_outbox_is_sent_by_smtp_once_and_failures_are_recorded() {
    for t in TestDb::all().await {
        let (url, inbox) = smtp_server().await;
        let mailer = Mailer::new(&url, "Conference secretariat <no-reply@example.org>").unwrap();
        let db = &t.db;
        db::accounts::enqueue(
            db,
            None,
            "ana@example.org",
            "Confirm your account",
            "Open this link to confirm: http://localhost/account/confirm?token=abc\n",
        )
        .await
        .unwrap();
        db::accounts::enqueue(
            db,
            None,
            "refused@example.org",
            "Nobody reads this",
            "Hello",
        )
        .await
        .unwrap();

        assert_eq!(mailer.deliver_pending(db).await.unwrap(), 1);
        {
            let got = inbox.lock().unwrap();
            assert_eq!(got.len(), 1);
            let (to, data) = &got[0];
            assert_eq!(to, &vec!["<ana@example.org>".to_string()]);
            assert!(data.contains("Subject: Confirm your account"), "{data}");
            assert!(
                data.contains("From: \"Conference secretariat\" <no-reply@example.org>")
                    || data.contains("From: Conference secretariat <no-reply@example.org>"),
                "{data}"
            );
            assert!(data.contains("To: ana@example.org"), "{data}");
            assert!(data.contains("confirm?token=abc"), "{data}");
        }
        let r = rows(db).await;
        assert!(r[0].sent_at.is_some());
        assert_eq!(r[0].attempts, 1);
        assert!(r[1].sent_at.is_none());
        assert_eq!(r[1].attempts, 1);
        assert!(
            r[1].last_error
                .as_deref()
                .unwrap_or_default()
                .contains("no such mailbox"),
            "{:?}",
            r[1].last_error
        );
        assert!(r[1].claimed_at.is_none(), "a failed message is free again");

        // the next look sends nothing twice and tries the failed one again, up to the limit
        for attempt in 2..=db::accounts::MAX_ATTEMPTS {
            assert_eq!(mailer.deliver_pending(db).await.unwrap(), 0);
            assert_eq!(rows(db).await[1].attempts, attempt);
        }
        assert_eq!(mailer.deliver_pending(db).await.unwrap(), 0);
        assert_eq!(
            rows(db).await[1].attempts,
            db::accounts::MAX_ATTEMPTS,
            "given up after the last attempt"
        );
        assert_eq!(inbox.lock().unwrap().len(), 1);

        // a message claimed a moment ago by another instance is left to it; a claim from an
        // instance that stopped long ago is not
        let m = db::accounts::enqueue(db, None, "ben@example.org", "Claimed", "x")
            .await
            .unwrap();
        let mut a: outbox::ActiveModel = m.clone().into();
        a.claimed_at = Set(Some(Utc::now()));
        a.update(db).await.unwrap();
        assert_eq!(mailer.deliver_pending(db).await.unwrap(), 0);
        let mut a: outbox::ActiveModel = m.into();
        a.claimed_at = Set(Some(Utc::now() - chrono::Duration::minutes(10)));
        a.update(db).await.unwrap();
        assert_eq!(mailer.deliver_pending(db).await.unwrap(), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_send_each_message_once() {
    for t in TestDb::all().await {
        let (url, inbox) = smtp_server().await;
        let a = Mailer::new(&url, "no-reply@example.org").unwrap();
        let b = Mailer::new(&url, "no-reply@example.org").unwrap();
        for i in 0..30 {
            db::accounts::enqueue(&t.db, None, &format!("p{i}@example.org"), "Hello", "Hello")
                .await
                .unwrap();
        }
        let mut sent = 0;
        while rows(&t.db).await.iter().any(|m| m.sent_at.is_none()) {
            let (x, y) = tokio::join!(a.deliver_pending(&t.db), b.deliver_pending(&t.db));
            sent += x.unwrap() + y.unwrap();
        }
        assert_eq!(sent, 30);
        let got = inbox.lock().unwrap();
        let mut to: Vec<String> = got.iter().map(|(r, _)| r.join(",")).collect();
        to.sort();
        to.dedup();
        assert_eq!(got.len(), 30, "no message went out twice");
        assert_eq!(to.len(), 30);
    }
}

#[test]
fn bad_settings_are_refused_at_start() {
    assert!(Mailer::new("smtp://127.0.0.1:2525", "not an address").is_err());
    assert!(Mailer::new("http://example.org", "no-reply@example.org").is_err());
}
