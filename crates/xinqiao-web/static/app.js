// Progressive enhancement only: every page works without this file.
// Buttons with data-confirm ask before submitting their form. A button with data-confirms
// names a field of its form that the answer sets to 1: the server then skips its own
// confirmation page (which is what a browser without this file gets).
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-confirm]");
  if (!button) {
    return;
  }
  if (!window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
    return;
  }
  var name = button.getAttribute("data-confirms");
  if (name && button.form && button.form.elements[name]) {
    button.form.elements[name].value = "1";
  }
});

// 复制 buttons (data-copy = the id of the element whose text to copy) and 打印 buttons
// (data-print) are hidden in the page and shown here, where they can work.
document.querySelectorAll("button[data-copy], button[data-print]").forEach(function (button) {
  if (button.hasAttribute("data-copy") && !(navigator.clipboard && window.isSecureContext)) {
    return;
  }
  button.hidden = false;
});
document.addEventListener("click", function (event) {
  var copy = event.target.closest("button[data-copy]");
  if (copy) {
    var source = document.getElementById(copy.getAttribute("data-copy"));
    if (!source) {
      return;
    }
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      copy.textContent = "已复制";
      setTimeout(function () { copy.textContent = "复制"; }, 2000);
    }, function () {
      copy.textContent = "复制失败，请手动选择";
    });
    return;
  }
  if (event.target.closest("button[data-print]")) {
    window.print();
  }
});
