// Progressive enhancement of the public form (/submit): while the enterprise's name or code is
// typed, the enterprises the bureau knows are offered; choosing one fills in its name, code and
// industry. Without this file the 查找企业 button does the same through the server.
(function () {
  var name = document.getElementById("enterprise_name");
  var uscc = document.getElementById("uscc");
  var industry = document.getElementById("industry");
  var list = document.getElementById("enterprise-matches");
  var status = document.getElementById("enterprise-status");
  if (!name || !uscc || !list || !status) {
    return;
  }
  var timer = null;
  var asked = "";

  function show(enterprises) {
    list.textContent = "";
    enterprises.forEach(function (e) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "pick secondary";
      button.setAttribute("data-uscc", e.uscc);
      button.setAttribute("data-name", e.name);
      button.setAttribute("data-industry", e.industry);
      button.textContent = e.name;
      var more = document.createElement("span");
      more.className = "hint";
      more.textContent = " · " + e.uscc + (e.industry_label ? " · " + e.industry_label : "");
      button.appendChild(more);
      item.appendChild(button);
      list.appendChild(item);
    });
    status.textContent = enterprises.length
      ? "找到 " + enterprises.length + " 家已登记的企业，点选即可填入："
      : "没有找到已登记的企业，请照营业执照填写名称。";
  }

  function search(typed) {
    fetch("/submit/enterprises?q=" + encodeURIComponent(typed), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { enterprises: [] }; })
      .then(function (data) {
        if (typed === asked) {
          show(data.enterprises || []);
        }
      }, function () {});
  }

  function typed(event) {
    var q = event.target.value.trim();
    clearTimeout(timer);
    if (q.length < 2 || q === asked) {
      return;
    }
    timer = setTimeout(function () {
      asked = q;
      search(q);
    }, 250);
  }

  name.addEventListener("input", typed);
  uscc.addEventListener("input", typed);
  list.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-uscc]");
    if (!button) {
      return;
    }
    name.value = button.getAttribute("data-name");
    uscc.value = button.getAttribute("data-uscc");
    asked = name.value;
    if (industry && button.getAttribute("data-industry")) {
      industry.value = button.getAttribute("data-industry");
    }
    list.textContent = "";
    status.textContent = "已选择：" + name.value;
    name.focus();
  });
})();
