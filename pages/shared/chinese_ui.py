"""Streamlit's own words in Chinese: what its widgets write themselves (the uploader's "Upload", a multiselect's
"Select all", the sidebar's labels, "Skip to main content", a grid's "None"), and what they tell a screen reader.

Streamlit has no language setting (1.67), so what no widget option can change is translated in the browser:
one small script, installed once per browser tab, watches the page and replaces the known English strings
in text and in the attributes a screen reader or a hover shows (aria-label, title, placeholder, ...), and the
two words a grid draws on its canvas ("None" in an empty cell, "empty" for a table without rows). The strings
come from Streamlit's bundled frontend; tests/e2e/test_latin_words_browser.py walks every page as each role
and fails on any English left, so a Streamlit upgrade that adds a string shows up there."""

import json

import streamlit as st

# Exact strings (trimmed), wherever they appear: text or attribute.
WORDS = {
    "Skip to main content": "跳到正文",
    "Sidebar": "侧边栏",
    "Collapse sidebar": "收起菜单",
    "Expand sidebar": "展开菜单",
    "App pages": "页面列表",
    "Link to heading": "标题链接",
    "Fullscreen": "全屏",
    "Close fullscreen": "退出全屏",
    "Exit fullscreen": "退出全屏",
    "Search": "搜索",
    "Show/hide columns": "显示或隐藏列",
    "Download as CSV": "下载",
    "Open": "展开",
    "Close": "关闭",
    "Dismiss": "清除",
    "Clear": "清除",
    "Clear all": "全部清除",
    "Remove": "取消选择",
    "Select all": "全选",
    "Choose an option": "请选择",
    "Choose options": "请选择",
    "Select...": "请选择…",
    "No results": "没有相符的选项",
    "No options": "没有选项",
    "No options to select": "没有选项",
    "Increment": "加一",
    "Decrement": "减一",
    "Show password": "显示输入内容",
    "Hide password": "隐藏输入内容",
    "Add row": "添加一行",
    "Delete row": "删除此行",
    "Delete rows": "删除所选行",
    "progress": "进度",
    "Upload": "上传",
    "Browse files": "选择文件",
    "file upload": "上传文件",
    "Drag and drop file here": "把文件拖到这里",
    "Drag and drop files here": "把文件拖到这里",
    "Delete": "删除",
    "Choose date": "选择日期",
    "Choose date range": "选择日期范围",
    "Previous month": "上个月",
    "Next month": "下个月",
    "Previous month.": "上个月",
    "Next month.": "下个月",
    "Calendar.": "日历",
    "Month": "月",
    "Year": "年",
    "Use arrow keys to navigate dates. Enter to select. Escape to close.": (
        "按方向键挑选日期，按回车键选定，按退出键关闭。"
    ),
    "Quick select a date range": "快速选择日期范围",
    "Past Week": "最近一周",  # the date range's quick choices
    "Past Month": "最近一个月",
    "Past 3 Months": "最近三个月",
    "Past 6 Months": "最近六个月",
    "Past Year": "最近一年",
    "Past 2 Years": "最近两年",
    "Date range": "日期范围",
    "yyyy": "年",
    "mm": "月",
    "dd": "日",
    "Empty": "未填",
    "Show data": "查看数据",
    "Download as PNG": "下载为 PNG 图片",
    "Download as SVG": "下载为 SVG 图片",
    "Copy Vega-Lite spec": "复制图表定义",
    "View source": "查看图表定义",
    "Open in Vega Editor": "在图表编辑器中打开",
    "Vega visualization": "图表",
    "visualization": "图表",
    "axis": "坐标轴",
    "legend": "图例",
    "title": "标题",
    "bar": "条形",
    "line": "折线",
    "line mark": "折线",
    "bar mark": "条形",
    "point mark": "数据点",
    "Selected values": "已选",
    "point": "数据点",
    "Running...": "正在运行…",
    "Stop": "停止",
    "Deploy": "发布",
    "Copy to clipboard": "复制",
    "Copied to clipboard": "已复制",
    "⚠️ Please fill out this cell.": "⚠️ 请填写这一格。",
    "Please fill out this cell.": "请填写这一格。",
    "Streamlit Component": "辅助组件",
    "extra_streamlit_components.CookieManager.cookie_manager": "登录状态（无内容）",
}

