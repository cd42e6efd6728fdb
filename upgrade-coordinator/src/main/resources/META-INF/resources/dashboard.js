// The coordinator's dashboard. It reads the same REST API as any client, with the same token: a
// JWT kept in the kestra-upgrade-token cookie, because a browser's EventSource cannot send an
// Authorization header and the coordinator also reads the token from that cookie. The fetches send
// it as a bearer header as well, so that they do not depend on the cookie being accepted.
//
// What changes live comes from the cluster's event stream (GET /api/v1/stream?cluster=): its first
// events are snapshots of the upgrades, the ones after it CloudEvents whose data is an UpgradeEvent.
// An event is applied to the upgrade shown at once (a step's state and in-flight count, a phase's
// state, the upgrade's state), and the upgrade is then read again (debounced) for what only the
// coordinator derives: phase durations, estimates, messages. Heartbeats are not on the stream, so
// the fleet is read again every few seconds.

const TOKEN_COOKIE = "kestra-upgrade-token";
const FLEET_REFRESH_MS = 3000;
const REFETCH_DEBOUNCE_MS = 300;
const OVER = new Set(["SUCCEEDED", "FAILED", "ROLLED_BACK", "ROLLBACK_FAILED", "ABORTED"]);
const STEP_OVER = new Set(["SUCCEEDED", "FAILED", "TIMED_OUT", "SKIPPED"]);

const $ = (id) => document.getElementById(id);

const view = {
  cluster: null,
  upgrade: null, // as GET /api/v1/upgrades/{id} shows it
  stream: null,
  fleetTimer: null,
  refetchTimer: null,
  canOperate: false,
};

// ---- the token ------------------------------------------------------------------------------

function readToken() {
  for (const part of document.cookie.split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === TOKEN_COOKIE) return decodeURIComponent(value.join("="));
  }
  return null;
}

function storeToken(token) {
  const secure = location.protocol === "https:" ? "; Secure" : "";
  document.cookie =
    `${TOKEN_COOKIE}=${encodeURIComponent(token)}; path=/; SameSite=Strict${secure}`;
}

function forgetToken() {
  document.cookie = `${TOKEN_COOKIE}=; path=/; SameSite=Strict; Max-Age=0`;
}

/** The token's claims, read without verifying it: only to say who and to grey out the controls. */
function claims(token) {
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(payload.padEnd(payload.length + ((4 - (payload.length % 4)) % 4), "=")));
  } catch (e) {
    return {};
  }
}

/** /?access_token=… goes into the cookie and out of the address bar (and so of the history). */
function takeTokenFromAddress() {
  const url = new URL(location.href);
  const token = url.searchParams.get("access_token");
  if (token === null) return;
  storeToken(token);
  url.searchParams.delete("access_token");
  history.replaceState(null, "", url.pathname + url.search + url.hash);
}

function askForToken(why) {
  stopStream();
  clearInterval(view.fleetTimer);
  $("main").hidden = true;
  $("token").hidden = false;
  $("token-why").textContent = why;
  $("token-input").focus();
}

// ---- the API ----------------------------------------------------------------------------------

/** An answer the API refused; {@code body} is its error format: error, message, details. */
class ApiRefusal extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  const token = readToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = { message: text };
  }
  if (response.status === 401) {
    askForToken(`The coordinator refused the token (401): ${json && json.message ? json.message : ""}`);
  }
  if (!response.ok) throw new ApiRefusal(response.status, json);
  return json;
}

function showError(e) {
  if (e instanceof ApiRefusal && e.status === 401) return; // the token form says it
  $("error").hidden = false;
  const code = e.body && e.body.error ? `${e.body.error}: ` : "";
  $("error-message").textContent = code + e.message;
  const list = $("error-details");
  list.replaceChildren();
  const details = (e.body && (e.body.details || e.body.errors)) || [];
  for (const d of details) {
    list.append(el("li", {}, typeof d === "string" ? d : d.message ? `${d.code || ""} ${d.message}` : JSON.stringify(d)));
  }
}

