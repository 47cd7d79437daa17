// A live character counter under each long text field of a form
// (progressive enhancement: without it the browser still stops at maxlength
// and the server still refuses longer text). Loaded as a file, no inline code.
(function () {
  "use strict";
  var MIN_LIMIT = 100; // short fields (a place, a tag) need no counter

  function attach(field) {
    var limit = parseInt(field.getAttribute("maxlength"), 10);
    if (!(limit >= MIN_LIMIT)) return;
    var counter = document.createElement("small");
    counter.className = "char-counter";
    counter.setAttribute("aria-live", "polite");
    if (field.id) counter.id = field.id + "-counter";
    field.insertAdjacentElement("afterend", counter);
    var describedBy = field.getAttribute("aria-describedby");
    if (counter.id) {
      field.setAttribute(
        "aria-describedby",
        (describedBy ? describedBy + " " : "") + counter.id
      );
    }
    function update() {
      var used = field.value.length;
      counter.textContent = used + " / " + limit;
      counter.classList.toggle("near-limit", used > limit * 0.9);
    }
    field.addEventListener("input", update);
    update();
  }

  function init() {
    var fields = document.querySelectorAll(
      "form textarea[maxlength], form input[type=text][maxlength]"
    );
    Array.prototype.forEach.call(fields, attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