_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
_WEEKDAYS = {
    "Monday": "星期一", "Tuesday": "星期二", "Wednesday": "星期三", "Thursday": "星期四",
    "Friday": "星期五", "Saturday": "星期六", "Sunday": "星期日",
    "Mo": "一", "Tu": "二", "We": "三", "Th": "四", "Fr": "五", "Sa": "六", "Su": "日",
}  # fmt: skip

# (JavaScript regular expression, replacement) for the strings with a figure or a name in them.
PATTERNS = [
    (r"^(\d+) options? available\.?$", "共 $1 项可选"),
    (r"^option (.+), selected\.?$", "已选：$1"),
    (r"^(.+) per file$", "每个文件不超过 $1"),
    (r"^Limit (.+) per file(.*)$", "每个文件不超过 $1$2"),
    (r"^Remove (.+)$", "取消选择 $1"),
    (r"^Help for (.+)$", "$1：说明"),
    (r"^View (\d+) more$", "另有 $1 项"),
    (r"^View less$", "收起"),
    (r"^(.+) start date$", "$1：开始日期"),
    (r"^(.+) end date$", "$1：结束日期"),
    (r"^year, (.+)$", "$1：年"),
    (r"^month, (.+)$", "$1：月"),
    (r"^day, (.+)$", "$1：日"),
    (r"^(\w+) mark container$", "图形组"),
    (r"^Title text '(.*)'$", "标题：$1"),
    (r"^Symbol legend titled '\s*' for .+? with (\d+) values?:\s*(.*)$", "图例，共 $1 项：$2"),
    (r"^Symbol legend titled '(.+)' for .+? with (\d+) values?:\s*(.*)$", "图例：$1，共 $2 项：$3"),
    (r"^Symbol legend for .+? with (\d+) values?:\s*(.*)$", "图例，共 $1 项：$2"),
    (r"^([XY])-axis titled '(.*)' for a \w+ scale with values from (.*) to (.*)$", "坐标轴：$2，从 $3 到 $4"),
    (r"^([XY])-axis titled '(.*)' for a \w+ scale with (\d+) values?:\s*(.*)$", "坐标轴：$2，共 $3 项：$4"),
    (r"^([XY])-axis for a \w+ scale with values from (.*) to (.*)$", "坐标轴：从 $2 到 $3"),
    (r"^([XY])-axis for a \w+ scale with (\d+) values?:\s*(.*)$", "坐标轴，共 $2 项：$3"),
    (r"^(\d+) – (\w+)$", "$1 月"),
    (r"^Fullscreen: (.+)$", "全屏查看：$1"),
    (r"^[a-z_]+ icon$", "图标"),
    (r"^Choose date, (.+)$", "选择日期，$1"),
    (r"^Choose date range, (.+)$", "选择日期范围，$1"),
    (r"^(.*), ending with (.*)$", "$1 …… $2"),
]

