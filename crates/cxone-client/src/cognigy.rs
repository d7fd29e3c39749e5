//! Cognigy.AI's REST API, read only: a project's flows and locales, a flow's chart, a chart node's
//! config, and the project's log entries. An API key in the `X-API-Key` header signs every call;
//! only GETs are sent. Every path comes from `endpoints`, where docs/cxone-endpoints.md names its
//! public source.
//!
//! The API lives under `/new/v2.0/` (what the Cognigy CLI and its REST client call); some
//! deployments answer only `/v2.0/`. The first call tries the first and, on a 404, the second;
//! whichever answered serves every later call.

use std::sync::OnceLock;

use futures_util::{StreamExt, TryStreamExt};
use reqwest::Method;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::value::RawValue;
use url::Url;

use crate::endpoints::{self, Endpoint};
use crate::error::ClientError;
use crate::http::{self, CallStats, HttpSettings, Transport, endpoint_name};
use crate::{Secret, Truncated, as_base, parse_url};

/// The prefixes the API answers under, in the order they are tried.
pub const PREFIXES: [&str; 2] = ["new/v2.0/", "v2.0/"];

/// The page asked for (`limit`): the Cognigy CLI's `MAX_LIMIT`. A server may send fewer; the
/// list goes on from what it sent.
pub const PAGE_SIZE: usize = 100;

/// 50 pages of 100: 5,000 flows or locales, in at most 50 requests per list.
pub const DEFAULT_MAX_PAGES: u32 = 50;

/// Node configs fetched at once: one request per node, so a flow of 300 nodes is 300 GETs;
/// four in flight keeps a pull quick without tripping a rate limit.
pub const NODES_AT_ONCE: usize = 4;

/// Where the API is and how much of a list to read.
#[derive(Clone, Debug)]
pub struct CognigySettings {
    /// The API's base URL, without the version: `https://api-trial.cognigy.ai`.
    pub url: String,
    pub api_key: Secret,
    /// The most pages of [`PAGE_SIZE`] one list is read to; past it, the rest is reported unread.
    pub max_pages: u32,
}

/// A flow of a project, as the flow list names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flow {
    pub id: String,
    pub name: String,
}

/// A locale of a project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Locale {
    pub id: String,
    pub name: String,
}

/// One flow's chart in one locale, each node with its config: the shape the Cognigy CLI writes to
/// `flows/<flow>/<locale>/chart.json`.
#[derive(Clone, Debug, PartialEq)]
pub struct PulledChart {
    pub flow: Flow,
    pub locale: Locale,
    /// `{nodes: [... with config], relations: [...]}`.
    pub chart: Value,
}

/// What a pull read, and the lists it stopped reading at the page cap.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pull {
    pub charts: Vec<PulledChart>,
    pub truncated: Vec<Truncated>,
}

/// Which flows and locales a pull reads: all, or those of one name.
#[derive(Clone, Copy, Debug, Default)]
pub struct Narrow<'a> {
    pub flow: Option<&'a str>,
    pub locale: Option<&'a str>,
}

pub struct CognigyClient {
    transport: Transport,
    base: Url,
    api_key: Secret,
    max_pages: u32,
    /// The prefix the API answered under, learnt on the first call.
    prefix: OnceLock<&'static str>,
}

impl CognigyClient {
    pub fn new(settings: CognigySettings, http: HttpSettings) -> Result<Self, ClientError> {
        let base = as_base(parse_url("cognigy_url", &settings.url)?);
        let transport = Transport::new(http)?;
        transport.check_url(&base)?;
        Ok(Self {
            transport,
            base,
            api_key: settings.api_key,
            max_pages: settings.max_pages.max(1),
            prefix: OnceLock::new(),
        })
    }

    pub fn stats(&self) -> CallStats {
        self.transport.stats()
    }

    /// The same client, reading at most `max_pages` pages of a list.
    pub fn with_max_pages(mut self, max_pages: u32) -> Self {
        self.max_pages = max_pages.max(1);
        self
    }