function clearError() {
  $("error").hidden = true;
}

// ---- small DOM helpers ------------------------------------------------------------------------

/** An element with attributes and children; text goes in as text, never as markup. */
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k.startsWith("data-")) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

function ms(value) {
  if (value === null || value === undefined) return "";
  if (value < 1000) return `${value} ms`;
  const s = value / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** An ISO-8601 duration (PT1M30S) in milliseconds, or null. */
function isoMs(text) {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(text || "");
  return m ? Math.round(((+m[1] || 0) * 3600 + (+m[2] || 0) * 60 + (+m[3] || 0)) * 1000) : null;
}

function time(iso) {
  return iso ? new Date(iso).toLocaleString() : "";
}

function ago(iso) {
  if (!iso) return "never";
  const s = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
  return s < 60 ? `${s} s ago` : `${Math.round(s / 60)} min ago`;
}

function stateBadge(state) {
  return el("span", { class: "state", "data-state": state }, state || "");
}

// ---- the fleet --------------------------------------------------------------------------------

async function loadFleet() {
  const agents = await api("GET", "/api/v1/agents");
  const clusters = [...new Set(agents.map((a) => a.cluster))].sort();
  fillClusters(clusters);
  $("fleet-rows").replaceChildren(
    ...agents
      .filter((a) => a.cluster === view.cluster)
      .map((a) =>
        el("tr", { "data-agent": a.agentId, "data-state": a.status },
          el("td", {}, a.kind),
          el("td", {}, a.instance),
          el("td", { class: "version" }, a.component ? a.component.version : ""),
          el("td", {}, stateBadge(a.status), a.refusal ? el("div", { class: "muted" }, a.refusal) : null),
          el("td", {}, a.component && a.component.ready ? "yes" : "no"),
          el("td", {}, a.component ? a.component.inFlightTasks : ""),
          el("td", { title: time(a.lastSeen) }, ago(a.lastSeen)),
          el("td", {}, a.driver || ""),
          el("td", {}, a.agentVersion || ""),
          el("td", {}, (a.capabilities || []).join(", ")))));
}

function fillClusters(clusters) {
  const select = $("cluster");
  const wanted = view.cluster || new URL(location.href).searchParams.get("cluster") || clusters[0];
  const names = clusters.includes(wanted) || !wanted ? clusters : [...clusters, wanted];
  if ([...select.options].map((o) => o.value).join() !== names.join()) {
    select.replaceChildren(...names.map((c) => el("option", { value: c }, c)));
  }
  if (wanted && view.cluster !== wanted) {
    select.value = wanted;
    selectCluster(wanted);
  }
}

// ---- the upgrade shown ------------------------------------------------------------------------

function showUpgrade(upgrade) {
  view.upgrade = upgrade;
  renderUpgrade();
}

function renderUpgrade() {
  const u = view.upgrade;
  $("no-upgrade").hidden = !!u;
  $("upgrade-body").hidden = !u;
  $("upgrade-title").textContent = u ? u.id : "";
  if (!u) return;
  const state = $("upgrade-state");
  state.textContent = u.state;
  state.dataset.state = u.state;
  $("upgrade-versions").textContent = `${u.fromVersion || "?"} → ${u.toVersion}`;
  $("upgrade-strategy").textContent = u.strategy;
  $("upgrade-duration").textContent = u.durationMs != null ? ms(u.durationMs)
    : u.startedAt ? `running for ${ms(Date.now() - new Date(u.startedAt).getTime())}` : "";
  const message = [u.reasonDescription, u.message].filter(Boolean).join(": ");
  $("upgrade-message").hidden = !message;
  $("upgrade-message").textContent = message;
  renderControls(u);
  renderTimeline(u);
}

function renderControls(u) {
  const allowed = {
    pause: u.state === "RUNNING",
    resume: u.state === "PAUSED",
    abort: !OVER.has(u.state),
    // the API decides what a rollback of a finished upgrade needs (restore or not) and says why not
    rollback: ["RUNNING", "PAUSED", "FAILED", "SUCCEEDED"].includes(u.state),
  };
  for (const b of document.querySelectorAll("[data-control]")) {
    b.disabled = !view.canOperate || !allowed[b.dataset.control];
  }
  $("rollback-restore").disabled = !view.canOperate;
  $("viewer-note").hidden = view.canOperate;
}

function renderTimeline(u) {
  const stepsByPhase = new Map();
  for (const s of u.steps || []) {
    if (!stepsByPhase.has(s.phase)) stepsByPhase.set(s.phase, []);
    stepsByPhase.get(s.phase).push(s);
  }
  $("timeline").replaceChildren(
    ...(u.phases || []).map((p) =>
      el("li", { class: "phase", "data-phase": p.phase, "data-state": p.state },
        el("div", { class: "phase-head" },
          el("strong", {}, p.phase), " ", stateBadge(p.state), " ",
          el("span", { class: "muted" },
            [p.durationMs != null ? ms(p.durationMs) : null,
              p.estimatedMs != null ? `expected ${ms(p.estimatedMs)}` : null,
              `at most ${ms(p.atMostMs)}`].filter(Boolean).join(" · "))),
        el("ul", { class: "steps" },
          ...(stepsByPhase.get(p.phase) || []).map((s) =>
            el("li", { class: "step", "data-step": s.id, "data-state": s.state, "data-agent": s.agentId || "" },
              stateBadge(s.state), " ",
              el("span", { class: "step-type" }, s.type), " ",
              el("span", { class: "agent", title: s.agentId || "" }, shortAgent(s.agentId)), " ",
              el("span", { class: "muted" }, stepDuration(s)),
              s.inFlightTasks != null && !STEP_OVER.has(s.state)
                ? el("span", { class: "in-flight" }, ` ${s.inFlightTasks} in flight`) : null,
              s.message ? el("div", { class: "muted step-message" }, s.message) : null))))));
}

/** An agent id without its cluster, which the page already names. */
function shortAgent(agentId) {
  const prefix = `${view.cluster}/`;
  return agentId && agentId.startsWith(prefix) ? agentId.slice(prefix.length) : agentId || "";
}

function stepDuration(s) {
  if (s.durationMs != null) return ms(s.durationMs);
  if (s.sentAt && !STEP_OVER.has(s.state)) return `${ms(Date.now() - new Date(s.sentAt).getTime())}…`;
  return "";
}

/** Reads the upgrade again, at most once per debounce interval. */
function refetchSoon(id) {
  clearTimeout(view.refetchTimer);
  view.refetchTimer = setTimeout(async () => {
    try {
      const fresh = await api("GET", `/api/v1/upgrades/${id}?eventsLimit=1`);
      if (view.upgrade && view.upgrade.id === fresh.id) showUpgrade(fresh);
      if (OVER.has(fresh.state)) loadHistory().catch(showError);
    } catch (e) {
      showError(e);
    }
  }, REFETCH_DEBOUNCE_MS);
}

// ---- the live stream --------------------------------------------------------------------------

function startStream(cluster) {
  stopStream();
  const live = $("live");
  // the cookie carries the token: EventSource sends no headers
  const stream = new EventSource(`/api/v1/stream?cluster=${encodeURIComponent(cluster)}`);
  view.stream = stream;
  stream.onopen = () => { live.dataset.state = "on"; live.textContent = "live"; };
  stream.onerror = () => {
    // EventSource reconnects by itself, with Last-Event-ID; a refused token shows on the next fetch
    live.dataset.state = "off";
    live.textContent = "reconnecting";
  };
  stream.onmessage = (m) => onEvent(JSON.parse(m.data));
}

function stopStream() {
  if (view.stream) view.stream.close();
  view.stream = null;
}

function onEvent(ce) {
  if (ce.type === "io.kestra.upgrade.upgrade.snapshot") {
    if (ce.data.cluster === view.cluster) showUpgrade(ce.data);
    return;
  }
  const e = ce.data;
  if (e.cluster !== view.cluster) return;
  if (!view.upgrade || view.upgrade.id !== e.upgradeId) {
    // a new upgrade of the cluster: show it from the API, which has its plan
    view.upgrade = { id: e.upgradeId, state: e.state, toVersion: e.toVersion, phases: [], steps: [] };
    refetchSoon(e.upgradeId);
    loadHistory().catch(showError);
    return;
  }
  apply(view.upgrade, ce.type, e);
  renderUpgrade();
  refetchSoon(e.upgradeId);
}

/** What an event says, applied to the upgrade shown until the coordinator's view is read again. */
function apply(u, type, e) {
  if (e.stepId) {
    const step = (u.steps || []).find((s) => s.id === e.stepId);
    if (step) {
      step.state = e.state;
      if (e.inFlightTasks != null) step.inFlightTasks = e.inFlightTasks;
      if (e.message) step.message = e.message;
    }
  } else if (type.startsWith("io.kestra.upgrade.phase.") && e.phase) {
    const phase = (u.phases || []).find((p) => p.phase === e.phase);
    if (phase) phase.state = e.state === "STARTED" ? "RUNNING" : e.state;
  } else if (e.state && !type.startsWith("io.kestra.upgrade.outbox.")) {
    u.state = e.state;
  }
}

// ---- history, plan, controls ------------------------------------------------------------------

async function loadHistory() {
  const upgrades = await api("GET", `/api/v1/upgrades?cluster=${encodeURIComponent(view.cluster)}&limit=50`);
  $("history-rows").replaceChildren(
    ...upgrades.map((u) =>
      el("tr", { "data-upgrade": u.id, "data-state": u.state, class: "clickable", onclick: () => pick(u.id) },
        el("td", { title: u.id }, time(u.createdAt)),
        el("td", {}, `${u.fromVersion || "?"} → ${u.toVersion}`),
        el("td", {}, u.strategy),
        el("td", {}, stateBadge(u.state)),
        el("td", { class: "duration" }, ms(u.durationMs)),
        el("td", { class: "muted" }, [u.reasonDescription, u.message].filter(Boolean).join(": ")))));
  return upgrades;
}

async function pick(id) {
  try {
    showUpgrade(await api("GET", `/api/v1/upgrades/${id}?eventsLimit=1`));
  } catch (e) {
    showError(e);
  }
}

function planBody() {
  const form = $("plan-form");
  const data = new FormData(form);
  const body = { cluster: view.cluster, targetVersion: data.get("targetVersion").trim() };
  for (const name of ["strategy", "migration", "onFailure", "progressDeadline"]) {
    const v = (data.get(name) || "").trim();
    if (v) body[name] = v;
  }
  if (data.get("backup")) body.backup = data.get("backup") === "true";
  if (data.get("acknowledgeBreakingChanges")) body.acknowledgeBreakingChanges = true;
  const extra = (data.get("extra") || "").trim();
  if (extra) {
    let parsed;
    try {
      parsed = JSON.parse(extra);
    } catch (e) {
      throw new ApiRefusal(0, { error: "INVALID_REQUEST", message: `more options: not JSON (${e.message})` });
    }
    Object.assign(body, parsed);
  }
  return body;
}

function renderPlan(plan) {
  $("plan-result").hidden = false;
  const verdict = $("plan-verdict");
  verdict.textContent = plan.executable ? "EXECUTABLE" : "REFUSED";
  verdict.dataset.state = plan.executable ? "SUCCEEDED" : "FAILED";
  $("plan-versions").textContent = `${plan.fromVersion || "?"} → ${plan.toVersion || "?"}`;
  const total = plan.estimate && plan.estimate.total;
  $("plan-estimate").textContent = total
    ? `expected ${total.expected ? ms(isoMs(total.expected)) : "unknown (no earlier upgrade)"}, at most ${ms(isoMs(total.atMost))}`
    : "";
  $("plan-findings").replaceChildren(
    ...(plan.findings || []).map((f) =>
      el("li", { "data-severity": f.severity }, el("strong", {}, `${f.severity} ${f.code}`), ` ${f.message}`)));
  $("plan-steps").replaceChildren(
    ...(plan.steps || []).map((s) =>
      el("tr", { "data-phase": s.phase },
        el("td", {}, s.seq), el("td", {}, s.phase), el("td", {}, s.type), el("td", {}, s.agentId),
        el("td", {}, s.estimate ? ms(isoMs(s.estimate)) : ""),
        el("td", { class: "muted" }, s.timeout ? ms(isoMs(s.timeout)) : ""))));
}

async function previewPlan(event) {
  event.preventDefault();
  clearError();
  try {
    renderPlan(await api("POST", "/api/v1/upgrades/plan", planBody()));
  } catch (e) {
    showError(e);
  }
}

async function startUpgrade() {
  clearError();
  if (!$("plan-form").reportValidity()) return;
  try {
    showUpgrade(await api("POST", "/api/v1/upgrades", planBody()));
    await loadHistory();
  } catch (e) {
    showError(e);
  }
}

async function control(kind) {
  clearError();
  const u = view.upgrade;
  const body = kind === "rollback" && $("rollback-restore").checked ? { restore: true } : undefined;
  try {
    showUpgrade(await api("POST", `/api/v1/upgrades/${u.id}/${kind}`, body));
    await loadHistory();
  } catch (e) {
    showError(e);
  }
}

// ---- wiring -----------------------------------------------------------------------------------

async function selectCluster(cluster) {
  view.cluster = cluster;
  const url = new URL(location.href);
  url.searchParams.set("cluster", cluster);
  history.replaceState(null, "", url.pathname + url.search + url.hash);
  view.upgrade = null;
  renderUpgrade();
  $("plan-result").hidden = true;
  startStream(cluster);
  try {
    const upgrades = await loadHistory();
    // the stream's snapshot may have come first; otherwise the newest upgrade is the one shown
    if (!view.upgrade && upgrades.length) await pick(upgrades[0].id);
  } catch (e) {
    showError(e);
  }
}

async function begin() {
  const token = readToken();
  if (!token) {
    askForToken("The API needs a bearer token (a JWT with the role viewer or operator).");
    return;
  }
  const c = claims(token);
  const roles = c.groups || [];
  view.canOperate = roles.includes("operator");
  $("who").textContent = `${c.upn || c.preferred_username || c.sub || "?"} (${roles.join(", ") || "no role"})`;
  $("sign-out").hidden = false;
  $("token").hidden = true;
  $("main").hidden = false;
  try {
    await loadFleet();
  } catch (e) {
    showError(e);
    return;
  }
  clearInterval(view.fleetTimer);
  view.fleetTimer = setInterval(() => loadFleet().catch(showError), FLEET_REFRESH_MS);
}

function wire() {
  $("cluster").addEventListener("change", (e) => selectCluster(e.target.value));
  $("plan-form").addEventListener("submit", previewPlan);
  $("plan-start").addEventListener("click", startUpgrade);
  for (const b of document.querySelectorAll("[data-control]")) {
    b.addEventListener("click", () => control(b.dataset.control));
  }
  $("error-close").addEventListener("click", clearError);
  $("token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    storeToken($("token-input").value.trim());
    $("token-input").value = "";
    begin();
  });
  $("sign-out").addEventListener("click", () => {
    forgetToken();
    askForToken("Token forgotten.");
  });
  // the running clocks of the upgrade shown (its duration, its steps' so far)
  setInterval(() => view.upgrade && !OVER.has(view.upgrade.state) && renderUpgrade(), 1000);
}

takeTokenFromAddress();
wire();
begin();