# Dates as the calendar writes them ("Selected Date: December 02, 2026", "Choose Tuesday, December 1st 2026.
# It's available.", "December 2026"): rewritten by _date() in the script.
_SCRIPT = """<script>/* chinese-ui */
(() => {
  const root = window.parent && window.parent !== window ? window.parent : window;
  if (root.__chineseUi) return;
  root.__chineseUi = true;
  const doc = root.document;
  const WORDS = __WORDS__;
  const PATTERNS = __PATTERNS__.map(([re, to]) => [new RegExp(re), to]);
  const MONTHS = __MONTHS__;
  const WEEKDAYS = __WEEKDAYS__;
  const month = name => MONTHS.indexOf(name) + 1;
  const M = __MONTH_NAMES__;
  const DATE = new RegExp(`${M} (\\\\d{1,2})(?:st|nd|rd|th)?,? (\\\\d{4})`, 'g');
  const MONTH_YEAR = new RegExp(`\\\\b${M} (\\\\d{4})\\\\b`, 'g');
  const dates = s => {
    let out = s.replace(DATE, (_, m, d, y) => `${y}年${month(m)}月${Number(d)}日`);
    out = out.replace(MONTH_YEAR, (_, m, y) => `${y}年${month(m)}月`);
    out = out.replace(new RegExp(`^${M}$`), m => `${month(m)}月`);
    out = out.replace(/^Selected Date: /, '已选日期：').replace(/^Selected date: /, '已选日期：');
    out = out.replace(/^Choose (\\w+day), (.+?)\\. It's available\\.$/, (_, w, d) => `选择 ${d}，${WEEKDAYS[w] || w}`);
    out = out.replace(/^Selected (start |end )?date\\.? ?/i, '已选日期：');
    out = out.replace(/^(Mo|Tu|We|Th|Fr|Sa|Su)$/, w => WEEKDAYS[w]);
    return out;
  };
  const step = text => {
    if (Object.prototype.hasOwnProperty.call(WORDS, text)) return WORDS[text];
    for (const [re, into] of PATTERNS) if (re.test(text)) return text.replace(re, into);
    const d = dates(text);
    return d !== text ? d : null;
  };
  // A string may need more than one step ("year, 日期 start date": the segment, then the range's end).
  const translate = s => {
    const first = s.trim();
    let text = first;
    for (let i = 0; i < 4 && /[A-Za-z]/.test(text); i++) {
      const to = step(text);
      if (to === null || to === text) break;
      text = to;
    }
    return text === first ? null : s.replace(first, () => text);
  };
  const ATTRS = ['aria-label', 'title', 'placeholder', 'aria-placeholder', 'aria-roledescription',
                 'aria-valuetext', 'aria-description'];
  // Not what people type (a date's segments are typed into, but show only its placeholders as text).
  const SKIP = 'script,style,textarea,code,pre,[data-testid="stIconMaterial"],'
    + '[contenteditable="true"]:not([role="spinbutton"])';
  const skip = el => !el || el.closest(SKIP);
  const textNode = n => {
    if (skip(n.parentElement)) return;
    const to = translate(n.nodeValue);
    if (to !== null && to !== n.nodeValue) n.nodeValue = to;
  };
  const attributes = el => {
    for (const a of ATTRS) {
      const v = el.getAttribute && el.getAttribute(a);
      if (!v) continue;
      const to = translate(v);
      if (to !== null && to !== v) el.setAttribute(a, to);
    }
  };
  const frame = el => {
    try {
      const inner = el.contentDocument;
      if (inner && inner.title && translate(inner.title) !== null) inner.title = translate(inner.title);
    } catch (e) { /* another origin: its title attribute is translated above */ }
  };
  const walk = node => {
    if (node.nodeType === 3) return textNode(node);
    if (node.nodeType !== 1) return;
    attributes(node);
    if (node.tagName === 'IFRAME') { frame(node); node.addEventListener('load', () => frame(node)); }
    const walker = doc.createTreeWalker(node, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === 3) textNode(n);
      else {
        attributes(n);
        if (n.tagName === 'IFRAME') { frame(n); n.addEventListener('load', () => frame(n)); }
      }
    }
  };
  new root.MutationObserver(records => {
    for (const r of records) {
      if (r.type === 'characterData') textNode(r.target);
      else if (r.type === 'attributes') attributes(r.target);
      else r.addedNodes.forEach(walk);
    }
  }).observe(doc.documentElement, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRS,
  });
  walk(doc.documentElement);
  // A grid draws its cells on a canvas: an empty cell as "None", a table without rows as "empty".
  const CANVAS = { None: '', empty: '（无）' };
  for (const name of ['fillText', 'strokeText']) {
    const original = root.CanvasRenderingContext2D.prototype[name];
    root.CanvasRenderingContext2D.prototype[name] = function (text, ...rest) {
      const to = Object.prototype.hasOwnProperty.call(CANVAS, text) ? CANVAS[text] : text;
      return original.call(this, to, ...rest);
    };
  }
})();
</script>"""

# Streamlit wraps every st.html in an element of the page's column; this one shows nothing, so it takes no room.
_HIDE = '<style>[data-testid="stElementContainer"]:has([data-chinese-ui]) {display: none}</style>'


def script() -> str:
    """The translating script, with its tables."""
    return (
        _SCRIPT.replace("__WORDS__", json.dumps(WORDS, ensure_ascii=False))
        .replace("__PATTERNS__", json.dumps(PATTERNS, ensure_ascii=False))
        .replace("__MONTHS__", json.dumps(_MONTHS))
        .replace("__WEEKDAYS__", json.dumps(_WEEKDAYS, ensure_ascii=False))
        .replace("__MONTH_NAMES__", json.dumps(f"({'|'.join(_MONTHS)})"))
    )


def apply() -> None:
    """Install the translation in this browser tab (once; later runs find it there). Call first on every run."""
    st.html(_HIDE)
    st.html(f"<div data-chinese-ui hidden></div>{script()}", unsafe_allow_javascript=True)
