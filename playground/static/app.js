// Vraagbaak playground page: plays a user and the counsellors against the stand-in's JSON API.
// No build step. Message HTML is rebuilt node by node so only Telegram's tags ever reach the page.
"use strict";

const $ = (id) => document.getElementById(id);
// thread: the selected topic (null = General); undefined until the first poll picks the liveliest one.
const state = { config: null, thread: undefined, seen: {}, alerts: {} };

// Telegram's HTML subset -> safe DOM. Parsing happens in an inert document (no scripts, no loads).
const TAGS = { B: "b", STRONG: "b", I: "i", EM: "i", U: "u", INS: "u", S: "s", STRIKE: "s", DEL: "s",
  CODE: "code", PRE: "pre", BLOCKQUOTE: "blockquote" };
function safeHtml(html) {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  return cleanNodes(doc.body);
}
function cleanNodes(node) {
  const out = document.createDocumentFragment();
  for (const child of node.childNodes) {
    if (child.nodeType === Node.TEXT_NODE) { out.append(child.textContent); continue; }
    if (child.nodeType !== Node.ELEMENT_NODE) continue;
    const name = child.tagName;
    let el = null;
    if (TAGS[name]) el = document.createElement(TAGS[name]);
    else if (name === "A" && /^(https?:|tg:|mailto:)/i.test(child.getAttribute("href") || "")) {
      el = document.createElement("a");
      el.href = child.getAttribute("href"); el.target = "_blank"; el.rel = "noopener noreferrer";
    } else if (name === "TG-SPOILER" || (name === "SPAN" && child.className === "tg-spoiler")) {
      el = document.createElement("span"); el.className = "spoiler"; el.tabIndex = 0;
    }
    const inner = cleanNodes(child);
    if (el) { el.append(inner); out.append(el); } else out.append(inner); // unknown tag: keep its text
  }
  return out;
}

