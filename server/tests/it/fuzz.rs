//! Every server function the application registers, sent malformed requests, as a visitor and
//! as an organiser, on SQLite and on PostgreSQL.
//!
//! The requests are what a broken client, an old tab or a hostile one may send: form bodies
//! with values of the wrong type, out-of-range integers, arrays where a scalar goes, missing and
//! unknown fields, invalid UTF-8 (raw and percent-encoded), escapes cut in the middle, NUL
//! bytes, 200 KB values, a body over the size limit, JSON and other content types, a multipart
//! body whose boundary does not match, a request from another site, GETs and a PUT. Written by
//! hand on a socket, as a visitor: a body shorter than its `Content-Length`, broken chunked
//! encoding, a chunked body over the limit, and a refused request followed by another one on
//! the same connection.
//!
//! For every request: an HTTP answer (a transport error means the server dropped the
//! connection), and a status below 500 (a body over the limit should get 413; any 4xx is
//! accepted). After each role's run: nothing in the database changed, and the organiser is
//! still logged in (`log_out` is sent its malformed bodies last, on its own).
//!
//! The requests run eight at a time, so that concurrent malformed calls are tried too. A
//! failure report groups the requests by what happened, with the functions it happened to.

use crate::common;
use common::App;
use db::testing::TestDb;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How many requests are in flight at once.
const CONCURRENCY: usize = 8;
/// One request's deadline: a hung response is reported with its function and body.
const TIMEOUT: Duration = Duration::from_secs(30);
/// A function that ends the caller's session whatever it is sent; fuzzed last, on its own, so
/// that the organiser stays logged in for the rest of the run.
const LOG_OUT: &str = "log_out";

const FORM: &str = "application/x-www-form-urlencoded";

/// One malformed request, sent to every server function.
#[derive(Clone)]
struct Case {
    label: &'static str,
    method: reqwest::Method,
    content_type: Option<&'static str>,
    /// appended to the path (GET requests)
    query: &'static str,
    body: Vec<u8>,
    /// sent as a plain HTML form would be (`Accept: text/html` and a `Referer`), which makes
    /// the server answer with a redirect to the referring page
    from_page: bool,
    /// with the headers of a browser on another site (`Origin`, `Sec-Fetch-Site`)
    cross_site: bool,
    /// sent to every `sample`-th function only (1: to all)
    sample: usize,
}

fn post(label: &'static str, content_type: Option<&'static str>, body: impl Into<Vec<u8>>) -> Case {
    Case {
        label,
        method: reqwest::Method::POST,
        content_type,
        query: "",
        body: body.into(),
        from_page: false,
        cross_site: false,
        sample: 1,
    }
}

fn form(label: &'static str, body: impl Into<Vec<u8>>) -> Case {
    post(label, Some(FORM), body)
}

fn other_method(label: &'static str, method: reqwest::Method, query: &'static str) -> Case {
    Case {
        label,
        method,
        content_type: None,
        query,
        body: Vec::new(),
        from_page: false,
        cross_site: false,
        sample: 1,
    }
}

