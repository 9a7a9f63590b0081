/* gkpub site search (/search/). Runs Pagefind's runtime from this site (no CDN) over the
 * bundles listed in /pagefind/gkpub-search.json, and draws the results itself.
 *
 * - The index holds our own tokens, not Pagefind's words (gkpub/outputs/search/tokens.py):
 *   overlapping bigrams of Han text, ASCII words, spelled in letters so no segmenter splits
 *   them. The query is turned into the same tokens here (queryTokens, the same rule). A page
 *   has every token of the query → it is a result; it has them at consecutive positions →
 *   it contains the query as written ("exact"), which Pagefind's result locations tell
 *   without loading anything more. Exact hits come first; the others are "related".
 * - A query that is a 文号 or 索引号 is looked up in those filters first.
 * - The query, the filters, sort and grouping live in the address (?q=…&过程=…&sort=…).
 * - Counts beside a filter's values are computed with every other filter applied but not
 *   that filter's own, so the other values stay choosable (multi-select: any of them).
 * - data() (one fragment each) only for the results shown: 10 at a time.
 * - The shards are merged as queries need them: the word directory (pagefind/words/, one
 *   small file per bucket of tokens) says which shards hold a token, and a query searches the
 *   shards that hold all of its tokens (a shard without one of them has no page that matches;
 *   results are put in one canonical order, so a tab that merged more shards before shows
 *   the same list). A query of filters alone merges every shard. The filters' values and
 *   totals come from the manifest.
 * - A city site ([[search.merge]] in site.toml) also merges each district site's shards,
 *   read from that site's own manifest, with a synthetic 地区 filter (Pagefind's mergeFilter)
 *   and that site's address as the base of its results' links. A district whose manifest
 *   cannot be read, whose index was made with another tokenizer or Pagefind, or one of whose
 *   bundles fails to load, is left out and named above the results; the others are searched.
 */
const form = document.getElementById("search-form");
const $ = (id) => document.getElementById(id);
const BASE = form.dataset.base;
const STAGE_SLUG = Object.fromEntries(form.dataset.stages.split(",").map((p) => p.split(":")));
const STAGES = Object.keys(STAGE_SLUG);
// synonyms and catalogue names, in a data attribute: no inline script under the CSP
const WORDS = JSON.parse($("search-words").dataset.words);
const REGION = "地区"; // the filter a city site adds over the sites it merges
const OWN_REGION = form.dataset.region || "";
const REGIONS = JSON.parse(form.dataset.regions || "[]"); // [[name, base URL ending in /], …]
const LIST_FILTERS = [...(REGIONS.length ? [REGION] : []), "类型", "领域", "公开主体", "发布年份", "事项类型", "文件类型", "有无文号", "有效性"];
const PAGE = 10;
const DOC_RE = /[〔［[【(（]\s*\d{4}\s*[〕］\]】)）]/; // 文号: 机关代字〔年份〕序号号
const INDEX_RE = /^[0-9A-Z]{18}\/\d{4}-\d{5}$/i; // 索引号, whole
const SERIAL_RE = /^\d{4}-\d{5}$/; // 索引号 without the organisation code
const OTHER = "其他栏目";
const ITEM_KIND = "公开信息"; // 类型 of a disclosure item (records.py); fixed pages have their column's name // the group of fixed pages (指南, 制度, 年报, 联系我们) when grouped by stage

let pagefind = null; // the runtime with the bundles merged so far: search it through pf()
let rebuilding = Promise.resolve(); // settles when the Pagefind fresh() is making is ready
const underWay = new Set(); // pf() calls not finished yet: fresh() waits for them
const DRAIN_MS = 5000; // the longest fresh() waits for them
let allFilters = {}; // filter → value → records, over the whole index (from the manifests)
let sites = []; // [{root, manifest, opts, region}]: this site, then each district that could be read
const dateTables = new Map(); // date table URL → Promise of {page id: 发布日期}
let mergedList = []; // [[bundle URL, site]] merged into the current Pagefind, in order
const buckets = new Map(); // bucket URL → Promise of {token: hex mask}
let run = 0; // number of the latest search; an older one that finishes late is dropped
let hits = []; // [{result, group, match}] in display order
let shown = 0;
let needle = "";
const unreachable = []; // districts whose index could not be merged: [name, base URL]

/** pagefind.search(...args), never on a Pagefind that fresh() is destroying: a call waits for
 *  a Pagefind being made, and fresh() waits for the calls under way (a district that failed for
 *  one search must not break another search of the tab). */
async function pf(...args) {
  for (let gate = rebuilding; ; gate = rebuilding) {
    await gate;
    if (gate === rebuilding) break; // no fresh() began meanwhile
  }
  const call = pagefind.search(...args);
  underWay.add(call);
  try {
    return await call;
  } finally {
    underWay.delete(call);
  }
}