async function api(path, body, method) {
  const init = body === undefined ? { method: method || "GET" }
    : { method: method || "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
  const response = await fetch(`/api/${path}`, init);
  const data = await response.json();
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}
function status(text) { $("status").textContent = text; }
function toast(text, isAlert) {
  const el = $("toast");
  el.textContent = text; el.className = isAlert ? "toast alert" : "toast"; el.hidden = false;
  clearTimeout(toast.timer); toast.timer = setTimeout(() => { el.hidden = true; }, isAlert ? 6000 : 3000);
}

function user() {
  return { id: Number($("user-id").value), first_name: $("user-name").value || "User",
    language_code: $("user-lang").value };
}
function counsellor() {
  return { id: Number($("counsellor-id").value), first_name: $("counsellor-name").value || "Counsellor" };
}

const MEDIA_LABEL = { photo: "📷 photo", voice: "🎤 voice", video: "🎬 video", document: "📄 file",
  sticker: "🙂 sticker", video_note: "⏺ round video", audio: "🎵 audio", animation: "🎞 GIF" };

function bubble(msg, chatId, mine, showName) {
  const el = document.createElement("div");
  el.className = "msg" + (mine ? " mine" : "") + (msg.deleted ? " deleted" : "") + (msg.service ? " service" : "");
  el.dir = "auto"; // Arabic and other right-to-left texts read the right way round
  if (msg.service) { el.textContent = "Topic created"; return el; }
  if (showName) { const who = document.createElement("span"); who.className = "who"; who.textContent = msg.from.first_name; el.append(who); }
  if (msg.forward_origin) { const o = document.createElement("span"); o.className = "origin"; o.textContent = "Forwarded (shows who wrote it)"; el.append(o); }
  if (msg.media) { const m = document.createElement("span"); m.className = "media"; m.textContent = MEDIA_LABEL[msg.media.type] || msg.media.type; el.append(m, document.createElement("br")); }
  if (msg.location) el.append(`📍 ${msg.location.latitude}, ${msg.location.longitude}`);
  if (msg.contact) el.append(`👤 ${msg.contact.first_name} ${msg.contact.phone_number}`);
  if (msg.html) el.append(safeHtml(msg.html));
  if (msg.buttons.length) el.append(buttons(msg, chatId));
  const meta = document.createElement("span"); meta.className = "meta"; meta.dir = "ltr";
  meta.textContent = new Date(msg.date * 1000).toLocaleTimeString() + (msg.edit_date ? " · edited" : "") + (msg.deleted ? " · deleted" : "");
  el.append(meta);
  return el;
}

function buttons(msg, chatId) {
  const box = document.createElement("div"); box.className = "buttons";
  for (const row of msg.buttons) {
    const line = document.createElement("div"); line.className = "row";
    for (const b of row) {
      let el;
      if (b.url) { el = document.createElement("a"); el.href = b.url; el.target = "_blank"; el.rel = "noopener noreferrer"; }
      else {
        el = document.createElement("button"); el.type = "button"; el.disabled = msg.deleted;
        el.addEventListener("click", () => press(chatId, msg.message_id, b.data));
      }
      el.textContent = b.text; el.dir = "auto"; line.append(el);
    }
    box.append(line);
  }
  return box;
}

// Re-render only when something changed, so focus and scroll position survive the polling.
function render(container, key, messages, chatId, isMine, showName) {
  const signature = JSON.stringify(messages);
  if (state.seen[key] === signature) return;
  const atBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 40;
  state.seen[key] = signature;
  container.replaceChildren(...messages.map((m) => bubble(m, chatId, isMine(m), showName)));
  if (atBottom || !container.dataset.rendered) container.scrollTop = container.scrollHeight;
  container.dataset.rendered = "1";
}

function renderTopics(topics) {
  const list = $("topics");
  const items = [{ thread_id: null, name: "General", closed: false }, ...topics];
  const signature = JSON.stringify([items, state.thread]);
  if (list.dataset.signature === signature) return;
  list.dataset.signature = signature;
  list.replaceChildren(...items.map((t) => {
    const li = document.createElement("li"); const b = document.createElement("button");
    b.type = "button"; b.dir = "auto"; b.textContent = t.name + (t.closed ? " (closed)" : "");
    b.setAttribute("aria-current", String(t.thread_id === state.thread));
    b.addEventListener("click", () => { state.thread = t.thread_id; state.seen.thread = null; poll(); });
    li.append(b); return li;
  }));
}

function showNewAlerts(chatId, alerts) {
  const known = state.alerts[chatId];
  state.alerts[chatId] = alerts.length;
  if (known === undefined) return; // not on first load: those are old
  for (const a of alerts.slice(known)) toast(a.text, a.show_alert);
}

async function poll() {
  try {
    const me = user();
    const [mine, group] = await Promise.all([api(`chats/${me.id}`), api(`chats/${state.config.counsellor_chat_id}`)]);
    render($("user-log"), `user:${me.id}`, mine.messages, me.id, (m) => !m.from_bot, false);
    showNewAlerts(me.id, mine.alerts || []);
    if (state.thread === undefined) {
      const last = group.messages.filter((m) => !m.deleted).pop();
      state.thread = last ? last.thread_id : null;
    }
    if (state.thread !== null && !group.topics.some((t) => t.thread_id === state.thread)) state.thread = null;
    renderTopics(group.topics);
    const thread = group.messages.filter((m) => m.thread_id === state.thread);
    render($("thread-log"), "thread", thread, state.config.counsellor_chat_id, () => false, true);
    showNewAlerts(state.config.counsellor_chat_id, group.alerts || []);
    status(`live · ${new Date().toLocaleTimeString()}`);
  } catch (error) { status(`stand-in unreachable: ${error.message}`); }
}

async function press(chatId, messageId, data) {
  const from = chatId === state.config.counsellor_chat_id ? counsellor() : user();
  try { await api("press", { chat: chatId, from, message_id: messageId, data }); }
  catch (error) { toast(error.message, true); }
}

async function sendUser(event) {
  event.preventDefault();
  const input = $("user-text"); const kind = $("user-kind").value; const text = input.value.trim();
  const me = user(); const body = { chat: me.id, from: me };
  if (kind === "text") { if (!text) return; body.text = text; }
  else if (kind === "location") body.location = { latitude: 50.8466, longitude: 4.3528 };
  else { body.media = { type: kind }; if (text) body.caption = text; }
  try { await api("send", body); input.value = ""; $("user-blocked").checked = false; poll(); }
  catch (error) { toast(error.message, true); }
}

async function sendGroup(event) {
  event.preventDefault();
  const input = $("group-text"); const text = input.value.trim();
  if (!text) return;
  const body = { chat: state.config.counsellor_chat_id, from: counsellor(), text };
  if (state.thread != null) body.thread_id = state.thread;
  try { await api("send", body); input.value = ""; poll(); }
  catch (error) { toast(error.message, true); }
}

// Pushed, not polled: /api/changes answers as soon as anything changed (or after a while with
// nothing new), and only then are the chats read again.
async function watch() {
  let seen = -1;
  for (;;) {
    try {
      const { changes } = await api(`changes?seen=${seen}`);
      if (changes !== seen) { seen = changes; await poll(); }
    } catch (error) {
      status(`stand-in unreachable: ${error.message}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

// The "/" menu, as Telegram shows it: the commands the bot set for this chat (and the user's
// language), filtered by what is typed after "/"; choosing one sends it.
const COMPOSERS = {
  user: { chat: () => user().id, lang: () => $("user-lang").value },
  group: { chat: () => state.config.counsellor_chat_id, lang: () => "" },
};
async function showCommands(which) {
  const { chat, lang } = COMPOSERS[which];
  const { commands } = await api(`commands?chat=${chat()}&lang=${encodeURIComponent(lang())}`);
  const input = $(`${which}-text`);
  const typed = input.value.startsWith("/") ? input.value.slice(1).toLowerCase() : "";
  const shown = commands.filter((c) => c.command.startsWith(typed));
  const list = $(`${which}-commands`);
  list.replaceChildren(...shown.map((c) => {
    const li = document.createElement("li"); const b = document.createElement("button");
    b.type = "button"; b.className = "command";
    const name = document.createElement("span"); name.className = "name"; name.textContent = `/${c.command}`;
    const what = document.createElement("span"); what.className = "what"; what.dir = "auto"; what.textContent = c.description;
    b.append(name, what);
    b.addEventListener("click", () => { input.value = `/${c.command}`; hideCommands(which); $(`${which}-form`).requestSubmit(); });
    li.append(b); return li;
  }));
  list.hidden = shown.length === 0;
  $(`${which}-menu`).setAttribute("aria-expanded", String(!list.hidden));
}
function hideCommands(which) {
  $(`${which}-commands`).hidden = true;
  $(`${which}-menu`).setAttribute("aria-expanded", "false");
}
function commandMenu(which) {
  const input = $(`${which}-text`);
  $(`${which}-menu`).addEventListener("click", () => {
    if ($(`${which}-commands`).hidden) showCommands(which).catch((error) => toast(error.message, true));
    else hideCommands(which);
  });
  input.addEventListener("input", () => {
    if (/^\/\w*$/.test(input.value)) showCommands(which).catch((error) => toast(error.message, true));
    else hideCommands(which);
  });
  input.addEventListener("keydown", (event) => { if (event.key === "Escape") hideCommands(which); });
}

async function start() {
  state.config = await api("config");
  $("counsellor-id").replaceChildren(...state.config.counsellor_ids.map((id) => new Option(String(id), String(id))));
  $("user-form").addEventListener("submit", sendUser);
  $("group-form").addEventListener("submit", sendGroup);
  $("user-id").addEventListener("change", poll);
  $("user-blocked").addEventListener("change", (e) =>
    api("block", { user: user().id, blocked: e.target.checked }).catch((error) => toast(error.message, true)));
  commandMenu("user");
  commandMenu("group");
  watch();
}

start().catch((error) => status(`cannot start: ${error.message}`));