/// The malformed requests. No body names an existing conference (`mexico-city-2015`; see
/// [`conference_cases`] for those), so that a function whose only argument is the conference
/// cannot be called correctly by accident and change something legitimately.
fn cases() -> Vec<Case> {
    let mut utf16 = Vec::new();
    for u in "slug=x&id=1".encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let many_fields: Vec<String> = (0..20_000).map(|i| format!("f{i}={i}")).collect();
    let multipart = "--other\r\nContent-Disposition: form-data; name=\"slug\"\r\n\r\nx\r\n\
                     --other\r\nContent-Disposition: form-data; name=\"id\"\r\n\r\nabc\r\n--other--\r\n";
    let mut cases = vec![
        // empty and missing
        form("empty body", ""),
        form("missing fields", "slug=no-such-conference"),
        form("empty values", "slug=&id=&number=&token=&email=&password="),
        form(
            "unknown fields only",
            "zzz=1&__proto__=x&constructor[prototype]=1",
        ),
        form("only separators", "&&&==&=&%26=%3D"),
        form("names without values", "slug&id&number&token&session_id"),
        // wrong types
        form(
            "wrong types",
            "slug=1&id=abc&number=abc&session_id=1.5&role_id=true&registration_id=\
             &delegation_id=0x10&from=NaN&to=1e9&paragraph=-&version=v1&base_version=%20\
             &capacity=-1&cap=lots&revision=-99999999999999999999&ids=x&key_features=1",
        ),
        form(
            "integers out of range",
            "slug=x&id=99999999999999999999999&number=-99999999999999999999\
             &session_id=2147483648&revision=-2147483649&role_id=1e400&from=inf&to=-0\
             &registration_id=%2B1&delegation_id=%201",
        ),
        form(
            "booleans and options of the wrong form",
            "slug=x&submit=maybe&confirm=2&consent_listed=yes%00&tz=Mars%2FOlympus\
             &next=javascript:alert(1)&opens_at=yesterday&date=2015-02-30&start=T&end=25:61",
        ),
        form(
            "arrays where scalars go",
            "slug[]=1&slug[]=2&id[]=1&number[0]=1&token[x]=y&a[]=1",
        ),
        form(
            "maps where arrays go",
            "slug=x&ids=1&key_features=C3&chairs[0][x]=1&speakers=abc&ids[a]=1\
             &key_features[-1]=C3&ids[99999999]=1",
        ),
        form(
            "duplicate fields",
            "slug=a&slug=b&id=1&id=2&token=a&token=b",
        ),
        form("deep nesting", format!("slug{}=1", "[a]".repeat(2_000))),
        form(
            "unbalanced brackets",
            "slug[=1&id]=2&[]=3&number[[0]]=4&ids[0=5",
        ),
        // encodings
        form(
            "invalid UTF-8",
            b"slug=\xff\xfe&id=\xc3\x28&token=\xed\xa0\x80".to_vec(),
        ),
        form(
            "percent-encoded invalid UTF-8",
            "slug=%FF%FE&id=%C3%28&token=%ED%A0%80&email=%C0%AF",
        ),
        form("escape cut in the middle", "slug=%F"),
        form("escape cut at the end", "slug=x&id=1%"),
        form("invalid escape", "slug=%ZZ&token=%Z9&id=%%"),
        form(
            "percent-encoded NUL",
            "slug=%00&id=%00&number=%00&token=%00&email=%00&name=%00&password=%00&key=%00",
        ),
        form("raw NUL bytes", b"slug=\0\0&id=1\0&\0=\0".to_vec()),
        form(
            "control characters, bidi, paths, quotes",
            "slug=%E2%80%AE%F0%9F%92%A9%0D%0A&token=..%2F..%2Fetc%2Fpasswd\
             &key=%27%20OR%201%3D1%20--&email=%22%3E%3Cscript%3E&id=1%3B%20DROP%20TABLE%20people",
        ),
        post(
            "form declared as UTF-16",
            Some("application/x-www-form-urlencoded; charset=utf-16"),
            utf16,
        ),
        // sizes (the body over the limit to every eighth function: what it tries is in front
        // of every function alike, and it is costly to send)
        form(
            "200 KB value",
            format!("slug={}&token=x", "a".repeat(200_000)),
        ),
        form(
            "200 KB number",
            format!("slug=x&id={}", "9".repeat(200_000)),
        ),
        form("20 000 fields", many_fields.join("&")),
        Case {
            sample: 8,
            ..form("3 MiB body", "a".repeat(3 << 20))
        },
        form("JSON declared as a form", r#"{"slug":1,"id":"x"}"#),
        Case {
            from_page: true,
            ..form("wrong types, from a page", "slug=1&id=abc&number=x")
        },
    ];
    // Refused in front of every function alike (the content type, the site, the method):
    // sent to every third function, which is enough to see it and to catch races.
    let alike = vec![
        post("empty body, no content type", None, ""),
        post(
            "JSON",
            Some("application/json"),
            r#"{"slug":"x","id":"abc","number":[1]}"#,
        ),
        post("text/plain", Some("text/plain"), "slug=1&id=abc"),
        post(
            "multipart, bogus boundary",
            Some("multipart/form-data; boundary=bogus"),
            multipart,
        ),
        post(
            "binary octet-stream",
            Some("application/octet-stream"),
            (0..=255u8).collect::<Vec<_>>(),
        ),
        Case {
            cross_site: true,
            ..form("from another site", "slug=1&id=abc")
        },
        other_method("GET", reqwest::Method::GET, ""),
        other_method(
            "GET with a malformed query",
            reqwest::Method::GET,
            "?slug=%FF%FE&id=%&number[]=1",
        ),
        other_method("PUT", reqwest::Method::PUT, ""),
    ];
    cases.extend(alike.into_iter().map(|c| Case { sample: 3, ..c }));
    cases
}

/// The demo conference.
const SLUG: &str = "mexico-city-2015";

/// Malformed requests about the demo conference, so that they get past the conference's
/// look-up to the access checks and the functions' own reading of their arguments. Sent as the
/// visitor only: a function whose only argument is the conference takes these as well-formed
/// calls, and the visitor may not change anything with them (as the permission table checks).
fn conference_cases() -> Vec<Case> {
    vec![
        form(
            "the conference, other fields of the wrong type",
            format!(
                "slug={SLUG}&id=abc&number=abc&session_id=1.5&role_id=true&registration_id=\
                 &delegation_id=0x10&from=NaN&to=1e9&paragraph=-&version=v1&base_version=%20\
                 &capacity=-1&cap=lots&revision=-99999999999999999999&ids=x&key_features=1"
            ),
        ),
        form(
            "the conference, edge values",
            format!(
                "slug={SLUG}&id=-2147483648&number=2147483647&session_id=0&from=-1\
                 &to=2147483647&paragraph=99999&tz=Not%2FA_Zone&registration_id=-1"
            ),
        ),
        form(
            "the conference, NUL and invalid UTF-8 in the other fields",
            format!("slug={SLUG}&tz=%00&key=%00&token=%00&number=1&id=1&email=%FF"),
        ),
        form(
            "the conference, 200 KB in the other fields",
            format!(
                "slug={SLUG}&tz={0}&key={0}&number=1&id=1",
                "x".repeat(100_000)
            ),
        ),
    ]
}

/// An error and its causes, on one line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cause = c.source();
    }
    s
}

