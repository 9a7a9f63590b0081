/* gkpub site search (/search/). Runs Pagefind's own runtime from this site
 * (/pagefind/pagefind.js + wasm; no CDN) and draws the results itself.
 *
 * - The query, the filters and the sort order live in the address (?q=…&过程=…&sort=…),
 *   so a search can be shared and the back button works.
 * - Order of results: documents whose 文号/索引号 matches the query exactly (Pagefind
 *   filters), then pages that contain the query as written (a phrase search), then pages
 *   that contain its words apart. The browser splits Chinese into words (低保 → 低 | 保), so
 *   the plain search also finds pages that merely contain both characters; phrase hits
 *   first keep those below the real hits.
 * - Sorted by 发布日期, newest first, unless 按相关度 is chosen.
 * - data() (one fragment request per result) only for the results shown: 10 at a time.
 */
const form = document.getElementById("search-form");
const $ = (id) => document.getElementById(id);
const BUNDLE = form.dataset.pagefind;
const BASE = form.dataset.base;
const STAGE_SLUG = Object.fromEntries(form.dataset.stages.split(",").map((p) => p.split(":")));
const LIST_FILTERS = ["领域", "公开主体", "发布年份", "事项类型", "有效性"]; // checkbox groups
const PAGE = 10;
const VERIFY_MAX = 100; // pages whose text is read when Pagefind's phrase search finds nothing
const DOC_RE = /[〔［[【(（]\s*\d{4}\s*[〕］\]】)）]/; // 文号: 机关代字〔年份〕序号号
const INDEX_RE = /^[0-9A-Z]{18}\/\d{4}-\d{5}$/i; // 索引号, whole
const SERIAL_RE = /^\d{4}-\d{5}$/; // 索引号 without the organisation code

let pagefind = null;
let allFilters = {}; // filter → value → count, over the whole index (for the filters loaded)
const loaded = new Set(); // filters whose data the browser has fetched
let uiFilters = null; // the promise of the checkbox groups being built
let lastFound = null; // counts of the latest search
let run = 0; // number of the latest search; an older one that finishes late is dropped
let hits = []; // [{result, group}] in display order
let shown = 0;

/* ---------------------------------------------------------------- state <-> address */

function emptyState() {
  const filters = {};
  for (const name of LIST_FILTERS) filters[name] = [];
  return { q: "", stage: "", sort: "", filters };
}

function stateFromUrl() {
  const p = new URLSearchParams(location.search);
  const s = emptyState();
  s.q = (p.get("q") || "").trim();
  s.stage = STAGE_SLUG[p.get("过程")] ? p.get("过程") : "";
  s.sort = p.get("sort") === "relevance" ? "relevance" : "";
  for (const name of LIST_FILTERS) s.filters[name] = p.getAll(name).filter(Boolean);
  return s;
}

function stateFromForm() {
  const data = new FormData(form);
  const s = emptyState();
  s.q = String(data.get("q") || "").trim();
  s.stage = String(data.get("过程") || "");
  s.sort = String(data.get("sort") || "");
  for (const name of LIST_FILTERS) s.filters[name] = data.getAll(name).map(String);
  return s;
}

function urlOf(s) {
  const p = new URLSearchParams();
  if (s.q) p.set("q", s.q);
  if (s.stage) p.set("过程", s.stage);
  for (const name of LIST_FILTERS) for (const v of s.filters[name]) p.append(name, v);
  if (s.sort) p.set("sort", s.sort);
  const qs = p.toString();
  return location.pathname + (qs ? "?" + qs : "");
}

function showState(s) {
  $("search-q").value = s.q;
  for (const input of form.querySelectorAll('input[name="过程"]')) input.checked = input.value === s.stage;
  for (const input of form.querySelectorAll('input[name="sort"]')) input.checked = input.value === s.sort;
  checkFilters(s);
}

function checkFilters(s) {
  for (const name of LIST_FILTERS) {
    for (const input of form.querySelectorAll(`input[name="${name}"]`)) {
      input.checked = s.filters[name].includes(input.value);
    }
  }
  const active = LIST_FILTERS.reduce((n, name) => n + s.filters[name].length, 0);
  $("search-active").textContent = active ? `（已选 ${active} 项）` : "";
  if (active) $("search-filters").open = true;
}

