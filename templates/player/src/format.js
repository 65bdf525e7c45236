/* Formatting helpers: templates, base-36 digits, zero padding, HTML escaping. */
CP.format = (function () {
  var DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";
  return {
    fmt: function (text, values) {
      return text.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
    },
    digit: function (n) { return DIGITS.charAt(n); },
    undigit: function (c) { return DIGITS.indexOf(c); },
    pad: function (n, width) { n = String(n); while (n.length < width) { n = "0" + n; } return n; },
    escapeHtml: function (text) {
      return String(text).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
    }
  };
}());
