// Live suggestions for the 一网答 ask box. Progressive enhancement: the form
// works without this script; with it, close questions from the library show
// while the citizen types (announced politely to screen readers).
(function () {
  var input = document.getElementById("qa-q");
  var box = document.getElementById("qa-suggest");
  if (!input || !box || !window.fetch) return;
  var timer = null;
  var last = "";
  function render(items) {
    box.textContent = "";
    if (!items.length) return;
    var h = document.createElement("p");
    h.className = "hint";
    h.textContent = "问答库中的相近问题：";
    box.appendChild(h);
    var ul = document.createElement("ul");
    items.forEach(function (it) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = it.url;
      a.textContent = it.question;
      li.appendChild(a);
      ul.appendChild(li);
    });
    box.appendChild(ul);
  }
  input.addEventListener("input", function () {
    var q = input.value.trim();
    if (timer) clearTimeout(timer);
    timer = setTimeout(function () {
      if (q === last) return;
      last = q;
      if (q.length < 2) { render([]); return; }
      fetch("/qa/suggest?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (items) { if (q === last) render(items); })
        .catch(function () {});
    }, 250);
  });
})();