/// The start of a body, printable.
fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(120)]).to_string();
    if bytes.len() > 120 {
        format!("{text:?}… ({} bytes)", bytes.len())
    } else {
        format!("{text:?}")
    }
}

/// Something that went wrong: `what` (the request and its outcome, the same for every function
/// it happens to) and the function it happened to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Failure {
    what: String,
    function: String,
}

impl Failure {
    fn new(what: String, path: &str) -> Failure {
        Failure {
            what,
            function: name_of(path),
        }
    }

    /// Prefixed with the database and the role.
    fn by(self, who: &str) -> Failure {
        Failure {
            what: format!("{who}: {}", self.what),
            ..self
        }
    }
}

/// A server function's name from its path (`/fn/get_overview4440…` → `get_overview`).
fn name_of(path: &str) -> String {
    path.trim_start_matches("/fn/")
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .to_string()
}

/// Send `case` to `path`; what went wrong, if anything.
async fn send(http: &reqwest::Client, base: &str, path: &str, case: &Case) -> Option<Failure> {
    let url = format!("{base}{path}{}", case.query);
    let mut req = http.request(case.method.clone(), &url).timeout(TIMEOUT);
    if let Some(ct) = case.content_type {
        req = req.header(reqwest::header::CONTENT_TYPE, ct);
    }
    if case.from_page {
        req = req
            .header(reqwest::header::ACCEPT, "text/html,application/xhtml+xml")
            .header(reqwest::header::REFERER, format!("{base}/conferences"));
    }
    if case.cross_site {
        req = req
            .header(reqwest::header::ORIGIN, "https://elsewhere.example")
            .header("sec-fetch-site", "cross-site");
    }
    if case.method != reqwest::Method::GET {
        req = req.body(case.body.clone());
    }
    let fail = |outcome: String| {
        let body = if case.method == reqwest::Method::GET {
            String::new()
        } else {
            format!(
                " {}, body {}",
                case.content_type.unwrap_or("no content type"),
                excerpt(&case.body)
            )
        };
        Some(Failure::new(
            format!(
                "{}{} [{}]{body}: {outcome}",
                case.method, case.query, case.label
            ),
            path,
        ))
    };
    let res = match req.send().await {
        Ok(r) => r,
        Err(e) => return fail(format!("no response: {}", chain(&e.without_url()))),
    };
    let status = res.status().as_u16();
    let body = match res.bytes().await {
        Ok(b) => b,
        Err(e) => {
            return fail(format!(
                "{status}, then the body was cut: {}",
                chain(&e.without_url())
            ))
        }
    };
    if status >= 500 {
        return fail(format!(
            "{status}: {}",
            String::from_utf8_lossy(&body[..body.len().min(300)])
        ));
    }
    None
}

