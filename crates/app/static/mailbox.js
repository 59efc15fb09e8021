// Live suggestions on the mailbox form: published replies, Q&A entries and
// documents that may answer the message already. The form works without it.
(function () {
  var box = document.getElementById('similar');
  var fields = [document.getElementById('f-title'), document.getElementById('f-content')];
  if (!box || !fields[0] || !fields[1] || !window.fetch) return;
  var timer = null, last = '';
  function render(data) {
    var groups = [['replies', '相似留言的答复'], ['answers', '问答库'], ['documents', '政策文件']];
    var html = '';
    groups.forEach(function (g) {
      var items = data[g[0]] || [];
      if (!items.length) return;
      html += '<p>' + g[1] + '：</p><ul>';
      items.forEach(function (it) {
        var a = document.createElement('a');
        a.href = it.href; a.textContent = it.title;
        html += '<li>' + a.outerHTML + '</li>';
      });
      html += '</ul>';
    });
    box.innerHTML = html ? '<p><strong>您的问题也许已有答案：</strong></p>' + html : '';
  }
  function ask() {
    var q = (fields[0].value + ' ' + fields[1].value).trim().slice(0, 200);
    if (q.length < 4 || q === last) return;
    last = q;
    fetch('/mailbox/similar?q=' + encodeURIComponent(q)).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) { if (d) render(d); }).catch(function () {});
  }
  fields.forEach(function (f) { f.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(ask, 400); }); });
})();