/* ---------------------------------------------------------------- tokens (tokens.py) */

const isHan = (cp) => (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) ||
  (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x2ffff);
const ASCII = "0123456789abcdefghijklmnopqrstuvwxyz";
const asciiCode = (c) => {
  const i = ASCII.indexOf(c);
  return "ma" + String.fromCharCode(97 + Math.floor(i / 26), 97 + (i % 26));
};
const hanCode = (ch) => {
  let n = ch.codePointAt(0);
  let out = "";
  for (let k = 0; k < 4; k++) {
    out = String.fromCharCode(97 + (n % 26)) + out;
    n = Math.floor(n / 26);
  }
  return out;
};

function runs(text) {
  const out = [];
  let kind = "";
  let cur = [];
  let space = false;
  const flush = () => {
    if (cur.length) out.push([kind, cur]);
  };
  for (const ch of text.normalize("NFKC").toLowerCase()) {
    const cp = ch.codePointAt(0);
    if (isHan(cp)) {
      if (kind !== "h") {
        flush();
        kind = "h";
        cur = [];
      }
      cur.push(ch);
      space = false;
    } else if (ASCII.includes(ch)) {
      if (kind !== "a" || space) {
        flush();
        kind = "a";
        cur = [];
      }
      cur.push(ch);
      space = false;
    } else if (/\s/u.test(ch)) {
      space = true;
    } else {
      flush();
      kind = "";
      cur = [];
      space = false;
    }
  }
  flush();
  return out;
}

/** A run's tokens: for each character its bigram with the next (or, last, itself + "x"), then itself + "u". */
function runTokens(kind, chars) {
  const codes = chars.map(kind === "a" ? asciiCode : hanCode);
  const out = [];
  codes.forEach((c, i) => out.push(i + 1 < codes.length ? c + codes[i + 1] : c + "x", c + "u"));
  return out;
}

/** The query's tokens with their positions (see tokens.query_tokens): [token, position]. */
function queryTokens(text) {
  const out = [];
  for (const [kind, chars] of runs(text)) {
    const base = out.length;
    runTokens(kind, chars).forEach((t, i) => out.push([t, base + i]));
  }
  if (out.length) out.splice(out.length - 2, 1); // the last character's "x": the text may go on
  return out;
}
window.gkpubQueryTokens = queryTokens; // tests compare it with tokens.py

/** The tokens to ask for, with their positions: of each run's bigrams every other one and the
 *  last (together they cover every character), the "x" of a run the query ends (the text's
 *  run ends there too), and for a last run of one character its "u". Fewer tokens, fewer
 *  index chunks to fetch; the positions still pin the whole query (hasAll). Every token is
 *  a whole word of the index: no prefix search (Pagefind looks for a prefix's words in one
 *  index chunk only). */
function askTokens(text) {
  const out = [];
  const parts = runs(text);
  let base = 0;
  parts.forEach(([kind, chars], i) => {
    const toks = runTokens(kind, chars);
    const n = chars.length;
    for (let k = 0; k + 1 < n; k += 2) out.push([toks[2 * k], base + 2 * k]);
    if (n >= 2 && (n - 2) % 2 === 1) out.push([toks[2 * (n - 2)], base + 2 * (n - 2)]);
    if (i < parts.length - 1) out.push([toks[2 * (n - 1)], base + 2 * (n - 1)]);
    else if (n === 1) out.push([toks[1], base + 1]);
    base += toks.length;
  });
  return out;
}

/** A result has the query as written: a position p where token i of the query stands at
 *  p + its offset, for every asked token. ``at[i]``: result id → positions of token i (from a
 *  search for that token alone: Pagefind's locations of an AND search do not say which term
 *  stands where, and "财政局、区民政局" must not pass for 青禾区民政局). */
function hasAll(id, asked, at) {
  if (asked.length <= 1) return true;
  const first = at[0].get(id);
  if (!first) return false;
  for (const p of first) if (asked.every(([, o], i) => at[i].get(id)?.has(p + o - asked[0][1]))) return true;
  return false;
}

/* ---------------------------------------------------------------- state <-> address */

function emptyState() {
  const filters = {};
  for (const name of LIST_FILTERS) filters[name] = [];
  return { q: "", stage: "", sort: "", filters };
}

const SORTS = ["", "date", "stage"]; // relevance (exact first), date, grouped by stage