/// A request written by hand on a fresh connection, for what an HTTP client library will not
/// send: a body shorter than its `Content-Length`, broken chunked encoding.
struct Raw {
    label: &'static str,
    /// the request after its request line and `Host`
    head: &'static str,
    body: Vec<u8>,
    /// close the sending half after the body, as a client that gives up does
    half_close: bool,
}

fn raw_cases() -> Vec<Raw> {
    let mut big = Vec::new();
    for _ in 0..48 {
        big.extend_from_slice(format!("{:x}\r\n", 64 << 10).as_bytes());
        big.extend(std::iter::repeat_n(b'a', 64 << 10));
        big.extend_from_slice(b"\r\n");
    }
    big.extend_from_slice(b"0\r\n\r\n");
    vec![
        Raw {
            label: "body shorter than its Content-Length, then the client stops sending",
            head: "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n",
            body: b"slug=x&id=1&number=%F".to_vec(),
            half_close: true,
        },
        Raw {
            label: "broken chunked encoding",
            head:
                "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n",
            body: b"zz\r\nslug=x\r\n0\r\n\r\n".to_vec(),
            half_close: true,
        },
        Raw {
            label: "chunk longer than declared",
            head:
                "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n",
            body: b"3\r\nslug=xxxxxxxx\r\n0\r\n\r\n".to_vec(),
            half_close: true,
        },
        Raw {
            label: "3 MiB chunked body (no Content-Length)",
            head:
                "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n",
            body: big,
            half_close: false,
        },
    ]
}

/// Send `raw` to `path` on a new connection; a description of what went wrong, if anything.
async fn send_raw(addr: &str, path: &str, raw: &Raw) -> Option<Failure> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let what = format!("raw POST [{}]", raw.label);
    let exchange = async {
        let mut conn = tokio::net::TcpStream::connect(addr)
            .await
            .map_err(|e| format!("connect: {e}"))?;
        let mut request = format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{}\r\n",
            raw.head
        )
        .into_bytes();
        request.extend_from_slice(&raw.body);
        // the server may answer (413) and stop reading before everything is written: the
        // answer is what counts, so a failed write is only noted
        let written = conn.write_all(&request).await;
        if raw.half_close && written.is_ok() {
            let _ = conn.shutdown().await;
        }
        let mut answer = Vec::new();
        let read = conn.read_to_end(&mut answer).await;
        let line = String::from_utf8_lossy(&answer)
            .lines()
            .next()
            .unwrap_or_default()
            .to_string();
        match line.split(' ').nth(1).and_then(|s| s.parse::<u16>().ok()) {
            Some(status) => Ok((status, answer)),
            None => Err(format!(
                "no response (write: {:?}, read: {:?}, {} bytes read)",
                written.err().map(|e| e.to_string()),
                read.err().map(|e| e.to_string()),
                answer.len()
            )),
        }
    };
    let outcome = match tokio::time::timeout(TIMEOUT, exchange).await {
        Err(_) => format!("no response within {TIMEOUT:?}"),
        Ok(Err(e)) => e,
        Ok(Ok((status, answer))) if status >= 500 => format!("{status}: {}", excerpt(&answer)),
        Ok(Ok(_)) => return None,
    };
    Some(Failure::new(format!("{what}: {outcome}"), path))
}

