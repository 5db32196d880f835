"use strict";
(() => {
  const { api, el, svg, showError, time, duration } = vipwatch;
  const params = new URLSearchParams(window.location.search);
  const cluster = params.get("cluster") || "";
  const ip = params.get("ip") || "";
  const base = "api/v1/clusters/" + encodeURIComponent(cluster) + "/vips/" + encodeURIComponent(ip);
  const HOUR = 3600 * 1000;
  const PRESETS = { "1h": HOUR, "6h": 6 * HOUR, "24h": 24 * HOUR, "7d": 7 * 24 * HOUR };

  document.getElementById("where").textContent = ip + " in " + cluster;
  document.title = "vipwatch · " + ip + " · " + cluster;

  function toInput(ms) { return new Date(ms).toISOString().slice(0, 19); }
  function fromInput(value) { return value ? Date.parse(value + "Z") : NaN; }

  async function fitRange() {
    const activity = await api(base + "/activity");
    if (!activity.lastChange) {
      const now = Date.now();
      return [now - 24 * HOUR, now];
    }
    const first = Date.parse(activity.firstChange);
    const last = Date.parse(activity.lastChange);
    const pad = Math.max((last - first) * 0.15, 30 * 1000);
    return [first - pad, last + pad];
  }

  async function initialRange() {
    const from = Date.parse(params.get("from") || "");
    const to = Date.parse(params.get("to") || "");
    if (!isNaN(from) && !isNaN(to)) return [from, to];
    return fitRange();
  }

  function go(from, to) {
    const next = new URLSearchParams({ cluster, ip, from: new Date(from).toISOString(), to: new Date(to).toISOString() });
    window.history.replaceState(null, "", "vip.html?" + next.toString());
    load(from, to);
  }

  document.querySelectorAll("#range button[data-preset]").forEach(button => {
    button.addEventListener("click", async () => {
      const preset = button.getAttribute("data-preset");
      if (preset === "fit") {
        try {
          const [from, to] = await fitRange();
          go(from, to);
        } catch (error) { showError(document.getElementById("problem"), error); }
      } else {
        const now = Date.now();
        go(now - PRESETS[preset], now);
      }
    });
  });
  document.getElementById("apply").addEventListener("click", () => {
    const from = fromInput(document.getElementById("from").value);
    const to = fromInput(document.getElementById("to").value);
    if (isNaN(from) || isNaN(to) || from >= to) {
      showError(document.getElementById("problem"), new Error("Pick a 'from' before 'to'."));
      return;
    }
    go(from, to);
  });

  async function load(from, to) {
    const problem = document.getElementById("problem");
    problem.replaceChildren();
    document.getElementById("from").value = toInput(from);
    document.getElementById("to").value = toInput(to);
    try {
      const timeline = await api(base + "/timeline?from=" + encodeURIComponent(new Date(from).toISOString())
        + "&to=" + encodeURIComponent(new Date(to).toISOString()));
      render(timeline);
      await answerAt(Math.min(to, Date.now()), false);
    } catch (error) {
      showError(problem, error);
      document.getElementById("answer").textContent = "";
    }
  }

  async function answerAt(ms, clicked) {
    const answer = document.getElementById("answer");
    try {
      const owner = await api(base + "/owner?at=" + encodeURIComponent(new Date(ms).toISOString()));
      const nodes = owner.nodes.length ? owner.nodes.join(", ") : "nobody";
      const parts = [clicked ? "At " : "At the end of the range, ", el("strong", {}, time(owner.at)), ": ",
        el("strong", { id: "answer-nodes" }, nodes), owner.nodes.length > 1 ? " (more than one node answers!)" : ""];
      if (owner.service) parts.push(" · claimed by Service ", el("code", {}, owner.service));
      if (owner.since) parts.push(el("span", { class: "muted" }, " · since " + time(owner.since)));
      if (!owner.known) parts.push(el("span", { class: "muted" }, " (nothing recorded before this time)"));
      answer.replaceChildren(...parts);
    } catch (error) {
      answer.textContent = String(error.message || error);
    }
  }

  function render(t) {
    const chart = document.getElementById("chart");
    const from = Date.parse(t.from);
    const to = Date.parse(t.to);
    const width = Math.max(chart.clientWidth || 1000, 600);
    const lanes = t.lanes.length ? t.lanes : [];
    // room for "unknown MAC aa:bb:cc:dd:ee:ff" when the wire heard one
    const left = lanes.some(lane => lane.node.startsWith("mac/")) ? 200 : 150;
    const right = 16, top = 50, laneHeight = 34, barHeight = 20;
    const height = top + Math.max(lanes.length, 1) * laneHeight + 12;
    const x = ms => left + (Math.min(Math.max(ms, from), to) - from) / (to - from) * (width - left - right);
    const root = svg("svg", { class: "timeline", viewBox: "0 0 " + width + " " + height, width, height,
      role: "img", "aria-label": "Timeline of " + t.ip + " in " + t.cluster, "data-from": from, "data-to": to });

    // time axis with about 8 ticks
    const axis = svg("g", { class: "axis" });
    const ticks = 8;
    for (let i = 0; i <= ticks; i++) {
      const ms = from + (to - from) * i / ticks;
      const tx = x(ms);
      axis.appendChild(svg("line", { class: "grid", x1: tx, x2: tx, y1: 22, y2: height - 8 }));
      const label = new Date(ms).toISOString().replace("T", " ").slice(to - from > 2 * 24 * HOUR ? 5 : 11, to - from > 2 * 24 * HOUR ? 16 : 19);
      axis.appendChild(svg("text", { x: tx, y: 16, "text-anchor": i === 0 ? "start" : i === ticks ? "end" : "middle" }, label));
    }
    root.appendChild(axis);

    // lanes: one per node, bars where it answered; a MAC of no node that answered on the wire is "mac/<MAC>"
    lanes.forEach((lane, index) => {
      const y = top + index * laneHeight;
      const unknown = lane.node.startsWith("mac/");
      const label = unknown ? "unknown MAC " + lane.node.substring(4) : lane.node;
      const group = svg("g", { class: unknown ? "lane unknown-mac" : "lane", "data-node": lane.node });
      group.appendChild(svg("rect", { class: "lane-bg", x: left, y, width: width - left - right, height: laneHeight - 6 }));
      group.appendChild(svg("text", { x: left - 10, y: y + laneHeight / 2 + 1, "text-anchor": "end" }, label));
      lane.spans.forEach(span => {
        const start = Date.parse(span.from), end = Date.parse(span.to);
        const bar = svg("rect", { class: "bar", x: x(start), y: y + (laneHeight - 6 - barHeight) / 2,
          width: Math.max(x(end) - x(start), 2), height: barHeight, rx: 3, "data-from": start, "data-to": end });
        bar.appendChild(svg("title", {}, label + " answered " + time(span.from) + " → " + time(span.to)));
        group.appendChild(bar);
      });
      root.appendChild(group);
    });
    if (!lanes.length) {
      root.appendChild(svg("text", { x: left, y: top + 20, class: "muted" }, "No node answered for this VIP in this range."));
    }

    // episodes over the lanes: alerts (divergence) and flaps
    const bottom = top + Math.max(lanes.length, 1) * laneHeight - 6;
    const band = (episode, cls) => {
      const start = Date.parse(episode.openedAt);
      const end = episode.resolvedAt ? Date.parse(episode.resolvedAt) : to;
      const rect = svg("rect", { class: cls, x: x(start), y: top - 22, width: Math.max(x(end) - x(start), 2),
        height: bottom - top + 26, "data-kind": episode.kind, "data-from": start, "data-to": end });
      rect.appendChild(svg("title", {}, episode.kind + " (" + episode.severity.toLowerCase() + ") "
        + time(episode.openedAt) + " → " + (episode.resolvedAt ? time(episode.resolvedAt) : "open")
        + (episode.nodes.length ? " · nodes " + episode.nodes.join(", ") : "") + (episode.hint ? " · " + episode.hint : "")));
      root.appendChild(rect);
      if (cls === "alert") {
        root.appendChild(svg("text", { class: "alert-label", x: x(start) + 4, y: top - 9 }, episode.kind));
      }
    };
    t.flaps.forEach(episode => band(episode, "flap"));
    t.alerts.forEach(episode => band(episode, "alert"));
    t.changes.forEach(change => {
      const cx = x(Date.parse(change.at));
      const line = svg("line", { class: "change", x1: cx, x2: cx, y1: top - 4, y2: bottom + 4 });
      line.appendChild(svg("title", {}, time(change.at) + ": " + (change.beforeNodes.join(", ") || "nobody") + " → "
        + (change.afterNodes.join(", ") || "nobody") + " (" + change.causeType + " " + change.causeKey + ")"));
      root.appendChild(line);
    });

    root.addEventListener("click", event => {
      const box = root.getBoundingClientRect();
      const px = (event.clientX - box.left) * (width / box.width);
      if (px < left) return;
      const ms = from + (px - left) / (width - left - right) * (to - from);
      answerAt(Math.round(ms), true);
    });
    chart.replaceChildren(root);
    renderEpisodes(t);
    renderChanges(t);
  }

  function renderEpisodes(t) {
    const container = document.getElementById("episodes");
    const episodes = [...t.alerts, ...t.flaps].sort((a, b) => Date.parse(a.openedAt) - Date.parse(b.openedAt));
    if (!episodes.length) {
      container.replaceChildren(el("div", { class: "empty" }, "No alert in this range."));
      return;
    }
    container.replaceChildren(el("table", {},
      el("thead", {}, el("tr", {}, el("th", {}, "kind"), el("th", {}, "severity"), el("th", {}, "opened"),
        el("th", {}, "resolved"), el("th", {}, "lasted"), el("th", {}, "nodes"), el("th", {}, "hint"))),
      el("tbody", {}, ...episodes.map(e => el("tr", {},
        el("td", {}, e.kind),
        el("td", {}, el("span", { class: "badge " + e.severity.toLowerCase() }, e.severity.toLowerCase())),
        el("td", {}, time(e.openedAt)),
        el("td", {}, e.resolvedAt ? time(e.resolvedAt) : "still open"),
        el("td", { class: "num" }, e.resolvedAt ? duration(Date.parse(e.resolvedAt) - Date.parse(e.openedAt)) : "–"),
        el("td", {}, e.nodes.join(", ")),
        el("td", { class: "muted" }, e.hint || ""))))));
  }

  function renderChanges(t) {
    const container = document.getElementById("changes");
    if (!t.changes.length) {
      container.replaceChildren(el("div", { class: "empty" },
        "No change in this range; at its start " + (t.nodesAtStart.join(", ") || "nobody") + " answered."));
      return;
    }
    container.replaceChildren(el("table", {},
      el("thead", {}, el("tr", {}, el("th", {}, "time"), el("th", {}, "before"), el("th", {}, "after"),
        el("th", {}, "Service"), el("th", {}, "cause"))),
      el("tbody", {}, ...t.changes.slice().reverse().map(c => el("tr", {},
        el("td", {}, time(c.at)),
        el("td", {}, c.beforeNodes.join(", ") || "nobody"),
        el("td", {}, c.afterNodes.join(", ") || "nobody"),
        el("td", {}, c.service || "–"),
        el("td", { class: "muted" }, c.causeType + " " + c.causeKey + (c.causeSource ? " from " + c.causeSource : ""))))),
      t.changesTruncated ? el("caption", {}, "Only the first changes are shown; narrow the range.") : null));
  }

  if (!cluster || !ip) {
    showError(document.getElementById("problem"), new Error("Open this page from the fleet page, or as vip.html?cluster=C&ip=X."));
  } else {
    initialRange().then(([from, to]) => load(from, to)).catch(error => showError(document.getElementById("problem"), error));
  }
})();
