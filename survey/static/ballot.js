// Live count while filling: 优秀 chosen against the cap, and rows still empty (members and the ratings of
// the branch committee and the secretary's report). The page works without it.
(function () {
  var form = document.getElementById("ballot");
  var live = document.getElementById("live");
  if (!form || !live) return;
  var cap = parseInt(form.getAttribute("data-cap"), 10);
  var rows = form.querySelectorAll("fieldset.row[id^='m'], fieldset#branch_committee, fieldset#report");
  function update() {
    var excellent = 0, empty = 0;
    rows.forEach(function (row) {
      var picked = row.querySelector("input:checked");
      if (!picked) empty += 1;
      else if (picked.value === "excellent") excellent += 1;
      if (picked && row.classList.contains("bad")) {
        row.classList.remove("bad");
        var why = row.querySelector(".why");
        if (why) why.remove();
      }
    });
    var text;
    if (excellent > cap) {
      // Over the cap, only that: nothing that reads as done (已全部选择) beside it.
      text = "“优秀”已选 " + excellent + " 人，超过最多 " + cap + " 人：请把 " + (excellent - cap) + " 人改为其他等次";
    } else {
      text = "优秀 已选 " + excellent + " / 最多 " + cap + " 人";
      text += empty ? "　还有 " + empty + " 项未选" : "　已全部选择";
    }
    live.textContent = text;
    live.classList.toggle("over", excellent > cap);
  }
  form.addEventListener("change", update);
  update();
})();