/// A refused request whose body arrives after its headers (as a browser sends a larger form),
/// followed by a second request on the same connection. The server may answer the first and
/// close the connection, but then it must say so (`Connection: close`); answering as if the
/// connection stayed open and then closing it drops the client's next request on it.
async fn keep_alive_after(addr: &str, path: &str, label: &str, head: &str) -> Option<Failure> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let body = b"slug=1&id=abc";
    let exchange = async {
        let mut conn = tokio::net::TcpStream::connect(addr)
            .await
            .map_err(|e| format!("connect: {e}"))?;
        conn.set_nodelay(true).ok();
        let first = format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\n{head}Content-Length: {}\r\n\r\n",
            body.len()
        );
        conn.write_all(first.as_bytes())
            .await
            .map_err(|e| format!("write: {e}"))?;
        tokio::time::sleep(Duration::from_millis(100)).await;
        // what the server does with these is what is checked, so failed writes are not errors
        let _ = conn.write_all(body).await;
        let second = format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
        let _ = conn.write_all(second.as_bytes()).await;
        let mut answer = Vec::new();
        let mut buf = [0u8; 8192];
        // until the server closes (or resets) the connection
        while let Ok(n) = conn.read(&mut buf).await {
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&buf[..n]);
        }
        Ok::<_, String>(String::from_utf8_lossy(&answer).to_string())
    };
    let outcome = match tokio::time::timeout(TIMEOUT, exchange).await {
        Err(_) => format!("no end of the exchange within {TIMEOUT:?}"),
        Ok(Err(e)) => e,
        Ok(Ok(answer)) => {
            let head_end = answer.find("\r\n\r\n").unwrap_or(answer.len());
            let first_head = answer[..head_end].to_ascii_lowercase();
            let status = first_head.split(' ').nth(1).unwrap_or("none").to_string();
            let responses = answer.matches("HTTP/1.1 ").count();
            if !first_head.starts_with("http/1.1 ") {
                format!("no response at all ({} bytes)", answer.len())
            } else if first_head.contains("\r\nconnection: close") || responses >= 2 {
                return None;
            } else {
                format!(
                    "answered {status} without `Connection: close`, then closed the connection \
                     without answering the next request on it"
                )
            }
        }
    };
    Some(Failure::new(
        format!("keep-alive [{label}], body sent 100 ms after the headers: {outcome}"),
        path,
    ))
}

/// Who `http` is logged in as (an e-mail address), or what went wrong.
async fn whoami(http: &reqwest::Client, base: &str) -> String {
    let res = http
        .post(format!("{base}{}", common::fn_path("whoami")))
        .header(reqwest::header::CONTENT_TYPE, FORM)
        .body("")
        .timeout(TIMEOUT)
        .send()
        .await;
    match res {
        Ok(r) => match r.json::<serde_json::Value>().await {
            Ok(v) => v["email"].as_str().unwrap_or("nobody").to_string(),
            Err(e) => format!("an unreadable answer: {}", chain(&e.without_url())),
        },
        Err(e) => format!("no response: {}", chain(&e.without_url())),
    }
}

/// Send every case to every path, `CONCURRENCY` at a time; the failures, and how many
/// requests were sent.
async fn fuzz(
    http: &reqwest::Client,
    base: &str,
    paths: &[String],
    cases: &Arc<Vec<Case>>,
) -> (Vec<Failure>, usize) {
    let jobs: Arc<Vec<(String, usize)>> = Arc::new(
        paths
            .iter()
            .enumerate()
            .flat_map(|(i, p)| {
                (0..cases.len())
                    .filter(move |c| i % cases[*c].sample == 0)
                    .map(move |c| (p.clone(), c))
            })
            .collect(),
    );
    let next = Arc::new(AtomicUsize::new(0));
    let mut workers = Vec::new();
    for _ in 0..CONCURRENCY {
        let (http, base, jobs, cases, next) = (
            http.clone(),
            base.to_string(),
            jobs.clone(),
            cases.clone(),
            next.clone(),
        );
        workers.push(tokio::spawn(async move {
            let mut failures = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((path, c)) = jobs.get(i) else { break };
                if let Some(f) = send(&http, &base, path, &cases[*c]).await {
                    failures.push(f);
                }
            }
            failures
        }));
    }
    let mut failures = Vec::new();
    for w in workers {
        failures.extend(w.await.expect("a fuzzing task panicked"));
    }
    failures.sort();
    (failures, jobs.len())
}

