// Shared by the pages: API calls (with the optional bearer token) and safe DOM building.
// Every string that comes from a cluster is put in the page with textContent or setAttribute, never as HTML.
"use strict";

const vipwatch = (() => {
  const TOKEN_KEY = "vipwatch.apiToken";

  async function api(path) {
    const headers = { "Accept": "application/json" };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers["Authorization"] = "Bearer " + token;
    const response = await fetch(path, { headers });
    if (response.status === 401) {
      const entered = window.prompt("This vipwatch API needs a token (VIPWATCH_API_TOKEN). Token:");
      if (entered) {
        sessionStorage.setItem(TOKEN_KEY, entered);
        return api(path);
      }
    }
    const body = await response.json().catch(() => ({ error: "HTTP " + response.status }));
    if (!response.ok) throw new Error(body.error || ("HTTP " + response.status));
    return body;
  }

  // el("td", {class: "num"}, "text", childNode, ...): text arguments become text nodes
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== null && value !== undefined) node.setAttribute(name, String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
    }
    return node;
  }

  function svg(tag, attributes, text) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== null && value !== undefined) node.setAttribute(name, String(value));
    }
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function showError(container, error) {
    container.replaceChildren(el("div", { class: "error" }, String(error.message || error)));
  }

  function time(iso) {
    if (!iso) return "–";
    return new Date(iso).toISOString().replace("T", " ").replace(/\.000Z$|Z$/, "").replace(/(\.\d{3})$/, "$1") + " UTC";
  }

  function ago(iso, now) {
    if (!iso) return "never";
    const seconds = Math.max(0, Math.round(((now || Date.now()) - new Date(iso).getTime()) / 1000));
    if (seconds < 90) return seconds + " s ago";
    if (seconds < 5400) return Math.round(seconds / 60) + " min ago";
    if (seconds < 129600) return Math.round(seconds / 3600) + " h ago";
    return Math.round(seconds / 86400) + " d ago";
  }

  function duration(ms) {
    const s = Math.round(ms / 1000);
    if (s < 120) return s + " s";
    if (s < 7200) return Math.round(s / 60) + " min";
    if (s < 172800) return (s / 3600).toFixed(1) + " h";
    return (s / 86400).toFixed(1) + " d";
  }

  function badge(count, kind) {
    return el("span", { class: "badge " + (count > 0 ? kind : "zero") }, String(count));
  }

  function vipLink(cluster, ip, label) {
    const href = "vip.html?cluster=" + encodeURIComponent(cluster) + "&ip=" + encodeURIComponent(ip);
    return el("a", { href }, label || ip);
  }

  return { api, el, svg, showError, time, ago, duration, badge, vipLink };
})();