function filtersOf(s, withStage = true) {
  const f = {};
  for (const name of LIST_FILTERS) if (s.filters[name].length) f[name] = { any: s.filters[name] };
  if (withStage && s.stage) f["过程"] = s.stage;
  return f;
}

const hasListFilters = (s) => LIST_FILTERS.some((name) => s.filters[name].length);
const hasFilters = (s) => Boolean(s.stage) || hasListFilters(s);

/** Fetch these filters' data, and only these: Pagefind's filters() would fetch every filter,
 *  索引号 and 文号 too (a third of the filter bytes). A search that excludes nothing loads
 *  exactly the filters it names, and later searches then count results by them. */
async function loadFilters(names) {
  const todo = names.filter((n) => !loaded.has(n));
  if (!todo.length) return;
  const none = {};
  for (const n of todo) none[n] = { none: ["\u0000"] };
  const r = await pagefind.search(null, { filters: none });
  for (const n of todo) {
    loaded.add(n);
    allFilters[n] = (r && r.totalFilters && r.totalFilters[n]) || {};
  }
}

/** The checkbox groups: built when the filter panel is first opened (open from the start on
 *  a wide screen, or when the address has filters), so a phone loads them only if asked. */
function ensureUiFilters() {
  uiFilters = uiFilters || loadFilters(LIST_FILTERS).then(() => {
    buildFilters();
    checkFilters(stateFromUrl());
  });
  return uiFilters;
}

/** Counts beside the filter values, once their data is there. */
async function refreshCounts() {
  const s = stateFromUrl();
  const mine = run;
  if (lastFound && (s.q || hasFilters(s)) && !(s.q && idQuery(s.q))) {
    const r = await pagefind.search(s.q || null, { filters: filtersOf(s) });
    if (mine !== run) return; // a newer search has drawn its own counts
    lastFound = { ...lastFound, counts: r.filters };
  }
  showCounts(lastFound);
}

/* ---------------------------------------------------------------- searching */

/** A query that is a 文号 or 索引号, or a recognisable part of one: the filter to look it
 *  up in and which of its values match; null for an ordinary query. */
function idQuery(q) {
  const text = q.replace(/\s+/g, "");
  if (DOC_RE.test(text)) {
    const want = text.replace(/[［[【(（](\d{4})[〕］\]】)）]/g, "〔$1〕");
    return { key: "文号", text: want, match: (v) => v.includes(want) };
  }
  if (INDEX_RE.test(text) || SERIAL_RE.test(text)) {
    const want = text.toUpperCase();
    return { key: "索引号", text: want, match: (v) => v === want || v.endsWith("/" + want) };
  }
  return null;
}

function collector() {
  const seen = new Set();
  return (results, group, needle = "") => {
    for (const r of results || []) {
      const loaded = typeof r.data !== "function"; // {result, data} with the fragment in hand
      const result = loaded ? r.result : r;
      if (!seen.has(result.id)) {
        seen.add(result.id);
        hits.push({ result, group, data: loaded ? r.data : null, needle: loaded ? needle : "" });
      }
    }
  };
}

/** The results whose page text passes ``test``, each as {result, data} with its fragment. */
async function withText(results, test) {
  const data = await Promise.all(results.map((r) => r.data()));
  return results.map((result, i) => ({ result, data: data[i] })).filter((m) => test(clean(m.data.content)));
}