/// The database's rows that a request could change, by [`common::fingerprint`]: every table's
/// every row, serialised and sorted. Left out there, because any request may write them:
/// `user_sessions` (the session store: a request may create, refresh or end its session) and
/// `login_failures` (the log-in throttle counts failed log-ins, which malformed `log_in` calls
/// are).
async fn snapshot(db: &db::DatabaseConnection) -> Vec<String> {
    common::fingerprint(db).await
}

/// Rows per table, for the failure message.
fn counts(rows: &[String]) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for r in rows {
        let table = r.split(": ").next().unwrap_or_default().to_string();
        *m.entry(table).or_insert(0) += 1;
    }
    m
}

/// Nothing changed between `before` and `after`; otherwise what did.
fn unchanged(label: &str, before: &[String], after: &[String]) -> Option<Failure> {
    if before == after {
        return None;
    }
    let (b, a): (BTreeSet<&String>, BTreeSet<&String>) =
        (before.iter().collect(), after.iter().collect());
    let gone: Vec<_> = b.difference(&a).take(5).collect();
    let new: Vec<_> = a.difference(&b).take(5).collect();
    Some(Failure {
        what: format!(
            "{label}: the database changed.\nrows per table before: {:?}\nafter: {:?}\n\
             rows gone (first 5): {gone:?}\nrows new (first 5): {new:?}",
            counts(before),
            counts(after)
        ),
        function: String::new(),
    })
}

