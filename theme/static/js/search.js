/* Search page: a small interface over Pagefind's JavaScript API.
   Each county has its own index (<county>/pagefind/); a search in one county loads only that index, a search in
   every county merges the indexes listed in search/indexes.json. Nothing else on the site needs JavaScript. */
(function () {
  "use strict";
  var form = document.getElementById("search");
  if (!form || !window.fetch || !window.Promise || !window.URLSearchParams || !("noModule" in document.createElement("script"))) {
    return; // the page keeps its explanation and its links to browse by place
  }
  var FILTERS = [["township", "乡镇"], ["year", "年度"], ["kind", "类型"], ["category", "项目类别"],
                 ["source", "资金来源"], ["status", "项目状态"]];
  var PAGE = 10;
  var ALL = "all";
  // Searching every county downloads a part of every county's index. A phone should not pay that by surprise:
  // with more counties than this, a search without a county asks for one, or for "all counties" on purpose.
  var MERGE_WITHOUT_ASKING = 3;
  var counties = Number(form.getAttribute("data-counties")) || 0;
  var input = document.getElementById("q");
  var county = document.getElementById("county");
  var details = document.getElementById("search-filters");
  var filterList = details.querySelector(".search-filter-list");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var root = new URL(form.getAttribute("data-root"), location.href);
  var linkSuffix = form.getAttribute("data-link-suffix") || "";
  var engine = null;      // {scope, instance}
  var current = null;     // the last response, for "more"
  var shown = 0;
  var run = 0;
  var title = document.title;

  document.getElementById("search-nojs").hidden = true;
  form.hidden = false;

  function say(text) { status.textContent = text; }

  function state() {
    var params = new URLSearchParams(location.search);
    var filters = {};
    FILTERS.forEach(function (f) { if (params.get(f[0])) filters[f[0]] = params.get(f[0]); });
    return {q: (params.get("q") || "").trim(), county: params.get("county") || "", filters: filters};
  }

  /* Words as a reader would split them. Pagefind splits a query the same way where the browser can
     (Intl.Segmenter); older browsers cannot, so the query is split here and handed over with spaces. */
  function words(text) {
    text = text.normalize ? text.normalize("NFKC") : text;
    text = text.replace(/[\s\u3000]+/g, " ").trim();
    if (!text) return [];
    if (window.Intl && Intl.Segmenter) {
      var out = [];
      var segments = new Intl.Segmenter("zh-CN", {granularity: "word"}).segment(text);
      for (var it = segments[Symbol.iterator](), s = it.next(); !s.done; s = it.next()) {
        if (s.value.isWordLike) out.push(s.value.segment);
      }
      return out;
    }
    // No word segmenter: cut each run of Chinese characters into pairs, which is how most Chinese words are built.
    var parts = [];
    text.split(" ").forEach(function (part) {
      part.split(/([\u3400-\u9fff\uf900-\ufaff]+)/).forEach(function (run, i) {
        if (!run) return;
        if (i % 2 === 0) { parts.push(run); return; }
        for (var j = 0; j < run.length; j += 2) parts.push(run.slice(j, j + 2));
      });
    });
    return parts;
  }

  function bundles(code) {
    if (code && code !== ALL) return Promise.resolve([{code: code, bundle: code + "/pagefind/"}]);
    return fetch(new URL("search/indexes.json", root)).then(function (r) {
      if (!r.ok) throw new Error("indexes.json " + r.status);
      return r.json();
    }).then(function (manifest) { return manifest.counties; });
  }

  function open(code) {
    if (engine && engine.scope === code) return engine.ready;
    if (engine) engine.ready.then(function (i) { i.destroy(); }, function () {});
    var ready = bundles(code).then(function (counties) {
      if (!counties.length) throw new Error("no index");
      var first = counties[0];
      var path = function (c) { return new URL(c.bundle, root).pathname; };
      var base = function (c) { return new URL(c.code + "/", root).pathname; };
      return import(new URL(first.bundle + "pagefind.js", root).href).then(function (pagefind) {
        var instance = pagefind.createInstance({basePath: path(first), baseUrl: base(first), noWorker: true,
                                                excerptLength: 24});
        return Promise.all(counties.slice(1).map(function (c) {
          return instance.mergeIndex(path(c), {baseUrl: base(c), excerptLength: 24});
        })).then(function () { return instance; });
      });
    });
    engine = {scope: code, ready: ready};
    return ready;
  }

  /* The query with its Chinese characters spaced out, as each page's name is also indexed (see han_chars in the
     build). The browser cuts Chinese into words differently from the indexer, so a name typed whole (新华村通组道路硬化工程)
     can miss its page when searched as words; searched as characters it cannot. */
  var HAN = /[\u3400-\u9fff\uf900-\ufaff]/g;
  function characters(text) {
    return text.replace(HAN, function (c) { return " " + c + " "; }).replace(/\s+/g, " ").trim();
  }

  /* Pages found as words come first, then those found only as characters. */
  function both(instance, typed, spaced, filters) {
    var first = instance.search(typed, {filters: filters});
    if (spaced === typed) return first;
    return Promise.all([first, instance.search(spaced, {filters: filters})]).then(function (r) {
      var seen = {};
      var results = r[0].results.slice();
      results.forEach(function (hit) { seen[hit.id] = true; });
      r[1].results.forEach(function (hit) { if (!seen[hit.id]) results.push(hit); });
      var widest = r[1].results.length > r[0].results.length ? r[1] : r[0];
      return {results: results, filters: widest.filters, totalFilters: widest.totalFilters};
    });
  }

  /* A place typed by its whole name (金龙村) opens the list with its own page, whatever the ranking of the pages that
     merely mention it: each place's page carries its name as the filter "name", which is matched exactly. */
  function exactly(instance, text, filters, found) {
    var named = {};
    Object.keys(filters).forEach(function (k) { named[k] = filters[k]; });
    named.name = text;
    // Searched by its characters as well, so that only the index chunks the main search reads are downloaded.
    return Promise.all([found, instance.search(characters(text), {filters: named})]).then(function (r) {
      var response = r[0].response;
      if (!r[1].results.length) return r[0];
      var first = r[1].results.map(function (hit) { return hit.id; });
      var results = r[1].results.concat(response.results.filter(function (hit) { return first.indexOf(hit.id) < 0; }));
      return {response: {results: results, filters: response.filters, totalFilters: response.totalFilters},
              partial: r[0].partial};
    });
  }

  function query(instance, text, filters) {
    return exactly(instance, text, filters, anyway(instance, text, filters));
  }

  function anyway(instance, text, filters) {
    var terms = words(text);
    var typed = window.Intl && Intl.Segmenter ? text : terms.join(" ");
    return both(instance, typed, characters(text.normalize ? text.normalize("NFKC") : text), filters).then(function (response) {
      if (response.results.length || terms.length < 2) return {response: response, partial: false};
      // No page has every word: show the pages with some of them, those with more words and rarer words first.
      return Promise.all(terms.map(function (t) { return instance.search(t, {filters: filters}); })).then(function (each) {
        var byId = {};
        each.forEach(function (r) {
          r.results.forEach(function (hit) {
            var seen = byId[hit.id];
            if (seen) { seen.score += hit.score; seen.count += 1; } else byId[hit.id] = {hit: hit, score: hit.score, count: 1};
          });
        });
        var merged = Object.keys(byId).map(function (k) { return byId[k]; }).sort(function (a, b) {
          return b.count - a.count || b.score - a.score;
        }).map(function (x) { return x.hit; });
        var widest = each.reduce(function (a, b) { return Object.keys(b.filters || {}).length > Object.keys(a.filters || {}).length ? b : a; });
        return {response: {results: merged, filters: widest.filters, totalFilters: widest.totalFilters}, partial: merged.length > 0};
      });
    });
  }

  /* Pagefind's excerpt is the page's text, escaped, with <mark> around the words found. It is rebuilt here from
     text nodes and <mark> elements only, so nothing else from a page can ever become markup. Spaces between two
     Chinese characters are dropped: the spaced-out name indexed for character search reads as the name again. */
  function excerpt(html) {
    var out = document.createElement("span");
    var doc = new DOMParser().parseFromString("<body>" + html, "text/html");
    var parts = [];
    doc.body.childNodes.forEach(function (node) {
      parts.push({text: node.textContent || "", mark: node.nodeName === "MARK"});
    });
    var han = /[\u3400-\u9fff\uf900-\ufaff]/;
    var joined = parts.map(function (p) { return p.text; }).join("");
    var at = 0;
    parts.forEach(function (p) {
      var text = "";
      for (var i = 0; i < p.text.length; i++, at++) {
        var c = p.text[i];
        if (/\s/.test(c)) {
          var before = joined.slice(0, at).replace(/\s+$/, "").slice(-1);
          var after = joined.slice(at).replace(/^\s+/, "").charAt(0);
          if (han.test(before) && han.test(after)) continue;
        }
        text += c;
      }
      if (!text) return;
      if (p.mark) {
        var mark = document.createElement("mark");
        mark.textContent = text;
        out.appendChild(mark);
      } else out.appendChild(document.createTextNode(text));
    });
    return out;
  }

  function element(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text) e.textContent = text;
    return e;
  }

  function show(from) {
    var hits = current.results.slice(from, from + PAGE);
    var mine = run;
    return Promise.all(hits.map(function (hit) { return hit.data(); })).then(function (pages) {
      if (mine !== run) return;
      pages.forEach(function (page) {
        var li = element("li", "search-result");
        var a = element("a", null, page.meta.title || page.url);
        a.href = page.url + (linkSuffix && /\/$/.test(page.url) ? linkSuffix : "");
        var title = element("p", "search-title");
        title.appendChild(a);
        var kind = (page.filters.kind || [])[0];
        if (kind) { title.appendChild(document.createTextNode(" ")); title.appendChild(element("span", "tag", kind)); }
        li.appendChild(title);
        var facts = [page.meta.place, page.meta.amount].filter(Boolean).join(" · ");
        if (facts) li.appendChild(element("p", "search-facts", facts));
        var ex = element("p", "search-excerpt small");
        ex.appendChild(excerpt(page.excerpt || ""));
        li.appendChild(ex);
        list.appendChild(li);
      });
      shown = from + pages.length;
      more.hidden = shown >= current.results.length;
    });
  }

  function drawFilters(response, chosen) {
    filterList.textContent = "";
    var counts = response.filters || {};
    var totals = response.totalFilters || {};
    FILTERS.forEach(function (f) {
      var values = Object.keys(totals[f[0]] || counts[f[0]] || {}).sort();
      if (!values.length && !chosen[f[0]]) return;
      var p = element("p", "search-filter");
      var label = element("label", null, f[1]);
      var select = element("select");
      select.name = f[0];
      select.id = "filter-" + f[0];
      label.htmlFor = select.id;
      select.appendChild(element("option", null, "全部"));
      select.options[0].value = "";
      values.forEach(function (v) {
        var n = (counts[f[0]] || {})[v];
        var o = element("option", null, v + (n === undefined ? "" : "（" + n + "）"));
        o.value = v;
        o.selected = chosen[f[0]] === v;
        select.appendChild(o);
      });
      select.addEventListener("change", submit);
      p.appendChild(label);
      p.appendChild(select);
      filterList.appendChild(p);
    });
  }

  function search() {
    var s = state();
    input.value = s.q;
    county.value = s.county;
    if (county.value !== s.county) county.value = "";
    if (Object.keys(s.filters).length) details.open = true;
    var mine = ++run;
    list.textContent = "";
    more.hidden = true;
    var done = function () { if (mine === run) form.setAttribute("data-done", String(mine)); };
    if (location.protocol === "file:") {
      say("从本地文件打开本站时无法搜索。请通过网站地址访问（本地预览可运行 invoke serve）。");
      return Promise.resolve().then(done);
    }
    if (!s.q && !Object.keys(s.filters).length) { say(""); return Promise.resolve().then(done); }
    if (!s.county && counties > MERGE_WITHOUT_ASKING) {
      say("请先选择县。要在全省 " + counties + " 个县中一起搜索，请选择“全省各县”（需要下载较多数据）。");
      county.focus();
      return Promise.resolve().then(done);
    }
    say("正在搜索……");
    var started = Date.now();
    return open(s.county).then(function (instance) {
      var loadFilters = details.open ? instance.filters() : Promise.resolve(null);
      return loadFilters.then(function () {
        return s.q ? query(instance, s.q, s.filters)
                   : instance.search(null, {filters: s.filters}).then(function (r) { return {response: r, partial: false}; });
      });
    }).then(function (found) {
      if (mine !== run) return;
      current = found.response;
      if (details.open) drawFilters(current, s.filters);
      var n = current.results.length;
      var where = s.county && s.county !== ALL ? county.options[county.selectedIndex].text : "全省各县";
      say(n ? (found.partial ? "没有同时包含全部词语的结果。以下 " + n + " 条结果包含其中部分词语（" + where + "）。"
                             : "在" + where + "找到 " + n + " 条结果。")
            : "在" + where + "没有找到“" + s.q + "”。请换一个词，或者少写几个字。");
      document.title = s.q ? s.q + " · " + title : title;
      window.gongshiSearchMs = Date.now() - started;
      return show(0);
    }).catch(function (error) {
      if (mine !== run) return;
      say("搜索暂时无法使用，请稍后再试，或者从首页按地方查找。");
      if (window.console) console.error(error);
    }).then(done);
  }

  function submit(event) {
    if (event && event.preventDefault) event.preventDefault();
    var params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    if (county.value) params.set("county", county.value);
    filterList.querySelectorAll("select").forEach(function (select) {
      if (select.value) params.set(select.name, select.value);
    });
    history.pushState(null, "", "?" + params.toString());
    search();
  }

  form.addEventListener("submit", submit);
  county.addEventListener("change", function () {
    // Another county has other townships: keep only filters that mean the same everywhere.
    var township = filterList.querySelector("select[name=township]");
    if (township) township.value = "";
    submit();
  });
  details.addEventListener("toggle", function () { if (details.open && current) search(); });
  more.addEventListener("click", function () { show(shown); });
  window.addEventListener("popstate", search);
  search();
})();