/** Words: phrase hits first, then pages that have the words apart. */
async function wordSearch(s, options) {
  const term = s.q || null;
  const quoted = term && /^".*"$/.test(term);
  const bare = term ? term.replace(/"/g, "").trim() : "";
  const [phrase, plain, byStage] = await Promise.all([
    term && !quoted && bare.length > 1 ? pagefind.search(`"${bare}"`, options) : null,
    pagefind.search(term, options),
    s.stage ? pagefind.search(term, { filters: filtersOf(s, false) }) : null, // counts per 过程
  ]);
  const add = collector();
  let phraseHits = phrase ? phrase.results : [];
  if (phrase && !phraseHits.length && plain.results.length) {
    // Pagefind's phrase search misses when the index split the words differently from the
    // browser (民政局): read the text of the first pages and keep those that have the query.
    const needle = bare.replace(/\s+/g, "");
    phraseHits = await withText(plain.results.slice(0, VERIFY_MAX),
      (text) => text.replace(/\s+/g, "").includes(needle));
  }
  add(phraseHits, "phrase", bare.replace(/\s+/g, ""));
  add(plain.results, phraseHits.length ? "other" : "all");
  const all = byStage || plain;
  return { stages: all.filters["过程"] || {}, total: all.results.length, counts: plain.filters };
}

/** 文号 / 索引号: the documents that bear it (exact, through the filters), then pages whose
 *  text mentions it (a policy interpretation citing its policy's 文号). Full-text hits
 *  that merely share digits are not shown: for these queries they are noise. */
async function idSearch(s, options, id) {
  await loadFilters([id.key]);
  const values = Object.keys(allFilters[id.key] || {}).filter(id.match);
  const byId = values.length ? { [id.key]: { any: values } } : null;
  const [exact, exactAll, near] = await Promise.all([
    byId ? pagefind.search(null, { ...options, filters: { ...options.filters, ...byId } }) : null,
    byId && s.stage ? pagefind.search(null, { filters: { ...filtersOf(s, false), ...byId } }) : null,
    pagefind.search(s.q, { filters: filtersOf(s, false) }), // by relevance: the likeliest first
  ]);
  const all = exactAll || exact;
  const known = new Set(all ? all.results.map((r) => r.id) : []);
  let mentions = await withText(near.results.filter((r) => !known.has(r.id)).slice(0, 30),
    (text) => text.includes(id.text));
  const stages = { ...(all ? all.filters["过程"] : {}) };
  for (const m of mentions) {
    for (const v of m.data.filters["过程"] || []) stages[v] = (stages[v] || 0) + 1;
  }
  const total = (all ? all.results.length : 0) + mentions.length;
  if (s.stage) mentions = mentions.filter((m) => (m.data.filters["过程"] || []).includes(s.stage));
  if (options.sort) mentions.sort((a, b) => String(b.data.meta.date).localeCompare(String(a.data.meta.date)));
  const add = collector();
  add(exact ? exact.results : [], "exact");
  add(mentions, "mention", id.text);
  return { stages, total, counts: exact ? exact.filters : {} };
}

let pending = 0;

async function search(s) {
  pending += 1;
  form.dataset.state = "busy";
  try {
    await draw(s);
  } finally {
    pending -= 1;
    if (!pending) form.dataset.state = "done"; // tests and screenshots wait for this
  }
}

async function draw(s) {
  const mine = ++run;
  hits = [];
  shown = 0;
  $("search-list").replaceChildren();
  $("search-more").hidden = true;
  say("");
  if (!s.q && !hasFilters(s)) {
    status("请在上面的输入框中输入要查找的内容，然后按「检索」。");
    lastFound = null;
    showCounts(null);
    form.classList.add("search-empty");
    return;
  }
  form.classList.remove("search-empty");
  status("正在检索……");
  const options = { filters: filtersOf(s) };
  if (s.sort !== "relevance") options.sort = { date: "desc" };
  const id = s.q ? idQuery(s.q) : null;
  const found = id ? await idSearch(s, options, id) : await wordSearch(s, options);
  if (mine !== run) return;
  lastFound = found;
  showCounts(found);
  if (!hits.length) {
    if (id) {
      status(`没有找到${id.key}为「${id.text}」的公开信息。`);
      say(`请核对${id.key}。依申请公开、不予公开的信息不在网站上发布，可以按政府信息公开指南提出申请。`);
    } else {
      status(`没有找到${s.q ? `与「${s.q}」相关的` : "符合条件的"}信息。`);
      say(hasFilters(s)
        ? "可以减少筛选条件，或换用更短、更常用的词语再试。"
        : "请检查是否有错别字，或换用更短、更常用的词语（如「低保」「津贴」）再试。");
    }
    return;
  }
  status(`找到 ${hits.length} 条${s.q ? `与「${s.q}」相关的` : "符合条件的"}信息`);
  await more(mine, false);
}

/* ---------------------------------------------------------------- drawing */

function status(text) {
  $("search-status").textContent = text;
}

function say(text) {
  $("search-message").textContent = text;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const clean = (text) => String(text || "").replace(/\u200b/g, "");

/** Our own excerpt around the first place the text has ``needle`` (checked by us, not by
 *  Pagefind, whose highlights would mark the single characters it matched). */
function textExcerpt(content, needle) {
  let text = clean(content).replace(/\s+/g, " ");
  let at = text.indexOf(needle);
  if (at < 0) {
    text = text.replace(/ /g, "");
    at = text.indexOf(needle);
  }
  if (at < 0) return null;
  const start = Math.max(0, at - 30);
  const end = Math.min(text.length, at + needle.length + 50);
  const p = el("p", "search-hit-excerpt");
  p.append((start ? "…" : "") + text.slice(start, at), el("mark", "", needle),
    text.slice(at + needle.length, end) + (end < text.length ? "…" : ""));
  return p;
}

/** Pagefind's excerpt is HTML with <mark>; keep the text and the marks, nothing else. */
function excerpt(html) {
  const p = el("p", "search-hit-excerpt");
  const tpl = document.createElement("template");
  tpl.innerHTML = html || "";
  for (const node of tpl.content.childNodes) {
    if (node.nodeName === "MARK") p.append(el("mark", "", clean(node.textContent)));
    else p.append(clean(node.textContent));
  }
  return p;
}

function hitNode(d, needle) {
  const li = el("li", "search-hit");
  const title = el("p", "search-hit-title");
  const stage = (d.filters["过程"] || [])[0];
  if (stage) title.append(el("span", `stage stage-${STAGE_SLUG[stage] || ""}`, stage), " ");
  const a = el("a", "", clean(d.meta.title) || d.url);
  a.href = d.url;
  title.append(a);
  if ((d.filters["有效性"] || []).includes("已失效")) title.append(" ", el("span", "tag tag-expired", "已失效"));
  li.append(title);
  const meta = el("p", "search-hit-meta");
  if (d.meta.org) meta.append(el("span", "", `发布机构：${d.meta.org}`));
  if (d.meta.date) {
    const time = el("time", "", d.meta.date);
    time.dateTime = d.meta.date;
    const span = el("span", "", "发布日期：");
    span.append(time);
    meta.append(span);
  }
  if (d.meta.docno) meta.append(el("span", "", `文号：${d.meta.docno}`));
  li.append(meta, (needle && textExcerpt(d.content, needle)) || excerpt(d.excerpt));
  return li;
}

const GROUP_TITLES = {
  exact: () => "文号或索引号相符的信息",
  mention: (q) => `正文中提到「${q}」的信息`,
  phrase: (q) => `包含「${q}」的信息`,
  other: () => "其他相关信息（检索词的字词分开出现）",
};

function listFor(group) {
  let list = $("search-list").querySelector(`ol[data-group="${group}"]`);
  if (!list) {
    const groups = new Set(hits.map((h) => h.group));
    const section = el("section", "search-group-list");
    if (groups.size > 1 && GROUP_TITLES[group]) {
      const h = el("h3", "search-group-h", GROUP_TITLES[group](stateFromUrl().q));
      h.id = `search-g-${group}`;
      section.setAttribute("aria-labelledby", h.id);
      section.append(h);
    }
    list = el("ol", "search-hits");
    list.dataset.group = group;
    section.append(list);
    $("search-list").append(section);
  }
  return list;
}

async function more(mine, focus) {
  const slice = hits.slice(shown, shown + PAGE);
  const data = await Promise.all(slice.map((h) => h.data || h.result.data()));
  if (mine !== run) return;
  let first = null;
  slice.forEach((h, i) => {
    const node = hitNode(data[i], h.needle);
    listFor(h.group).append(node);
    first = first || node;
  });
  shown += slice.length;
  const left = hits.length - shown;
  const button = $("search-more");
  button.hidden = left <= 0;
  button.textContent = `加载更多（还有 ${left} 条）`;
  if (focus && first) first.querySelector("a").focus();
}

/** Counts beside the 过程 choices (as if no 过程 were chosen) and beside each filter value. */
function showCounts(found) {
  for (const span of form.querySelectorAll(".search-stages .search-n")) {
    const value = span.dataset.n;
    const n = found ? (value ? found.stages[value] || 0 : found.total) : null;
    span.textContent = n === null ? "" : `（${n}）`;
  }
  for (const span of form.querySelectorAll(".search-group .search-c")) {
    const input = span.parentNode.querySelector("input");
    const counts = found && found.counts ? found.counts[input.name] : null; // null: not loaded
    const n = counts ? counts[input.value] || 0 : null;
    span.textContent = n === null ? "" : `（${n}）`;
    span.parentNode.hidden = n === 0 && !input.checked; // values with no result are left out
  }
  for (const group of form.querySelectorAll(".search-group")) {
    group.hidden = [...group.querySelectorAll("label")].every((label) => label.hidden);
  }
}

/** Checkbox groups for the filters whose values come from the index. */
function buildFilters() {
  const holder = $("search-filter-groups");
  const fixed = holder.querySelector('[data-filter="有效性"]');
  for (const name of LIST_FILTERS) {
    let group = holder.querySelector(`[data-filter="${name}"]`);
    if (!group) {
      const values = Object.keys(allFilters[name] || {});
      if (!values.length) continue;
      values.sort(name === "发布年份" ? (a, b) => b.localeCompare(a) : (a, b) => a.localeCompare(b, "zh-CN"));
      group = el("fieldset", "search-group");
      group.dataset.filter = name;
      group.append(el("legend", "", name));
      for (const v of values) {
        const label = el("label");
        const input = el("input");
        input.type = "checkbox";
        input.name = name;
        input.value = v;
        label.append(input, ` ${v}`);
        group.append(label);
      }
      holder.insertBefore(group, fixed);
    }
    for (const label of group.querySelectorAll("label")) {
      if (!label.querySelector(".search-c")) label.append(el("span", "search-n search-c"));
    }
  }
}

/* ---------------------------------------------------------------- wiring */

function go(push) {
  const s = stateFromForm();
  const url = urlOf(s);
  if (url !== location.pathname + location.search) history[push ? "pushState" : "replaceState"](null, "", url);
  showState(s);
  search(s).catch(failed);
}

function failed(err) {
  status("");
  say("检索出错了，请刷新页面再试。");
  console.error(err);
}

async function start() {
  try {
    pagefind = await import(BUNDLE);
    await pagefind.options({ baseUrl: BASE, excerptLength: 40 });
    await pagefind.init();
    await loadFilters(["过程"]); // counts beside the five stages
  } catch (err) {
    say("检索暂时不能使用：本网站的检索索引尚未生成或无法读取。可以按五公开环节、标准目录或公开主体查找公开信息。");
    console.error(err);
    form.dataset.state = "done";
    return;
  }
  $("search-side").hidden = false;
  $("search-results").hidden = false;
  $("search-filters").addEventListener("toggle", () => {
    if ($("search-filters").open) ensureUiFilters().then(refreshCounts).catch(failed);
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    go(true);
  });
  form.addEventListener("change", (e) => {
    if (e.target.name !== "q") go(false);
  });
  $("search-clear").addEventListener("click", () => {
    for (const input of form.querySelectorAll(".search-group input")) input.checked = false;
    go(false);
  });
  $("search-more").addEventListener("click", () => more(run, true).catch(failed));
  window.addEventListener("popstate", () => {
    const s = stateFromUrl();
    showState(s);
    search(s).catch(failed);
  });
  const s = stateFromUrl();
  if (hasListFilters(s)) await ensureUiFilters(); // their checkboxes must exist before any change
  showState(s);
  await search(s).catch(failed);
  if (window.matchMedia("(min-width: 900px)").matches) $("search-filters").open = true;
}

start();
