/* What the LMS gives at launch: the query string, the actor (old TinCan spellings too), ids. */
T.launch = (function () {
  var ADL = "http://adlnet.gov/expapi/verbs/";
  var CMI5 = "https://w3id.org/xapi/cmi5/context/";
  var RESUME = "coursepack-resume";

  function params(search) {
    var found = {};
    String(search === undefined ? window.location.search : search).replace(/^\?/, "").split("&").forEach(function (pair) {
      if (!pair) { return; }
      var at = pair.indexOf("=");
      var key = decodeURIComponent(at < 0 ? pair : pair.slice(0, at));
      found[key] = at < 0 ? "" : decodeURIComponent(pair.slice(at + 1).replace(/\+/g, " "));
    });
    return found;
  }

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = Math.floor(Math.random() * 16);
      return (c === "x" ? r : (r % 4) + 8).toString(16);
    });
  }

  /* The launch may give an old TinCan actor ({"name": ["…"], "mbox": ["mailto:…"]}). */
  function agent(text) {
    var a = JSON.parse(text);
    var one = function (v) { return Array.isArray(v) ? v[0] : v; };
    var out = { objectType: "Agent" };
    if (a.name) { out.name = one(a.name); }
    ["mbox", "mbox_sha1sum", "openid"].forEach(function (key) { if (a[key]) { out[key] = one(a[key]); } });
    if (a.account) { out.account = one(a.account); }
    if (!out.mbox && !out.mbox_sha1sum && !out.openid && !out.account && a.account_name) {
      out.account = { name: one(a.account_name), homePage: one(a.account_homePage) };
    }
    if (out.account && out.account.accountName) {
      out.account = { name: out.account.accountName, homePage: out.account.accountServiceHomePage };
    }
    return out;
  }

  return { ADL: ADL, CMI5: CMI5, RESUME: RESUME, params: params, uuid: uuid, agent: agent };
}());
