"use strict";
(() => {
  const { api, el, showError, ago, badge, vipLink, time } = vipwatch;

  async function loadFleet() {
    const container = document.getElementById("fleet");
    const select = document.getElementById("lookup-cluster");
    try {
      const clusters = await api("api/v1/fleet");
      select.replaceChildren(...clusters.map(c => el("option", { value: c.cluster }, c.cluster)));
      if (clusters.length === 0) {
        container.replaceChildren(el("div", { class: "empty" }, "No cluster has reported yet."));
        return;
      }
      const rows = clusters.map(c => {
        const collectors = c.heartbeats.map(h => h.source + " " + ago(h.at)).join(", ");
        const link = el("a", { href: "#vips", "data-cluster": c.cluster }, c.cluster);
        link.addEventListener("click", event => { event.preventDefault(); loadVips(c.cluster); });
        return el("tr", { "data-cluster": c.cluster },
          el("td", {}, link),
          el("td", { class: "num" }, badge(c.openCritical, "critical")),
          el("td", { class: "num" }, badge(c.openWarning, "warning")),
          el("td", { class: "num" }, badge(c.flappingVips, "warning")),
          el("td", { class: "num" }, String(c.vips)),
          el("td", {}, collectors || "–"),
          el("td", { class: "muted" }, c.agents > 0 ? c.agents + " agents, oldest " + ago(c.oldestAgentHeartbeat) : "–"),
          el("td", { class: "muted" }, ago(c.lastSeen)));
      });
      container.replaceChildren(el("table", {},
        el("thead", {}, el("tr", {},
          el("th", {}, "cluster"), el("th", { class: "num" }, "critical"), el("th", { class: "num" }, "warning"),
          el("th", { class: "num" }, "flapping VIPs"), el("th", { class: "num" }, "VIPs"),
          el("th", {}, "collector heartbeat"), el("th", {}, "node agents"), el("th", {}, "last event"))),
        el("tbody", {}, ...rows)));
    } catch (error) {
      showError(container, error);
    }
  }

  async function loadAlerts() {
    const container = document.getElementById("alerts");
    try {
      const alerts = await api("api/v1/alerts/open");
      if (alerts.length === 0) {
        container.replaceChildren(el("div", { class: "empty" }, "No open alerts."));
        return;
      }
      container.replaceChildren(el("table", {},
        el("thead", {}, el("tr", {}, el("th", {}, "severity"), el("th", {}, "kind"), el("th", {}, "cluster"),
          el("th", {}, "VIP"), el("th", {}, "nodes"), el("th", {}, "open since"), el("th", {}, "hint"))),
        el("tbody", {}, ...alerts.map(a => el("tr", {},
          el("td", {}, el("span", { class: "badge " + a.severity.toLowerCase() }, a.severity.toLowerCase())),
          el("td", {}, a.kind),
          el("td", {}, a.cluster),
          el("td", {}, a.vip ? vipLink(a.cluster, a.vip) : "–"),
          el("td", {}, a.nodes.join(", ")),
          el("td", { title: time(a.openedAt) }, ago(a.openedAt)),
          el("td", { class: "muted" }, a.hint || ""))))));
    } catch (error) {
      showError(container, error);
    }
  }

  async function loadVips(cluster) {
    const section = document.getElementById("vips-section");
    const container = document.getElementById("vips");
    section.hidden = false;
    document.getElementById("vips-title").textContent = "VIPs of " + cluster;
    try {
      const vips = await api("api/v1/clusters/" + encodeURIComponent(cluster) + "/vips");
      if (vips.length === 0) {
        container.replaceChildren(el("div", { class: "empty" }, "No VIP state recorded for this cluster."));
      } else {
        container.replaceChildren(el("table", {},
          el("thead", {}, el("tr", {}, el("th", {}, "VIP"), el("th", {}, "answering nodes"),
            el("th", {}, "open conditions"), el("th", { class: "num" }, "flap penalty"), el("th", {}, "updated"))),
          el("tbody", {}, ...vips.map(v => el("tr", {},
            el("td", {}, vipLink(v.cluster, v.ip)),
            el("td", {}, v.responders.join(", ") || "nobody"),
            el("td", {}, v.openConditions.join(", ") || "–"),
            el("td", { class: "num" }, String(Math.round(v.flapPenalty))),
            el("td", { class: "muted" }, ago(v.updatedAt)))))));
      }
      section.scrollIntoView({ behavior: "smooth" });
    } catch (error) {
      showError(container, error);
    }
  }

  document.getElementById("lookup").addEventListener("submit", event => {
    event.preventDefault();
    const cluster = document.getElementById("lookup-cluster").value;
    const ip = document.getElementById("lookup-ip").value.trim();
    window.location.href = "vip.html?cluster=" + encodeURIComponent(cluster) + "&ip=" + encodeURIComponent(ip);
  });

  loadFleet();
  loadAlerts();
})();
