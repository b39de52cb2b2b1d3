// The script of a visitor's light page (see light.rs): the live stream, the programme's filters
// and the viewer's time zone. Runs once, at the end of the body; every text it shows comes from
// the page.
(function () {
  "use strict";
  var main = document.getElementById("main");
  var notices = document.querySelector(".live-notice");

  function enhance() {
    // the programme's filters: open where there is room for them
    var box = document.querySelector("details.filter-box");
    if (box && window.innerWidth >= 768) box.open = true;
    // the viewer's own time zone, offered when it is not the one shown
    var zone = "";
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
    document.querySelectorAll("a[data-my-time]").forEach(function (a) {
      if (!zone || zone === a.dataset.conferenceZone || zone === a.dataset.shownZone) return;
      var url = new URL(a.getAttribute("href"), location.href);
      url.searchParams.set("tz", zone);
      a.setAttribute("href", url.pathname + url.search);
      a.textContent = a.dataset.label.replace("{zone}", zone);
      a.hidden = false;
    });
  }

  function notify(name) {
    if (!notices) return;
    var t = notices.querySelector('template[data-event="' + name + '"]');
    if (!t) return;
    notices.querySelectorAll("p.live-shown").forEach(function (p) { p.remove(); });
    var p = t.content.firstElementChild.cloneNode(true);
    p.classList.add("live-shown");
    var close = p.querySelector("button");
    if (close) close.addEventListener("click", function () { p.remove(); });
    notices.appendChild(p);
  }

  // fetch the page again and put its content in place; not while the visitor is typing in it
  var wanted = false, fetching = false;
  function editing() {
    var a = document.activeElement;
    return !!a && main.contains(a) && /^(INPUT|SELECT|TEXTAREA)$/.test(a.tagName);
  }
  function refresh() {
    wanted = true;
    if (fetching || editing()) return;
    wanted = false;
    fetching = true;
    fetch(location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var next = doc.getElementById("main");
        if (!next) return;
        main.replaceChildren.apply(main, Array.prototype.slice.call(next.childNodes).map(function (n) {
          return document.adoptNode(n);
        }));
        document.title = doc.title;
        enhance();
      })
      .catch(function () { /* the next event, or a reload, brings the page */ })
      .then(function () {
        fetching = false;
        if (wanted) refresh();
      });
  }
  document.addEventListener("focusout", function () {
    if (wanted) setTimeout(refresh, 0);
  });

  function follow(slug) {
    var offline = notices && notices.querySelector("[data-offline]");
    var source = new EventSource("/conferences/" + encodeURIComponent(slug) + "/events");
    source.addEventListener("open", function () { if (offline) offline.hidden = true; });
    source.addEventListener("error", function () { if (offline) offline.hidden = false; });
    source.addEventListener("reload", function () { location.reload(); });
    ["programme_released", "seats_changed", "declaration_published", "declaration_adopted", "version_saved"]
      .forEach(function (name) {
        source.addEventListener(name, function () {
          notify(name);
          refresh();
        });
      });
  }

  enhance();
  var m = location.pathname.match(/^\/conferences\/([^/]+)/);
  if (m && main && window.EventSource) follow(decodeURIComponent(m[1]));
  // the page's script runs: what tests wait for on every page (see routes.rs)
  document.body.setAttribute("data-hydrated", "true");
})();