function stateFromUrl() {
  const p = new URLSearchParams(location.search);
  const s = emptyState();
  s.q = (p.get("q") || "").trim();
  s.stage = STAGE_SLUG[p.get("过程")] ? p.get("过程") : "";
  s.sort = SORTS.includes(p.get("sort")) ? p.get("sort") : "";
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

/** Pagefind filters for a state; ``without``: leave that filter out (its own counts). */
function filtersOf(s, without = "") {
  const f = {};
  for (const name of LIST_FILTERS) if (name !== without && s.filters[name].length) f[name] = { any: s.filters[name] };
  if (without !== "过程" && s.stage) f["过程"] = s.stage;
  return f;
}

const hasListFilters = (s) => LIST_FILTERS.some((name) => s.filters[name].length);
const hasFilters = (s) => Boolean(s.stage) || hasListFilters(s);

/** Pagefind counts a filter's values in a result only once that filter's data is loaded in
 *  each merged shard: load it (a filter-only search that excludes nothing) for 过程, and for the
 *  panel's filters once the panel is open. Not 索引号 and 文号: one value per page, large. */
async function warmFilters() {
  const none = {};
  for (const n of ["过程", ...(uiFilters ? LIST_FILTERS.filter((x) => x !== REGION) : [])]) none[n] = { none: ["\u0000"] };
  await pf(null, { filters: none });
}

/** A 文号 or 索引号 filter's values over the shards merged for the query (never kept: a later
 *  query may have merged more). */
async function idValues(key) {
  const r = await pf(null, { filters: { [key]: { none: ["\u0000"] } } });
  return Object.keys((r && r.totalFilters && r.totalFilters[key]) || {});
}

/* ---------------------------------------------------------------- searching */

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

const term = (asked) => (asked.length ? asked.map(([t]) => t).join(" ") : null);

// one order whatever shards this tab merged, and in what order: the page id breaks every tie
const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Newest first. Pagefind's own sort orders each merged shard apart and mixes them by rank,
 * so the index keeps no sort: the date comes from the shards' date tables. */
async function byDate(results) {
  const date = await datesOf();
  return [...results].sort((a, b) => {
    const da = date.get(a.id) || "", db = date.get(b.id) || "";
    return da < db ? 1 : da > db ? -1 : byId(a, b);
  });
}

/** One search: its results split into exact and related, with the counts per filter value. */
async function find(tokens, filters, sort) {
  const [r, ...each] = await Promise.all([pf(term(tokens), { filters }),
    ...(tokens.length > 1 ? tokens.map(([t]) => pf(t, { filters })) : [])]);
  const at = each.map((e) => new Map(e.results.map((x) => [x.id, new Set(x.words)])));
  const exact = [];
  const related = [];
  const ordered = sort === "date" || sort === "stage" ? await byDate(r.results)
    : [...r.results].sort((a, b) => b.score - a.score || byId(a, b));
  for (const res of ordered) (tokens.length === 0 || hasAll(res.id, tokens, at) ? exact : related).push(res);
  return { exact, related, counts: r.filters, total: r.results.length };
}

/** Counts for each filter group as if that group had nothing chosen. */
async function facetCounts(tokens, s, base, total) {
  const counts = { ...base, __all: total }; // __all: beside 全部, the results with no 过程 chosen
  const groups = ["过程", ...LIST_FILTERS].filter((n) => (n === "过程" ? s.stage : s.filters[n].length));
  const done = await Promise.all(groups.map((n) => pf(term(tokens), { filters: filtersOf(s, n) })));
  groups.forEach((n, i) => {
    counts[n] = done[i].filters[n] || {};
    if (n === "过程") counts.__all = done[i].results.length;
  });
  return counts;
}

/** The pages of an 文号/索引号 lookup under ``filters``: those that bear it (``values`` of its
 *  filter; newest first), then those whose text has it as written. */
async function idHits(filters, id, values, tokens) {
  const withId = values.length ? { [id.key]: { any: values } } : null;
  const [exact, text] = await Promise.all([
    withId ? pf(null, { filters: { ...filters, ...withId } }).then((r) => byDate(r.results)) : [],
    find(tokens, filters, "date"),
  ]);
  const known = new Set(exact.map((r) => r.id));
  const out = exact.map((result) => ({ result, group: "id", match: "exact" }));
  for (const result of text.exact) if (!known.has(result.id)) out.push({ result, group: "mention", match: "exact" });
  return out;
}

const TALLY_MAX = 200; // a lookup with more pages (a bare 〔2023〕) gets no counts: each page is a fragment to fetch

/** How many of ``list`` have each value of each filter (of ``only``, if given), from the pages'
 *  own filters; null when there are too many pages or one cannot be read. */
async function tally(list, only = "") {
  if (list.length > TALLY_MAX) return null;
  const out = {};
  for (const name of only ? [only] : ["过程", ...LIST_FILTERS]) out[name] = {};
  let data;
  try {
    data = await Promise.all(list.map((h) => h.result.data()));
  } catch {
    return null; // a fragment gone (the site rebuilt since): the list stays, the counts go
  }
  for (const d of data) {
    const filters = { ...(d.filters || {}) };
    // a merged district's pages: Pagefind's mergeFilter marks its index, not its fragments
    if (REGIONS.length && !filters[REGION]) filters[REGION] = [(regionOf(d.url) || [OWN_REGION])[0]];
    for (const [name, values] of Object.entries(filters)) {
      if (only && name !== only) continue;
      const m = out[name] || (out[name] = {});
      for (const v of values) m[v] = (m[v] || 0) + 1;
    }
  }
  return out;
}

/** A lookup lists only its own pages, no related ones: the counts beside the stages and the
 *  filters are of those pages (a text search's counts would take in every page that has the
 *  digits anywhere: 448 beside 全部 for the 5 pages of 2025-00375 at 10k). */
async function idCounts(s, id, values, tokens, listed) {
  const all = await tally(listed);
  if (!all) return null;
  const counts = { ...all, __all: listed.length };
  const groups = ["过程", ...LIST_FILTERS].filter((x) => (x === "过程" ? s.stage : s.filters[x].length));
  const lists = await Promise.all(groups.map((n) => idHits(filtersOf(s, n), id, values, tokens)));
  const each = await Promise.all(groups.map((n, i) => tally(lists[i], n)));
  for (const [i, n] of groups.entries()) {
    if (!each[i]) return null;
    counts[n] = each[i][n];
    if (n === "过程") counts.__all = lists[i].length;
  }
  return counts;
}

async function idSearch(s, id, tokens) {
  const values = (await idValues(id.key)).filter(id.match);
  const list = await idHits(filtersOf(s), id, values, tokens);
  return { total: list.length, exact: list.length, counts: await idCounts(s, id, values, tokens, list), hits: list };
}

async function wordSearch(s, tokens) {
  const found = await find(tokens, filtersOf(s), s.sort);
  const counts = await facetCounts(tokens, s, found.counts, found.total);
  const tag = (group, match) => (result) => ({ result, group, match });
  let list = found.exact.map(tag("exact", "exact")).concat(found.related.map(tag("related", "related")));
  if (s.sort === "stage" && found.exact.length) {
    // one search per stage (and one for the fixed pages): grouped without reading every fragment
    const base = filtersOf(s);
    const parts = STAGES.filter((st) => !s.stage || st === s.stage).map((st) => [STAGE_SLUG[st], { ...base, 过程: st }]);
    if (!s.stage) parts.push(["other", { ...base, 类型: { ...(base["类型"] || {}), none: [ITEM_KIND] } }]);
    const each = await Promise.all(parts.map(([, f]) => find(tokens, f, "date")));
    list = [];
    parts.forEach(([slug], i) => {
      list.push(...each[i].exact.map(tag(slug, "exact")), ...each[i].related.map(tag(slug, "related")));
    });
  }
  if (!found.exact.length) list = [];
  return { total: found.total, exact: found.exact.length, related: found.related.length, counts, hits: list };
}

/** What the page holds for the last search, for the recall benchmark and tests: every hit in
 *  display order (not only the ten drawn), as Pagefind's page id, its label and its group. */
window.gkpubHits = () => hits.map((h) => ({ id: h.result.id, match: h.match, group: h.group }));

let pending = 0;

/** Rethrow an error of the latest search (number ``mine``); one of a search a later one replaced
 *  is only logged: the later one draws. */
function unlessStale(mine, err) {
  if (mine === run) throw err;
  console.warn("一次较早的检索出错，已由后来的检索取代：", err);
}

async function search(s) {
  pending += 1;
  form.dataset.state = "busy";
  const mine = run + 1; // draw()'s number
  try {
    await draw(s);
  } catch (err) {
    unlessStale(mine, err);
  } finally {
    pending -= 1;
    if (!pending) form.dataset.state = "done"; // tests and screenshots wait for this
  }
}

function say(text, empty = false) {
  const m = $("search-message");
  m.replaceChildren();
  if (text) m.append(el("p", "", text));
  if (empty) m.dataset.empty = "1";
  else delete m.dataset.empty;
  return m;
}

async function draw(s) {
  const mine = ++run;
  hits = [];
  shown = 0;
  $("search-list").replaceChildren();
  $("search-more").hidden = true;
  say("");
  delete form.dataset.total;
  delete form.dataset.exact;
  const tokens = askTokens(s.q);
  if ((!s.q || !tokens.length) && !hasFilters(s)) {
    status(s.q ? `「${s.q}」中没有可以检索的文字，请输入汉字、字母或数字。` : "请在上面的输入框中输入要查找的内容，然后按「检索」。");
    showCounts(null);
    form.classList.add("search-empty");
    $("search-skip").hidden = true;
    return;
  }
  form.classList.remove("search-empty");
  status("正在检索……");
  await ensure(tokens);
  if (mine !== run) return;
  const id = s.q ? idQuery(s.q) : null;
  const found = id ? await idSearch(s, id, tokens) : await wordSearch(s, tokens);
  if (mine !== run) return; // a later search is drawing: this one's list is dropped
  hits = found.hits;
  form.dataset.total = String(found.total);
  form.dataset.exact = String(found.exact);
  showCounts(found.counts);
  needle = s.q;
  $("search-skip").hidden = !hits.length;
  if (!hits.length) {
    if (id) {
      status(`没有找到${id.key}为「${id.text}」的公开信息。`);
      say(`请核对${id.key}。依申请公开、不予公开的信息不在网站上发布，可以按政府信息公开指南提出申请。`, true);
    } else if (s.q) {
      status(`没有找到「${s.q}」。`);
      const box = say(`没有找到「${s.q}」${hasFilters(s) ? "（在所选的筛选条件下）" : ""}。`, true);
      await suggest(s, box, mine);
    } else {
      status("没有符合条件的信息。");
      say("可以减少筛选条件再试。", true);
    }
    return;
  }
  const what = s.q ? `包含「${s.q}」的信息` : "符合条件的信息";
  status(id ? `找到 ${hits.length} 条与「${id.text}」有关的信息` :
    `找到 ${found.exact} 条${what}` + (found.related ? `，另有 ${found.related} 条相关信息` : ""));
  await more(mine, false);
}

/** Other words to try: the site's synonyms of the query, then catalogue names that share
 *  two characters in a row with it; each shown with its count, only if it finds something. */
async function suggest(s, box, mine) {
  const q = s.q.replace(/\s+/g, "");
  const cands = [];
  for (const group of WORDS.synonyms || []) {
    const w = group.find((g) => q.includes(g)); // 高龄补贴发放 → 高龄津贴发放
    if (w) for (const v of group) if (v !== w && !cands.includes(q.replace(w, v))) cands.push(q.replace(w, v));
  }
  const pairs = new Set();
  for (let i = 0; i + 1 < q.length; i++) pairs.add(q.slice(i, i + 2));
  const scored = (WORDS.names || []).map((n) => [n, [...pairs].filter((p) => n.includes(p)).length])
    .filter(([n, k]) => k > 0 && n !== q).sort((a, b) => b[1] - a[1] || a[0].length - b[0].length);
  for (const [n] of scored) if (!cands.includes(n)) cands.push(n);
  for (const w of cands.slice(0, 8)) {
    await ensure(askTokens(w)); // one merge at a time
    if (mine !== run) return; // the resident asked something else meanwhile
  }
  const tried = await Promise.all(cands.slice(0, 8).map(async (w) => {
    const f = await find(askTokens(w), filtersOf(s), "");
    return [w, f.exact.length];
  }));
  if (mine !== run) return;
  const good = tried.filter(([, n]) => n > 0).slice(0, 5);
  if (!good.length) {
    box.append(el("p", "", "请检查是否有错别字，或换用更短、更常用的词语（如「低保」「津贴」）再试。"));
    return;
  }
  const p = el("p", "search-suggest", "您是不是要找：");
  good.forEach(([w, n], i) => {
    const a = el("a", "", w);
    a.href = urlOf({ ...s, q: w });
    if (i) p.append("、");
    p.append(a, `（${n} 条）`);
  });
  box.append(p);
}

/* ---------------------------------------------------------------- drawing */

function status(text) {
  $("search-status").textContent = text;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Where the query is in the visible text: the query's characters with any whitespace between. */
function locate(text, q) {
  const chars = [...q.replace(/\s+/g, "")].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  if (!chars.length) return null;
  const m = new RegExp(chars.join("\\s*"), "iu").exec(text);
  return m ? [m.index, m[0].length] : null;
}

/** An excerpt of the visible body text around the query (or its start), the query marked. */
function textExcerpt(text, q) {
  text = String(text || "").replace(/\s+/g, " ").trim();
  const p = el("p", "search-hit-excerpt");
  const at = locate(text, q);
  if (!at) {
    p.append(text.slice(0, 80) + (text.length > 80 ? "…" : ""));
    return p;
  }
  const [i, n] = at;
  const start = Math.max(0, i - 30);
  const end = Math.min(text.length, i + n + 50);
  p.append((start ? "…" : "") + text.slice(start, i), el("mark", "", text.slice(i, i + n)),
    text.slice(i + n, end) + (end < text.length ? "…" : ""));
  return p;
}

/** The merged site a result's link is on ([name, base] of REGIONS), or null for this site. */
function regionOf(url) {
  const full = new URL(url, location.href).href;
  let best = null;
  for (const r of REGIONS) {
    const root = new URL(r[1], location.href).href;
    if (full.startsWith(root) && (!best || root.length > best[2].length)) best = [r[0], r[1], root];
  }
  return best;
}

function hitNode(d, h) {
  const li = el("li", "search-hit");
  const region = REGIONS.length ? regionOf(d.url) : null;
  li.dataset.url = region ? new URL(d.url, location.href).href : d.meta.url || d.url.slice(BASE.length - 1);
  if (REGIONS.length) li.dataset.region = region ? region[0] : OWN_REGION;
  li.dataset.match = h.match;
  const title = el("p", "search-hit-title");
  const stage = d.meta.stage;
  if (stage) title.append(el("span", `stage stage-${STAGE_SLUG[stage] || ""}`, stage), " ");
  else title.append(el("span", "tag tag-kind", d.meta.kind || OTHER), " ");
  const a = el("a", "", d.meta.title || d.url);
  a.href = d.url;
  title.append(a);
  if ((d.filters["有效性"] || []).includes("已失效")) title.append(" ", el("span", "tag tag-expired", "已失效"));
  if (h.match === "related") title.append(" ", el("span", "tag tag-related", "相关"));
  li.append(title);
  const meta = el("p", "search-hit-meta");
  if (REGIONS.length) meta.append(el("span", "search-hit-region", `地区：${li.dataset.region}`));
  if (d.meta.org) meta.append(el("span", "", `发布机构：${d.meta.org}`));
  if (d.meta.date) {
    const time = el("time", "", d.meta.date);
    time.dateTime = d.meta.date;
    const span = el("span", "", "发布日期：");
    span.append(time);
    meta.append(span);
  }
  if (d.meta.docno) meta.append(el("span", "", `文号：${d.meta.docno}`));
  li.append(meta, textExcerpt(d.meta.text, needle));
  return li;
}

const GROUP_TITLES = {
  id: () => "文号或索引号相符的信息",
  mention: (q) => `正文中提到「${q}」的信息`,
  exact: (q) => `包含「${q}」的信息`,
  related: (q) => `相关信息（含有「${q}」的各个部分，但不连在一起）`,
  other: () => "其他栏目（公开指南、制度、年报、联系我们）",
};
for (const st of STAGES) GROUP_TITLES[STAGE_SLUG[st]] = () => `${st}公开`;

function listFor(group) {
  let list = $("search-list").querySelector(`ol[data-group="${group}"]`);
  if (!list) {
    const groups = new Set(hits.map((h) => h.group));
    const section = el("section", "search-group-list");
    if ((groups.size > 1 || stateFromUrl().sort === "stage") && GROUP_TITLES[group]) {
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
  const data = await Promise.all(slice.map((h) => h.result.data()));
  if (mine !== run) return;
  let first = null;
  slice.forEach((h, i) => {
    const node = hitNode(data[i], h);
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

/** Counts beside the 过程 choices and beside each filter value (each without its own choice). */
function showCounts(counts) {
  for (const span of form.querySelectorAll(".search-stages .search-n")) {
    const value = span.dataset.n;
    const by = counts ? counts["过程"] || {} : null;
    const n = by ? (value ? by[value] || 0 : counts.__all) : null;
    span.textContent = n === null ? "" : `（${n}）`;
  }
  for (const span of form.querySelectorAll(".search-group .search-c")) {
    const input = span.parentNode.querySelector("input");
    const by = counts ? counts[input.name] : null;
    const n = by ? by[input.value] || 0 : null;
    span.textContent = n === null ? "" : `（${n}）`;
    span.parentNode.hidden = n === 0 && !input.checked;
  }
  for (const group of form.querySelectorAll(".search-group")) {
    group.hidden = [...group.querySelectorAll("label")].every((label) => label.hidden);
  }
}

/** Counts beside the filter values once their data is there (the results stay as drawn). */
async function refreshCounts() {
  const s = stateFromUrl();
  const mine = run;
  const asked = askTokens(s.q);
  if (!asked.length && !hasFilters(s)) return;
  let counts;
  try {
    await ensure(asked);
    const id = s.q ? idQuery(s.q) : null;
    if (id) counts = (await idSearch(s, id, asked)).counts;
    else {
      const r = await pf(term(asked), { filters: filtersOf(s) });
      counts = await facetCounts(asked, s, r.filters, r.results.length);
    }
  } catch (err) {
    unlessStale(mine, err);
    return;
  }
  if (mine === run) showCounts(counts);
}

let uiFilters = null;
/** The checkbox groups, built when the panel is first opened (a phone loads them only if asked). */
function ensureUiFilters() {
  uiFilters = uiFilters || Promise.resolve().then(buildFilters);
  merging = merging.catch(() => {}).then(warmFilters); // the panel's filters, in the shards merged so far
  return uiFilters;
}

/** Checkbox groups for the filters, values from the index. */
function buildFilters() {
  const holder = $("search-filter-groups");
  for (const name of LIST_FILTERS) {
    if (holder.querySelector(`[data-filter="${name}"]`)) continue;
    const values = Object.keys(allFilters[name] || {});
    if (!values.length) continue;
    const order = [OWN_REGION, ...REGIONS.map((r) => r[0])]; // 地区: this site first, then as site.toml lists them
    values.sort(name === "发布年份" ? (a, b) => b.localeCompare(a) :
      name === REGION ? (a, b) => order.indexOf(a) - order.indexOf(b) : (a, b) => a.localeCompare(b, "zh-CN"));
    const group = el("fieldset", "search-group");
    group.dataset.filter = name;
    group.append(el("legend", "", name));
    for (const v of values) {
      const label = el("label");
      const input = el("input");
      input.type = "checkbox";
      input.name = name;
      input.value = v;
      label.append(input, ` ${v}`, el("span", "search-n search-c"));
      group.append(label);
    }
    holder.append(group);
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

async function manifestOf(root) {
  const r = await fetch(root + "pagefind/gkpub-search.json", { cache: "no-cache" });
  if (!r.ok) throw new Error(`${root}pagefind/gkpub-search.json: HTTP ${r.status}`);
  return r.json();
}

async function open() {
  const manifest = await manifestOf(BASE);
  // the districts' manifests first: one that fails is left out before anything of it is merged
  const theirs = await Promise.all(REGIONS.map(([name, root]) => manifestOf(root).then((m) => {
    if (m.tokenizer !== manifest.tokenizer || m.pagefind !== manifest.pagefind || m.version !== manifest.version) {
      throw new Error(`${root}: tokenizer ${m.tokenizer}, Pagefind ${m.pagefind}, layout ${m.version}; here ${manifest.tokenizer}, ${manifest.pagefind}, ${manifest.version}`);
    }
    return m;
  }).catch((err) => {
    leaveOut(name, root, err);
    return null;
  })));
  sites = [{ root: BASE, manifest, opts: REGIONS.length ? { mergeFilter: { [REGION]: OWN_REGION } } : {}, region: OWN_REGION }];
  REGIONS.forEach(([name, root], i) => {
    if (theirs[i]) sites.push({ root, manifest: theirs[i], opts: { baseUrl: root, mergeFilter: { [REGION]: name } }, region: name });
  });
  totals();
  await fresh();
  showUnreachable();
}

/** The filters' values and counts over every site searched, from their manifests. */
function totals() {
  allFilters = {};
  for (const site of sites) {
    for (const [name, values] of Object.entries(site.manifest.filters || {})) {
      const to = (allFilters[name] = allFilters[name] || {});
      for (const [v, n] of Object.entries(values)) to[v] = (to[v] || 0) + n;
    }
    if (REGIONS.length) {
      const n = Object.values((site.manifest.filters || {})["类型"] || {}).reduce((a, b) => a + b, 0);
      if (n) (allFilters[REGION] = allFilters[REGION] || {})[site.region] = n;
    }
  }
}

/** A Pagefind of this site's runtime with the bundles merged so far (after a failure: without
 *  the districts left out). */
async function fresh() {
  let ready;
  rebuilding = new Promise((resolve) => { ready = resolve; });
  try {
    // a call that never ends (a server that accepts and never answers) must not stop the page
    await Promise.race([Promise.allSettled([...underWay]), new Promise((r) => setTimeout(r, DRAIN_MS))]);
    await remake();
  } finally {
    ready();
  }
}

async function remake() {
  if (pagefind) await pagefind.destroy().catch(() => {});
  const first = BASE + sites[0].manifest.bundles[0].replace(/^\//, "");
  pagefind = await import(first + "pagefind.js" + (fresh.round ? `?round=${fresh.round}` : "")); // a fresh module
  fresh.round = (fresh.round || 0) + 1;
  await pagefind.options({ baseUrl: BASE, excerptLength: 0 });
  await pagefind.init();
  const keep = mergedList.filter(([, site]) => sites.includes(site));
  mergedList = [];
  for (const [url, site] of keep) await mergeOne(url, site);
}

async function mergeOne(url, site) {
  mergedList.push([url, site]);
  await pagefind.mergeIndex(url, site.opts);
}

const fnv = (t) => {
  let h = 0x811c9dc5;
  for (let i = 0; i < t.length; i++) h = Math.imul(h ^ t.charCodeAt(i), 0x01000193) >>> 0;
  return h;
};

/** A JSON file of the index, fetched once per page (a failure is not kept: asked again next time). */
function cachedJson(cache, url) {
  if (!cache.has(url)) {
    cache.set(url, fetch(url).then((r) => {
      if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
      return r.json();
    }).catch((err) => {
      cache.delete(url);
      throw err;
    }));
  }
  return cache.get(url);
}

/** Page id → 发布日期 over the shards merged so far (each shard's dates-<digest>.json). */
async function datesOf() {
  const tables = await Promise.all(mergedList.map(([url, site]) => {
    const name = url.slice(0, -1).split("/").pop();
    const file = url + "dates-" + String(site.manifest.shards[name]).slice(0, 12) + ".json";
    return cachedJson(dateTables, file).catch((err) => {
      console.warn(err); // a shard without its table: its results after the dated ones
      return {};
    });
  }));
  const out = new Map();
  for (const t of tables) for (const [id, d] of Object.entries(t)) out.set(id, d);
  return out;
}

function bucket(site, token) {
  const w = site.manifest.words;
  return cachedJson(buckets, site.root + "pagefind/" + w.files[fnv(token) % w.buckets]);
}

/** The shards of a site that hold every asked token (all of them for no token; all of them
 *  too if the directory cannot be read: slower, never wrong). */
async function shardsFor(site, asked) {
  const shards = site.manifest.bundles.slice(1);
  if (!asked.length) return shards;
  let masks;
  try {
    masks = await Promise.all(asked.map(async ([t]) => (await bucket(site, t))[t]));
  } catch (err) {
    console.warn(err);
    return shards;
  }
  if (masks.some((m) => !m)) return [];
  let all = masks.map((m) => BigInt("0x" + m)).reduce((a, b) => a & b);
  return shards.filter((_, i) => (all >> BigInt(i)) & 1n);
}

let merging = Promise.resolve();
/** Merge the shards the asked tokens need, one call at a time (two at once would merge a
 *  shard twice). A district one of whose bundles fails is left out, and the Pagefind made
 *  again without it (a failed merge breaks every later search of that Pagefind). If one of
 *  this site's own shards fails (the site was rebuilt since the page read its manifest), the
 *  manifest is read again and the merge tried once more. One failure does not stop later calls. */
function ensure(asked) {
  const work = merging.catch(() => {}).then(async () => {
    if (!(await mergeFor(asked))) {
      sites[0].manifest = await manifestOf(BASE);
      buckets.clear();
      totals();
      mergedList = mergedList.filter(([, site]) => site !== sites[0]);
      await fresh();
      if (!(await mergeFor(asked))) throw new Error("本站的检索索引读取失败");
    }
  });
  merging = work;
  return work;
}

/** One round of ensure(): false if one of this site's own shards failed to merge. */
async function mergeFor(asked) {
  const have = new Set(mergedList.map(([url]) => url));
  const want = await Promise.all(sites.map((site) => shardsFor(site, asked)));
  const failed = [];
  let added = false;
  await Promise.all(sites.map((site, i) => Promise.all(want[i].map((b) => {
    const url = site.root + b.replace(/^\//, "");
    if (have.has(url)) return null;
    have.add(url);
    added = true;
    return mergeOne(url, site);
  })).catch((err) => failed.push([site, err]))));
  if (failed.some(([site]) => site === sites[0])) return false;
  if (failed.length) {
    for (const [site, err] of failed) leaveOut(site.region, site.root, err);
    sites = sites.filter((site) => !failed.some(([f]) => f === site));
    totals();
    await fresh();
    showUnreachable();
  }
  if (added || failed.length) await warmFilters();
  return true;
}

function leaveOut(name, root, err) {
  if (!unreachable.some(([n]) => n === name)) unreachable.push([name, root]);
  console.warn(`${REGION}「${name}」未能合并检索：`, err);
}

/** Name the districts that could not be searched, with a link to each one's own site. */
function showUnreachable() {
  const note = $("search-regions-note");
  if (!note || !unreachable.length) return;
  unreachable.sort((a, b) => REGIONS.findIndex((r) => r[0] === a[0]) - REGIONS.findIndex((r) => r[0] === b[0]));
  note.replaceChildren(`以下地区的检索索引暂时无法读取，检索结果中不含这些地区的信息：`);
  unreachable.forEach(([name, root], i) => {
    const a = el("a", "", name);
    a.href = root;
    if (i) note.append("、");
    note.append(a);
  });
  note.append("。可以打开该地区的网站查找。");
  note.hidden = false;
}

async function start() {
  try {
    await open();
  } catch (err) {
    say("检索暂时不能使用：本网站的检索索引尚未生成或无法读取。可以按五公开环节、标准目录或公开主体查找公开信息。");
    console.error(err);
    form.dataset.state = "done";
    return;
  }
  $("search-side").hidden = false;
  $("search-filters").addEventListener("toggle", () => {
    if ($("search-filters").open) ensureUiFilters().then(refreshCounts).catch(failed);
  });
  $("search-results").hidden = false;
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
