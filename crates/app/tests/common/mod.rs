//! `TestApp`: the whole application in process, on a fresh database seeded
//! with the demo county, driven with real HTTP requests through the router
//! (no socket). `Client` keeps cookies like a browser.
#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use gongkai_app::config::Config;
use gongkai_app::state::AppState;
use gongkai_store::Store;
use http_body_util::BodyExt;
use std::collections::HashMap;
use std::sync::Mutex;
use tower::ServiceExt;

pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    pub dir: tempfile::TempDir,
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn location(&self) -> String {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }
}

pub async fn store_for_test(dir: &std::path::Path) -> (Store, String) {
    match std::env::var("GONGKAI_TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
                % 1_000_000_000_000;
            let schema = format!("a_{}_{nanos}_{n}", std::process::id());
            let admin = Store::connect_with(&url, 1).await.unwrap();
            admin.create_schema_for_tests(&schema).await.unwrap();
            admin.close().await;
            let sep = if url.contains('?') { '&' } else { '?' };
            let scoped = format!("{url}{sep}options=-c%20search_path%3D{schema}");
            (Store::connect_with(&scoped, 4).await.unwrap(), scoped)
        }
        _ => {
            let url = Config::default_database_url(dir);
            (Store::connect_with(&url, 4).await.unwrap(), url)
        }
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let (store, url) = store_for_test(dir.path()).await;
        store.migrate().await.unwrap();
        let config = Config {
            addr: "127.0.0.1:0".parse().unwrap(),
            data_dir: dir.path().to_path_buf(),
            database_url: url,
            idle_timeout_minutes: 30,
            secure_cookies: false,
        };
        let state = AppState::new(store, config).await.unwrap();
        gongkai_app::demo::seed(&state).await.unwrap();
        let router = gongkai_app::routes::router(state.clone());
        TestApp { state, router, dir }
    }

    pub fn client(&self) -> Client<'_> {
        Client {
            app: self,
            jar: Mutex::new(HashMap::new()),
        }
    }

    pub async fn unit_id(&self, name: &str) -> i64 {
        self.state.store.units_named(name).await.unwrap()[0].id
    }
}

pub struct Client<'a> {
    pub app: &'a TestApp,
    jar: Mutex<HashMap<String, String>>,
}

impl Client<'_> {
    pub async fn send(&self, mut req: Request<Body>) -> Resp {
        let cookie = self
            .jar
            .lock()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        if !cookie.is_empty() {
            req.headers_mut().insert(header::COOKIE, cookie.parse().unwrap());
        }
        let res = self.app.router.clone().oneshot(req).await.unwrap();
        for sc in res.headers().get_all(header::SET_COOKIE) {
            let s = sc.to_str().unwrap();
            let (kv, attrs) = s.split_once(';').unwrap_or((s, ""));
            let (k, v) = kv.split_once('=').unwrap();
            if attrs.contains("Max-Age=0") {
                self.jar.lock().unwrap().remove(k);
            } else {
                self.jar.lock().unwrap().insert(k.to_string(), v.to_string());
            }
        }
        let status = res.status();
        let headers = res.headers().clone();
        let body = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
        Resp { status, headers, body }
    }

    /// A GET whose body is binary (a download): status, headers and bytes.
    pub async fn get_bytes(&self, path: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
        let cookie = self
            .jar
            .lock()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let mut req = Request::get(path).body(Body::empty()).unwrap();
        if !cookie.is_empty() {
            req.headers_mut().insert(header::COOKIE, cookie.parse().unwrap());
        }
        let res = self.app.router.clone().oneshot(req).await.unwrap();
        let (status, headers) = (res.status(), res.headers().clone());
        (status, headers, res.into_body().collect().await.unwrap().to_bytes().to_vec())
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(Request::get(path).body(Body::empty()).unwrap()).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Resp {
        let mut b = Request::get(path);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        self.send(b.body(Body::empty()).unwrap()).await
    }

    /// Posts a form as-is (no CSRF token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", urlencoding::encode(k), urlencoding::encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.send(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// Posts a form with the CSRF token a page would carry.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf", &token));
        self.post_raw(path, &all).await
    }

    /// The CSRF token of this client's forms (read from a page, as a browser would).
    pub async fn csrf(&self) -> String {
        let logged_in = self.jar.lock().unwrap().contains_key("gk_session");
        let page = self.get(if logged_in { "/admin/account/password" } else { "/login" }).await;
        extract_csrf(&page.body).unwrap_or_else(|| {
            panic!(
                "no csrf field on page ({}): {}",
                page.status,
                &page.body[..page.body.len().min(300)]
            )
        })
    }

    pub async fn login(&self, username: &str, password: &str) -> Resp {
        self.post("/login", &[("username", username), ("password", password), ("next", "/admin")])
            .await
    }

    pub fn has_cookie(&self, name: &str) -> bool {
        self.jar.lock().unwrap().contains_key(name)
    }
}

pub fn extract_csrf(html: &str) -> Option<String> {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker)? + marker.len();
    Some(html[start..start + 64].to_string())
}

pub const DEMO_PASSWORD: &str = "Wushan#2021";

/// A multipart/form-data body: text fields and at most one file as
/// (field name, file name, bytes). Returns (content type, body).
pub fn multipart(fields: &[(&str, &str)], file: Option<(&str, &str, Vec<u8>)>) -> (String, Vec<u8>) {
    let boundary = "gktestboundary";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").into_bytes());
    }
    if let Some((field, name, bytes)) = file {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .into_bytes(),
        );
        body.extend(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").into_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// `Bearer …` for a new API token of a demo user.
pub async fn token(app: &TestApp, user: &str) -> String {
    let u = app.state.store.user_by_username(user).await.unwrap().unwrap();
    format!(
        "Bearer {}",
        gongkai_app::accounts::create_token(&app.state.store, "test", u.id, "t")
            .await
            .unwrap()
    )
}
