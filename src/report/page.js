// quotestance report: draws the page from the JSON in #data. Every text from the data goes
// through textContent or a text node, never parsed as HTML.
(function () {
  "use strict";
  const D = JSON.parse(document.getElementById("data").textContent);
  const Q = D.q;
  const N = D.shown;
  const PAGE = 50;
  const LOW = 0.5;
  const OKABE = { threat: "#D55E00", offer: "#009E73", denial: "#56B4E9", demand: "#E69F00",
    accusation: "#CC79A7", rejection: "#0072B2", neutral: "#999999",
    positive: "#009E73", negative: "#D55E00",
    direct: "#1F4E79", indirect: "#5B8DB8", mixed: "#A8C5E0" };
  const SPARE = ["#F0E442", "#000000", "#8C510A", "#5E3C99"];
  const NONE = "#E8E8E8";
  const state = { speaker: -1, stance: -1, sentiment: -1, kind: -1, who: "", minScore: 0,
    text: "", sort: "file", page: 0, spKey: "n", spDir: -1, spPage: 0, article: 0 };
  let lowered = null;

  function el(tag, props, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === "text") node.textContent = v;
      else if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const c of children || []) node.append(c);
    return node;
  }
  function svg(tag, attrs, title) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (title !== undefined) {
      const t = document.createElementNS("http://www.w3.org/2000/svg", "title");
      t.textContent = title;
      node.append(t);
    }
    return node;
  }
  function name(label) { return label === "" ? "(none)" : label; }
  function speakerName(k) { return D.speakers[k] === "" ? "(unknown speaker)" : D.speakers[k]; }
  function colour(labels, k) {
    const label = labels[k];
    if (label === "") return NONE;
    return OKABE[label] || SPARE[k % SPARE.length];
  }
  function pct(part, whole) { return whole ? (100 * part / whole).toFixed(1) + "%" : "–"; }
  function fmt(n) { return n.toLocaleString("en"); }
  function score(v) { return v === null ? "–" : v.toFixed(2); }
  function swatch(c) { return el("span", { class: "swatch", style: "background:" + c, "aria-hidden": "true" }); }

  // Rows under the page-wide speaker filter.
  function baseRows() {
    const rows = [];
    for (let r = 0; r < N; r++) if (state.speaker < 0 || Q.sp[r] === state.speaker) rows.push(r);
    return rows;
  }
  function countBy(rows, column, size) {
    const counts = new Array(size).fill(0);
    for (const r of rows) counts[column[r]]++;
    return counts;
  }

  // A horizontal bar chart: one bar per label with its count and share.
  function barChart(container, labels, counts, total) {
    const width = 360, bar = 20, left = 90, right = 90;
    const max = Math.max(1, ...counts);
    const chart = svg("svg", { width, height: labels.length * (bar + 4) + 4, role: "img",
      "aria-label": labels.map((l, k) => name(l) + " " + counts[k]).join(", ") });
    labels.forEach((label, k) => {
      const y = 2 + k * (bar + 4);
      const w = (width - left - right) * counts[k] / max;
      const line = name(label) + ": " + fmt(counts[k]) + " (" + pct(counts[k], total) + ")";
      chart.append(svg("text", { x: left - 6, y: y + 14, "text-anchor": "end" }, undefined));
      chart.lastChild.textContent = name(label);
      chart.append(svg("rect", { x: left, y, width: Math.max(w, 0.5), height: bar, fill: colour(labels, k) }, line));
      const t = svg("text", { x: left + w + 6, y: y + 14 });
      t.textContent = fmt(counts[k]) + " · " + pct(counts[k], total);
      chart.append(t);
    });
    container.replaceChildren(chart);
  }

  function renderOverview(rows) {
    const articles = new Set();
    let low = 0, scored = 0;
    for (const r of rows) {
      articles.add(Q.a[r]);
      for (const s of [Q.ss[r], Q.ses[r]]) if (s !== null) { scored++; if (s < LOW) low++; }
    }
    const kinds = countBy(rows, Q.k, D.kinds.length);
    const cards = [["Articles", fmt(articles.size)], ["Quotes", fmt(rows.length)]];
    D.kinds.forEach((k, i) => cards.push([k, pct(kinds[i], rows.length)]));
    document.getElementById("cards").replaceChildren(...cards.map(([label, value]) =>
      el("div", { class: "card" }, [el("b", { text: value }), label])));
    barChart(document.getElementById("stance-chart"), D.stances, countBy(rows, Q.st, D.stances.length), rows.length);
    barChart(document.getElementById("sentiment-chart"), D.sentiments, countBy(rows, Q.se, D.sentiments.length), rows.length);
    barChart(document.getElementById("kind-chart"), D.kinds, kinds, rows.length);
    document.getElementById("lowconf").textContent = scored
      ? "Low-confidence labels (score under " + LOW + "): " + fmt(low) + " of " + fmt(scored) +
        " stance and sentiment labels (" + pct(low, scored) + ")."
      : "No scores: the quotes were not classified (run without --skip-classify for labels).";
  }

  // Per speaker: quote count and stance counts, over all rows (the speaker view ignores its own filter).
  function speakerStats() {
    const stats = new Map();
    for (let r = 0; r < N; r++) {
      let s = stats.get(Q.sp[r]);
      if (!s) { s = { sp: Q.sp[r], n: 0, st: new Array(D.stances.length).fill(0) }; stats.set(Q.sp[r], s); }
      s.n++;
      s.st[Q.st[r]]++;
    }
    return [...stats.values()];
  }

  function toggleSpeaker(sp) {
    state.speaker = state.speaker === sp ? -1 : sp;
    state.page = 0;
    state.article = 0;
    renderAll();
  }

  function stackedBar(s, width) {
    const chart = svg("svg", { width, height: 16, "aria-hidden": "true" });
    let x = 0;
    s.st.forEach((c, k) => {
      if (!c) return;
      const w = width * c / s.n;
      chart.append(svg("rect", { x, y: 0, width: w, height: 16, fill: colour(D.stances, k) },
        name(D.stances[k]) + ": " + c + " (" + pct(c, s.n) + ")"));
      x += w;
    });
    return chart;
  }

  function renderSpeakerBars(stats) {
    const top = [...stats].sort((a, b) => b.n - a.n).slice(0, 15);
    document.getElementById("speaker-bars").replaceChildren(...top.map(s => {
      const mix = D.stances.map((l, k) => s.st[k] ? name(l) + " " + pct(s.st[k], s.n) : "").filter(Boolean).join(", ");
      return el("button", { type: "button", class: "spbar", "aria-pressed": String(state.speaker === s.sp),
        title: speakerName(s.sp) + ": " + mix, "aria-label": speakerName(s.sp) + ", " + s.n + " quotes: " + mix,
        onclick: () => toggleSpeaker(s.sp) },
        [el("span", { class: "name", text: speakerName(s.sp) }), stackedBar(s, 400), el("span", { class: "n", text: fmt(s.n) })]);
    }));
    document.getElementById("stance-legend").replaceChildren(...D.stances.map((l, k) =>
      el("span", {}, [swatch(colour(D.stances, k)), name(l)])));
  }

  function sortButton(label, key) {
    const active = state.spKey === key;
    const th = el("th", { scope: "col", class: key === "name" ? "" : "num",
      "aria-sort": active ? (state.spDir < 0 ? "descending" : "ascending") : "none" });
    th.append(el("button", { type: "button", text: label + (active ? (state.spDir < 0 ? " ▼" : " ▲") : ""),
      onclick: () => {
        state.spDir = active ? -state.spDir : (key === "name" ? 1 : -1);
        state.spKey = key; state.spPage = 0; renderSpeakers();
      } }));
    return th;
  }

  function speakerRow(s, total) {
    const cells = [el("td", {}, [el("button", { type: "button", class: "link", text: speakerName(s.sp),
      "aria-pressed": String(state.speaker === s.sp), onclick: () => toggleSpeaker(s.sp) })]),
      el("td", { class: "num", text: fmt(s.n) }), el("td", { class: "num", text: pct(s.n, total) })];
    s.st.forEach(c => cells.push(el("td", { class: "num", text: fmt(c) + " (" + pct(c, s.n) + ")" })));
    return el("tr", {}, cells);
  }

  function renderSpeakers() {
    const stats = speakerStats();
    renderSpeakerBars(stats);
    const key = state.spKey, dir = state.spDir;
    const value = s => key === "name" ? speakerName(s.sp).toLowerCase() : key === "n" ? s.n : s.st[key] / s.n;
    stats.sort((a, b) => { const x = value(a), y = value(b); return (x < y ? -1 : x > y ? 1 : b.n - a.n) * (x === y ? 1 : dir); });
    const head = el("tr", {}, [sortButton("Speaker", "name"), sortButton("Quotes", "n"), el("th", { scope: "col", class: "num", text: "Share" })]);
    D.stances.forEach((l, k) => head.append(sortButton(name(l), k)));
    const pages = Math.max(1, Math.ceil(stats.length / PAGE));
    state.spPage = Math.min(state.spPage, pages - 1);
    const body = stats.slice(state.spPage * PAGE, (state.spPage + 1) * PAGE).map(s => speakerRow(s, N));
    const all = { sp: -1, n: N, st: countBy(baseAll(), Q.st, D.stances.length) };
    const total = speakerRow(all, N);
    total.className = "total";
    total.firstChild.replaceChildren("Total");
    document.getElementById("speaker-table").replaceChildren(el("thead", {}, [head]), el("tbody", {}, [...body, total]));
    pager(document.getElementById("speaker-pager"), state.spPage, pages, stats.length, "speakers", p => { state.spPage = p; renderSpeakers(); });
  }
  function baseAll() { const rows = new Array(N); for (let r = 0; r < N; r++) rows[r] = r; return rows; }

  function pager(container, page, pages, count, noun, go) {
    container.replaceChildren(
      el("button", { type: "button", text: "← Previous", disabled: "", onclick: () => go(page - 1) }),
      el("span", { text: "Page " + (page + 1) + " of " + pages + " (" + fmt(count) + " " + noun + ")" }),
      el("button", { type: "button", text: "Next →", disabled: "", onclick: () => go(page + 1) }));
    container.firstChild.disabled = page <= 0;
    container.lastChild.disabled = page >= pages - 1;
  }

  // Time bins: days for spans up to two months, weeks (from Monday) up to two years, else months.
  function binOf(day, unit) {
    if (unit === "day") return day;
    if (unit === "month") return day.slice(0, 7);
    const d = new Date(day + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() - (d.getUTCDay() + 6) % 7);
    return d.toISOString().slice(0, 10);
  }
  function binSequence(first, last, unit) {
    const out = [];
    const d = new Date(binOf(first, unit) + (unit === "month" ? "-01" : "") + "T00:00:00Z");
    const end = binOf(last, unit);
    for (let guard = 0; guard < 5000; guard++) {
      const key = binOf(d.toISOString().slice(0, 10), unit);
      out.push(key);
      if (key >= end) break;
      if (unit === "month") d.setUTCMonth(d.getUTCMonth() + 1); else d.setUTCDate(d.getUTCDate() + (unit === "week" ? 7 : 1));
    }
    return out;
  }

  function renderTime(rows) {
    const dated = rows.filter(r => Q.d[r] !== "");
    const note = document.getElementById("time-note");
    const box = document.getElementById("time-chart");
    if (!dated.length) { note.textContent = "No quote has a date."; box.replaceChildren(); return; }
    let first = Q.d[dated[0]], last = first;
    for (const r of dated) { if (Q.d[r] < first) first = Q.d[r]; if (Q.d[r] > last) last = Q.d[r]; }
    const span = (Date.parse(last) - Date.parse(first)) / 864e5;
    const unit = span <= 62 ? "day" : span <= 730 ? "week" : "month";
    const bins = binSequence(first, last, unit);
    const at = new Map(bins.map((b, k) => [b, k]));
    const counts = bins.map(() => new Array(D.stances.length).fill(0));
    for (const r of dated) counts[at.get(binOf(Q.d[r], unit))][Q.st[r]]++;
    note.textContent = "Quotes per " + unit + " by stance, " + first + " to " + last + " (" + fmt(dated.length) +
      " dated quotes" + (dated.length < rows.length ? "; " + fmt(rows.length - dated.length) + " without a date left out" : "") + ").";
    drawColumns(box, bins, counts, unit);
  }

  function drawColumns(box, bins, counts, unit) {
    const h = 220, bottom = 40, left = 40;
    const w = Math.max(3, Math.min(40, Math.floor(900 / bins.length)));
    const max = Math.max(1, ...counts.map(c => c.reduce((a, b) => a + b, 0)));
    const chart = svg("svg", { width: left + bins.length * w + 80, height: h + bottom, role: "img",
      "aria-label": "Quotes per " + unit + " by stance" });
    const axis = svg("text", { x: 2, y: 12 }); axis.textContent = fmt(max); chart.append(axis);
    chart.append(svg("line", { x1: left - 2, y1: 0, x2: left - 2, y2: h, stroke: "#999" }));
    const every = Math.ceil(bins.length / 12);
    bins.forEach((bin, k) => {
      let y = h;
      const total = counts[k].reduce((a, b) => a + b, 0);
      counts[k].forEach((c, s) => {
        if (!c) return;
        const bh = h * c / max;
        y -= bh;
        chart.append(svg("rect", { x: left + k * w, y, width: Math.max(1, w - 1), height: bh, fill: colour(D.stances, s) },
          bin + " · " + name(D.stances[s]) + ": " + c + " of " + total));
      });
      if (k % every === 0) {
        const t = svg("text", { x: left + k * w, y: h + 14 });
        t.textContent = bin;
        chart.append(t);
      }
    });
    box.replaceChildren(chart);
  }

  function fillSelect(id, labels) {
    const select = document.getElementById(id);
    select.replaceChildren(el("option", { value: "-1", text: "any" }),
      ...labels.map((l, k) => el("option", { value: String(k), text: name(l) })));
  }

  // The explorer's rows: the page-wide filter, then the explorer's own filters, then the sort.
  function explorerRows(rows) {
    const who = state.who.trim().toLowerCase();
    const text = state.text.trim().toLowerCase();
    if (text && !lowered) lowered = Q.t.map(t => t.toLowerCase());
    const out = rows.filter(r =>
      (state.stance < 0 || Q.st[r] === state.stance) &&
      (state.sentiment < 0 || Q.se[r] === state.sentiment) &&
      (state.kind < 0 || Q.k[r] === state.kind) &&
      (state.minScore <= 0 || (Q.ss[r] !== null && Q.ss[r] >= state.minScore)) &&
      (!who || D.speakers[Q.sp[r]].toLowerCase().includes(who)) &&
      (!text || lowered[r].includes(text) || D.speakers[Q.sp[r]].toLowerCase().includes(text)));
    const key = { "score-desc": r => -(Q.ss[r] ?? -1), "score-asc": r => Q.ss[r] ?? 2,
      "sentiment-desc": r => -(Q.ses[r] ?? -1), speaker: r => D.speakers[Q.sp[r]].toLowerCase(),
      article: r => D.articles[Q.a[r]] }[state.sort];
    if (key) out.sort((a, b) => { const x = key(a), y = key(b); return x < y ? -1 : x > y ? 1 : a - b; });
    return out;
  }

  function labelCell(labels, k, s) {
    return el("td", { class: s !== null && s < LOW ? "low" : "" },
      [swatch(colour(labels, k)), name(labels[k]) + (s === null ? "" : " " + score(s))]);
  }

  function quoteRow(r) {
    const article = [el("span", { text: D.articles[Q.a[r]] + " #" + Q.i[r] })];
    if (D.texts) article.push(" ", el("button", { type: "button", class: "link", text: "show",
      "aria-label": "Show quote " + Q.i[r] + " in article " + D.articles[Q.a[r]], onclick: () => showInArticle(r) }));
    return el("tr", {}, [el("td", {}, article),
      el("td", {}, [el("button", { type: "button", class: "link", text: speakerName(Q.sp[r]), onclick: () => toggleSpeaker(Q.sp[r]) })]),
      el("td", { text: D.kinds[Q.k[r]] }), labelCell(D.stances, Q.st[r], Q.ss[r]),
      labelCell(D.sentiments, Q.se[r], Q.ses[r]),
      el("td", { class: "quote", text: Q.t[r], title: D.cues[Q.c[r]] ? "cue: " + D.cues[Q.c[r]] : "" })]);
  }

  function renderExplorer(rows) {
    const found = explorerRows(rows);
    const pages = Math.max(1, Math.ceil(found.length / PAGE));
    state.page = Math.min(state.page, pages - 1);
    document.getElementById("explorer-count").textContent = fmt(found.length) + " of " + fmt(rows.length) + " quotes match.";
    document.querySelector("#quotes tbody").replaceChildren(...found.slice(state.page * PAGE, (state.page + 1) * PAGE).map(quoteRow));
    pager(document.getElementById("quote-pager"), state.page, pages, found.length, "quotes",
      p => { state.page = p; renderExplorer(baseRows()); });
  }

  function bindFilters() {
    fillSelect("f-stance", D.stances);
    fillSelect("f-sentiment", D.sentiments);
    fillSelect("f-kind", D.kinds);
    document.getElementById("speaker-list").replaceChildren(...D.speakers.slice(0, 5000).map(s => el("option", { value: s })));
    let timer = 0;
    const update = () => {
      const v = id => document.getElementById(id).value;
      state.stance = +v("f-stance"); state.sentiment = +v("f-sentiment"); state.kind = +v("f-kind");
      state.who = v("f-speaker"); state.minScore = +v("f-score") || 0; state.text = v("f-text"); state.sort = v("f-sort");
      state.page = 0;
      renderExplorer(baseRows());
    };
    const form = document.getElementById("filters");
    form.addEventListener("change", update);
    form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(update, 200); });
    document.getElementById("f-reset").addEventListener("click", () => { form.reset(); update(); });
  }

  // Article view: the articles with text, limited to the filtered speaker's when there is one.
  function articleList() {
    if (!D.texts) return [];
    if (state.speaker < 0) return D.texts.map((_, k) => k);
    const wanted = new Set();
    for (let r = 0; r < N; r++) if (Q.sp[r] === state.speaker) wanted.add(Q.a[r]);
    return D.texts.map((t, k) => k).filter(k => wanted.has(D.texts[k].a));
  }

  function describe(r) {
    return speakerName(Q.sp[r]) + " (" + D.kinds[Q.k[r]] + " quote #" + Q.i[r] + ") — stance: " +
      name(D.stances[Q.st[r]]) + " " + score(Q.ss[r]) + ", sentiment: " + name(D.sentiments[Q.se[r]]) + " " + score(Q.ses[r]) +
      (D.cues[Q.c[r]] ? ", cue: " + D.cues[Q.c[r]] : "");
  }

  function part([text, r, cue]) {
    const inner = cue ? el("span", { class: "cue", text }) : document.createTextNode(text);
    if (r < 0) return inner;
    const c = colour(D.stances, Q.st[r]);
    const mark = el("mark", { tabindex: "0", title: describe(r), "data-q": String(r),
      class: state.speaker >= 0 && Q.sp[r] !== state.speaker ? "dim" : "",
      style: "background:" + c + "40;border-bottom-color:" + c }, [inner]);
    const show = () => { document.getElementById("quote-detail").textContent = describe(r); };
    mark.addEventListener("focus", show);
    mark.addEventListener("mouseenter", show);
    return mark;
  }

  function renderArticle() {
    const list = articleList();
    const select = document.getElementById("article-select");
    state.article = Math.max(0, Math.min(state.article, list.length - 1));
    select.replaceChildren(...list.map((k, i) => el("option", { value: String(i), text: D.articles[D.texts[k].a] })));
    select.value = String(state.article);
    document.getElementById("prev-article").disabled = state.article <= 0;
    document.getElementById("next-article").disabled = state.article >= list.length - 1;
    document.getElementById("quote-detail").textContent = "";
    const box = document.getElementById("article-text");
    if (!list.length) { box.replaceChildren("No article."); return; }
    box.replaceChildren(...D.texts[list[state.article]].parts.map(part));
  }

  function showInArticle(r) {
    const list = articleList();
    state.article = Math.max(0, list.findIndex(k => D.texts[k].a === Q.a[r]));
    renderArticle();
    const mark = document.querySelector('#article-text mark[data-q="' + r + '"]');
    document.getElementById("article").scrollIntoView();
    if (mark) mark.focus();
  }

  function bindArticles() {
    if (!D.texts) return;
    document.getElementById("article").hidden = false;
    document.getElementById("article-link").hidden = false;
    const go = i => { state.article = i; renderArticle(); };
    document.getElementById("prev-article").addEventListener("click", () => go(state.article - 1));
    document.getElementById("next-article").addEventListener("click", () => go(state.article + 1));
    document.getElementById("article-select").addEventListener("change", e => go(+e.target.value));
  }

  function renderFilterBar() {
    const bar = document.getElementById("filterbar");
    if (state.speaker < 0) { bar.replaceChildren(); return; }
    bar.replaceChildren("Showing the quotes of ", el("b", { text: speakerName(state.speaker) }), " ",
      el("button", { type: "button", text: "Show all speakers", onclick: () => toggleSpeaker(state.speaker) }));
  }

  function renderAll() {
    const rows = baseRows();
    renderFilterBar();
    renderOverview(rows);
    renderSpeakers();
    if (Q.d) renderTime(rows);
    renderExplorer(rows);
    if (D.texts) renderArticle();
  }

  document.getElementById("source").textContent = "From " + D.source + ": " + fmt(D.total) + " quotes.";
  document.title = "quotestance report: " + D.source;
  if (D.sample) { const s = document.getElementById("sample"); s.textContent = D.sample; s.hidden = false; }
  if (Q.d) { document.getElementById("time").hidden = false; document.getElementById("time-link").hidden = false; }
  bindFilters();
  bindArticles();
  renderAll();
  // When the page became usable, in ms from navigation start (read by the browser bench).
  window.quotestanceReady = performance.now();
})();
