/* The quiz on its page: an answer checked, its feedback, the score once every question is
 * answered, another attempt, the ordering questions' move buttons. */
CP.quiz = (function () {
  var fmt = CP.format.fmt;
  var escapeHtml = CP.format.escapeHtml;
  var isRight = CP.scoring.isRight;
  var one = CP.dom.one;
  var all = CP.dom.all;
  var rules = CP.rules;
  var answers = CP.answers;

  function lock(fs, locked) {
    all("input, select, button", fs).forEach(function (el) { el.disabled = locked; });
  }

  /* The right answer, when it shows, one entry per line when there are several. */
  function rightAnswer(page, q, fs) {
    var S = page.strings;
    var labels = answers.labels(q, fs, S).map(escapeHtml);
    return labels.length === 1 ? "<p>" + fmt(S.the_answer_was, { answer: labels[0] }) + "</p>"
      : "<p>" + fmt(S.the_answer_was, { answer: "" }).trim() + "</p><ul><li>" + labels.join("</li><li>") + "</li></ul>";
  }

  /* Question ``k``'s feedback, for the answer the state holds; the question is locked. */
  function feedback(page, k) {
    var q = page.questions[k];
    var fs = page.fieldsets[k];
    var a = page.state.answers[k];
    var right = isRight(q, a);
    var html = "<p><strong>" + (right ? page.strings.right : page.strings.wrong) + "</strong></p>";
    if (q.choice_feedback) {
      (q.type === "single" ? [a] : a).forEach(function (c) { html += q.choice_feedback[c] || ""; });
    }
    html += right ? q.correct_feedback : q.incorrect_feedback;
    if (!right && !q.incorrect_feedback && rules.revealAnswers(page)) { html += rightAnswer(page, q, fs); }
    fs.classList.toggle("cp-right", right);
    fs.classList.toggle("cp-wrong", !right);
    lock(fs, true);
    one(".cp-feedback", fs).innerHTML = html;
  }

  /* The score and the verdict once every question is answered, with the attempts left. */
  function result(page) {
    var S = page.strings;
    var box = one("#cp-quiz-result");
    var retry = one("#cp-retry");
    if (!box) { return; }
    if (!rules.quizDone(page)) { box.innerHTML = ""; retry.hidden = true; return; }
    var score = page.state.lastScore;
    var passed = rules.passes(page, score);
    var html = "<p><strong>" + fmt(S.score, { score: score }) + "</strong></p>";
    if (page.data.quiz_decides) {
      html += "<p>" + (passed ? S.passed : fmt(S.failed, { mastery: rules.masteryText(page) })) + "</p>";
    }
    var left = rules.attemptsLeft(page);
    var canRetry = !passed && left > 0;
    if (!passed && page.data.attempts > 0) {
      html += "<p>" + (!canRetry ? S.no_attempt_left : left === 1 ? S.attempts_left_one : fmt(S.attempts_left, { n: left })) + "</p>";
    }
    box.innerHTML = html;
    retry.hidden = !canRetry;
    var next = one("#cp-quiz-next");
    if (next) { next.hidden = passed || canRetry; } /* stuck: the way on is the next page */
  }

  function check(page, k) {
    var q = page.questions[k];
    var fs = page.fieldsets[k];
    var state = page.state;
    var a = answers.read(q, fs);
    if (a === null) {
      one(".cp-feedback", fs).innerHTML = "<p>" + page.strings.answer_first + "</p>";
      one(".cp-feedback", fs).focus();
      return;
    }
    state.answers[k] = a;
    feedback(page, k);
    page.tracker.interaction(q, a, isRight(q, a), Date.now() - page.shownAt);
    var said = one(".cp-feedback", fs);
    if (rules.quizDone(page)) {
      state.attempts = Math.min(state.attempts + 1, page.data.max_attempts); /* the resume state keeps two base-36 digits */
      state.lastScore = CP.scoring.score(page.questions, state.answers);
      page.questions.forEach(function (unused, j) { feedback(page, j); }); /* the last attempt reveals every answer */
      result(page);
      said = one("#cp-quiz-result");
    }
    CP.saving.save(page, true);
    said.focus(); /* the button just pressed is disabled: the learner hears and sees the feedback */
  }

  function retry(page) {
    page.state.answers = page.questions.map(function () { return null; });
    page.fieldsets.forEach(function (fs) {
      lock(fs, false);
      fs.classList.remove("cp-right", "cp-wrong");
      one(".cp-feedback", fs).innerHTML = "";
      all("input[type=radio], input[type=checkbox]", fs).forEach(function (input) { input.checked = false; });
      all("input[type=text]", fs).forEach(function (input) { input.value = ""; });
      all("select", fs).forEach(function (select) { select.value = ""; });
    });
    result(page);
    page.shownAt = Date.now();
    CP.saving.save(page, true);
    var first = one("input, select, button", page.fieldsets[0]);
    if (first) { first.focus(); }
  }

  /* An ordering question's item one place up or down (``data-move``), said aloud. */
  function move(page, button) {
    var li = button.closest("li");
    var list = li.parentNode;
    var step = parseInt(button.getAttribute("data-move"), 10);
    var sibling = step < 0 ? li.previousElementSibling : li.nextElementSibling;
    if (!sibling) { return; }
    list.insertBefore(li, step < 0 ? sibling : sibling.nextElementSibling);
    button.focus();
    var position = all("li", list).indexOf(li) + 1;
    CP.dom.announce(fmt(page.strings.moved, { item: one(".cp-order-text", li).textContent, n: position }));
  }

  /* On resume: the saved answers back in the form, with their feedback and the result. */
  function restore(page) {
    page.questions.forEach(function (q, k) {
      if (page.state.answers[k] !== null) {
        answers.write(q, page.fieldsets[k], page.state.answers[k]);
        feedback(page, k);
      }
    });
    result(page);
  }

  function bind(page) {
    page.fieldsets.forEach(function (fs, k) {
      one(".cp-check", fs).addEventListener("click", function () { check(page, k); });
      all("[data-move]", fs).forEach(function (button) { button.addEventListener("click", function () { move(page, button); }); });
    });
    var retryButton = one("#cp-retry");
    if (retryButton) { retryButton.addEventListener("click", function () { retry(page); }); }
  }

  return { feedback: feedback, result: result, check: check, retry: retry, move: move, restore: restore, bind: bind };
}());
