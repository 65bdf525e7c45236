/* The quiz's form, one question's fieldset at a time: the learner's answer read from it (null
 * while incomplete), a saved answer written back on resume, and the right answer in words. */
CP.answers = (function () {
  var one = CP.dom.one;
  var all = CP.dom.all;

  function read(q, fs) {
    if (q.type === "single" || q.type === "true_false") {
      var checked = one("input:checked", fs);
      if (!checked) { return null; }
      return q.type === "single" ? parseInt(checked.value, 10) : checked.value === "t";
    }
    if (q.type === "multiple") {
      var chosen = all("input:checked", fs).map(function (input) { return parseInt(input.value, 10); });
      return chosen.length ? chosen.sort(function (x, y) { return x - y; }) : null;
    }
    if (q.type === "fill_in") {
      var value = one("input", fs).value.trim();
      return value ? value : null;
    }
    if (q.type === "ordering") { return all("li", fs).map(function (li) { return parseInt(li.getAttribute("data-item"), 10); }); }
    var rights = all("select", fs).map(function (select) { return select.value === "" ? null : parseInt(select.value, 10); });
    return rights.indexOf(null) >= 0 ? null : rights;
  }

  function write(q, fs, a) {
    if (q.type === "single" || q.type === "multiple" || q.type === "true_false") {
      all("input", fs).forEach(function (input) {
        var v = q.type === "true_false" ? input.value === "t" : parseInt(input.value, 10);
        input.checked = q.type === "multiple" ? a.indexOf(v) >= 0 : v === a;
      });
    } else if (q.type === "fill_in") {
      one("input", fs).value = a;
    } else if (q.type === "ordering") {
      var list = one("ol", fs);
      a.forEach(function (item) { list.appendChild(one('li[data-item="' + item + '"]', list)); });
    } else {
      all("select", fs).forEach(function (select, left) { select.value = String(a[left]); });
    }
  }

  /* The right answer in words, one entry per line when there are several. ``strings``: the
   * page's texts (the words for true and false). */
  function labels(q, fs, strings) {
    var choices = all(".cp-choice span", fs);
    if (q.type === "single") { return [choices[q.correct[0]].textContent]; }
    if (q.type === "multiple") { return q.correct.map(function (c) { return choices[c].textContent; }); }
    if (q.type === "true_false") { return [q.correct ? strings["true"] : strings["false"]]; }
    if (q.type === "fill_in") { return [q.answers[0]]; }
    if (q.type === "ordering") {
      var texts = [];
      all("li", fs).forEach(function (li) { texts[parseInt(li.getAttribute("data-item"), 10)] = one(".cp-order-text", li).textContent; });
      return [texts.join(" → ")];
    }
    return all(".cp-match", fs).map(function (row, left) {
      return one("label", row).textContent + " → " + one('option[value="' + left + '"]', row).textContent;
    });
  }

  return { read: read, write: write, labels: labels };
}());
