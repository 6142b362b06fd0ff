// The Stock Net dashboard: draws /dashboard/events (Server-Sent Events) as they arrive. No build step.
(() => {
  "use strict";
  const WINDOW_SECONDS = 300;
  const token = new URLSearchParams(location.search).get("token");
  const query = token ? "?token=" + encodeURIComponent(token) : "";
  const $ = (id) => document.getElementById(id);

  const series = { t: [], trades: [], lookups: [], tradeP50: [], tradeP99: [], lookupP50: [], lookupP99: [] };
  const charts = {
    throughput: chart("throughput-chart", "requests/s", [["trades/s", "#16a34a"], ["lookups/s", "#2563eb"]]),
    latency: chart("latency-chart", "ms", [["trade p50", "#16a34a"], ["trade p99", "#86efac"], ["lookup p50", "#2563eb"], ["lookup p99", "#93c5fd"]]),
  };

  function chart(id, unit, lines) {
    const element = $(id);
    const options = {
      width: Math.max(300, element.clientWidth || 500), height: 160,
      scales: { x: { time: true } },
      axes: [{}, { label: unit, size: 50 }],
      series: [{}, ...lines.map(([label, stroke]) => ({ label, stroke, width: 2 }))],
      legend: { live: false },
    };
    return new uPlot(options, [[], ...lines.map(() => [])], element);
  }

  function addTraffic(status) {
    const now = Date.parse(status.at) / 1000;
    const traffic = status.traffic;
    series.t.push(now);
    series.trades.push(traffic.trades_per_second);
    series.lookups.push(traffic.lookups_per_second);
    series.tradeP50.push(traffic.trade_p50_ms);
    series.tradeP99.push(traffic.trade_p99_ms);
    series.lookupP50.push(traffic.lookup_p50_ms);
    series.lookupP99.push(traffic.lookup_p99_ms);
    while (series.t.length && series.t[0] < now - WINDOW_SECONDS) {
      Object.values(series).forEach((values) => values.shift());
    }
    charts.throughput.setData([series.t, series.trades, series.lookups]);
    charts.latency.setData([series.t, series.tradeP50, series.tradeP99, series.lookupP50, series.lookupP99]);
    $("trades-rate").textContent = traffic.trades_per_second.toFixed(1);
    $("lookups-rate").textContent = traffic.lookups_per_second.toFixed(1);
    $("trade-latency").textContent = latency(traffic.trade_p50_ms, traffic.trade_p99_ms, traffic.trades_per_second);
    $("lookup-latency").textContent = latency(traffic.lookup_p50_ms, traffic.lookup_p99_ms, traffic.lookups_per_second);
  }

  const latency = (p50, p99, rate) => (rate > 0 ? `${p50.toFixed(2)} / ${p99.toFixed(2)} ms` : "–");

  function renderLeader(status) {
    const leader = $("leader");
    const known = status.leader_id !== undefined && status.leader_id !== null;
    leader.textContent = known ? `Leader: replica ${status.leader_id} · epoch ${status.epoch}` : `No leader · epoch ${status.epoch}`;
    leader.dataset.leader = known ? String(status.leader_id) : "";
    leader.className = known ? "leader" : "leader none";
  }

  function renderNodes(status) {
    const nodes = [
      node("front-end", "frontend", "follower", { address: authority(status.front_end) }, "up"),
      node("catalog", "catalog", status.catalog.up ? "follower" : "down", { address: authority(status.catalog.url) }, status.catalog.up ? "up" : "down"),
      ...status.replicas.map((r) => node(`replica ${r.id}`, `replica-${r.id}`, r.role, {
        epoch: r.epoch ?? "–", "log head": r.max_transaction ?? "–", lag: r.lag ?? "–",
      })),
    ];
    $("nodes").replaceChildren(...nodes);
  }

  const authority = (url) => url.replace(/^https?:\/\//, "").replace(/\/$/, "");

  function node(title, testId, role, facts, roleText) {
    const card = document.createElement("div");
    card.className = `node ${role}`;
    card.dataset.testid = testId;
    card.dataset.role = role;
    const heading = document.createElement("h3");
    heading.append(title);
    const badge = document.createElement("span");
    badge.className = "role";
    badge.textContent = roleText ?? role;
    heading.append(badge);
    const list = document.createElement("dl");
    for (const [key, value] of Object.entries(facts)) {
      const dt = document.createElement("dt");
      dt.textContent = key;
      const dd = document.createElement("dd");
      dd.textContent = value;
      list.append(dt, dd);
    }
    card.append(heading, list);
    return card;
  }

  function renderCacheStats(cache) {
    const lookups = cache.hits + cache.misses;
    $("hit-rate").textContent = !cache.enabled ? "off" : lookups ? `${((100 * cache.hits) / lookups).toFixed(1)}%` : "–";
    $("cache-size").textContent = `${cache.size} / ${cache.capacity}`;
    $("evictions").textContent = cache.evictions;
    $("invalidations").textContent = cache.invalidations;
  }

  function renderTimeline(events) {
    $("timeline").replaceChildren(...events.slice().reverse().map((e) => eventRow(new Date(e.at), e.kind, e.message)));
  }

  function eventRow(at, kind, text, kindClass) {
    const item = document.createElement("li");
    const time = document.createElement("time");
    time.textContent = at.toLocaleTimeString([], { hour12: false }) + "." + String(at.getMilliseconds()).padStart(3, "0");
    const badge = document.createElement("span");
    badge.className = kindClass ?? `kind ${kind}`;
    badge.textContent = kind;
    item.append(time, badge, text);
    return item;
  }

  const recentCacheEvents = [];
  function renderCache(contents) {
    const latest = new Map();
    for (const e of contents.events) {
      latest.set(e.name, e.kind);
      recentCacheEvents.push(e);
    }
    recentCacheEvents.splice(0, Math.max(0, recentCacheEvents.length - 40));
    $("lru").replaceChildren(...contents.entries.map((entry) => {
      const item = document.createElement("li");
      item.dataset.name = entry.name;
      const kind = latest.get(entry.name);
      if (kind === "hit" || kind === "put") item.className = `flash-${kind}`;
      item.append(entry.name);
      const detail = document.createElement("small");
      detail.textContent = `v${entry.version} · ${(entry.age_ms / 1000).toFixed(1)} s`;
      item.append(detail);
      return item;
    }));
    $("cache-events").replaceChildren(...recentCacheEvents.slice().reverse().map((e) =>
      eventRow(new Date(e.at_unix_ms), e.kind, e.name || "(all)", `ev ${e.kind}`)));
  }

  const source = new EventSource("dashboard/events" + query);
  source.addEventListener("open", () => { $("connection").textContent = "live"; $("connection").className = "connection live"; });
  source.addEventListener("error", () => { $("connection").textContent = "reconnecting…"; $("connection").className = "connection lost"; });
  source.addEventListener("status", (message) => {
    const status = JSON.parse(message.data);
    renderLeader(status);
    renderNodes(status);
    renderCacheStats(status.cache);
    renderTimeline(status.events);
    addTraffic(status);
  });
  source.addEventListener("cache", (message) => renderCache(JSON.parse(message.data)));
})();