/// The failures grouped by what happened, each with the functions it happened to.
fn report(failures: &[Failure], functions: usize) -> String {
    let mut groups: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for f in failures {
        groups.entry(&f.what).or_default().insert(&f.function);
    }
    let mut out = format!(
        "{} failed requests or checks, {} kinds:\n",
        failures.len(),
        groups.len()
    );
    for (what, fns) in groups {
        let fns: Vec<&str> = fns.into_iter().filter(|f| !f.is_empty()).collect();
        let to = match fns.len() {
            0 => String::new(),
            n if n >= functions - 1 => format!("\n    to every function ({n})"),
            n => format!("\n    to {n} functions: {}", fns.join(", ")),
        };
        out.push_str(&format!("- {what}{to}\n"));
    }
    if failures.iter().any(|f| f.what.contains("no response")) {
        out.push_str(
            "(A request without a response on a reused connection may have lost it to the \
             request before it on that connection: see the keep-alive checks.)\n",
        );
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_requests_to_every_server_function() {
    let paths: Vec<String> = server_fn::axum::server_fn_paths()
        .map(|(p, _)| p.to_string())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    assert!(
        paths.len() > 50,
        "the registered server functions are listed: {paths:?}"
    );
    let log_out = common::fn_path(LOG_OUT);
    let others: Vec<String> = paths.iter().filter(|p| **p != log_out).cloned().collect();
    let cases = Arc::new(cases());
    let visitor_cases = Arc::new(
        cases
            .iter()
            .cloned()
            .chain(conference_cases())
            .collect::<Vec<_>>(),
    );
    // the server's own account of a 5xx (e.g. the database error behind it)
    let _ = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::ERROR)
        .with_test_writer()
        .try_init();

    let mut all_failures = Vec::new();
    for t in TestDb::all().await {
        let started = Instant::now();
        db::seed::load_demo(&t.db).await.expect("demo data");
        let app = App::start(&t.db).await;
        let mut failures = Vec::new();
        let mut sent = 0;

        let first = snapshot(&t.db).await;
        for table in [
            "conferences: ",
            "sessions: ",
            "people: ",
            "declaration_versions: ",
        ] {
            assert!(
                first.iter().any(|r| r.starts_with(table)),
                "the snapshot reads the table {table}"
            );
        }

        // the organiser logs in first: the visitor's malformed log-ins count against this
        // client's log-in limit
        let organiser = common::logged_in(&app, "organiser@example.org", "demo-organiser").await;
        let me = organiser.whoami().await;
        assert_eq!(me["email"], "organiser@example.org", "logged in: {me}");

        let mut phases = Vec::new();
        let mut phase = Instant::now();
        let mut lap = |name: &'static str| {
            phases.push(format!("{name} {:.1?}", phase.elapsed()));
            phase = Instant::now();
        };

        // a visitor: no cookies
        let visitor = common::client();
        let before = snapshot(&t.db).await;
        let (f, n) = fuzz(&visitor, &app.base, &paths, &visitor_cases).await;
        sent += n;
        let who = format!("{:?} visitor", t.backend);
        failures.extend(f.into_iter().map(|f| f.by(&who)));
        failures.extend(unchanged(&who, &before, &snapshot(&t.db).await));
        lap("visitor");

        // requests written by hand, as a visitor: each raw case to each function (the large
        // one to a few only, since what it tries is in front of every function alike)
        let addr = app.base.trim_start_matches("http://").to_string();
        let raws = raw_cases();
        let before = snapshot(&t.db).await;
        for (i, path) in paths.iter().enumerate() {
            for raw in &raws {
                if raw.body.len() > 1 << 20 && i % 20 != 0 {
                    continue;
                }
                sent += 1;
                if let Some(f) = send_raw(&addr, path, raw).await {
                    failures.push(f.by(&who));
                }
            }
        }
        // a refused request must not take the next request on its connection with it; the
        // refusals come before any function runs, so a few functions are enough
        for path in paths.iter().step_by(25) {
            for (label, head) in [
                (
                    "text/plain, refused as not a form",
                    "Content-Type: text/plain\r\n",
                ),
                (
                    "a form from another site",
                    "Content-Type: application/x-www-form-urlencoded\r\n\
                     Origin: https://elsewhere.example\r\nSec-Fetch-Site: cross-site\r\n",
                ),
                (
                    "a form with wrong types",
                    "Content-Type: application/x-www-form-urlencoded\r\n",
                ),
            ] {
                sent += 2;
                if let Some(f) = keep_alive_after(&addr, path, label, head).await {
                    failures.push(f.by(&who));
                }
            }
        }
        failures.extend(unchanged(
            &format!("{who}, raw requests"),
            &before,
            &snapshot(&t.db).await,
        ));
        lap("raw");

        // an organiser: every function but log_out concurrently, then log_out on its own
        let who = format!("{:?} organiser", t.backend);
        let before = snapshot(&t.db).await;
        let (f, n) = fuzz(&organiser.http, &app.base, &others, &cases).await;
        sent += n;
        failures.extend(f.into_iter().map(|f| f.by(&who)));
        let me = whoami(&organiser.http, &app.base).await;
        if me != "organiser@example.org" {
            failures.push(Failure {
                what: format!("{who}: no longer logged in as the organiser after the run: {me}"),
                function: String::new(),
            });
        }
        let (f, n) = fuzz(
            &organiser.http,
            &app.base,
            std::slice::from_ref(&log_out),
            &cases,
        )
        .await;
        sent += n;
        failures.extend(f.into_iter().map(|f| f.by(&who)));
        failures.extend(unchanged(&who, &before, &snapshot(&t.db).await));
        lap("organiser");

        // and the server still answers
        let (s, _, _) = app.browser().get("/healthz").await;
        assert_eq!(s, 200, "{:?}: /healthz after the run", t.backend);

        eprintln!(
            "{:?}: {sent} malformed requests to {} server functions in {:.1?} ({})",
            t.backend,
            paths.len(),
            started.elapsed(),
            phases.join(", ")
        );
        all_failures.extend(failures);
    }
    all_failures.sort();
    assert!(
        all_failures.is_empty(),
        "{}",
        report(&all_failures, paths.len())
    );
}