    /// The prefix calls go under: learnt, or the first to try.
    pub fn prefix(&self) -> &'static str {
        self.prefix.get().copied().unwrap_or(PREFIXES[0])
    }

    /// A GET under `prefix`, its answer as JSON of type `T`; an error answer is an error naming
    /// the endpoint.
    async fn get_under<T: DeserializeOwned>(
        &self,
        prefix: &str,
        endpoint: &Endpoint,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<(T, String), ClientError> {
        let url = self
            .base
            .join(&format!("{prefix}{path}"))
            .map_err(|e| ClientError::Config(format!("cannot build the request URL: {e}")))?;
        let at = endpoint_name(&Method::GET, &url);
        let response = self
            .transport
            .send(endpoint, &url, |r| {
                r.header("X-API-Key", self.api_key.expose()).query(query)
            })
            .await?;
        if !response.status().is_success() {
            return Err(http::status_error(endpoint.operation, &at, response, 1).await);
        }
        let value = http::json(endpoint.operation, &at, "a JSON answer", response).await?;
        Ok((value, at))
    }

    /// A GET of `endpoint` with `values` in its path. Until a call has succeeded, a 404 under
    /// `/new/v2.0/` is tried again under `/v2.0/`.
    async fn get<T: DeserializeOwned>(
        &self,
        endpoint: &Endpoint,
        values: &[&str],
        query: &[(&str, String)],
    ) -> Result<(T, String), ClientError> {
        let path = endpoint.path_with(values);
        if let Some(prefix) = self.prefix.get() {
            return self.get_under(prefix, endpoint, &path, query).await;
        }
        let first = self.get_under(PREFIXES[0], endpoint, &path, query).await;
        let (answer, prefix) = match first {
            Err(e) if e.status() == Some(404) => {
                tracing::debug!(
                    operation = endpoint.operation,
                    "404 under /{}: trying /{}",
                    PREFIXES[0],
                    PREFIXES[1]
                );
                let second = self.get_under(PREFIXES[1], endpoint, &path, query).await;
                // Neither path exists: the first error names the documented one.
                let second = second.map_err(|other| {
                    if other.status() == Some(404) {
                        e
                    } else {
                        other
                    }
                });
                (second, PREFIXES[1])
            }
            other => (other, PREFIXES[0]),
        };
        if answer.is_ok() {
            let _ = self.prefix.set(prefix);
        }
        answer
    }

    /// The pages of a list, read one at a time with [`Pages::next`].
    fn pages<'a, T: DeserializeOwned>(
        &'a self,
        endpoint: &'static Endpoint,
        values: Vec<String>,
        query: Vec<(&'static str, String)>,
    ) -> Pages<'a, T> {
        Pages {
            client: self,
            endpoint,
            values,
            query,
            read: 0,
            cursor: None,
            total: None,
            pages: 0,
            state: PagesState::More,
            at: String::new(),
            item: std::marker::PhantomData,
        }
    }

    /// A whole list, page by page. At most `max_pages` pages are read; what is left is
    /// reported, never silently dropped.
    async fn list(
        &self,
        endpoint: &'static Endpoint,
        query: Vec<(&'static str, String)>,
    ) -> Result<(Vec<Value>, Option<Truncated>), ClientError> {
        let mut pages = self.pages(endpoint, Vec::new(), query);
        let mut items = Vec::new();
        while let Some(page) = pages.next().await? {
            items.extend(page);
        }
        Ok((items, pages.truncated()))
    }

    /// `GET projects/{projectId}/logs`: the project's log entries, page by page, each entry as
    /// the API sent it. No public source names a time filter or the order the entries come in,
    /// so the whole list is offered and the caller picks what it keeps.
    pub fn logs(&self, project: &str) -> Pages<'_, Box<RawValue>> {
        self.pages(
            &endpoints::COGNIGY_LOGS,
            vec![project.to_string()],
            Vec::new(),
        )
    }

    /// A list of a project's `{_id, name}` items, each made into a `T`.
    async fn named<T>(
        &self,
        endpoint: &'static Endpoint,
        project: &str,
        make: fn(String, String) -> T,
    ) -> Result<(Vec<T>, Option<Truncated>), ClientError> {
        let (items, truncated) = self
            .list(endpoint, vec![("projectId", project.to_string())])
            .await?;
        let text = |item: &Value, key: &str| Some(item.get(key)?.as_str()?.to_string());
        let named = items
            .iter()
            .filter_map(|item| Some(make(text(item, "_id")?, text(item, "name")?)))
            .collect();
        Ok((named, truncated))
    }

    /// `GET flows?projectId=`: the project's flows.
    pub async fn flows(
        &self,
        project: &str,
    ) -> Result<(Vec<Flow>, Option<Truncated>), ClientError> {
        self.named(&endpoints::COGNIGY_FLOWS, project, |id, name| Flow {
            id,
            name,
        })
        .await
    }

    /// `GET locales?projectId=`: the project's locales.
    pub async fn locales(
        &self,
        project: &str,
    ) -> Result<(Vec<Locale>, Option<Truncated>), ClientError> {
        self.named(&endpoints::COGNIGY_LOCALES, project, |id, name| Locale {
            id,
            name,
        })
        .await
    }

    /// `GET flows/{flowId}/chart?preferredLocaleId=`: the nodes (without their config) and relations.
    pub async fn chart(&self, flow_id: &str, locale_id: &str) -> Result<Value, ClientError> {
        let endpoint = &endpoints::COGNIGY_CHART;
        let query = [("preferredLocaleId", locale_id.to_string())];
        let (chart, at): (Value, String) = self.get(endpoint, &[flow_id], &query).await?;
        if !chart.get("nodes").is_some_and(Value::is_array) {
            return Err(ClientError::Unexpected {
                operation: endpoint.operation,
                endpoint: at,
                expected: "a chart: {nodes, relations}".into(),
                excerpt: crate::error::excerpt(&chart.to_string()),
            });
        }
        Ok(chart)
    }

    /// `GET flows/{flowId}/chart/nodes/{nodeId}?preferredLocaleId=`: one node, with its config.
    pub async fn node(
        &self,
        flow_id: &str,
        node_id: &str,
        locale_id: &str,
    ) -> Result<Value, ClientError> {
        let query = [("preferredLocaleId", locale_id.to_string())];
        let (node, _): (Value, String) = self
            .get(&endpoints::COGNIGY_CHART_NODE, &[flow_id, node_id], &query)
            .await?;
        Ok(node)
    }

    /// One flow's chart in one locale, each node given the config its own GET returns and its
    /// `preview` removed, as the Cognigy CLI's `pullFlow` does. [`NODES_AT_ONCE`] nodes are
    /// fetched at a time.
    pub async fn chart_with_configs(
        &self,
        flow_id: &str,
        locale_id: &str,
    ) -> Result<Value, ClientError> {
        let mut chart = self.chart(flow_id, locale_id).await?;
        let ids: Vec<Option<String>> = chart["nodes"]
            .as_array()
            .map(|nodes| {
                nodes
                    .iter()
                    .map(|n| n.get("_id").and_then(Value::as_str).map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let configs: Vec<Option<Value>> = futures_util::stream::iter(ids)
            .map(|id| async move {
                match id {
                    Some(id) => self
                        .node(flow_id, &id, locale_id)
                        .await
                        .map(|mut node| Some(node["config"].take())),
                    None => Ok(None),
                }
            })
            .buffered(NODES_AT_ONCE)
            .try_collect()
            .await?;
        if let Some(nodes) = chart["nodes"].as_array_mut() {
            for (node, config) in nodes.iter_mut().zip(configs) {
                if let Some(object) = node.as_object_mut() {
                    object.remove("preview");
                    if let Some(config) = config.filter(|c| !c.is_null()) {
                        object.insert("config".into(), config);
                    }
                }
            }
        }
        Ok(chart)
    }

    /// A project's flows, each in each of its locales (as `cognigy pull flow` writes them), or
    /// only those `narrow` names. A name that matches nothing is a `Config` error listing the names.
    pub async fn pull(&self, project: &str, narrow: Narrow<'_>) -> Result<Pull, ClientError> {
        let mut pull = Pull::default();
        let (flows, truncated) = self.flows(project).await?;
        pull.truncated.extend(truncated);
        let (locales, truncated) = self.locales(project).await?;
        pull.truncated.extend(truncated);
        let flows = only(flows, narrow.flow, |f| &f.name, "flow", project)?;
        let locales = only(locales, narrow.locale, |l| &l.name, "locale", project)?;
        for flow in &flows {
            for locale in &locales {
                let chart = self.chart_with_configs(&flow.id, &locale.id).await?;
                pull.charts.push(PulledChart {
                    flow: flow.clone(),
                    locale: locale.clone(),
                    chart,
                });
            }
        }
        Ok(pull)
    }
}

/// One page of a list as the API answers it: `{items, total, nextCursor}`.
#[derive(Deserialize)]
struct Page<T> {
    items: Vec<T>,
    #[serde(default)]
    total: Option<Value>,
    #[serde(default, rename = "nextCursor")]
    next_cursor: Option<Value>,
}

enum PagesState {
    More,
    Done,
    /// Stopped at the page cap with more to read.
    Capped,
}

/// A list read a page at a time: `limit` with `next` when the answer gives a `nextCursor`, else
/// with `skip` while `total` says more remain, up to the client's page cap.
pub struct Pages<'a, T> {
    client: &'a CognigyClient,
    endpoint: &'static Endpoint,
    values: Vec<String>,
    query: Vec<(&'static str, String)>,
    read: usize,
    cursor: Option<String>,
    total: Option<u64>,
    pages: u32,
    state: PagesState,
    /// The endpoint as last called, for a report.
    at: String,
    item: std::marker::PhantomData<T>,
}

impl<T: DeserializeOwned> Pages<'_, T> {
    /// The next page's items; `None` once the list is read, or the page cap is reached.
    pub async fn next(&mut self) -> Result<Option<Vec<T>>, ClientError> {
        if !matches!(self.state, PagesState::More) {
            return Ok(None);
        }
        if self.pages >= self.client.max_pages {
            self.state = PagesState::Capped;
            return Ok(None);
        }
        let mut query = self.query.clone();
        query.push(("limit", PAGE_SIZE.to_string()));
        match &self.cursor {
            Some(next) => query.push(("next", next.clone())),
            None => query.push(("skip", self.read.to_string())),
        }
        let values: Vec<&str> = self.values.iter().map(String::as_str).collect();
        let (page, at): (Page<T>, String) = self
            .client
            .get(self.endpoint, &values, &query)
            .await
            .map_err(|e| match e {
            ClientError::Unexpected {
                operation,
                endpoint,
                expected,
                excerpt,
            } => ClientError::Unexpected {
                operation,
                endpoint,
                expected: format!("a list: {{items, total, nextCursor}}; {expected}"),
                excerpt,
            },
            other => other,
        })?;
        self.at = at;
        self.pages += 1;
        self.read += page.items.len();
        self.total = page.total.as_ref().and_then(Value::as_u64).or(self.total);
        self.cursor = page
            .next_cursor
            .as_ref()
            .and_then(Value::as_str)
            .filter(|c| !c.is_empty())
            .map(str::to_string);
        let more = !page.items.is_empty()
            && (self.cursor.is_some() || self.total.is_some_and(|t| (self.read as u64) < t));
        if !more {
            self.state = PagesState::Done;
        }
        Ok(Some(page.items))
    }

    /// Where the list was left unread at the page cap, if it was.
    pub fn truncated(&self) -> Option<Truncated> {
        matches!(self.state, PagesState::Capped).then(|| Truncated {
            endpoint: self.at.clone(),
            read: self.read,
            total: self.total.map(|t| t.min(u64::from(u32::MAX)) as u32),
            pages: self.pages,
        })
    }
}

/// The items named `wanted`, or all of them; none of that name is an error that lists the names.
fn only<T>(
    items: Vec<T>,
    wanted: Option<&str>,
    name: impl Fn(&T) -> &String,
    what: &str,
    project: &str,
) -> Result<Vec<T>, ClientError> {
    let Some(wanted) = wanted else {
        return Ok(items);
    };
    let names: Vec<String> = items.iter().map(|i| format!("`{}`", name(i))).collect();
    let kept: Vec<T> = items.into_iter().filter(|i| name(i) == wanted).collect();
    if kept.is_empty() {
        return Err(ClientError::Config(format!(
            "project {project} has no {what} `{wanted}` (it has {})",
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        )));
    }
    Ok(kept)
}
