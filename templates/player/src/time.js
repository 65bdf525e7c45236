/* Durations and times in the formats SCORM 1.2, SCORM 2004 and xAPI require. */
CP.time = (function () {
  var pad = CP.format.pad;
  function parts(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    return { h: Math.floor(cs / 360000), m: Math.floor(cs / 6000) % 60, s: Math.floor(cs / 100) % 60, cs: cs % 100 };
  }
  function clock(d) { return pad(d.getHours(), 2) + ":" + pad(d.getMinutes(), 2) + ":" + pad(d.getSeconds(), 2); }
  return {
    /* CMITimespan HHHH:MM:SS.SS */
    timespan12: function (ms) {
      var p = parts(ms);
      return pad(Math.min(p.h, 9999), 4) + ":" + pad(p.m, 2) + ":" + pad(p.s, 2) + "." + pad(p.cs, 2);
    },
    /* ISO 8601 duration, as SCORM 2004 timeinterval and xAPI duration */
    duration2004: function (ms) {
      var p = parts(ms);
      var seconds = String(p.s) + (p.cs ? ("." + pad(p.cs, 2)).replace(/0$/, "") : "");
      return "PT" + (p.h ? p.h + "H" : "") + (p.m ? p.m + "M" : "") + seconds + "S";
    },
    clock: clock,
    timestamp2004: function (d) {
      return d.getFullYear() + "-" + pad(d.getMonth() + 1, 2) + "-" + pad(d.getDate(), 2) + "T" + clock(d);
    }
  };
}());
