/* Render text the way Telegram shows a message sent with parse_mode=HTML.
 * Only Telegram's tags become formatting; everything else stays visible as text. The DOM is built
 * node by node (never innerHTML), so nothing in the text can run or load anything.
 * Also lists what Telegram would refuse; the check on saving is the one that counts. */
(function () {
  "use strict";

  var TAGS = {
    b: "b", strong: "b", i: "i", em: "i", u: "u", ins: "u", s: "s", strike: "s", del: "s",
    a: "a", code: "code", pre: "pre", blockquote: "blockquote", "tg-spoiler": "span", span: "span"
  };
  var ENTITIES = { lt: "<", gt: ">", amp: "&", quot: "\"" };
  var TOKEN = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s[^<>]*)?)>|&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]*);/g;
  var SAFE_LINK = /^(https?:\/\/|tg:\/\/|mailto:)/i;

  function position(text, index) {
    var before = text.slice(0, index).split("\n");
    return "line " + before.length + ", column " + (before[before.length - 1].length + 1);
  }

  function attribute(attrs, name) {
    var match = new RegExp("(?:^|\\s)" + name + "\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s\"'>]+))", "i").exec(attrs);
    if (!match) { return null; }
    var value = match[1] !== undefined ? match[1] : match[2] !== undefined ? match[2] : match[3];
    return value.replace(/&(lt|gt|amp|quot);/g, function (m, e) { return ENTITIES[e]; });
  }

  function withServices(raw, services) {
    return raw.replace(/\{service:([a-z0-9_]+)\}/g, function (token, id) {
      return Object.prototype.hasOwnProperty.call(services || {}, id) ? services[id] : token;
    });
  }

  /* Fill `target` with `raw` as Telegram would show it; returns the problems found. */
  function render(raw, target, services) {
    var text = withServices(raw, services);
    var issues = [];
    var root = document.createDocumentFragment();
    var stack = [{ tag: null, node: root }];
    var last = 0;
    var match;

    function top() { return stack[stack.length - 1].node; }
    function plain(chunk, at) {
      if (!chunk) { return; }
      var bad = /[<>]|&/.exec(chunk);
      if (bad) {
        issues.push((bad[0] === "&" ? "a bare '&' (write &amp;amp;)" : "a bare '" + bad[0] + "' (write &amp;lt; or &amp;gt;)")
          + " at " + position(text, at + bad.index));
      }
      top().appendChild(document.createTextNode(chunk));
    }

    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(text)) !== null) {
      plain(text.slice(last, match.index), last);
      last = TOKEN.lastIndex;
      if (match[4] !== undefined) {
        var name = match[4];
        var value = null;
        if (name.charAt(0) === "#") {
          var code = name.charAt(1) === "x" || name.charAt(1) === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
          try { value = String.fromCodePoint(code); } catch (e) { value = null; }
        } else if (Object.prototype.hasOwnProperty.call(ENTITIES, name)) {
          value = ENTITIES[name];
        }
        if (value === null) { issues.push("unknown entity &" + name + "; at " + position(text, match.index)); value = match[0]; }
        top().appendChild(document.createTextNode(value));
        continue;
      }
      var closing = match[1] === "/";
      var tag = match[2].toLowerCase();
      var attrs = match[3] || "";
      var spoilerSpan = tag === "span" && attribute(attrs, "class") === "tg-spoiler";
      if (!Object.prototype.hasOwnProperty.call(TAGS, tag) || (tag === "span" && !closing && !spoilerSpan)) {
        issues.push("unsupported tag <" + tag + "> at " + position(text, match.index));
        top().appendChild(document.createTextNode(match[0]));
        continue;
      }
      if (closing) {
        if (stack.length > 1 && stack[stack.length - 1].tag === tag) {
          stack.pop();
        } else {
          issues.push("</" + tag + "> " + (stack.length > 1 ? "closes <" + stack[stack.length - 1].tag + ">" : "without an opening tag")
            + " at " + position(text, match.index));
          top().appendChild(document.createTextNode(match[0]));
        }
        continue;
      }
      var element = document.createElement(TAGS[tag]);
      if (tag === "tg-spoiler" || tag === "span") { element.className = "spoiler"; }
      if (tag === "a") {
        var href = attribute(attrs, "href");
        if (!href) { issues.push("<a> needs an href at " + position(text, match.index)); }
        else if (SAFE_LINK.test(href.trim())) {
          element.setAttribute("href", href.trim());
          element.setAttribute("rel", "noopener noreferrer nofollow");
          element.setAttribute("target", "_blank");
          element.setAttribute("title", href.trim());
        }
      }
      top().appendChild(element);
      stack.push({ tag: tag, node: element, at: match.index });
    }
    plain(text.slice(last), last);
    for (var i = stack.length - 1; i > 0; i--) {
      issues.push("<" + stack[i].tag + "> is never closed (" + position(text, stack[i].at) + ")");
    }
    while (target.firstChild) { target.removeChild(target.firstChild); }
    target.appendChild(root);
    return issues;
  }

  function servicesData() {
    var data = document.getElementById("services-data");
    try { return data ? JSON.parse(data.textContent) : {}; } catch (e) { return {}; }
  }

  window.TelegramPreview = { render: render, services: servicesData };

  document.addEventListener("DOMContentLoaded", function () {
    var services = servicesData();
    var blocks = document.querySelectorAll("[data-telegram-html]");
    for (var i = 0; i < blocks.length; i++) {
      render(blocks[i].getAttribute("data-telegram-html"), blocks[i], services[blocks[i].getAttribute("data-services")]);
    }
  });
}());
